"""Reads of the conversation: replies with the visibility of their update (the
working groups decide who may read an update, through their selectors)."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce, Concat

from alliance.conversation.models import Reply, ReplyVersion
from alliance.core.queries import count_of
from alliance.core.search import search_match
from alliance.notifications.models import Subscription
from alliance.working_groups.selectors import (
    working_group_roster,
    working_group_update_list_visible_to,
    working_group_update_viewer_ids,
)

# A mention is "@" and the person's handle: their public name without spaces
# or punctuation ("Ada Lovelace" is @AdaLovelace), matched without regard to
# case, among the active members of the update's group.
MENTION = re.compile(r"(?<![\w@])@(\w{2,80})")


def mention_handle(person) -> str:
    """Return the handle by which a person is mentioned (``@AdaLovelace``)."""
    return re.sub(r"\W", "", person.public_name)


def mention_handles_in(text: str) -> set[str]:
    """Return the handles mentioned in a text, lower-cased."""
    return {handle.lower() for handle in MENTION.findall(text or "")}


def reply_update_visible_get(*, user, pk: int):
    """Return the update (with its group and author) if the person may read it;
    ``DoesNotExist`` otherwise, as for a missing one."""
    return (
        working_group_update_list_visible_to(user)
        .select_related("group", "author")
        .get(pk=pk)
    )


def reply_list_visible_to(user) -> QuerySet[Reply]:
    """Return the replies the person may read: those of the updates they may read."""
    return Reply.objects.filter(
        update__in=working_group_update_list_visible_to(user).values("pk")
    )


def reply_list_readable_by(user) -> QuerySet[Reply]:
    """Return the replies whose text the person may read: those of the updates
    they may read, not deleted (what notifications, emails and search may show
    of a reply)."""
    return reply_list_visible_to(user).filter(deleted_at__isnull=True)


def reply_viewer_ids(reply: Reply, user_ids) -> set[int]:
    """Return which of the people may read the reply's text: those who may read
    its update, while the reply is not deleted."""
    if reply.is_deleted:
        return set()
    return working_group_update_viewer_ids(reply.update, user_ids)


def reply_list(*, update) -> QuerySet[Reply]:
    """Return the update's replies, each thread's first reply followed by the
    replies in it, oldest first; with authors, whom each answers, and how many
    earlier versions each has (a constant number of queries)."""
    return (
        Reply.objects.filter(update=update)
        .select_related("author", "parent", "parent__author")
        .annotate(
            thread_key=Coalesce(F("thread_id"), F("id")),
            version_count=count_of(ReplyVersion.objects.filter(reply=OuterRef("pk"))),
        )
        .order_by("thread_key", "created_at", "id")
    )


def reply_get(*, pk: int, user) -> Reply:
    """Return the reply (with its update, group and author) if the person may
    read it; ``DoesNotExist`` otherwise."""
    return (
        reply_list_visible_to(user)
        .select_related("update", "update__group", "author", "parent")
        .get(pk=pk)
    )


def reply_answerable(*, update, pk: int) -> Reply | None:
    """Return the reply ``pk`` if a new reply may answer it: a reply of this
    update, not deleted; None otherwise."""
    return Reply.objects.filter(pk=pk, update=update, deleted_at__isnull=True).first()


def reply_versions(*, reply: Reply) -> list[ReplyVersion]:
    """Return the texts the reply had before its edits, oldest first."""
    return list(ReplyVersion.objects.filter(reply=reply).order_by("written_at", "pk"))


def update_participant_ids(update) -> set[int]:
    """Return who follows an update's conversation without choosing to: its
    author and everyone who replied (the audience of its replies)."""
    repliers = Reply.objects.filter(
        update_id=update.pk, deleted_at__isnull=True, author__isnull=False
    ).values_list("author_id", flat=True)
    ids = set(repliers)
    if update.author_id:
        ids.add(update.author_id)
    return ids


def group_muter_ids(*, group_id: int, user_ids) -> set[int]:
    """Return which of the people muted the group (one query)."""
    return set(
        Subscription.objects.filter(
            target_type=ContentType.objects.get_by_natural_key(
                "alliance", "workinggroup"
            ),
            target_id=group_id,
            state=Subscription.State.MUTE,
            user_id__in=list(user_ids),
        ).values_list("user_id", flat=True)
    )


def mention_candidates(*, group) -> list:
    """Return the group's active members (whom a reply may mention), by name;
    one query."""
    people = [
        membership.user
        for membership in working_group_roster(group=group)
        if membership.user.is_active
    ]
    return sorted(people, key=lambda person: person.public_name.lower())


def mentioned_people(*, group, text: str) -> list:
    """Return the group's active members the text mentions by handle."""
    handles = mention_handles_in(text)
    if not handles:
        return []
    return [
        person
        for person in mention_candidates(group=group)
        if mention_handle(person).lower() in handles
    ]


def reply_search(user, text: str) -> QuerySet[Reply]:
    """Return the replies (not deleted) the person may read that match ``text``
    (the site search's source)."""
    return search_match(
        reply_list_readable_by(user),
        text,
        title=Concat(Value("Re: "), F("update__title")),
        snippet="body",
        fields=("body",),
    )


def reply_personal_data(user) -> dict:
    """Return the replies the person wrote (with their earlier versions)."""
    replies = (
        Reply.objects.filter(author=user, deleted_at__isnull=True)
        .select_related("update")
        .prefetch_related("versions")
    )
    return {
        "replies": [
            {
                "update": reply.update.title,
                "body": reply.body,
                "posted": reply.created_at.isoformat(),
                "earlier_versions": [v.body for v in reply.versions.all()],
            }
            for reply in replies
        ]
    }
