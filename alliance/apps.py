from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_schedules(sender, **kwargs):
    from alliance.registries.schedules import schedules_sync

    schedules_sync()


class AllianceConfig(AppConfig):
    """The alliance's own contexts (focus areas, working groups, notifications,
    the staff report) under one app label, ``alliance``."""

    name = "alliance"
    default = True  # this module also holds the admin's config
    verbose_name = _("Alliance")

    def ready(self):
        from alliance.conversation import hooks as conversation
        from alliance.focus_areas import hooks as focus_areas
        from alliance.governance import hooks as governance
        from alliance.notifications import hooks as notifications
        from alliance.reports import hooks as reports
        from alliance.working_groups import hooks as working_groups

        focus_areas.connect()
        working_groups.connect()
        notifications.connect()
        governance.connect()
        conversation.connect()
        reports.connect()
        # Every app has declared its periodic jobs by the time migrate ends.
        post_migrate.connect(
            _sync_schedules, sender=self, dispatch_uid="alliance-schedules"
        )


class AllianceAdminConfig(admin_apps.AdminConfig):
    """The Django admin as the staff console (the staff home and models grouped
    by task): ``admin.site`` is an ``AllianceAdminSite``."""

    default = False  # named in INSTALLED_APPS; "alliance" is AllianceConfig
    default_site = "alliance.core.admin_site.AllianceAdminSite"
