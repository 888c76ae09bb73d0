"""Who is signed in: the session backends (the person loaded with the facts
every page asks, ``members.selectors.person_get``) and DRF authentication by
personal API token (``Authorization: Bearer <token>``)."""

from allauth.account import auth_backends
from django.contrib.auth import BACKEND_SESSION_KEY, backends
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from alliance.core.middleware import user_preferences_apply
from members.selectors import person_get
from members.services import api_token_authenticate


class _PersonLoading:
    def get_user(self, user_id):
        person = person_get(user_id)
        return person if person and self.user_can_authenticate(person) else None


class ModelBackend(_PersonLoading, backends.ModelBackend):
    """Django's backend (the admin's sign-in), loading the person with their facts."""


class AuthenticationBackend(_PersonLoading, auth_backends.AuthenticationBackend):
    """allauth's backend (the portal's sign-in), loading the person with their facts."""


# Sessions signed in before these backends took over name the backend they were
# signed in with; each names its successor on its next request.
SUCCESSORS = {
    "django.contrib.auth.backends.ModelBackend": f"{__name__}.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        f"{__name__}.AuthenticationBackend"
    ),
}


class SessionBackendMiddleware:
    """Moves a session signed in with a former backend to its successor (before
    ``AuthenticationMiddleware``, which would otherwise sign the person out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None:
            backend = session.get(BACKEND_SESSION_KEY)
            if backend in SUCCESSORS:
                session[BACKEND_SESSION_KEY] = SUCCESSORS[backend]
        return self.get_response(request)


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keywords = ("bearer", "token")

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower().decode() not in self.keywords:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: expected 'Bearer <token>'.")
            )
        try:
            raw = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        token = api_token_authenticate(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _(
                    "Invalid or revoked token. "
                    "Create a new one in your account settings."
                )
            )
        # The middleware ran before DRF signed the token in: apply the person's
        # language and time zone now, for the errors and times of this answer.
        user_preferences_apply(request._request, token.user)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "members.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer"}
