"""The staff console: the admin site whose index is the staff home (what needs a
person now, from the staff-count registry) and whose models are grouped by task
rather than by app.

Django builds the site from this class (``alliance.apps.AllianceAdminConfig``);
``admin.site`` is an instance of it.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alliance.registries.staff_counts import GROUPS, staff_counts_by_group

# Where each model sits in the console, in the order staff meet them; a model not
# named here goes under System. Labels are strings, so the platform imports no app.
MODEL_GROUPS = {
    "membership": (
        "members.MembershipApplication",
        "members.Organization",
        "members.Affiliation",
        "members.Invitation",
        "members.EmailDomain",
        "members.RenewalNotice",
        "members.Tier",
        "members.User",
        "account.EmailAddress",
    ),
    "working_groups": (
        "alliance.WorkingGroup",
        "alliance.WorkingGroupMembership",
        "alliance.WorkingGroupUpdate",
        "alliance.Reply",
        "alliance.ReplyVersion",
        "alliance.ActionItem",
        "alliance.Ballot",
        "alliance.FocusArea",
    ),
    "catalog": ("projects.CatalogEntry", "projects.Review", "projects.Contribution"),
    "events": (
        "events.Event",
        "events.EventSeries",
        "events.Registration",
        "events.EventReminder",
        "events.CalendarToken",
    ),
    "mail": (
        "alliance.OutboxEmail",
        "alliance.Activity",
        "alliance.Notification",
        "alliance.Digest",
        "alliance.NotificationSettings",
        "alliance.NotificationPreference",
    ),
    "system": (
        "alliance.StaffReport",
        "django_celery_beat.PeriodicTask",
        "django_celery_beat.CrontabSchedule",
        "django_celery_beat.IntervalSchedule",
        "django_celery_beat.ClockedSchedule",
        "django_celery_beat.SolarSchedule",
        "auth.Group",
        "members.ApiToken",
        "mfa.Authenticator",
        "usersessions.UserSession",
        "sites.Site",
    ),
}
_POSITION = {
    label: (group, position)
    for group, labels in MODEL_GROUPS.items()
    for position, label in enumerate(labels)
}


class AllianceAdminSite(admin.AdminSite):
    site_header = "AI Alliance Portal"
    site_title = "AI Alliance Portal"
    index_title = _("Staff console")
    # The lists get the whole width (at 1280 px the sidebar hid the organization
    # list's last columns); the staff home is one click away in the header.
    enable_nav_sidebar = False

    def index(self, request, extra_context=None):
        context = {
            "staff_groups": staff_counts_by_group(),
            "report_url": reverse("admin:alliance_staffreport_changelist"),
            **(extra_context or {}),
        }
        return super().index(request, context)

    def get_app_list(self, request, app_label=None):
        """Return the models grouped by task (Membership, Working groups, Catalog,
        Events, Mail and notifications, System); an app's own page keeps its app."""
        if app_label:
            return super().get_app_list(request, app_label)
        index_url = reverse("admin:index")
        groups = {
            key: {
                "name": title,
                "app_label": key,
                "app_url": f"{index_url}#group-{key}",
                "has_module_perms": True,
                "models": [],
            }
            for key, title in GROUPS.items()
        }
        for app in self._build_app_dict(request).values():
            for model in app["models"]:
                label = f"{app['app_label']}.{model['object_name']}"
                group, position = _POSITION.get(label, ("system", 100))
                groups[group]["models"].append((position, str(model["name"]), model))
        result = []
        for group in groups.values():
            if group["models"]:
                group["models"] = [
                    m for _p, _n, m in sorted(group["models"], key=lambda t: t[:2])
                ]
                group["as_list"] = [group]  # the staff home shows one at a time
                result.append(group)
        return result
