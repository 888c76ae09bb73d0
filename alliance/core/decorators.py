"""View decorators every app may use."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404


def sign_in_when_hidden(view):
    """Send a signed-out visitor of a page that is not found to sign in and back.

    A link in an email may lead to a page visible to members only; its view
    raises ``Http404`` for whoever may not see it. A signed-out visitor goes to
    the sign-in page instead (with ``next`` back to the page), for a hidden page
    and a missing one alike, so nothing tells them apart and nothing of the page
    is shown before; once signed in, the view decides again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            if request.user.is_authenticated or request.method not in ("GET", "HEAD"):
                raise
            return redirect_to_login(request.get_full_path())

    return wrapper
