"""How the staff report takes part in cross-app flows: the sections the alliance
builds itself (membership, renewals, working groups, engagement) and the weekly
job that emails it."""

from django.utils.translation import gettext_lazy as _

from alliance.registries.report_sections import report_section_register
from alliance.registries.schedules import schedule_register
from alliance.reports import selectors


def connect() -> None:
    """Register the report's own sections and its weekly job (from AppConfig.ready)."""
    report_section_register(
        "membership",
        title=_("Membership by tier and status"),
        build=selectors.membership_by_tier,
        order=10,
    )
    report_section_register(
        "renewals",
        title=_("Renewals due and lapsed"),
        build=selectors.renewals,
        order=20,
    )
    report_section_register(
        "working_groups",
        title=_("Working-group sizes and growth"),
        build=selectors.working_group_sizes,
        order=30,
    )
    report_section_register(
        "engagement",
        title=_("Engagement per organization"),
        build=selectors.organization_engagement,
        order=40,
    )
    schedule_register(
        "Email the weekly staff report",
        task="alliance.tasks.staff_report_send_task",
        crontab={"minute": "0", "hour": "6", "day_of_week": "1"},
        description="Emails last week's report to staff on Monday morning (UTC).",
    )
