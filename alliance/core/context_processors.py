"""Values every page template needs: navigation and the site's address (the
notification bell's count comes from alliance.notifications.context_processors)."""

import functools

from django.conf import settings
from django.middleware.csrf import get_token
from django.urls import get_script_prefix, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

NAVIGATION = (
    ("focus_areas", _("Focus areas"), "alliance:focus_area_list"),
    ("working_groups", _("Working groups"), "alliance:working_group_list"),
    ("members", _("Members"), "members:directory"),
    ("projects", _("Projects & catalog"), "projects:catalog"),
    ("events", _("Events"), "events:event_list"),
)


@functools.cache
def _navigation_urls(script_prefix: str) -> tuple[str, ...]:
    # The addresses depend on the code alone (and the prefix the portal is
    # served under): reversed once per process.
    return tuple(reverse(url_name) for _key, _label, url_name in NAVIGATION)


def portal(request):
    """The navigation (``nav_current``: the key of the section the page is in,
    which the frame's cached navigation varies on) and the site's address."""
    path = request.path
    nav = []
    current = ""
    urls = _navigation_urls(get_script_prefix())
    for (key, label, _url_name), url in zip(NAVIGATION, urls, strict=True):
        nav.append(
            {"key": key, "label": label, "url": url, "current": path.startswith(url)}
        )
        if path.startswith(url):
            current = key
    return {
        "nav_items": nav,
        "nav_current": current,
        "site_url": settings.SITE_URL,
        # In place of Django's built-in one (processors listed in the settings
        # come after it): the page's forms and the shared HTML whose forms
        # the views lay a token over use one token per answer.
        "csrf_token": SimpleLazyObject(lambda: request_csrf_token(request)),
    }


_MASKED = "_alliance_csrf_masked"


def request_csrf_token(request) -> str:
    """The CSRF token of this answer's forms, masked once per answer as Django
    does for a page (BREACH), however many forms and views ask it (again if the
    secret changed meanwhile: a sign-in rotates it)."""
    kept = getattr(request, _MASKED, None)
    if kept is None or kept[0] != request.META.get("CSRF_COOKIE"):
        token = get_token(request)  # sets the secret when there is none yet
        kept = (request.META.get("CSRF_COOKIE"), token)
        setattr(request, _MASKED, kept)
    return kept[1]
