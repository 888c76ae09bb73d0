"""Reads of working groups and their memberships."""

from django.db.models import Count, Q, QuerySet

from alliance.models import WorkingGroup, WorkingGroupMembership


def working_group_list(*, focus_area=None) -> QuerySet[WorkingGroup]:
    """Return active working groups with their focus area and member counts."""
    groups = (
        WorkingGroup.objects.filter(status=WorkingGroup.Status.ACTIVE)
        .select_related("focus_area")
        .annotate(
            member_count=Count(
                "memberships",
                filter=Q(memberships__status=WorkingGroupMembership.Status.ACTIVE),
            )
        )
    )
    if focus_area is not None:
        groups = groups.filter(focus_area=focus_area)
    return groups


def user_chairs_group(user, group: WorkingGroup) -> bool:
    """Return whether the person is an active chair or co-chair of the group."""
    if not getattr(user, "is_authenticated", False):
        return False
    return WorkingGroupMembership.objects.filter(
        group=group,
        user=user,
        status=WorkingGroupMembership.Status.ACTIVE,
        role__in=WorkingGroupMembership.CHAIR_ROLES,
    ).exists()


def user_group_ids(user) -> set[int]:
    """Return the ids of the groups the person is an active member of."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        WorkingGroupMembership.objects.filter(
            user=user, status=WorkingGroupMembership.Status.ACTIVE
        ).values_list("group_id", flat=True)
    )


def working_group_member_ids(group: WorkingGroup) -> list[int]:
    """Return the ids of the group's active members."""
    return list(
        WorkingGroupMembership.objects.filter(
            group=group, status=WorkingGroupMembership.Status.ACTIVE
        ).values_list("user_id", flat=True)
    )
