"""Who may do what with catalog entries: plain predicates and DRF permissions."""

from rest_framework import permissions

from members.selectors import user_is_member
from projects.models import CatalogEntry, Contribution
from projects.selectors import (
    entry_team_role,
    user_is_catalog_reviewer,
    user_sees_whole_catalog,
)


def can_view_entry(user, entry: CatalogEntry) -> bool:
    """Return whether the person may read the entry."""
    return entry.is_public or user_sees_whole_catalog(user)


def can_create_entry(user) -> bool:
    """Return whether the person may add entries (members only)."""
    return user_is_member(user)


def can_edit_entry(user, entry: CatalogEntry) -> bool:
    """Return whether the person may change the entry: its maintainers while they
    are members, and staff."""
    if getattr(user, "is_staff", False):
        return True
    return entry_team_role(
        user, entry
    ) == Contribution.Role.MAINTAINER and user_is_member(user)


def can_submit_for_vetting(user, entry: CatalogEntry) -> bool:
    """Return whether the person may submit the entry for vetting now."""
    return (
        entry.is_vettable
        and entry.vetting_status in CatalogEntry.SUBMITTABLE
        and entry.lifecycle != CatalogEntry.Lifecycle.ARCHIVED
        and can_edit_entry(user, entry)
    )


def can_review_entry(user, entry: CatalogEntry) -> bool:
    """Return whether the person may review the entry now: a reviewer who is not on
    its team, while it waits for review."""
    return (
        entry.vetting_status in CatalogEntry.REVIEWABLE
        and user_is_catalog_reviewer(user)
        and entry_team_role(user, entry) is None
    )


def can_join_entry(user, entry: CatalogEntry) -> bool:
    """Return whether the person may join the entry's team as a contributor."""
    return (
        user_is_member(user)
        and entry.lifecycle != CatalogEntry.Lifecycle.ARCHIVED
        and entry_team_role(user, entry) is None
    )


class CatalogEntryPermission(permissions.BasePermission):
    """Anyone reads what they may see; members create; maintainers update."""

    message = "Only members may add entries, and only maintainers may change them."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        if view.action == "create":
            return can_create_entry(request.user)
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit_entry(request.user, obj)


class ReviewPermission(permissions.BasePermission):
    """Anyone who may read the entry reads its reviews; reviewers post."""

    message = (
        "Only reviewers who are not on the entry's team may review it, and only "
        "while it waits for review."
    )

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_review_entry(request.user, obj)
