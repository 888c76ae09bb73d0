"""The staff report's sections whose data the alliance app (and members, through
its models) holds: membership, renewals, working groups (through their
selectors), engagement.

Each builder takes a ``ReportPeriod`` and runs a constant number of queries.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.registries.report_sections import (
    TREND_WEEKS,
    Chart,
    ReportPeriod,
    ReportTable,
    chart_from_rows,
    report_date,
    report_engagement_metrics,
    report_trend_metrics,
)
from alliance.working_groups.selectors import (
    organization_group_counts,
    working_group_growth,
)
from members.models import Organization, Tier


def membership_by_tier(period: ReportPeriod) -> ReportTable:
    """Return organizations counted by tier and status."""
    statuses = list(Organization.Status)
    counts = defaultdict(int)
    for tier_id, status, n in Organization.objects.values_list(
        "tier_id", "status"
    ).annotate(n=Count("pk")):
        counts[(tier_id, status)] = n
    tiers = [(t.pk, t.name) for t in Tier.objects.order_by("rank")] + [
        (None, _("No tier"))
    ]
    rows = []
    for tier_id, name in tiers:
        values = [counts[(tier_id, status.value)] for status in statuses]
        if tier_id is None and not any(values):
            continue
        rows.append([name, *values, sum(values)])
    return ReportTable(
        columns=[_("Tier"), *[s.label for s in statuses], _("Total")],
        rows=rows,
        chart=Chart(
            kind="bar",
            labels=[row[0] for row in rows],
            series={
                str(status.label): [row[i + 1] for row in rows]
                for i, status in enumerate(statuses)
                if any(row[i + 1] for row in rows)
            },
        ),
    )


def renewals(period: ReportPeriod) -> ReportTable:
    """Return organizations whose renewal is due within the reminder window,
    overdue, or that lapsed."""
    today = period.end.date()
    window = Organization.RENEWAL_WINDOW.days
    due_by = today + Organization.RENEWAL_WINDOW
    organizations = (
        Organization.objects.filter(
            Q(status=Organization.Status.ACTIVE, renewal_due__lte=due_by)
            | Q(status=Organization.Status.LAPSED)
        )
        .select_related("tier")
        .order_by("renewal_due", "name")
    )
    labels = {
        "due": ngettext("Due within %(days)s day", "Due within %(days)s days", window)
        % {"days": window},
        "overdue": _("Overdue"),
        "lapsed": _("Lapsed"),
    }
    rows, totals = [], defaultdict(int)
    for org in organizations:
        if org.status == Organization.Status.LAPSED:
            state = "lapsed"
        elif org.renewal_due < today:
            state = "overdue"
        else:
            state = "due"
        totals[state] += 1
        rows.append(
            [
                org.name,
                org.tier.name if org.tier else "",
                labels[state],
                report_date(org.renewal_due),
            ]
        )
    by_state = [[str(label), totals[key]] for key, label in labels.items()]
    return ReportTable(
        columns=[_("Organization"), _("Tier"), _("State"), _("Renewal due")],
        rows=rows,
        chart=chart_from_rows(by_state, value=1, series=_("Organizations")),
    )


def working_group_sizes(period: ReportPeriod) -> ReportTable:
    """Return each active group's size now and who joined and left this week."""
    groups = working_group_growth(start=period.start, end=period.end)
    rows = [
        [g.name, g.focus_area.name, g.size, g.joined, g.left, g.joined - g.left]
        for g in groups
    ]
    return ReportTable(
        columns=[
            _("Working group"),
            _("Focus area"),
            _("Members"),
            _("Joined"),
            _("Left"),
            _("Change"),
        ],
        rows=rows,
        chart=chart_from_rows(rows, value=2, series=_("Members")),
    )


def organization_engagement(period: ReportPeriod) -> ReportTable:
    """Return per active organization the groups its people joined, and the
    columns other apps registered (events attended, catalog contributions)."""
    organizations = (
        Organization.objects.filter(status=Organization.Status.ACTIVE)
        .select_related("tier")
        .order_by("name")
    )
    in_groups = organization_group_counts()
    metrics = report_engagement_metrics()
    extra = [metric.counts(period) for metric in metrics]
    rows = [
        [
            org.name,
            org.tier.name if org.tier else "",
            *in_groups.get(org.pk, (0, 0)),
            *[counts.get(org.pk, 0) for counts in extra],
        ]
        for org in organizations
    ]
    rows.sort(key=lambda row: -row[2])  # most groups first; stable, so by name
    return ReportTable(
        columns=[
            _("Organization"),
            _("Tier"),
            _("Groups joined"),
            _("People in groups"),
            *[metric.label for metric in metrics],
        ],
        rows=rows,
        chart=chart_from_rows(rows, value=2, series=_("Groups joined")),
    )


def headline_trend(period: ReportPeriod) -> ReportTable:
    """Return the headline figures of the period's week and the eleven weeks
    before it, a row per week (oldest first) and a line per figure."""
    first = period.start - dt.timedelta(weeks=TREND_WEEKS - 1)
    mondays = [(first + dt.timedelta(weeks=i)).date() for i in range(TREND_WEEKS)]
    metrics = report_trend_metrics()
    counts = [metric.counts(first, period.end) for metric in metrics]
    labels = [monday.strftime("%G-W%V") for monday in mondays]
    rows = [
        [label, *[c.get(monday, 0) for c in counts]]
        for label, monday in zip(labels, mondays, strict=True)
    ]
    return ReportTable(
        columns=[_("Week"), *[str(metric.label) for metric in metrics]],
        rows=rows,
        chart=Chart(
            kind="line",
            labels=labels,
            series={
                str(metric.label): [row[i + 1] for row in rows]
                for i, metric in enumerate(metrics)
            },
        ),
    )
