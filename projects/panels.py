"""Sections the catalog adds to shared pages (see ``alliance.registries.panels``)."""

from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils.http import urlencode

from members.selectors import user_is_member
from projects.models import CatalogEntry
from projects.selectors import (
    entry_list_visible_to,
    review_queue_for,
    user_entry_list,
    user_is_catalog_reviewer,
    user_sees_whole_catalog,
)

PANEL_SIZE = 6
# What the catalog's panels show comes from these (alliance.core.cache).
SHARED_NAMESPACES = ("catalog", "organizations", "groups", "focus_areas")


def catalog_audience(request) -> str:
    """Members and staff see every entry, everyone else the vetted ones: the
    panels are shared by these two audiences."""
    return "member" if user_sees_whole_catalog(request.user) else "public"


def _current(entries):
    return entries.exclude(lifecycle=CatalogEntry.Lifecycle.ARCHIVED)


def _first_and_count(entries, *order) -> tuple[list, int]:
    """Return the first PANEL_SIZE entries and how many there are, in one query
    (the total as a window over the rows before the limit). Not for a DISTINCT
    query: the window counts before DISTINCT."""
    rows = list(
        entries.annotate(total=Window(Count("pk"))).order_by(*order)[:PANEL_SIZE]
    )
    return rows, rows[0].total if rows else 0


def focus_area_panel(request, *, focus_area, **kwargs) -> dict:
    """Return the focus area's catalog entries the viewer may see."""
    entries, count = _first_and_count(
        _current(entry_list_visible_to(request.user)).filter(focus_area=focus_area),
        "-vetted_at",
        "name",
    )
    return {
        "entries": entries,
        "count": count,
        "more_url": reverse("projects:catalog")
        + "?"
        + urlencode({"focus_area": focus_area.slug}),
    }


def working_group_panel(request, *, group, **kwargs) -> dict:
    """Return the working group's projects and other entries the viewer may see."""
    entries, count = _first_and_count(
        _current(entry_list_visible_to(request.user)).filter(working_group=group),
        "kind",
        "name",
    )
    return {
        "entries": entries,
        "count": count,
        "more_url": reverse("projects:catalog")
        + "?"
        + urlencode({"working_group": group.slug}),
    }


def organization_panel(request, *, organization, **kwargs) -> dict:
    """Return the entries the organization owns or its people work on."""
    entries = (
        _current(entry_list_visible_to(request.user))
        .filter(Q(owners=organization) | Q(contributions__organization=organization))
        .distinct()
    )
    return {
        "entries": entries.order_by("kind", "name")[:PANEL_SIZE],
        "count": entries.count(),
    }


def dashboard_panel(request, **kwargs) -> dict | None:
    """Return the person's entries and, for reviewers, their review queue."""
    user = request.user
    mine = user_entry_list(user)[:PANEL_SIZE]
    reviewer = user_is_catalog_reviewer(user)
    queue = review_queue_for(user).filter(reviewed_by_me=False) if reviewer else None
    if not user_is_member(user) and not mine:
        return None
    shown = list(queue[: PANEL_SIZE + 1]) if queue is not None else []
    return {
        "mine": mine,
        "reviewer": reviewer,
        "queue": shown[:PANEL_SIZE],
        # Count only when there is more than the panel shows.
        "queue_count": queue.count() if len(shown) > PANEL_SIZE else len(shown),
    }
