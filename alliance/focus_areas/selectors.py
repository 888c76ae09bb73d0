"""Reads of the focus areas."""

from django.db.models import Count, Q, QuerySet

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.models import WorkingGroup


def focus_area_list() -> QuerySet[FocusArea]:
    """Return the six focus areas in the announcement's order, with group counts."""
    return FocusArea.objects.annotate(
        active_group_count=Count(
            "working_groups",
            filter=Q(working_groups__status=WorkingGroup.Status.ACTIVE),
        )
    ).order_by("number")
