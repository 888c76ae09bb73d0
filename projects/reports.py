"""The catalog's part of the weekly staff report: vetting and contributions."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from alliance.registries.report_sections import (
    ReportPeriod,
    ReportTable,
    chart_from_rows,
    report_date,
    weekly_counts,
)
from projects.models import CatalogEntry, Contribution

E = CatalogEntry


def catalog_vetting(period: ReportPeriod) -> ReportTable:
    """Return the entries vetted this week and those whose review is due."""
    entries = (
        E.objects.filter(
            Q(vetted_at__gte=period.start, vetted_at__lt=period.end)
            | Q(vetting_status=E.Vetting.REVIEW_DUE)
            | Q(vetting_status=E.Vetting.IN_REVIEW)
        )
        .order_by("vetting_status", "name")
        .only("name", "kind", "vetting_status", "vetted_at", "vetting_expires_at")
    )

    rows = [
        [
            entry.name,
            entry.get_kind_display(),
            entry.get_vetting_status_display(),
            report_date(entry.vetted_at),
            report_date(entry.vetting_expires_at),
        ]
        for entry in entries
    ]
    totals = dict(
        E.objects.values_list("vetting_status").annotate(n=Count("pk")).order_by()
    )
    by_status = [
        [label, totals[value]]
        for value, label in E.Vetting.choices
        if totals.get(value)
    ]
    return ReportTable(
        columns=[_("Entry"), _("Kind"), _("Status"), _("Vetted"), _("Expires")],
        rows=rows,
        chart=chart_from_rows(by_status, value=1, series=_("Entries"), kind="bar"),
        note="" if rows else _("Nothing was vetted this week and no review is due."),
    )


def catalog_contributions_by_organization(period: ReportPeriod) -> dict[int, int]:
    """Return per organization id how many catalog team places its people hold
    now (like the groups joined, a current total)."""
    rows = (
        Contribution.objects.filter(organization__isnull=False)
        .values("organization_id")
        .annotate(n=Count("pk"))
    )
    return {row["organization_id"]: row["n"] for row in rows}


def vetted_per_week(start, end) -> dict:
    """Return how many catalog entries were vetted each week."""
    return weekly_counts(
        E.objects.filter(vetted_at__gte=start, vetted_at__lt=end), "vetted_at"
    )
