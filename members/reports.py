"""The members' part of the weekly staff report: applications waiting."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alliance.registries.report_sections import (
    ReportPeriod,
    ReportTable,
    chart_from_rows,
)
from members.models import MembershipApplication

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
                formats.date_format(
                    timezone.localtime(application.submitted_at), "SHORT_DATE_FORMAT"
                ),
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
