from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "alliance"
    verbose_name = _("Alliance")

    def ready(self):
        from alliance.hooks import audience_register
        from alliance.models import WorkingGroup
        from alliance.selectors.working_groups import (
            user_group_ids,
            working_group_member_ids,
        )
        from members.models import Organization
        from members.selectors import organization_member_ids, user_member_organizations

        audience_register(
            WorkingGroup,
            member_ids=working_group_member_ids,
            followed_by=lambda user: WorkingGroup.objects.filter(
                pk__in=user_group_ids(user)
            ),
        )
        audience_register(
            Organization,
            member_ids=organization_member_ids,
            followed_by=user_member_organizations,
        )
        self._register_digest_and_report_sections()

        from alliance.working_group_hooks import connect as connect_working_groups

        connect_working_groups()

    def _register_digest_and_report_sections(self):
        from alliance.digest_sections import digest_section_register
        from alliance.hooks import personal_data_register
        from alliance.report_sections import report_section_register
        from alliance.selectors import reports
        from alliance.selectors.notifications import notification_personal_data
        from alliance.services.digests import new_organizations_section

        personal_data_register("notifications", notification_personal_data)

        digest_section_register(
            "new_organizations",
            title=_("New member organizations"),
            template="alliance/email/digest/_new_organizations",
            items=new_organizations_section,
            order=50,
        )
        for order, (key, title, build) in enumerate(
            [
                (
                    "membership",
                    _("Membership by tier and status"),
                    reports.membership_by_tier,
                ),
                ("renewals", _("Renewals due and lapsed"), reports.renewals),
                (
                    "working_groups",
                    _("Working-group sizes and growth"),
                    reports.working_group_sizes,
                ),
                (
                    "engagement",
                    _("Engagement per organization"),
                    reports.organization_engagement,
                ),
            ]
        ):
            report_section_register(
                key, title=title, build=build, order=10 + 10 * order
            )
