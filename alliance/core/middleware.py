"""Answer the liveness probe before anything else, apply each person's language
and time zone, and keep staff without MFA out of the admin when the deployment
requires it."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import get_user
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from alliance.core.time_zones import time_zone_get


class LivenessMiddleware:
    """Answers ``/health/live/`` first, so the liveness probe never waits on the
    session, the database or the cache (other middleware reads them)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from alliance.core.views import live

        if request.path_info == "/health/live/":
            return live(request)
        return self.get_response(request)


def user_preferences_apply(request, user) -> None:
    """Speak the person's language and show times in their zone for the rest of
    the request. The middleware calls it for session sign-ins; the API token
    authentication calls it too, as DRF signs a token in only inside the view."""
    if user is None or not user.is_authenticated:
        return
    if user.language in dict(settings.LANGUAGES):
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language
    timezone.activate(user.timezone)


# The browser's own zone, which portal.js stores for visitors who are not signed in.
TIME_ZONE_COOKIE = "tz"


def visitor_time_zone_apply(request) -> None:
    """Say whose time zone the page's times are in: the person's (profile), the
    browser's (a visitor whose browser told us, in the cookie portal.js sets) or
    none known yet (``request.time_zone_source == "unknown"``: event times are then
    shown in each event's own zone, never in a UTC passed off as theirs)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        request.time_zone_source = "profile"
        return
    zone, request.time_zone_source = visitor_time_zone(request)
    if zone is not None:
        timezone.activate(zone)


def visitor_time_zone(request):
    """The zone a visitor's browser told us (the cookie portal.js sets), and
    how it is known: ``(zone, "browser")``, or ``(None, "unknown")``."""
    try:
        return time_zone_get(request.COOKIES.get(TIME_ZONE_COOKIE, "")), "browser"
    except ValidationError:
        return None, "unknown"


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if isinstance(getattr(request, "user", None), SimpleLazyObject):
            # The person, loaded here for the whole request (once, as
            # AuthenticationMiddleware's lazy ``request.user`` would): each of
            # a page's hundred reads of it then skips the wrapper.
            request.user = get_user(request)
        user_preferences_apply(request, getattr(request, "user", None))
        visitor_time_zone_apply(request)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class AdminRequiresMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.ALLIANCE_ADMIN_REQUIRE_MFA and self._blocked(request):
            messages.warning(
                request,
                _(
                    "Set up two-factor authentication before you use the admin: "
                    "staff accounts must be protected by a second factor."
                ),
            )
            return redirect("mfa_index")
        return self.get_response(request)

    @staticmethod
    def _blocked(request) -> bool:
        user = getattr(request, "user", None)
        return (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(reverse("admin:index"))
            and not is_mfa_enabled(user)
        )
