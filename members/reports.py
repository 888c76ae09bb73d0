"""The members' part of the weekly staff report: applications waiting."""

from django.utils.translation import gettext as _

from alliance.registries.report_sections import (
    ReportPeriod,
    ReportTable,
    chart_from_rows,
    report_date,
    weekly_counts,
)
from members.models import MembershipApplication, Organization

A = MembershipApplication


def applications_waiting(period: ReportPeriod) -> ReportTable:
    """Return the applications awaiting a decision at the end of the week,
    oldest first, with how many days each has waited."""
    applications = (
        A.objects.filter(status__in=A.AWAITING_DECISION, submitted_at__lt=period.end)
        .select_related("applicant")
        .order_by("submitted_at", "pk")
    )
    rows = []
    for application in applications:
        waited = (period.end - application.submitted_at).days
        rows.append(
            [
                application.organization_name,
                application.get_kind_display(),
                application.get_status_display(),
                report_date(application.submitted_at),
                waited,
            ]
        )
    return ReportTable(
        columns=[
            _("Organization"),
            _("Kind"),
            _("Status"),
            _("Submitted"),
            _("Days waiting"),
        ],
        rows=rows,
        chart=chart_from_rows(rows, value=4, series=_("Days waiting")),
        note="" if rows else _("No application is waiting for a decision."),
    )


def applications_per_week(start, end) -> dict:
    """Return how many applications were submitted each week."""
    return weekly_counts(
        A.objects.filter(submitted_at__gte=start, submitted_at__lt=end),
        "submitted_at",
    )


def new_members_per_week(start, end) -> dict:
    """Return how many organizations became members each week."""
    return weekly_counts(
        Organization.objects.filter(
            member_since__gte=start.date(), member_since__lt=end.date()
        ),
        "member_since",
    )
