from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Alliance")

    def ready(self):
        from alliance.hooks import audience_register
        from alliance.models import WorkingGroup
        from alliance.selectors.working_groups import working_group_member_ids
        from members.models import Organization
        from members.selectors import organization_member_ids

        audience_register(WorkingGroup, member_ids=working_group_member_ids)
        audience_register(Organization, member_ids=organization_member_ids)

        from alliance.working_group_hooks import connect as connect_working_groups

        connect_working_groups()
