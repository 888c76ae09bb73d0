"""Apply each person's language and time zone, and keep staff without MFA out of
the admin when the deployment requires it."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _


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


class UserPreferencesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user_preferences_apply(request, getattr(request, "user", None))
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
