"""Settings for every environment, configured only by environment variables.

With no variable set the portal runs on the embedded defaults: SQLite, a folder as
Celery's broker (``make run`` starts a worker with beat; other processes run tasks
in-process), mail written to the console and to files under ``var/mail``.
"""

import base64
import contextlib
import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

# Only for the local demo; production.py refuses to start without its own key.
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="django-insecure-local-demo-only-3f9c2e7a1b8d4c6e0f5a9b2c7d1e4f8a",
)
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "modeltranslation",
    "alliance.apps.AllianceAdminConfig",  # django.contrib.admin as the staff console
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sites",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "django_htmx",
    "django_countries",
    "timezone_field",
    "simple_history",
    "alliance",
    "members",
    "projects",
    "events",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses pages and API answers (static files come compressed from
    # WhiteNoise above): Django's, at a faster level for pages. BREACH: every
    # page's CSRF token is masked afresh per response (Django's mitigation),
    # the gzip header has a name of random length, and secrets are never
    # echoed from input.
    "alliance.core.compression.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    # The liveness probe is answered before anything reads a session or a person
    # (the three above only add headers).
    "alliance.core.middleware.LivenessMiddleware",
    # A signed-out visitor's page from the shared cache, when the view opts in
    # (alliance.core.visitor_pages): before the session, the person and the
    # CSRF check, which such a request does not need.
    "alliance.core.visitor_pages.VisitorPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "members.authentication.SessionBackendMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "alliance.core.middleware.UserPreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages: it tells staff why they were sent to set up MFA.
    "alliance.core.middleware.AdminRequiresMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "alliance.urls"
WSGI_APPLICATION = "alliance.wsgi.application"
ASGI_APPLICATION = "alliance.asgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "alliance.core.context_processors.portal",
                "alliance.notifications.context_processors.notifications",
            ],
            # The template tags live with the platform code, not in an app's
            # own templatetags package.
            "libraries": {
                "alliance_tags": "alliance.core.templatetags.alliance_tags",
            },
        },
    },
]

# --- Database -------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
# A frozen or unreachable database fails a request within seconds (a 503 page)
# instead of holding it for the whole outage. Seconds; 0 turns a limit off (for
# example DATABASE_STATEMENT_TIMEOUT=0 for a long migration).
DATABASE_CONNECT_TIMEOUT = env.int("DATABASE_CONNECT_TIMEOUT", default=3)
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=10)
DATABASE_LOCK_TIMEOUT = env.float("DATABASE_LOCK_TIMEOUT", default=5)
# How long the client waits for any answer of the server before it gives the
# connection up: past the statement timeout, so the server's own cancel comes
# first; it bounds what the server cannot (a stopped backend, a frozen network).
DATABASE_ANSWER_TIMEOUT = env.float(
    "DATABASE_ANSWER_TIMEOUT",
    default=DATABASE_STATEMENT_TIMEOUT + 2 if DATABASE_STATEMENT_TIMEOUT else 0,
)
# A kept connection is pinged before a request uses it unless its last request
# ended cleanly less than this many seconds ago (alliance/core/postgresql).
DATABASE_HEALTH_CHECK_IDLE = env.float("DATABASE_HEALTH_CHECK_IDLE", default=1.0)
DATABASE_PREPARE_THRESHOLD = (
    None
    if env.str("DATABASE_PREPARE_THRESHOLD", default="5").lower() == "none"
    else env.int("DATABASE_PREPARE_THRESHOLD", default=5)
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL with the client-side answer timeout (alliance/core/postgresql).
    DATABASES["default"]["ENGINE"] = "alliance.core.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _server_limits = " ".join(
        f"-c {name}={int(seconds * 1000)}"
        for name, seconds in (
            ("statement_timeout", DATABASE_STATEMENT_TIMEOUT),
            ("lock_timeout", DATABASE_LOCK_TIMEOUT),
        )
    )
    # No JIT compilation: the lists' visibility subqueries make the planner's
    # cost estimates large enough to JIT-compile queries that run in a few ms;
    # compiling then cost 150-200 ms per query (EXPLAIN ANALYZE at bench scale,
    # issue 19). Web requests are short queries; JIT pays only for analytics.
    _server_limits += " -c jit=off"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "options": _server_limits,
            "answer_timeout": DATABASE_ANSWER_TIMEOUT,
            "health_check_idle": DATABASE_HEALTH_CHECK_IDLE,
            # The server prepares a statement of prepared_cursor() (the
            # person's query) once a connection has run it this many times,
            # and does not plan it again (alliance/core/postgresql). "none"
            # behind a pooler in transaction mode (PgBouncer before 1.21),
            # which cannot keep prepared statements.
            "prepare_threshold": DATABASE_PREPARE_THRESHOLD,
        }
    )
    if DATABASE_CONNECT_TIMEOUT:
        DATABASES["default"]["OPTIONS"]["connect_timeout"] = DATABASE_CONNECT_TIMEOUT
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run` has a web server and a worker with beat writing to one file:
    # readers never wait for a writer (WAL), a writer takes its lock up front
    # and waits for another up to 20 s instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: cache and Celery broker ----------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# A Redis that does not answer costs a request at most this (seconds); after a
# failure the process answers without Redis for REDIS_RETRY_AFTER seconds
# (alliance/core/cache.py says how each part does without it).
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=0.5)
REDIS_RETRY_AFTER = env.float("REDIS_RETRY_AFTER", default=5)
# The broker's connections (workers wait on them all day; a web request seldom
# reaches them once the cache found Redis down) get a little more.
REDIS_BROKER_SOCKET_TIMEOUT = env.float("REDIS_BROKER_SOCKET_TIMEOUT", default=2)
if REDIS_URL:
    _redis_cache = {
        "BACKEND": "alliance.core.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "alliance",
    }
    _redis_options = {
        "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
        "RETRY_AFTER": REDIS_RETRY_AFTER,
    }
    CACHES = {
        # Rate limits and one-time codes fall back to this process's memory.
        "default": {**_redis_cache, "OPTIONS": {**_redis_options, "FALLBACK": "local"}},
        # Sessions fall back to the database alone.
        "sessions": {**_redis_cache, "OPTIONS": {**_redis_options, "FALLBACK": "none"}},
    }
    # Sessions read from Redis, written through to the database (which alone
    # serves them while Redis is down). Only with a shared cache: a per-process
    # cache would keep a signed-out session alive in the other processes.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# With no Redis the broker is a folder (kombu's filesystem transport), so the
# embedded default needs no server: `make run` starts a worker with beat beside
# the web server and the periodic jobs run through the same tasks and schedule
# as in production. Processes that run without that worker (a shell, tests,
# `runserver` alone) run tasks in-process unless CELERY_TASK_ALWAYS_EAGER=false.
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
LOCAL_BROKER_DIR = Path(env("CELERY_LOCAL_BROKER_DIR", default=str(VAR_DIR / "celery")))
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks never carry a countdown or ETA longer than this
# (see alliance.core.dispatch.safe_countdown).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
if REDIS_URL:
    # A hung Redis costs a publish at most the broker's socket timeout (twice:
    # one retry), and only until the process counts Redis as down; the task
    # then waits in the database for the sweep (alliance.core.dispatch).
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "socket_timeout": REDIS_BROKER_SOCKET_TIMEOUT,
        "socket_connect_timeout": REDIS_BROKER_SOCKET_TIMEOUT,
    }
else:
    for _folder in ("queue", "control"):
        # A read-only checkout is fine until a worker needs the folder.
        with contextlib.suppress(OSError):
            (LOCAL_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(LOCAL_BROKER_DIR / "queue"),
        "data_folder_out": str(LOCAL_BROKER_DIR / "queue"),
        "control_folder": str(LOCAL_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = "UTC"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Auth and accounts -------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    # Django's and allauth's, loading the person with the facts every page asks
    # in the same query (members.authentication).
    "members.authentication.ModelBackend",
    "members.authentication.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
# Sign-up takes as long for an address with an account as for a new one.
ACCOUNT_FORMS = {"signup": "members.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[AI Alliance] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SESSION_REMEMBER = None
# allauth's defaults, written out so they are visible and tested.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "request_login_code": "20/m/ip,3/m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    # Ours: every account email (verification, reset, sign-in code, "you already
    # have an account") to one address, whatever asked for it (the adapter).
    "account_mail": "10/h/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
MFA_TOTP_ISSUER = "AI Alliance Portal"
# Tracking "last seen" costs five queries per signed-in request; sessions are still
# listed (with where and when they began) and can be ended.
USERSESSIONS_TRACK_ACTIVITY = False
# Staff must have two-factor authentication before the admin opens for them.
ALLIANCE_ADMIN_REQUIRE_MFA = env.bool("ALLIANCE_ADMIN_REQUIRE_MFA", default=False)

# --- Internationalization ----------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# Besides each app's translation.py, the alliance contexts' own.
MODELTRANSLATION_TRANSLATION_FILES = ("alliance.focus_areas.translation",)
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

# --- Static and media --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "alliance.core.staticfiles.StaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Email -------------------------------------------------------------------------
# EMAIL_URL such as smtp+tls://user:password@mail.example.org:587 selects real mail.
EMAIL_URL = env("EMAIL_URL", default="")
if EMAIL_URL:
    vars().update(environ.Env.email_url_config(EMAIL_URL))
else:
    EMAIL_BACKEND = "alliance.core.mail.ConsoleAndFileBackend"
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="AI Alliance Portal <portal@alliance.invalid>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20
# Reply by email (alliance.conversation): notification emails about an update or
# a reply carry "Reply-To: reply+<signed token>@REPLY_EMAIL_DOMAIN" (empty: off);
# a token older than REPLY_EMAIL_MAX_AGE_DAYS is refused. The mail provider posts
# what arrives at that domain to /inbound-email/ with the password
# INBOUND_EMAIL_SECRET (HTTP Basic or Bearer; empty: the endpoint answers 404).
REPLY_EMAIL_DOMAIN = env("REPLY_EMAIL_DOMAIN", default="")
REPLY_EMAIL_MAX_AGE_DAYS = env.int("REPLY_EMAIL_MAX_AGE_DAYS", default=30)
INBOUND_EMAIL_SECRET = env("INBOUND_EMAIL_SECRET", default="")

# --- REST framework and OpenAPI ----------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly"
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": (
        "alliance.core.api.negotiation.JsonFirstNegotiation"
    ),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "alliance.core.api.pagination.PagePagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "alliance.core.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "alliance.core.api.throttling.AnonRateThrottle",
        "alliance.core.api.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/min"),
        "user": env("API_THROTTLE_USER", default="600/min"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "AI Alliance Portal API",
    "DESCRIPTION": "Working groups, member organizations, the catalog and events.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "role" or "status"; name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "AffiliationRoleEnum": "members.models.Affiliation.Role",
        "AffiliationStatusEnum": "members.models.Affiliation.Status",
        "WorkingGroupStatusEnum": "alliance.working_groups.models.WorkingGroup.Status",
        "WorkingGroupUpdateKindEnum": (
            "alliance.working_groups.models.WorkingGroupUpdate.Kind"
        ),
        "CatalogEntryKindEnum": "projects.models.CatalogEntry.Kind",
        "WorkingGroupMembershipRoleEnum": (
            "alliance.working_groups.models.WorkingGroupMembership.Role"
        ),
        "WorkingGroupMembershipStatusEnum": (
            "alliance.working_groups.models.WorkingGroupMembership.Status"
        ),
        "EventStatusEnum": "events.models.Event.Status",
        "EventKindEnum": "events.models.Event.Kind",
        "EventVisibilityEnum": "events.models.Event.Visibility",
        "WorkingGroupVisibilityEnum": (
            "alliance.working_groups.models.WorkingGroup.Visibility"
        ),
        "RegistrationStatusEnum": "events.models.Registration.Status",
        "DeliveryEnum": "alliance.notifications.models.Delivery",
        "OrganizationStatusEnum": "members.models.Organization.Status",
        "OrganizationKindEnum": "members.models.Organization.Kind",
        "ApplicationStatusEnum": "members.models.MembershipApplication.Status",
        "BallotKindEnum": "alliance.governance.models.Ballot.Kind",
        "BallotScopeEnum": "alliance.governance.models.Ballot.Scope",
        # An event update's or cancellation's reach within its series.
        "SeriesScopeEnum": ["one", "following"],
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "alliance.core.api.errors.document_error_responses",
    ],
}

# --- Security headers (production.py tightens the transport ones) ------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# The one inline script, first in <head> of templates/base.html: it sets the page's
# "js" class before the first paint, so loading portal.js shifts nothing. Allowed by
# its hash (the same on every page; a cached page keeps working).
NO_JS_SWITCH = 'document.documentElement.className="js"'
NO_JS_SWITCH_HASH = (
    "'sha256-"
    + base64.b64encode(hashlib.sha256(NO_JS_SWITCH.encode()).digest()).decode()
    + "'"
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": [SELF, NONCE, NO_JS_SWITCH_HASH],
        "style-src": [SELF, NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Portal ------------------------------------------------------------------------
# How long /health/ waits for a worker to answer its ping (seconds).
HEALTH_WORKER_TIMEOUT = env.float("HEALTH_WORKER_TIMEOUT", default=1.0)
# How long each process keeps a health check's answer (seconds).
HEALTH_CACHE_SECONDS = env.float("HEALTH_CACHE_SECONDS", default=5.0)
# A monitor that sends "Authorization: Bearer <HEALTH_TOKEN>" gets the details of
# /health/ (staff signed in get them too); empty: staff only.
HEALTH_TOKEN = env("HEALTH_TOKEN", default="")
ALLIANCE_DEMO_ADMIN_EMAIL = "admin@alliance.example"
ALLIANCE_DEMO_ADMIN_PASSWORD = env(
    "ALLIANCE_DEMO_ADMIN_PASSWORD", default="alliance-demo-admin"
)
API_TOKEN_PREFIX = "alp_"  # noqa: S105 - a prefix, not a secret
CATALOG_VETTING_VALID_FOR = timedelta(days=env.int("CATALOG_VETTING_DAYS", default=365))
# Chairs of this working group (focus area 1's benchmarks group) review catalog
# entries whatever their organization's tier.
CATALOG_BENCHMARKS_GROUP_SLUG = env(
    "CATALOG_BENCHMARKS_GROUP_SLUG", default="trust-and-safety-evaluation"
)
# How far ahead the occurrences of a series are generated (days).
EVENTS_SERIES_HORIZON_DAYS = env.int("EVENTS_SERIES_HORIZON_DAYS", default=90)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "INFO"},
    },
}
