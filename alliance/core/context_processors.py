"""Values every page template needs: navigation and the site's address (the
notification bell's count comes from alliance.notifications.context_processors)."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

NAVIGATION = (
    ("focus_areas", _("Focus areas"), "alliance:focus_area_list"),
    ("working_groups", _("Working groups"), "alliance:working_group_list"),
    ("members", _("Members"), "members:directory"),
    ("projects", _("Projects & catalog"), "projects:catalog"),
    ("events", _("Events"), "events:event_list"),
)


def portal(request):
    path = request.path
    nav = []
    for key, label, url_name in NAVIGATION:
        url = reverse(url_name)
        nav.append(
            {"key": key, "label": label, "url": url, "current": path.startswith(url)}
        )
    return {"nav_items": nav, "site_url": settings.SITE_URL}
