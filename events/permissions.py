"""Who may do what with events: plain predicates and DRF permission classes."""

from rest_framework import permissions

from alliance.working_groups.selectors import (
    user_chaired_group_ids,
    user_chairs_group,
)
from events.models import Event, Registration
from members.selectors import user_is_member, user_may


def can_create_events(user) -> bool:
    """Return whether the person may create events at all (staff, chairs, people
    whose organization's tier grants publishing)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        user.is_staff
        or bool(user_chaired_group_ids(user))
        or user_may(user, "may_publish_events")
    )


def can_create_event_for_group(user, group) -> bool:
    """Return whether the person may organize an event (for ``group`` if given)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    if group is not None:
        return user_chairs_group(user, group)
    return user_may(user, "may_publish_events")


def can_manage_event(user, event: Event) -> bool:
    """Return whether the person may edit, publish and cancel the event and see
    its attendees: staff, its organizer, chairs of its group."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    # An organizer's powers last while they belong to an active member
    # organization (the entitlement selector knows its status).
    if event.organizer_id == user.pk and user_is_member(user):
        return True
    return bool(event.working_group_id) and event.working_group_id in (
        user_chaired_group_ids(user)
    )


def can_edit_agenda(user, event: Event) -> bool:
    """Return whether the person may draft the agenda of a working-group
    meeting: the group's chairs and staff (not an organizer who is neither)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if event.kind != Event.Kind.MEETING or not event.working_group_id:
        return False
    return user.is_staff or event.working_group_id in user_chaired_group_ids(user)


def online_link_shown(*, registration_status: str | None, manages) -> bool:
    """The rule of the online link on what is already known: a confirmed seat,
    or managing the event (``manages``: a bool, or a callable asked only when
    there is no confirmed seat)."""
    if registration_status == Registration.Status.CONFIRMED:
        return True
    return bool(manages() if callable(manages) else manages)


def can_see_online_link(user, event: Event, registration: Registration | None) -> bool:
    """Return whether the person may see the event's online link (confirmed
    attendees and its managers)."""
    return online_link_shown(
        registration_status=registration.status if registration else None,
        manages=lambda: can_manage_event(user, event),
    )


class IsEventManager(permissions.BasePermission):
    """Allow reads to everyone; changes only to the event's managers."""

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_manage_event(request.user, obj)
