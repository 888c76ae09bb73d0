"""The weekly staff report: tables from the report-section registry, charts drawn
on the server with matplotlib (SVG for the admin dashboard, PNG inside the
email), CSV downloads, and the email to staff once per week."""

import base64
import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from alliance.core.exports import csv_cell
from alliance.notifications.services.emails import email_content_render, email_wrap
from alliance.notifications.services.outbox import outbox_add, outbox_build
from alliance.registries.report_sections import Chart, ReportPeriod, report_sections
from alliance.reports.models import StaffReport

PALETTE = ["#1f5fa8", "#e07b24", "#2e8b57", "#b03a48", "#6a4c93", "#8c8c8c"]


# Weeks a report may cover; outside them the dates overflow or mean nothing.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def report_period(week: str | None = None, *, now: dt.datetime | None = None):
    """Return the ISO week ``week`` (e.g. ``2026-W47``), by default the last
    complete one, as a period in UTC; ValueError for anything that is not a
    week of the years 2000 to 2100."""
    if week:
        try:
            monday = dt.datetime.strptime(week + "-1", "%G-W%V-%u")
        except ValueError as exc:
            raise ValueError(f"{week!r} is not a week like 2026-W47") from exc
        if not FIRST_YEAR <= monday.year <= LAST_YEAR:
            raise ValueError(f"{week!r} is outside {FIRST_YEAR}-{LAST_YEAR}")
    else:
        today = (now or timezone.now()).astimezone(dt.UTC).date()
        this_monday = today - dt.timedelta(days=today.weekday())
        monday = dt.datetime.combine(this_monday - dt.timedelta(days=7), dt.time())
    start = monday.replace(tzinfo=dt.UTC)
    year, number, _ = start.isocalendar()
    return ReportPeriod(
        week=f"{year}-W{number:02d}", start=start, end=start + dt.timedelta(days=7)
    )


def report_period_to_date(*, now: dt.datetime | None = None) -> ReportPeriod:
    """Return the current ISO week from Monday (UTC) up to now."""
    now = now or timezone.now()
    today = now.astimezone(dt.UTC).date()
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC)
    return ReportPeriod(week=start.strftime("%G-W%V"), start=start, end=now)


@dataclass
class BuiltSection:
    key: str
    title: str
    columns: list[str]
    rows: list[list]
    chart: Chart | None
    note: str = ""


def report_build(period: ReportPeriod) -> list[BuiltSection]:
    """Return every registered section's table for the period, in the active
    language."""
    built = []
    for section in report_sections():
        table = section.build(period)
        built.append(
            BuiltSection(
                key=section.key,
                title=str(section.title),
                columns=[str(c) for c in table.columns],
                rows=table.rows,
                chart=table.chart,
                note=str(table.note),
            )
        )
    return built


def report_csv(section: BuiltSection) -> str:
    """Return a section's table as CSV (header row first)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(section.columns)
    for row in section.rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return out.getvalue()


def _figure(chart: Chart):
    from matplotlib.figure import Figure

    height = 2.6 if chart.kind != "barh" else max(2.2, 0.32 * len(chart.labels) + 0.8)
    fig = Figure(figsize=(7.2, height), dpi=100, layout="constrained")
    ax = fig.subplots()
    labels = [str(label) for label in chart.labels]
    positions = list(range(len(labels)))
    if chart.kind == "line":
        for i, (name, values) in enumerate(chart.series.items()):
            ax.plot(
                positions, values, marker="o", label=str(name), color=PALETTE[i % 6]
            )
        ax.set_xticks(positions, labels)
    elif chart.kind == "barh":
        left = [0] * len(labels)
        for i, (name, values) in enumerate(chart.series.items()):
            ax.barh(positions, values, left=left, label=str(name), color=PALETTE[i % 6])
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(positions, labels)
        ax.invert_yaxis()
    else:
        bottom = [0] * len(labels)
        for i, (name, values) in enumerate(chart.series.items()):
            ax.bar(
                positions, values, bottom=bottom, label=str(name), color=PALETTE[i % 6]
            )
            bottom = [a + b for a, b in zip(bottom, values, strict=True)]
        ax.set_xticks(positions, labels, rotation=20, ha="right")
    if all(float(v).is_integer() for values in chart.series.values() for v in values):
        # Counts: no tick at 0.25 of an organization.
        from matplotlib.ticker import MaxNLocator

        axis = ax.xaxis if chart.kind == "barh" else ax.yaxis
        axis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    if len(chart.series) > 1:
        ax.legend(fontsize=8, frameon=False)
    if chart.title:
        ax.set_title(str(chart.title), fontsize=10)
    return fig


def chart_svg(chart: Chart) -> str:
    """Return the chart as an SVG document."""
    out = io.StringIO()
    _figure(chart).savefig(out, format="svg")
    return out.getvalue()


def chart_png(chart: Chart) -> bytes:
    """Return the chart as a PNG image."""
    out = io.BytesIO()
    _figure(chart).savefig(out, format="png")
    return out.getvalue()


def _has_data(chart: Chart | None) -> bool:
    return bool(chart and chart.labels and any(any(v) for v in chart.series.values()))


def _all_zero(row: list) -> bool:
    """Return whether every figure of the row is 0 (a row without figures is not)."""
    numbers = [
        cell
        for cell in row
        if isinstance(cell, int | float) and not isinstance(cell, bool)
    ]
    return bool(numbers) and not any(numbers)


def report_dashboard(period: ReportPeriod) -> list[dict]:
    """Return the sections with their charts as SVG data URIs, for the admin;
    rows whose figures are all 0 are apart (``zero_rows``), to be folded."""
    sections = []
    for section in report_build(period):
        svg = ""
        if _has_data(section.chart):
            encoded = base64.b64encode(chart_svg(section.chart).encode()).decode()
            svg = f"data:image/svg+xml;base64,{encoded}"
        sections.append(
            {
                "section": section,
                "chart_uri": svg,
                "rows": [row for row in section.rows if not _all_zero(row)],
                "zero_rows": [row for row in section.rows if _all_zero(row)],
            }
        )
    return sections


def _staff_recipients():
    User = get_user_model()
    return User.objects.filter(is_staff=True, is_active=True).filter(
        Q(notification_settings__isnull=True)
        | Q(notification_settings__staff_report=True)
    )


@transaction.atomic
def staff_report_send(
    *, week: str | None = None, now: dt.datetime | None = None
) -> StaffReport | None:
    """Email the week's report to staff once (a StaffReport row per week); return
    it, or None when it was sent already."""
    period = report_period(week, now=now)
    report, _created = StaffReport.objects.select_for_update().get_or_create(
        week=period.week,
        defaults={"period_start": period.start, "period_end": period.end},
    )
    if report.emailed_at:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        report.data = {
            s.key: {"title": s.title, "columns": s.columns, "rows": s.rows}
            for s in report_build(period)
        }
    by_language: dict[str, tuple] = {}
    emails = []
    dashboard = settings.SITE_URL + reverse("admin:alliance_staffreport_changelist")
    for person in _staff_recipients():
        language = person.language
        if language not in by_language:
            with translation.override(language):
                sections = report_build(period)
            attachments, images = [], {}
            for section in sections:
                if not _has_data(section.chart):
                    continue
                cid = f"chart-{section.key}-{period.week}@alliance-portal"
                images[section.key] = cid
                attachments.append(
                    {
                        "filename": f"{section.key}.png",
                        "mimetype": "image/png",
                        "cid": cid,
                        "content": base64.b64encode(chart_png(section.chart)).decode(),
                    }
                )
            by_language[language] = (sections, attachments, images)
        sections, attachments, images = by_language[language]
        content = email_content_render(
            template="alliance/email/staff_report",
            context={
                "period": period,
                "sections": [
                    {"section": s, "cid": images.get(s.key, "")} for s in sections
                ],
                "dashboard_url": f"{dashboard}?week={period.week}",
            },
            language=language,
            time_zone=person.timezone,
        )
        rendered = email_wrap(
            content,
            language=language,
            time_zone=person.timezone,
            user_id=person.pk,
            scope="staff_report",
        )
        emails.append(
            outbox_build(
                key=f"staff-report:{period.week}:{person.pk}",
                to=person.email,
                rendered=rendered,
                language=language,
                user_id=person.pk,
                attachments=attachments,
            )
        )
    outbox_add(emails)
    report.emailed_at = timezone.now()
    report.save()
    return report
