"""Reads of the focus areas."""

from collections.abc import Iterable

from django.db.models import OuterRef, QuerySet

from alliance.core.queries import count_of
from alliance.focus_areas.models import FocusArea
from alliance.working_groups.selectors import working_group_list


def focus_area_list() -> QuerySet[FocusArea]:
    """Return the six focus areas in the announcement's order, with group counts."""
    groups = working_group_list(focus_area=OuterRef("pk"), with_counts=False)
    return FocusArea.objects.annotate(active_group_count=count_of(groups)).order_by(
        "number"
    )


def focus_area_list_visible_to(user) -> QuerySet[FocusArea]:
    """Return the focus areas a person may see and follow: all of them, for
    everyone (what is in their groups keeps its own visibility)."""
    return FocusArea.objects.order_by("number")


def focus_area_viewer_ids(focus_area: FocusArea, user_ids: Iterable[int]) -> set[int]:
    """Return which of the people may see the focus area: all of them."""
    return set(user_ids)


def focus_area_member_ids(focus_area: FocusArea) -> set[int]:
    """Nobody belongs to a focus area: people hear of it only by choosing a
    level for it (watching or muted)."""
    return set()
