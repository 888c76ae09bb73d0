"""How the staff report takes part in cross-app flows: the sections the alliance
builds itself (membership, renewals, working groups, engagement) and the weekly
job that emails it."""

from django.utils.translation import gettext_lazy as _

from alliance.registries.panels import panel_register
from alliance.registries.report_sections import (
    report_section_register,
    report_trend_register,
)
from alliance.registries.schedules import schedule_register
from alliance.reports import selectors
from alliance.reports.panels import dashboard_staff
from alliance.working_groups.selectors import working_group_joins_per_week

# The sections the alliance builds from its own data, in the report's order.
SECTIONS = (
    ("membership", _("Membership by tier and status"), selectors.membership_by_tier),
    ("renewals", _("Renewals due and lapsed"), selectors.renewals),
    (
        "working_groups",
        _("Working-group sizes and growth"),
        selectors.working_group_sizes,
    ),
    ("engagement", _("Engagement per organization"), selectors.organization_engagement),
)


def connect() -> None:
    """Register the report's own sections and its weekly job (from AppConfig.ready)."""
    # A staff member's dashboard opens on what needs staff now.
    panel_register(
        "dashboard",
        template="alliance/reports/_dashboard_staff.html",
        context=dashboard_staff,
        order=5,
    )
    # The headline figures of twelve weeks come first.
    report_section_register(
        "trend",
        title=_("Twelve-week trend"),
        build=selectors.headline_trend,
        order=5,
    )
    report_trend_register(
        "group_joins",
        label=_("People who joined a group"),
        counts=working_group_joins_per_week,
        order=30,
    )
    for position, (key, title, build) in enumerate(SECTIONS, start=1):
        report_section_register(key, title=title, build=build, order=10 * position)
    schedule_register(
        "Email the weekly staff report",
        task="alliance.tasks.staff_report_send_task",
        crontab={"minute": "0", "hour": "6", "day_of_week": "1"},
        description="Emails last week's report to staff on Monday morning (UTC).",
    )
