"""Who may open each URL pattern of the portal: the one list the security tests
check the resolver and the running portal against.

Every pattern the resolver knows (ours, allauth's, the admin's, the API's) must be
declared here, keyed by its full route as Django shows it (``str(pattern)`` of each
level joined, e.g. ``"events/<slug:slug>/register/"``). When you add a URL, add its
route here with the category that says who may open it; the test
tests/security/test_url_inventory.py then checks an anonymous visitor gets exactly
that.

Categories:

- PUBLIC: anyone may GET it; it answers without a server error and does not send
  an anonymous visitor to sign in.
- PUBLIC_READ: an API endpoint anyone may read (GET); writes by an anonymous caller
  are refused (401/403/405).
- PUBLIC_ACTION: a POST-only action an anonymous visitor may take (switching the
  language, signing out); GET is refused or redirected.
- PROTECTED: an anonymous visitor is sent to sign in (pages) or gets 401/403 (API
  and downloads), for GET and POST alike; never a 2xx.
- TOKEN: opened through a secret in the URL (invitation, unsubscribe and calendar
  feed links); a made-up secret gets a 4xx, never a 2xx and never a server error.
- ADMIN: the Django admin; an anonymous visitor is sent to sign in.
"""

PUBLIC = "public"
PUBLIC_READ = "public-read"
PUBLIC_ACTION = "public-action"
PROTECTED = "protected"
TOKEN = "token"
ADMIN = "admin"

# Health reports answer 503 when a part (database, broker, worker) is down: that
# is their answer, not a server error.
HEALTH_REPORTS = {"health/", "health/ready/"}

# Every pattern under this prefix is the admin's (ModelAdmin views are generated
# per model); each one is still requested anonymously by the access test.
ADMIN_PREFIX = "admin/"

# Routed only in some configurations (not under the test settings).
CONDITIONAL = {
    # The local demo (DEBUG) serves uploaded logos itself; production does not.
    "media/<path:path>": PUBLIC,
}

URLS = {
    # --- alliance: pages --------------------------------------------------------
    "": PUBLIC,
    "dashboard/": PROTECTED,
    "health/": PUBLIC,
    "health/live/": PUBLIC,
    "health/ready/": PUBLIC,
    "i18n/setlang/": PUBLIC_ACTION,
    "focus-areas/": PUBLIC,
    "focus-areas/<slug:slug>/": PUBLIC,
    "focus-areas/<slug:slug>/level/": PROTECTED,
    "working-groups/": PUBLIC,
    "ballots/": PUBLIC,
    "ballots/new/": PROTECTED,
    "ballots/new/<slug:slug>/": PROTECTED,
    "ballots/<int:pk>/": PUBLIC,
    "ballots/<int:pk>/vote/": PROTECTED,
    "ballots/<int:pk>/delegate/": PROTECTED,
    "working-groups/action-items/<int:pk>/done/": PROTECTED,
    "working-groups/<slug:slug>/": PUBLIC,
    "working-groups/<slug:slug>/join/": PROTECTED,
    "working-groups/<slug:slug>/leave/": PROTECTED,
    "working-groups/<slug:slug>/invitation/": PROTECTED,
    "working-groups/<slug:slug>/follow/": PROTECTED,
    "working-groups/<slug:slug>/requests/": PROTECTED,
    "working-groups/<slug:slug>/requests/<int:pk>/": PROTECTED,
    "working-groups/<slug:slug>/updates/": PUBLIC,
    "working-groups/<slug:slug>/updates/new/": PROTECTED,
    "working-groups/<slug:slug>/updates/<int:pk>/": PUBLIC,
    "working-groups/<slug:slug>/updates/<int:pk>/edit/": PROTECTED,
    "working-groups/<slug:slug>/updates/<int:pk>/versions/": PUBLIC,
    # The conversation under updates (alliance.conversation): a reply's place and
    # its earlier versions are read by whoever may read its update; the inbound
    # endpoint answers 404 unless INBOUND_EMAIL_SECRET is set (never in tests).
    "replies/updates/<int:pk>/": PROTECTED,
    "replies/updates/<int:pk>/follow/": PROTECTED,
    "replies/<int:pk>/": PUBLIC,
    "replies/<int:pk>/edit/": PROTECTED,
    "replies/<int:pk>/delete/": PROTECTED,
    "replies/<int:pk>/versions/": PUBLIC,
    "inbound-email/": TOKEN,
    "search/": PUBLIC,
    "notifications/": PROTECTED,
    "notifications/<int:pk>/read/": PROTECTED,
    "notifications/<int:pk>/open/": PROTECTED,
    "notifications/read-all/": PROTECTED,
    "notifications/preferences/": PROTECTED,
    "notifications/preferences/digest-preview/": PROTECTED,
    "notifications/preferences/digest-preview/email/": PROTECTED,
    "notifications/subscriptions/": PROTECTED,
    "notifications/subscriptions/change/": PROTECTED,
    "notifications/unsubscribe/<str:token>/": TOKEN,
    # --- members ----------------------------------------------------------------
    "members/": PUBLIC,
    "members/people/": PROTECTED,
    "members/join/": PUBLIC,
    "members/join/apply/": PROTECTED,
    "members/applications/<int:pk>/": PROTECTED,
    "members/applications/<int:pk>/edit/": PROTECTED,
    "members/applications/<int:pk>/withdraw/": PROTECTED,
    "members/invitations/<str:token>/": TOKEN,
    "members/me/profile/": PROTECTED,
    "members/me/api-tokens/": PROTECTED,
    "members/me/api-tokens/<int:pk>/revoke/": PROTECTED,
    "members/me/data/": PROTECTED,
    "members/me/data/download/": PROTECTED,
    "members/me/delete/": PROTECTED,
    "members/<slug:slug>/": PUBLIC,
    "members/<slug:slug>/logo/": PUBLIC,
    "members/<slug:slug>/manage/": PROTECTED,
    "members/<slug:slug>/manage/invite/": PROTECTED,
    "members/<slug:slug>/manage/invitations/<int:pk>/withdraw/": PROTECTED,
    "members/<slug:slug>/manage/people/<int:pk>/role/": PROTECTED,
    "members/^(?P<slug>[-a-zA-Z0-9_]+)/manage/people/(?P<pk>[0-9]+)/"
    "(?P<action>approve|decline|end)/$": PROTECTED,
    "members/<slug:slug>/manage/domains/": PROTECTED,
    "members/<slug:slug>/manage/domains/<int:pk>/remove/": PROTECTED,
    # --- projects ---------------------------------------------------------------
    "projects/": PUBLIC,
    "projects/new/": PROTECTED,
    "projects/review-queue/": PROTECTED,
    "projects/<slug:slug>/": PUBLIC,
    "projects/<slug:slug>/edit/": PROTECTED,
    "projects/<slug:slug>/history/": PUBLIC,
    "projects/<slug:slug>/submit/": PROTECTED,
    "projects/<slug:slug>/review/": PROTECTED,
    "projects/<slug:slug>/follow/": PROTECTED,
    "projects/<slug:slug>/join/": PROTECTED,
    "projects/<slug:slug>/team/": PROTECTED,
    "projects/<slug:slug>/lifecycle/": PROTECTED,
    # --- events -----------------------------------------------------------------
    "events/": PUBLIC,
    "events/calendar/": PUBLIC,
    "events/mine/": PROTECTED,
    "events/mine/feed/regenerate/": PROTECTED,
    "events/new/": PROTECTED,
    "events/^feed/(?P<key>[A-Za-z0-9_-]{1,100})\\.ics$": TOKEN,
    "events/^feed/(?P<key>[A-Za-z0-9_-]{1,100})/groups/"
    "(?P<slug>[-a-zA-Z0-9_]+)\\.ics$": TOKEN,
    "events/groups/<slug:slug>/calendar.ics": PUBLIC,
    "events/<slug:slug>/": PUBLIC,
    "events/<slug:slug>/calendar.ics": PUBLIC,
    "events/<slug:slug>/edit/": PROTECTED,
    "events/<slug:slug>/agenda/": PROTECTED,
    "events/<slug:slug>/publish/": PROTECTED,
    "events/<slug:slug>/cancel/": PROTECTED,
    "events/<slug:slug>/register/": PROTECTED,
    "events/<slug:slug>/registration/cancel/": PROTECTED,
    "events/<slug:slug>/series/register/": PROTECTED,
    "events/<slug:slug>/series/leave/": PROTECTED,
    "events/<slug:slug>/registration/visibility/": PROTECTED,
    "events/<slug:slug>/attendees/": PROTECTED,
    "events/<slug:slug>/attendees.csv": PROTECTED,
    "events/<slug:slug>/attendees/message/": PROTECTED,
    # --- allauth: accounts, two-factor authentication, sessions -----------------
    "accounts/login/": PUBLIC,
    "accounts/logout/": PUBLIC_ACTION,
    "accounts/inactive/": PUBLIC,
    "accounts/signup/": PUBLIC,
    "accounts/reauthenticate/": PROTECTED,
    # Confirming who you are by an emailed code (allauth 65.22): for the signed-in only.
    "accounts/reauthenticate/code/": PROTECTED,
    "accounts/reauthenticate/code/confirm/": PROTECTED,
    "accounts/email/": PROTECTED,
    "accounts/confirm-email/": PUBLIC,
    "accounts/password/change/": PROTECTED,
    "accounts/password/set/": PROTECTED,
    "accounts/password/reset/": PUBLIC,
    # Part of signing in by code: without a pending sign-in it sends you back.
    "accounts/login/code/confirm/": PROTECTED,
    # allauth answers a wrong key with a page that says the link is invalid.
    "accounts/^confirm-email/(?P<key>[-:\\w]+)/$": PUBLIC,
    "accounts/password/reset/key/done/": PUBLIC,
    "accounts/^password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$": PUBLIC,
    "accounts/password/reset/done/": PUBLIC,
    "accounts/login/code/": PUBLIC,
    "accounts/2fa/": PROTECTED,
    # The second step of signing in: without a pending sign-in it sends you back.
    "accounts/2fa/authenticate/": PROTECTED,
    "accounts/2fa/reauthenticate/": PROTECTED,
    "accounts/2fa/totp/activate/": PROTECTED,
    "accounts/2fa/totp/deactivate/": PROTECTED,
    "accounts/2fa/recovery-codes/": PROTECTED,
    "accounts/2fa/recovery-codes/generate/": PROTECTED,
    "accounts/2fa/recovery-codes/download/": PROTECTED,
    "accounts/2fa/webauthn/": PROTECTED,
    "accounts/2fa/webauthn/add/": PROTECTED,
    "accounts/2fa/webauthn/reauthenticate/": PROTECTED,
    "accounts/2fa/webauthn/keys/<int:pk>/remove/": PROTECTED,
    "accounts/2fa/webauthn/keys/<int:pk>/edit/": PROTECTED,
    "accounts/2fa/webauthn/login/": PROTECTED,
    "accounts/sessions/": PROTECTED,
    # --- API --------------------------------------------------------------------
    "api/schema/": PUBLIC,
    "api/docs/": PUBLIC,
    "api/v1/search/": PUBLIC_READ,
    "api/v1/me/preferences/": PROTECTED,
    "api/v1/^focus-areas/$": PUBLIC_READ,
    "api/v1/^focus-areas/(?P<slug>[-a-zA-Z0-9_]+)/$": PUBLIC_READ,
    "api/v1/^working-groups/$": PUBLIC_READ,
    "api/v1/^working-groups/(?P<slug>[-a-zA-Z0-9_]+)/$": PUBLIC_READ,
    "api/v1/^ballots/$": PUBLIC_READ,
    "api/v1/^ballots/(?P<pk>[^/.]+)/$": PUBLIC_READ,
    "api/v1/^ballots/(?P<pk>[^/.]+)/vote/$": PROTECTED,
    "api/v1/^ballots/(?P<pk>[^/.]+)/delegate/$": PROTECTED,
    "api/v1/^ballots/(?P<pk>[^/.]+)/voters/$": PROTECTED,
    "api/v1/^working-groups/(?P<slug>[-a-zA-Z0-9_]+)/requests/(?P<request_id>\\d+)/"
    "approve/$": PROTECTED,
    "api/v1/^working-groups/(?P<slug>[-a-zA-Z0-9_]+)/requests/(?P<request_id>\\d+)/"
    "decline/$": PROTECTED,
    "api/v1/^working-groups/(?P<slug>[-a-zA-Z0-9_]+)/join/$": PROTECTED,
    "api/v1/^working-groups/(?P<slug>[-a-zA-Z0-9_]+)/leave/$": PROTECTED,
    "api/v1/^working-groups/(?P<slug>[-a-zA-Z0-9_]+)/members/$": PUBLIC_READ,
    "api/v1/^working-groups/(?P<slug>[-a-zA-Z0-9_]+)/requests/$": PROTECTED,
    "api/v1/^working-groups/(?P<slug>[-a-zA-Z0-9_]+)/updates/$": PUBLIC_READ,
    "api/v1/updates/<int:pk>/replies/": PUBLIC_READ,
    "api/v1/^me/notifications/$": PROTECTED,
    "api/v1/^me/notifications/read-all/$": PROTECTED,
    "api/v1/^me/notifications/(?P<pk>[^/.]+)/read/$": PROTECTED,
    "api/v1/^me/subscriptions/$": PROTECTED,
    "api/v1/^me/subscriptions/(?P<pk>[^/.]+)/$": PROTECTED,
    "api/v1/me/": PROTECTED,
    "api/v1/^organizations/$": PUBLIC_READ,
    "api/v1/^organizations/(?P<slug>[-a-zA-Z0-9_]+)/$": PUBLIC_READ,
    "api/v1/^applications/$": PROTECTED,
    "api/v1/^applications/(?P<pk>[^/.]+)/$": PROTECTED,
    "api/v1/^applications/(?P<pk>[^/.]+)/withdraw/$": PROTECTED,
    "api/v1/organizations/<slug:organization_slug>/^affiliations/$": PROTECTED,
    "api/v1/organizations/<slug:organization_slug>/^affiliations/(?P<pk>[^/.]+)/$": (
        PROTECTED
    ),
    "api/v1/organizations/<slug:organization_slug>/^affiliations/(?P<pk>[^/.]+)/"
    "approve/$": PROTECTED,
    "api/v1/organizations/<slug:organization_slug>/^affiliations/(?P<pk>[^/.]+)/"
    "decline/$": PROTECTED,
    "api/v1/organizations/<slug:organization_slug>/^affiliations/(?P<pk>[^/.]+)/"
    "end/$": PROTECTED,
    "api/v1/^catalog/$": PUBLIC_READ,
    "api/v1/^catalog/(?P<slug>[-a-zA-Z0-9_]+)/$": PUBLIC_READ,
    "api/v1/catalog/<slug:slug>/reviews/": PUBLIC_READ,
    "api/v1/^events/$": PUBLIC_READ,
    "api/v1/^events/(?P<slug>[-a-zA-Z0-9_]+)/$": PUBLIC_READ,
    "api/v1/^events/(?P<slug>[-a-zA-Z0-9_]+)/attendees/$": PROTECTED,
    "api/v1/^events/(?P<slug>[-a-zA-Z0-9_]+)/cancel/$": PROTECTED,
    "api/v1/^events/(?P<slug>[-a-zA-Z0-9_]+)/publish/$": PROTECTED,
    "api/v1/^events/(?P<slug>[-a-zA-Z0-9_]+)/registration/$": PROTECTED,
}


def server_error(route: str, response) -> bool:
    """Whether the answer is a server error (a health report's 503 is not)."""
    if route in HEALTH_REPORTS and response.status_code == 503:
        return False
    return response.status_code >= 500


def category_of(route: str) -> str | None:
    """Return the declared category of a route, or None when it is undeclared."""
    if route in URLS:
        return URLS[route]
    if route in CONDITIONAL:
        return CONDITIONAL[route]
    if route.startswith(ADMIN_PREFIX):
        return ADMIN
    return None
