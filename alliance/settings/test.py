"""Test settings: the base settings with fast hashing and captured mail."""

import os
import tempfile

# pytest-django creates and drops the test databases through these connection
# settings, and CREATE/DROP DATABASE wait for a checkpoint, which on a busy
# machine takes longer than production's statement timeout (10 s). The fault
# tests give the servers they start small limits of their own.
os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
# Likewise the lock timeout: fifty simultaneous registrations queue on the
# event's row, and on a loaded test machine the last ones wait past 5 s.
os.environ.setdefault("DATABASE_LOCK_TIMEOUT", "0")

from alliance.settings.base import *  # noqa: E402, F403
from alliance.settings.base import REDIS_URL  # noqa: E402

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A test that runs its own SMTP server starts its worker with EMAIL_URL pointing
# there and ALLIANCE_TEST_REAL_SMTP=1.
if not env.bool("ALLIANCE_TEST_REAL_SMTP", default=False):  # noqa: F405
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests run tasks in-process unless a test starts a real worker (tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = not env.bool("ALLIANCE_TEST_WORKER", default=False)  # noqa: F405
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = "memory://"
# Each test starts with an empty cache, so rate limits of one test never leak into
# the next; tests of the Redis cache configure it themselves.
# A fault test that serves the portal with Redis as its cache and sessions'
# cache, as production does, starts that server with ALLIANCE_TEST_REDIS_CACHE=1.
if not env.bool("ALLIANCE_TEST_REDIS_CACHE", default=False):  # noqa: F405
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # The sessions' own cache (base.py, with Redis) shares the tests' memory.
    if REDIS_URL:
        CACHES["sessions"] = CACHES["default"]
# Each health check runs afresh in every test (tests of the caching set it).
HEALTH_CACHE_SECONDS = 0
# A broker a test stopped is tried again at once by the next test (the fault
# tests' own servers run with the production value).
REDIS_RETRY_AFTER = env.float("REDIS_RETRY_AFTER", default=0)  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
MEDIA_ROOT = tempfile.mkdtemp(prefix="alliance-test-media-")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "10000/min", "user": "10000/min"},
}

# Tests that need Redis use their own database on the same server, so a test run
# never touches the data of a portal running on this machine.
# Under pytest-xdist each process (gw0, gw1, …) takes the next lower database by
# default, as each takes its own test database on PostgreSQL. A TEST_REDIS_DB
# set explicitly (as the worker tests do for their workers) is used as it is.
_XDIST_WORKER = env("PYTEST_XDIST_WORKER", default="gw0")  # noqa: F405
TEST_REDIS_DB = env.int(  # noqa: F405
    "TEST_REDIS_DB", default=15 - int(_XDIST_WORKER.removeprefix("gw") or 0)
)
TEST_REDIS_URL = ""
if REDIS_URL:
    _base = REDIS_URL.rsplit("/", 1)[0] if REDIS_URL.count("/") > 2 else REDIS_URL
    TEST_REDIS_URL = f"{_base}/{TEST_REDIS_DB}"
    CELERY_BROKER_URL = TEST_REDIS_URL

# N+1 detection (django-zeal) during the whole test suite. The middleware opens a
# fresh detection context for every request the test client, the live server or a
# browser makes, so the views, templates and serializers the request runs are
# checked, not the factories and assertions around it (test code loops over
# objects on purpose). tests/conftest.py does the same for each Celery task, so
# fan-out and digest work is checked too. Two loads of the same relation (or two
# get()s of one model) from the same line in one request count as an N+1 and
# fail the test; tests/test_n_plus_one_detector.py shows that the wiring works.
INSTALLED_APPS = [*INSTALLED_APPS, "zeal"]  # noqa: F405
MIDDLEWARE = [
    "zeal.middleware.zeal_middleware",
    "tests.n_plus_one.third_party_views_middleware",
    *MIDDLEWARE,  # noqa: F405
]
ZEAL_RAISE = True
ZEAL_NPLUSONE_THRESHOLD = 2
ZEAL_SHOW_ALL_CALLERS = False
# Single objects a request or task loads once more on purpose, from one line: zeal
# counts a second load from the same line as an N+1, but these are not loops over
# a list.
ZEAL_ALLOWLIST = [
    # The event is read again after a registration changed, for fresh seat counts.
    {"model": "events.Event", "field": "get()"},
    # The action item is read again after it was marked done, to render it.
    {"model": "alliance.ActionItem", "field": "get()"},
    # Deciding several requests or applications (admin bulk actions) locks each
    # group or application in its own step, by design (select_for_update).
    {"model": "alliance.WorkingGroup", "field": "get()"},
    {"model": "alliance.WorkingGroupMembership", "field": "get()"},
    {"model": "members.MembershipApplication", "field": "get()"},
    # The outbox claims and loads one email at a time, so a worker that dies
    # mid-batch leaves the rest unclaimed for another worker.
    {"model": "alliance.OutboxEmail", "field": "get()"},
    # Django fills its per-process content type cache one model at a time.
    {"model": "contenttypes.ContentType", "field": "get()"},
]
