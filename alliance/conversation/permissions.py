"""Who may reply, edit and delete in a group's conversation: plain predicates on
the working groups' selectors (the groups' own rules stay theirs)."""

from alliance.working_groups.selectors import (
    user_chairs_group,
    user_group_ids,
    working_group_member_ids,
)

GROUP_ACTIVE = "active"


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_reply(user, update, *, member_ids=None) -> bool:
    """Return whether the person may reply to the update: an active member of
    its group (observers too) or staff, while the group is active. Reads the
    person's groups once per request (``user_group_ids``), or takes the ids of
    the group's active members when the caller read them for many people at
    once (``repliers``)."""
    if not _signed_in(user) or not user.is_active:
        return False
    if update.group.status != GROUP_ACTIVE:
        return False
    if user.is_staff:
        return True
    if member_ids is not None:
        return user.pk in member_ids
    return update.group_id in user_group_ids(user)


def repliers(update, people) -> list:
    """Return those of the people who may reply to the update (``can_reply``),
    reading the group's members once for all of them."""
    member_ids = set(working_group_member_ids(group_ids=[update.group_id]))
    return [
        person for person in people if can_reply(person, update, member_ids=member_ids)
    ]


def can_edit_reply(user, reply) -> bool:
    """Return whether the person may edit the reply: its author, until it is
    deleted."""
    return (
        _signed_in(user)
        and not reply.is_deleted
        and reply.author_id is not None
        and reply.author_id == user.pk
    )


def can_delete_reply(user, reply, *, group=None) -> bool:
    """Return whether the person may delete the reply: its author, a chair of
    the group, or staff."""
    if not _signed_in(user) or reply.is_deleted:
        return False
    if user.pk == reply.author_id or user.is_staff:
        return True
    return user_chairs_group(user, group or reply.update.group)
