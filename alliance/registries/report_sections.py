"""Sections of the weekly staff report that apps contribute.

The alliance app builds the sections whose data it owns; the members, projects
and events apps register theirs in their ``hooks.connect()`` without ``alliance``
importing them::

    from alliance.registries.report_sections import (
        ReportTable, chart_from_rows, report_section_register
    )

    def events_held(period):
        rows = [...]  # one query over events in [period.start, period.end)
        return ReportTable(
            columns=[_("Event"), _("Registered"), _("Attended")],
            rows=rows,
            chart=chart_from_rows(rows, value=2, series=_("Attended")),
        )

    report_section_register("events_held", title=_("Events held and attendance"),
                            build=events_held, order=60)

Per-organization engagement is one table; an app adds a column to it with::

    report_engagement_register("events_attended", label=_("Events attended"),
                               counts=lambda period: {org_id: n, ...}, order=20)

``build`` and ``counts`` run a constant number of queries; labels are translated
when called (the report is built in each reader's language).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ReportPeriod:
    """The week a report covers: [start, end) in UTC, named like 2026-W47."""

    week: str
    start: dt.datetime
    end: dt.datetime


@dataclass
class Chart:
    """A chart drawn on the server: ``bar`` (stacked when several series),
    ``barh`` or ``line``; one value per label in each series."""

    kind: str
    labels: list[str]
    series: dict[str, list[float]]
    title: str = ""


CHART_ROWS = 15


def chart_from_rows(
    rows: list[list],
    *,
    value: int,
    series: str,
    label: int = 0,
    kind: str = "barh",
    limit: int = CHART_ROWS,
) -> Chart | None:
    """Return a one-series chart of the first rows of a table (column ``label``
    against column ``value``), or None for a table without rows."""
    top = rows[:limit]
    if not top:
        return None
    return Chart(
        kind=kind,
        labels=[row[label] for row in top],
        series={series: [row[value] for row in top]},
    )


@dataclass
class ReportTable:
    columns: list
    rows: list[list]
    chart: Chart | None = None
    note: str = ""


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: object
    build: Callable[[ReportPeriod], ReportTable]
    order: int


@dataclass(frozen=True)
class EngagementMetric:
    key: str
    label: object
    counts: Callable[[ReportPeriod], dict[int, int]]
    order: int


_sections: dict[str, ReportSection] = {}
_engagement: dict[str, EngagementMetric] = {}


def report_section_register(
    key: str,
    *,
    title,
    build: Callable[[ReportPeriod], ReportTable],
    order: int = 100,
) -> None:
    """Add a section to the staff report; registering a key again replaces it."""
    _sections[key] = ReportSection(key=key, title=title, build=build, order=order)


def report_sections() -> list[ReportSection]:
    """Return the registered sections in their order."""
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


def report_engagement_register(
    key: str,
    *,
    label,
    counts: Callable[[ReportPeriod], dict[int, int]],
    order: int = 100,
) -> None:
    """Add a column (a count per organization id) to the engagement table."""
    _engagement[key] = EngagementMetric(
        key=key, label=label, counts=counts, order=order
    )


def report_engagement_metrics() -> list[EngagementMetric]:
    """Return the registered engagement columns in their order."""
    return sorted(_engagement.values(), key=lambda m: (m.order, m.key))


def report_date(value) -> str:
    """Return a date or time as the report shows every date: the short date of
    the active language, in the reader's time zone ('' for none)."""
    from django.utils import formats, timezone

    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "SHORT_DATE_FORMAT")


# --- The 12-week trend of the headline figures ----------------------------------
#
# An app adds a figure with
#
#     report_trend_register("registrations", label=_("Event registrations"),
#                           counts=registrations_per_week, order=40)
#
# where ``counts(start, end)`` returns ``{monday: n}`` for the weeks (Monday,
# UTC) in [start, end), in one query (e.g. TruncWeek over a timestamp).

TREND_WEEKS = 12


@dataclass(frozen=True)
class TrendMetric:
    key: str
    label: object
    counts: Callable[[dt.datetime, dt.datetime], dict[dt.date, int]]
    order: int


_trends: dict[str, TrendMetric] = {}


def report_trend_register(
    key: str,
    *,
    label,
    counts: Callable[[dt.datetime, dt.datetime], dict[dt.date, int]],
    order: int = 100,
) -> None:
    """Add a headline figure to the report's 12-week trend."""
    _trends[key] = TrendMetric(key=key, label=label, counts=counts, order=order)


def report_trend_metrics() -> list[TrendMetric]:
    """Return the registered trend figures in their order."""
    return sorted(_trends.values(), key=lambda m: (m.order, m.key))


def weekly_counts(queryset, field: str) -> dict[dt.date, int]:
    """Return ``{monday: n}`` counting the queryset's rows by the UTC week of
    ``field`` (one query); the queryset is already limited to the period."""
    from django.db import models
    from django.db.models import Count
    from django.db.models.functions import TruncWeek

    timed = isinstance(queryset.model._meta.get_field(field), models.DateTimeField)
    rows = (
        queryset.order_by()
        .annotate(week=TruncWeek(field, tzinfo=dt.UTC if timed else None))
        .values("week")
        .annotate(n=Count("pk"))
        .values_list("week", "n")
    )
    return {
        (week.date() if isinstance(week, dt.datetime) else week): n for week, n in rows
    }
