"""How the projects app takes part in alliance-wide flows: who follows a catalog
entry, its panels on shared pages, its staff-report section and engagement
column, references to catalog entries from other apps, the personal-data export,
account closing, the vetting-expiry job and the demo data."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from alliance.core.cache import cache_bump_on_write
from alliance.registries.audiences import audience_register
from alliance.registries.demo import demo_register
from alliance.registries.notification_kinds import (
    notification_group_register,
    notification_kind_register,
)
from alliance.registries.panels import panel_register
from alliance.registries.personal_data import (
    account_closed_register,
    personal_data_register,
)
from alliance.registries.references import reference_register
from alliance.registries.report_sections import (
    report_engagement_register,
    report_section_register,
    report_trend_register,
)
from alliance.registries.schedules import schedule_register
from alliance.registries.search import search_source_register
from alliance.registries.staff_counts import staff_count_register
from projects import panels, reports
from projects.models import CatalogEntry, Contribution, Review
from projects.selectors import (
    catalog_staff_counts,
    entries_followed_by,
    entry_list_visible_to,
    entry_reference_choices,
    entry_references,
    entry_search_audience,
    entry_site_search,
    entry_team_ids,
    entry_viewer_ids,
    personal_catalog_data,
)
from projects.services.team import catalog_account_closed


def connect() -> None:
    """Register the projects app's panels and hooks (from AppConfig.ready)."""
    # Shared caches of the catalog (alliance.core.cache).
    for model in (CatalogEntry, Contribution, Review):
        cache_bump_on_write(model, "catalog")
    # Its kinds of notification, under their heading of the preferences page
    # and the digest (alliance.registries.notification_kinds).
    notification_group_register("catalog", label=_("Projects and catalog"), order=30)
    notification_kind_register(
        "catalog_entry_added",
        app="projects",
        label=_("New catalog entry"),
        group="catalog",
        email="digest",
        bundle_heading=ngettext_lazy(
            "%(count)s new catalog entry", "%(count)s new catalog entries", "count"
        ),
    )
    notification_kind_register(
        "review_requested", app="projects", label=_("Review requested"), group="catalog"
    )
    notification_kind_register(
        "review_posted",
        app="projects",
        label=_("Review posted"),
        group="catalog",
        email="digest",
        bundle_heading=ngettext_lazy(
            "%(count)s review posted", "%(count)s reviews posted", "count"
        ),
    )
    notification_kind_register(
        "entry_vetted",
        app="projects",
        label=_("Catalog entry vetted"),
        group="catalog",
        email="digest",
        bundle_heading=ngettext_lazy(
            "%(count)s catalog entry vetted",
            "%(count)s catalog entries vetted",
            "count",
        ),
    )
    notification_kind_register(
        "vetting_due", app="projects", label=_("Vetting due"), group="catalog"
    )
    staff_count_register("catalog", build=catalog_staff_counts, order=30)
    audience_register(
        CatalogEntry,
        member_ids=entry_team_ids,
        visible_to=entry_list_visible_to,
        viewer_ids=entry_viewer_ids,
        followed_by=entries_followed_by,
        # Its working group's levels, or its focus area's when it has no group.
        within=("working_group", "focus_area"),
    )
    personal_data_register("catalog", personal_catalog_data)
    search_source_register(
        "catalog",
        label=_("Catalog entries"),
        search=entry_site_search,
        shared=("catalog",),
        audience=entry_search_audience,
        url_keys=("slug",),
        url=lambda slug: reverse("projects:entry_detail", kwargs={"slug": slug}),
        order=50,
    )
    report_trend_register(
        "vetted",
        label=_("Catalog entries vetted"),
        counts=reports.vetted_per_week,
        order=50,
    )
    report_section_register(
        "catalog_vetting",
        title=_("Catalog entries vetted and due"),
        build=reports.catalog_vetting,
        order=70,
    )
    report_engagement_register(
        "catalog_contributions",
        label=_("Catalog contributions"),
        counts=reports.catalog_contributions_by_organization,
        order=30,
    )
    # Events' showcases list catalog entries without importing projects.
    reference_register(
        "catalog_entry", resolve=entry_references, choices=entry_reference_choices
    )
    account_closed_register("catalog", catalog_account_closed)
    panel_register(
        "focus_area",
        template="projects/panels/_focus_area.html",
        context=panels.focus_area_panel,
        order=20,
        shared=panels.SHARED_NAMESPACES,
        shared_as=panels.catalog_audience,
    )
    panel_register(
        "working_group",
        template="projects/panels/_working_group.html",
        context=panels.working_group_panel,
        order=20,
        shared=panels.SHARED_NAMESPACES,
        shared_as=panels.catalog_audience,
        shared_by=("group",),  # not the reader's membership
    )
    panel_register(
        "organization",
        template="projects/panels/_organization.html",
        context=panels.organization_panel,
        order=20,
        shared=panels.SHARED_NAMESPACES,
        shared_as=panels.catalog_audience,
    )
    panel_register(
        "dashboard",
        template="projects/panels/_dashboard.html",
        context=panels.dashboard_panel,
        order=40,
    )
    schedule_register(
        "Catalog: return expired vetting to review due",
        task="projects.tasks.catalog_vetting_expire_task",
        crontab={"minute": "15", "hour": "3"},
        description="Returns catalog entries whose vetting expired to review due.",
    )
    demo_register("projects", seed="projects.demo.seed", order=30)
