"""Values every page template needs: navigation and the current person's state."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance.notifications.selectors import notification_unread_count

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
    unread = 0
    if request.user.is_authenticated:
        unread = notification_unread_count(recipient=request.user)
    return {
        "nav_items": nav,
        "unread_notification_count": unread,
        "site_url": settings.SITE_URL,
    }
