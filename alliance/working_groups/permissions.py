"""Who may do what in the alliance domain: plain predicates and the DRF
permission classes built on them."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from alliance.working_groups.selectors import (
    MEMBERSHIP_LOOK_UP,
    membership_chairs,
    user_may_post_updates,
    working_group_membership_of,
)

Membership = WorkingGroupMembership
_LOOK_UP = MEMBERSHIP_LOOK_UP


def _membership(user, group, membership):
    if membership is _LOOK_UP:
        return working_group_membership_of(user=user, group=group)
    return membership


def _is_staff(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_staff)


def is_working_group_member(user, group: WorkingGroup, *, membership=_LOOK_UP) -> bool:
    """Return whether the person holds an active seat (any role) in the group."""
    membership = _membership(user, group, membership)
    return membership is not None and membership.status == Membership.Status.ACTIVE


def can_manage_working_group(user, group: WorkingGroup, *, membership=_LOOK_UP) -> bool:
    """Return whether the person may decide requests and invite: a chair,
    a co-chair or staff."""
    if _is_staff(user):
        return True
    membership = _membership(user, group, membership)
    # The one rule of who chairs (a chair of an organization that lost its
    # membership has no chair's powers), as user_chairs_group decides it.
    return membership is not None and membership_chairs(membership)


def can_view_roster(user, group: WorkingGroup, *, membership=_LOOK_UP) -> bool:
    """Return whether the person may see the group's roster and updates."""
    if group.visibility == WorkingGroup.Visibility.PUBLIC or _is_staff(user):
        return True
    return is_working_group_member(user, group, membership=membership)


def can_post_update(user, group: WorkingGroup, *, membership=_LOOK_UP) -> bool:
    """Return whether the person may post news, minutes or decisions: chairs
    and members of an active group (not observers), and staff (the rule is
    the selectors', ``user_may_post_updates``, which other apps ask)."""
    return user_may_post_updates(user, group, membership=membership)


def can_follow_working_group(user, group: WorkingGroup, *, membership=_LOOK_UP) -> bool:
    """Return whether the person may follow or mute the group."""
    if not getattr(user, "is_authenticated", False):
        return False
    return can_view_roster(user, group, membership=membership)


def can_complete_action_item(user, item: ActionItem) -> bool:
    """Return whether the person may mark the action item done: its owner, the
    author of the minutes, a chair of the group, or staff."""
    return may_complete_action_item(
        user,
        owner_id=item.owner_id,
        author_id=item.update.author_id,
        manages=lambda: can_manage_working_group(user, item.update.group),
    )


def may_complete_action_item(user, *, owner_id, author_id, manages) -> bool:
    """``can_complete_action_item`` from the item's owner and minutes' author
    ids, for a list rendered without the items (a group page's shared HTML);
    ``manages``: whether the person may manage the item's group
    (``can_manage_working_group``), or a callable asked only when needed."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk in (owner_id, author_id):
        return True
    return manages() if callable(manages) else manages


def can_correct_update(
    user, update: WorkingGroupUpdate, *, membership=_LOOK_UP
) -> bool:
    """Return whether the person may correct an update (minutes, a decision):
    its author while still in the group, a chair of the group, or staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    group = update.group
    if group.status != WorkingGroup.Status.ACTIVE and not _is_staff(user):
        return False
    membership = _membership(user, group, membership)
    if can_manage_working_group(user, group, membership=membership):
        return True
    return update.author_id == user.pk and is_working_group_member(
        user, group, membership=membership
    )


class IsWorkingGroupManager(permissions.BasePermission):
    """Allow chairs and co-chairs of the group, and staff."""

    message = _("Only the group’s chairs and staff may do this.")

    def has_object_permission(self, request, view, obj):
        return can_manage_working_group(request.user, obj)
