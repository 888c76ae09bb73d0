"""The events' part of the weekly staff report: events held and attendance."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from alliance.registries.report_sections import (
    ReportPeriod,
    ReportTable,
    chart_from_rows,
    report_date,
    weekly_counts,
)
from events.models import Event, Registration

R = Registration.Status


def events_held(period: ReportPeriod) -> ReportTable:
    """Return the week's published events with registrations and attendance."""
    events = (
        Event.objects.filter(starts_at__gte=period.start, starts_at__lt=period.end)
        .exclude(status=Event.Status.DRAFT)
        .annotate(
            confirmed=Count(
                "registrations", filter=Q(registrations__status=R.CONFIRMED)
            ),
            waitlisted=Count(
                "registrations", filter=Q(registrations__status=R.WAITLISTED)
            ),
            attended=Count("registrations", filter=Q(registrations__attended=True)),
        )
        .order_by("starts_at", "pk")
    )
    rows = [
        [
            event.title,
            report_date(event.starts_at),
            event.get_status_display(),
            event.capacity or "",
            event.confirmed,
            event.waitlisted,
            event.attended,
        ]
        for event in events
    ]
    return ReportTable(
        columns=[
            _("Event"),
            _("Date"),
            _("Status"),
            _("Capacity"),
            _("Confirmed"),
            _("Waitlisted"),
            _("Attended"),
        ],
        rows=rows,
        chart=chart_from_rows(rows, value=6, series=_("Attended")),
        note="" if rows else _("No events this week."),
    )


def events_attended_by_organization(period: ReportPeriod) -> dict[int, int]:
    """Return per organization id how many event seats its people attended."""
    rows = (
        Registration.objects.filter(
            attended=True,
            organization__isnull=False,
            event__starts_at__lt=period.end,
        )
        .values("organization_id")
        .annotate(n=Count("pk"))
    )
    return {row["organization_id"]: row["n"] for row in rows}


def registrations_per_week(start, end) -> dict:
    """Return how many registrations for events were made each week."""
    return weekly_counts(
        Registration.objects.filter(created_at__gte=start, created_at__lt=end),
        "created_at",
    )
