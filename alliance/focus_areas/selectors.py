"""Reads of the focus areas."""

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
