"""Reads of working groups, their memberships, updates and action items."""

import copy
import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.conversation.models import Reply
from alliance.core.cache import personal_value, shared_value
from alliance.core.memo import memoize
from alliance.core.queries import CompiledQuery, count_of
from alliance.core.search import search_match
from alliance.notifications.models import Subscription
from alliance.registries.organization_effects import OrganizationEffect
from alliance.registries.references import reference_resolve
from alliance.registries.report_sections import weekly_counts
from alliance.registries.staff_counts import StaffCount, changelist_url
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
    WorkingGroupUpdateVersion,
)
from members.models import Organization
from members.selectors import (
    VISIBLE_TO_MEMBERS,
    directory_visibilities_for,
    staff_ids_among,
    user_member_organizations,
)

Membership = WorkingGroupMembership
ROLE_ORDER = Case(
    When(role=Membership.Role.CHAIR, then=Value(0)),
    When(role=Membership.Role.CO_CHAIR, then=Value(1)),
    When(role=Membership.Role.MEMBER, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)
ACTIVE = Q(memberships__status=Membership.Status.ACTIVE)
# Who chairs a group: an active chair or co-chair whose seat is not held for an
# organization that lost its membership (lapsed, suspended, former: the powers
# of a chair end with it). Every read of chairs, here and in other apps (through
# the selectors below), uses this one condition.
CHAIRING = Q(status=Membership.Status.ACTIVE, role__in=Membership.CHAIR_ROLES) & (
    Q(organization__isnull=True) | Q(organization__status=Organization.Status.ACTIVE)
)


def membership_chairs(membership: WorkingGroupMembership) -> bool:
    """Return whether a membership already read (with its organization) is a
    chair's by the rule of ``CHAIRING``; no query."""
    return membership.is_chair and (
        membership.organization_id is None
        or membership.organization.status == Organization.Status.ACTIVE
    )


# Kept on the person for the request (alliance.core.memo); the services that
# change a person's memberships forget them.
GROUP_IDS = "working_groups.group_ids"
CHAIRED_GROUPS = "working_groups.chaired_groups"
MEMBERSHIP_MEMOS = (GROUP_IDS, CHAIRED_GROUPS)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def working_group_list(
    *, focus_area=None, with_counts: bool = True, include_archived: bool = False
) -> QuerySet[WorkingGroup]:
    """Return the active working groups (every one with ``include_archived``) with
    their focus area and, unless ``with_counts`` is false (choices, filters,
    subqueries), their member counts."""
    groups = WorkingGroup.objects.select_related("focus_area")
    if not include_archived:
        groups = groups.filter(status=WorkingGroup.Status.ACTIVE)
    if with_counts:
        groups = groups.annotate(member_count=Count("memberships", filter=ACTIVE))
    if focus_area is not None:
        groups = groups.filter(focus_area=focus_area)
    return groups


def working_group_list_for(*, user) -> QuerySet[WorkingGroup]:
    """Return every working group (any status) with member and organization
    counts and the person's own membership status and role (or None), and
    whether they chair it."""
    # Counted per fetched row (a page), not over every membership of every group.
    active = Membership.objects.filter(
        group=OuterRef("pk"), status=Membership.Status.ACTIVE
    )
    groups = (
        WorkingGroup.objects.select_related("focus_area")
        .annotate(
            member_count=count_of(active),
            organization_count=count_of(active, distinct="organization"),
        )
        .order_by("focus_area__number", "name")
    )
    if not _signed_in(user):
        return groups.annotate(
            my_status=Value(None, output_field=CharField()),
            my_role=Value(None, output_field=CharField()),
            my_chairs=Value(False),
        )
    # One open membership per person and group: no ordering (the model's joins
    # the focus areas for every row).
    mine = Membership.objects.filter(
        group=OuterRef("pk"), user=user, status__in=Membership.OPEN_STATUSES
    ).order_by()
    return groups.annotate(
        my_status=Subquery(mine.values("status")[:1]),
        my_role=Subquery(mine.values("role")[:1]),
        my_chairs=Exists(mine.filter(CHAIRING)),
    )


def _open_membership_slugs(user) -> frozenset[str]:
    """The slugs of the groups the person holds an open membership in: kept per
    person until a group or a membership changes (``personal_value``), so a
    list whose groups hold none of theirs asks nothing more."""
    return personal_value(
        ("groups",),
        person_id=user.pk,
        parts=("open_membership_slugs",),
        compute=lambda: frozenset(
            Membership.objects.filter(
                user=user, status__in=Membership.OPEN_STATUSES
            ).values_list("group__slug", flat=True)
        ),
    )


def working_group_open_memberships(*, user, slugs) -> dict[str, tuple[str, str]]:
    """Return the person's open membership (status, role) in each of the groups
    named by ``slugs`` that has one (what ``working_group_list_for`` annotates as
    ``my_status`` and ``my_role``); one query, none for a visitor or a person
    with an open membership in none of these groups."""
    if not _signed_in(user) or not slugs:
        return {}
    slugs = set(slugs) & _open_membership_slugs(user)
    if not slugs:
        return {}
    rows = (
        Membership.objects.filter(
            user=user,
            group__slug__in=sorted(slugs),
            status__in=Membership.OPEN_STATUSES,
        )
        .order_by()
        .values_list("group__slug", "status", "role")
    )
    return {slug: (status, role) for slug, status, role in rows}


def working_group_list_visible_to(user) -> QuerySet[WorkingGroup]:
    """Return the groups whose updates and roster the person may see (the rule of
    ``permissions.can_view_roster``): public groups, the members-only groups they
    hold an active seat in, every group for staff. Following and notifications
    use it."""
    groups = WorkingGroup.objects.all()
    if getattr(user, "is_staff", False) and _signed_in(user):
        return groups
    visible = Q(visibility=WorkingGroup.Visibility.PUBLIC)
    if _signed_in(user):
        visible |= Q(
            Exists(
                Membership.objects.filter(
                    group=OuterRef("pk"), user=user, status=Membership.Status.ACTIVE
                )
            )
        )
    return groups.filter(visible)


def working_group_viewer_ids(group: WorkingGroup, user_ids) -> set[int]:
    """Return which of the people may see the group's updates (the batch form of
    ``working_group_list_visible_to``; at most two queries)."""
    user_ids = set(user_ids)
    if group.visibility == WorkingGroup.Visibility.PUBLIC:
        return user_ids
    seated = Membership.objects.filter(
        group_id=group.pk, user_id__in=list(user_ids), status=Membership.Status.ACTIVE
    ).values_list("user_id", flat=True)
    return set(seated) | staff_ids_among(user_ids)


def working_group_update_list_visible_to(user) -> QuerySet[WorkingGroupUpdate]:
    """Return the updates, minutes and decisions the person may read."""
    return WorkingGroupUpdate.objects.filter(
        group__in=working_group_list_visible_to(user).values("pk")
    )


def working_group_update_viewer_ids(update: WorkingGroupUpdate, user_ids) -> set[int]:
    """Return which of the people may read the update (those who see its group)."""
    group = WorkingGroup.objects.only("pk", "visibility").get(pk=update.group_id)
    return working_group_viewer_ids(group, user_ids)


def working_group_get(*, slug: str, user=None) -> WorkingGroup:
    """Return the group (active or archived) with its focus area, member and
    request counts and, for a signed-in person, their follow state and how many
    active member organizations they belong to."""
    memberships = Membership.objects.filter(group=OuterRef("pk"))
    groups = WorkingGroup.objects.select_related("focus_area").annotate(
        member_count=count_of(memberships.filter(status=Membership.Status.ACTIVE)),
        waiting_count=count_of(memberships.filter(status=Membership.Status.PENDING)),
    )
    if _signed_in(user):
        groups = groups.annotate(**_reader_of_group(user))
    return groups.get(slug=slug)


def _reader_of_group(user, group_type=None) -> dict:
    """The reader's own facts about a group (``OuterRef("pk")``): their follow
    state and how many active member organizations they belong to
    (``group_type``: the groups' content type, when known)."""
    follow = Subscription.objects.filter(
        user=user,
        target_type=group_type or ContentType.objects.get_for_model(WorkingGroup),
        target_id=OuterRef("pk"),
    ).values("state")[:1]
    organizations = Organization.objects.filter(
        pk__in=user_member_organizations(user).order_by().values("pk")
    )
    return {
        "follow_state": Subquery(follow),
        "member_organization_count": count_of(organizations),
    }


def working_group_page_get(*, slug: str, user) -> tuple[WorkingGroup, object]:
    """Return the group as ``working_group_get`` does and the person's open
    membership of it (or None), for the group's page. The group with its
    counts is the same for every reader and comes from the shared cache
    (``alliance.core.cache``); what is the reader's own (their follow state,
    their member organizations, whether they have a membership) is one query,
    and reading the membership itself a second only for those who have one."""
    # The process's copy, shared by its requests: each reader gets their own
    # shallow copy to add their facts to.
    group = copy.copy(
        shared_value(
            ("groups", "focus_areas"),
            audience="all",
            parts=("group-page", slug),
            compute=lambda: working_group_get(slug=slug),
            local="language",
            process=True,
        )
    )
    if not _signed_in(user):
        return group, None
    rows = _reader_of_group_query().rows(
        user=user.pk,
        group=group.pk,
        type=ContentType.objects.get_for_model(WorkingGroup).pk,
    )
    if not rows:
        raise WorkingGroup.DoesNotExist  # deleted since it was cached
    ((group.follow_state, group.member_organization_count, membership_id),) = rows
    membership = None
    if membership_id is not None:
        membership = working_group_membership_of(user=user, group=group)
    return group, membership


# The ids the reader's own query is compiled with (alliance.core.queries).
_STAND_INS = {"user": -1_999_999_929, "group": -1_999_999_921, "type": -1_999_999_913}
_reader_queries: dict[str, CompiledQuery] = {}


def _reader_of_group_query() -> CompiledQuery:
    """The reader's own facts about one group (``_reader_of_group``) and their
    open membership's id: compiled once per process and database."""
    db = WorkingGroup.objects.db
    compiled = _reader_queries.get(db)
    if compiled is None:
        user = get_user_model()(pk=_STAND_INS["user"])
        membership_id = Membership.objects.filter(
            group=OuterRef("pk"), user=user, status__in=Membership.OPEN_STATUSES
        ).values("pk")[:1]
        compiled = _reader_queries[db] = CompiledQuery.of(
            WorkingGroup.objects.filter(pk=_STAND_INS["group"])
            .order_by()
            .values(
                **_reader_of_group(user, ContentType(pk=_STAND_INS["type"])),
                membership_id=Subquery(membership_id),
            ),
            _STAND_INS,
        )
        assert compiled.names == (
            "follow_state",
            "member_organization_count",
            "membership_id",
        )
    return compiled


def working_group_membership_of(*, user, group: WorkingGroup):
    """Return the person's open membership of the group (active, requested or
    invited), or None."""
    if not _signed_in(user):
        return None
    membership = (
        Membership.objects.filter(
            group=group, user=user, status__in=Membership.OPEN_STATUSES
        )
        .select_related("organization", "organization__tier", "invited_by")
        .first()
    )
    if membership is not None:
        # The person asked about: reading them again would cost a query, and
        # services forget their memos on this very object.
        membership.user = user
    return membership


def _roster_names_shown(
    group: WorkingGroup, viewer, viewer_is_member: bool | None = None
) -> Q | Value:
    """Whose names the viewer sees on the roster: staff and the group's own
    members see everyone; others only people the directory shows them, and
    themselves. ``viewer_is_member``: whether the viewer is an active member of
    the group, when the caller knows (else it is looked up)."""
    if viewer_is_member is None:
        viewer_is_member = group.pk in user_group_ids(viewer)
    if getattr(viewer, "is_staff", False) or viewer_is_member:
        return Value(True)
    shown = Q(user__directory_visibility__in=directory_visibilities_for(viewer))
    if _signed_in(viewer):
        shown |= Q(user=viewer)
    return shown


def working_group_roster_audience(viewer, *, viewer_is_member: bool) -> str:
    """The class of readers who see the same roster as the viewer (for the shared
    cache, ``alliance.core.cache``): everyone's names, or only those of the
    directory settings the viewer may see (a viewer outside the group is not on
    its roster, so seeing themselves changes nothing)."""
    if getattr(viewer, "is_staff", False) or viewer_is_member:
        return "all-names"
    return "names:" + ",".join(sorted(directory_visibilities_for(viewer)))


def working_group_roster(
    *, group: WorkingGroup, viewer=None, including=None, viewer_is_member=None
) -> QuerySet[WorkingGroupMembership]:
    """Return the group's active members: chairs first, then members, observers;
    with ``including``, that person's open request or invitation as well. Each
    row says whether the ``viewer`` may see the person's name (``name_shown``,
    read by ``person_name``); without a viewer, only public names are shown.
    ``viewer_is_member`` spares a query when the caller holds the viewer's
    membership."""
    wanted = Q(status=Membership.Status.ACTIVE)
    if _signed_in(including):
        wanted |= Q(user=including, status__in=Membership.OPEN_STATUSES)
    return (
        Membership.objects.filter(wanted, group=group)
        .annotate(
            name_shown=ExpressionWrapper(
                _roster_names_shown(group, viewer, viewer_is_member),
                output_field=BooleanField(),
            )
        )
        .select_related(
            "group", "user", "organization", "organization__tier", "invited_by"
        )
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "term_start", "user__name", "pk")
    )


def working_group_roster_organizations(*, group: WorkingGroup) -> list[dict]:
    """Return the organizations represented in the group's active roster, by
    name, with their people and votes: one query, whatever the roster's size."""
    active = Q(group_memberships__group=group) & Q(
        group_memberships__status=Membership.Status.ACTIVE
    )
    organizations = (
        Organization.objects.filter(active)
        .annotate(
            people=Count("group_memberships", filter=active),
            voting=Count(
                "group_memberships",
                filter=active & Q(group_memberships__voting=True),
            ),
        )
        .order_by("name", "pk")
    )
    return [
        {"organization": o, "people": o.people, "voting": o.voting}
        for o in organizations
    ]


def working_group_seat_holders(*, group: WorkingGroup, organization) -> list:
    """Return the people who hold the organization's voting seats in the group."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            group=group,
            organization=organization,
            status=Membership.Status.ACTIVE,
            voting=True,
        )
        .select_related("user")
        .order_by("term_start", "pk")
    ]


def working_group_update_list(
    *, group: WorkingGroup, with_items: bool = True
) -> QuerySet[WorkingGroupUpdate]:
    """Return the group's updates, newest first, with authors, how many replies
    each has (``reply_count``, deleted ones left out) and (in ``item_list``)
    their action items."""
    replies = Reply.objects.filter(update=OuterRef("pk"), deleted_at__isnull=True)
    updates = (
        WorkingGroupUpdate.objects.filter(group=group)
        .select_related("author", "group", "meeting", "ballot")
        .annotate(reply_count=count_of(replies))
        .order_by("-created_at", "-id")
    )
    if with_items:
        updates = updates.prefetch_related(
            Prefetch(
                "action_items",
                queryset=ActionItem.objects.select_related("owner").order_by("pk"),
                to_attr="item_list",
            )
        )
    return updates


def action_item_list_for_page(
    *, group: WorkingGroup, update_ids: list[int]
) -> QuerySet[ActionItem]:
    """Return in one query the action items of the shown updates and every
    open action item of the group."""
    return (
        ActionItem.objects.filter(
            Q(update_id__in=update_ids) | Q(update__group=group, done=False)
        )
        .select_related("owner", "update", "update__group")
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


# What a group page's updates section reads: the updates, their replies'
# counts, authors and action items (their owners' names), the group's slug.
GROUP_PAGE_UPDATES_NAMESPACES = ("updates", "replies", "organizations", "groups")


def working_group_page_updates(
    *, group: WorkingGroup, count: int
) -> tuple[list[WorkingGroupUpdate], list[ActionItem]]:
    """Return the group's ``count`` newest updates (each with its action items
    in ``item_list``) and the group's open action items, as its page shows
    them. They are the same for everyone who may read the group's updates, so
    they come from the shared cache (``alliance.core.cache``): the caller
    checks that the reader may see them (``can_view_roster``) first."""

    def compute():
        updates = list(working_group_update_list(group=group, with_items=False)[:count])
        items = list(
            action_item_list_for_page(group=group, update_ids=[u.pk for u in updates])
        )
        for update in updates:
            update.item_list = [i for i in items if i.update_id == update.pk]
        return updates, [i for i in items if not i.done]

    # Neither language nor time zone: the page renders these rows itself.
    return shared_value(
        GROUP_PAGE_UPDATES_NAMESPACES,
        audience="update-readers",
        parts=("group-page-updates", group.pk, count),
        compute=compute,
        local=False,
    )


def action_item_list_open(*, user) -> QuerySet[ActionItem]:
    """Return the person's action items that are not done, soonest due first."""
    if not _signed_in(user):
        return ActionItem.objects.none()
    return (
        ActionItem.objects.filter(owner=user, done=False)
        .select_related("update", "update__group")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def action_items_open_by_owner(*, user_ids) -> dict[int, list[ActionItem]]:
    """Return the open action items of several people at once, by owner id."""
    result: dict[int, list[ActionItem]] = {}
    items = (
        ActionItem.objects.filter(owner_id__in=list(user_ids), done=False)
        .select_related("update", "update__group")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )
    for item in items:
        result.setdefault(item.owner_id, []).append(item)
    return result


def action_item_list_open_for_group(*, group: WorkingGroup) -> QuerySet[ActionItem]:
    """Return the group's action items that are not done, soonest due first."""
    return (
        ActionItem.objects.filter(update__group=group, done=False)
        .select_related("owner", "update", "update__group")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def action_item_get(*, pk: int) -> ActionItem:
    """Return one action item with its minutes, group and owner."""
    return ActionItem.objects.select_related("update", "update__group", "owner").get(
        pk=pk
    )


def working_group_requests(*, group: WorkingGroup) -> QuerySet[WorkingGroupMembership]:
    """Return the group's open requests to join, oldest first."""
    return (
        Membership.objects.filter(group=group, status=Membership.Status.PENDING)
        .select_related("group", "user", "organization")
        .order_by("created_at", "pk")
    )


def working_group_invitations(
    *, group: WorkingGroup
) -> QuerySet[WorkingGroupMembership]:
    """Return the group's invitations that are not yet answered; a person hidden
    from the directory is not named (``name_shown``, read by ``person_name``)."""
    return (
        Membership.objects.filter(group=group, status=Membership.Status.INVITED)
        .annotate(
            name_shown=ExpressionWrapper(
                Q(user__directory_visibility__in=VISIBLE_TO_MEMBERS),
                output_field=BooleanField(),
            )
        )
        .select_related("user", "invited_by")
        .order_by("created_at", "pk")
    )


def user_working_groups(*, user) -> QuerySet[WorkingGroupMembership]:
    """Return the person's open memberships (active, requested, invited) with
    each group's focus area and, for groups they chair, the waiting requests."""
    if not _signed_in(user):
        return Membership.objects.none()
    waiting = Membership.objects.filter(
        group=OuterRef("group"), status=Membership.Status.PENDING
    )
    return (
        Membership.objects.filter(user=user, status__in=Membership.OPEN_STATUSES)
        .select_related("group", "group__focus_area", "organization")
        .annotate(
            waiting_requests=Case(
                When(CHAIRING, then=count_of(waiting)),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
        .order_by("group__name")
    )


def user_working_group_list(*, user) -> list[WorkingGroupMembership]:
    """Return ``user_working_groups`` as a list, and keep what it tells (the
    active groups, the chaired ones) for the rest of the request, so the header's
    and the other sections' visibility checks ask no more."""
    memberships = list(user_working_groups(user=user))
    if not memberships:
        return memberships
    active = [m for m in memberships if m.status == Membership.Status.ACTIVE]
    memoize(user, GROUP_IDS, lambda: {m.group_id for m in active})
    memoize(
        user,
        CHAIRED_GROUPS,
        lambda: {m.group_id: m.group.slug for m in active if membership_chairs(m)},
    )
    return memberships


def _chaired_groups(user) -> dict[int, str]:
    """Return ``{group id: slug}`` of the groups the person chairs, read once per
    request and kept for the person until a membership, a group or an
    organization is written (many pages ask it: who may create events, review
    the catalog, manage a group)."""
    if not _signed_in(user):
        return {}
    # The request's own copy: the kept fact is the process's, handed to each
    # of the person's requests there (personal_value), and a dict can change.
    return memoize(
        user,
        CHAIRED_GROUPS,
        lambda: dict(
            personal_value(
                ("groups", "organizations"),
                person_id=user.pk,
                parts=("chaired_groups",),
                compute=lambda: dict(
                    Membership.objects.filter(CHAIRING, user=user).values_list(
                        "group_id", "group__slug"
                    )
                ),
            )
        ),
    )


def user_chaired_group_ids(user) -> set[int]:
    """Return the ids of the groups the person chairs or co-chairs."""
    return set(_chaired_groups(user))


def user_chairs_group(user, group: WorkingGroup | None = None, *, slug=None) -> bool:
    """Return whether the person is an active chair or co-chair of the group
    (given, or named by its slug)."""
    chaired = _chaired_groups(user)
    if group is not None:
        return group.pk in chaired
    return slug in chaired.values()


# A caller that has not read the person's membership yet: look it up.
MEMBERSHIP_LOOK_UP = object()


def user_may_post_updates(
    user, group: WorkingGroup, *, membership=MEMBERSHIP_LOOK_UP
) -> bool:
    """Return whether the person may post news, minutes or decisions in the
    group: chairs and members of an active group (not observers), and staff.
    ``membership``: the person's open membership when the caller read it
    already (None: they have none). The rule of ``can_post_update``, here for
    the apps that may not import the group's permissions (a meeting's "Post
    the minutes")."""
    if group.status != WorkingGroup.Status.ACTIVE:
        return False
    if _signed_in(user) and user.is_staff:
        return True
    if membership is MEMBERSHIP_LOOK_UP:
        membership = working_group_membership_of(user=user, group=group)
    return (
        membership is not None
        and membership.status == Membership.Status.ACTIVE
        and membership.role != Membership.Role.OBSERVER
    )


def chaired_group_ids_subquery(user) -> QuerySet[WorkingGroupMembership]:
    """Return the ids of the groups the person chairs as a subquery, for an
    ``__in`` lookup inside another app's query (no query of its own)."""
    return Membership.objects.filter(CHAIRING, user=user).values("group_id")


def member_group_ids_subquery(user) -> QuerySet[WorkingGroupMembership]:
    """Return the ids of the groups the person is an active member of as a
    subquery, for an ``__in`` lookup inside another app's query (no query of its
    own)."""
    return Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).values(
        "group_id"
    )


def user_group_ids(user) -> set[int]:
    """Return the ids of the groups the person is an active member of, read once
    per request."""
    if not _signed_in(user):
        return set()
    group_ids = memoize(
        user,
        GROUP_IDS,
        lambda: set(
            Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
            .order_by()  # the model's ordering would join group and focus area
            .values_list("group_id", flat=True)
        ),
    )
    return set(group_ids)  # a copy: callers may add to it


def working_group_member_ids(
    group: WorkingGroup | None = None,
    *,
    group_ids=(),
    slugs=(),
    chairs_only: bool = False,
) -> list[int]:
    """Return the ids of the active members of the group, or of the groups named
    by ``group_ids`` and ``slugs``; with ``chairs_only``, of their chairs."""
    groups = Q(group_id__in=list(group_ids)) | Q(group__slug__in=list(slugs))
    if group is not None:
        groups |= Q(group=group)
    seats = Membership.objects.filter(groups, status=Membership.Status.ACTIVE)
    if chairs_only:
        seats = seats.filter(CHAIRING)
    return list(seats.values_list("user_id", flat=True))


def working_group_chairs(*, group: WorkingGroup) -> list:
    """Return the people who chair the group (chairs and co-chairs)."""
    return [
        m.user
        for m in Membership.objects.filter(CHAIRING, group=group).select_related("user")
    ]


def working_group_seat_organization(user, *, slug: str):
    """Return the organization the person represents in the group with that
    slug, or None."""
    if not _signed_in(user):
        return None
    seat = (
        Membership.objects.filter(
            group__slug=slug,
            user=user,
            status=Membership.Status.ACTIVE,
            organization__isnull=False,
        )
        .select_related("organization")
        .first()
    )
    return seat.organization if seat else None


def working_group_voting_seats(*, group=None, user=None):
    """Return the active voting seats (of the group, of the person; either may be
    an ``OuterRef``) held for an active member organization, with the person and
    the organization. Ballots (``alliance.governance``) count and check votes
    with it."""
    seats = Membership.objects.filter(
        status=Membership.Status.ACTIVE,
        voting=True,
        organization__status=Organization.Status.ACTIVE,
    ).select_related("user", "organization")
    if group is not None:
        seats = seats.filter(group=group)
    if user is not None:
        seats = seats.filter(user=user)
    return seats


def working_group_seats(
    *, organization=None, focus_area=None, one_per_organization: bool = False
) -> QuerySet[WorkingGroupMembership]:
    """Return the active seats in active groups (of an organization, in a focus
    area; either may be an ``OuterRef``) with their group and its focus area, by
    group name; ``one_per_organization`` keeps one seat per organization and
    group, however many of its people take part."""
    seats = (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE,
            group__status=WorkingGroup.Status.ACTIVE,
        )
        .select_related("group", "group__focus_area")
        .order_by("group__name")
    )
    if organization is not None:
        seats = seats.filter(organization=organization)
    if focus_area is not None:
        seats = seats.filter(group__focus_area=focus_area)
    if one_per_organization:
        # An earlier active seat of the same organization in the same group.
        earlier = Membership.objects.filter(
            status=Membership.Status.ACTIVE,
            organization_id=OuterRef("organization_id"),
            group_id=OuterRef("group_id"),
            pk__lt=OuterRef("pk"),
        )
        seats = seats.filter(~Exists(earlier))
    return seats


def _seats_changed(status: str, stamp: str, start, end) -> Count:
    """Count a group's memberships in ``status`` whose ``stamp`` is in [start, end)."""
    return Count(
        "memberships",
        filter=Q(
            memberships__status=status,
            **{f"memberships__{stamp}__gte": start, f"memberships__{stamp}__lt": end},
        ),
    )


def working_group_growth(*, start, end) -> QuerySet[WorkingGroup]:
    """Return the active groups with their focus area, their size now, and how
    many joined and left in [start, end); largest first."""
    status = Membership.Status
    return (
        WorkingGroup.objects.filter(status=WorkingGroup.Status.ACTIVE)
        .select_related("focus_area")
        .annotate(
            size=Count("memberships", filter=ACTIVE),
            joined=_seats_changed(status.ACTIVE, "created_at", start, end),
            left=_seats_changed(status.LEFT, "updated_at", start, end),
        )
        .order_by("-size", "name")
    )


def organization_group_counts() -> dict[int, tuple[int, int]]:
    """Return per organization id how many groups its people hold active seats in
    and how many of its people do."""
    rows = (
        Membership.objects.filter(
            status=Membership.Status.ACTIVE, organization__isnull=False
        )
        .values("organization_id")
        .annotate(
            groups=Count("group", distinct=True), people=Count("user", distinct=True)
        )
        .order_by()
        .values_list("organization_id", "groups", "people")
    )
    return {
        organization_id: (groups, people) for organization_id, groups, people in rows
    }


def working_group_personal_data(user) -> dict:
    """Return what the portal holds about the person's working-group life."""
    memberships = Membership.objects.filter(user=user).select_related(
        "group", "organization"
    )
    updates = WorkingGroupUpdate.objects.filter(author=user).select_related("group")
    items = ActionItem.objects.filter(owner=user).select_related("update__group")
    return {
        "memberships": [
            {
                "group": m.group.name,
                "role": m.role,
                "status": m.status,
                "representing": m.organization.name if m.organization else None,
                "voting": m.voting,
                "term_start": m.term_start.isoformat(),
                "term_end": m.term_end.isoformat() if m.term_end else None,
                "message": m.message,
            }
            for m in memberships
        ],
        "updates_posted": [
            {
                "group": u.group.name,
                "kind": u.kind,
                "title": u.title,
                "body": u.body,
                "posted": u.created_at.isoformat(),
            }
            for u in updates
        ],
        "action_items": [
            {
                "group": i.update.group.name,
                "text": i.text,
                "due_date": i.due_date.isoformat() if i.due_date else None,
                "done": i.done,
            }
            for i in items
        ],
    }


# A request to join that no chair answered within this long shows on the staff home.
JOIN_REQUEST_STALE_AFTER = dt.timedelta(days=7)


def working_groups_staff_counts(*, now: dt.datetime | None = None) -> list[StaffCount]:
    """Return the requests to join a group that have waited longer than
    ``JOIN_REQUEST_STALE_AFTER``; one query."""
    before = (now or timezone.now()) - JOIN_REQUEST_STALE_AFTER
    stale = WorkingGroupMembership.objects.filter(
        status=WorkingGroupMembership.Status.PENDING, created_at__lt=before
    ).count()
    return [
        StaffCount(
            key="join_requests_stale",
            group="working_groups",
            label=_("Requests to join a group older than a week"),
            count=stale,
            url=changelist_url(
                "admin:alliance_workinggroupmembership_changelist",
                state=WorkingGroupMembership.Status.PENDING,
                created_at__lt=before,
            ),
        )
    ]


def working_group_seats_of_organization(
    organization: Organization, person_ids
) -> OrganizationEffect:
    """Return the open working-group seats held for the organization by the people
    who lose member access with it: their votes end; one query."""
    seats = (
        WorkingGroupMembership.objects.filter(
            organization=organization,
            user_id__in=person_ids,
            status=WorkingGroupMembership.Status.ACTIVE,
        )
        .select_related("user", "group")
        .order_by("group__name", "user__name")
    )
    items = [
        _("%(person)s in %(group)s (%(role)s, vote ends)")
        % {
            "person": seat.user.public_name,
            "group": seat.group.name,
            "role": seat.get_role_display(),
        }
        if seat.voting
        else _("%(person)s in %(group)s (%(role)s, no vote)")
        % {
            "person": seat.user.public_name,
            "group": seat.group.name,
            "role": seat.get_role_display(),
        }
        for seat in seats
    ]
    return OrganizationEffect(
        key="working_group_seats",
        title=_("Working-group seats held for the organization"),
        items=items,
    )


def working_group_joins_per_week(start, end) -> dict:
    """Return how many people joined a working group (as member, observer or
    chair) each week."""
    return weekly_counts(
        WorkingGroupMembership.objects.filter(
            created_at__gte=start,
            created_at__lt=end,
            status__in=(
                WorkingGroupMembership.Status.ACTIVE,
                WorkingGroupMembership.Status.LEFT,
            ),
        ),
        "created_at",
    )


def working_group_search(user, text: str) -> QuerySet[WorkingGroup]:
    """Return the working groups (every group's page is public) that match
    ``text`` by name, summary or charter (the site search's source)."""
    return search_match(
        working_group_list(with_counts=False, include_archived=True),
        text,
        title="name",
        snippet=Concat("summary", Value(" "), "charter", output_field=TextField()),
        fields=("name", "summary", "charter"),
    )


def working_group_update_search(user, text: str) -> QuerySet[WorkingGroupUpdate]:
    """Return the updates, minutes and decisions the person may read that match
    ``text`` by title or text (the site search's source)."""
    return search_match(
        working_group_update_list_visible_to(user),
        text,
        title="title",
        snippet="body",
        fields=("title", "body"),
    )


def working_group_search_audience(user) -> str:
    """Every group's page is public: everyone finds the same groups."""
    return "everyone"


def working_group_update_search_audience(user) -> str:
    """Staff read every group's updates; everyone else those of the public
    groups (``working_group_list_visible_to``), plus those of the members-only
    groups they sit in, which ``working_group_update_search_personal`` finds.
    Replies follow their update's visibility and share this rule."""
    return (
        "staff" if getattr(user, "is_staff", False) and _signed_in(user) else "public"
    )


def working_group_update_search_personal(user) -> list[QuerySet]:
    """The person's seats in groups that are not public."""
    if not _signed_in(user) or getattr(user, "is_staff", False):
        return []
    return [
        Membership.objects.filter(user=user, status=Membership.Status.ACTIVE).exclude(
            group__visibility=WorkingGroup.Visibility.PUBLIC
        )
    ]


def working_group_updates_visible(user, group_id: int | None) -> bool:
    """Return whether the person may read the group's updates and action items
    (the rule of ``permissions.can_view_roster``), for another app's page."""
    if not group_id:
        return False
    return working_group_list_visible_to(user).filter(pk=group_id).exists()


def working_group_meeting(group: WorkingGroup, key) -> dict | None:
    """Return the group's published meeting named by ``key`` (an event id), as
    the events app resolves it (the ``working_group_meeting`` reference: id,
    title, date, group id, attendee ids), or None when it names none."""
    key = str(key or "").strip()
    if not key.isdigit():
        return None
    meeting = reference_resolve("working_group_meeting", [key]).get(key)
    if meeting is None or meeting["group_id"] != group.pk:
        return None
    return meeting


def meeting_open_action_items(
    *, group_id: int | None, user=None, reader_ids=None
) -> list[ActionItem]:
    """Return the group's open action items a meeting's agenda carries, soonest
    due first: for ``user`` if they may read the group's updates; for several
    readers at once (``reader_ids``, the reminder email's recipients) only when
    the group's updates are public or every one of them is an active member
    (a registrant who left the group keeps the meeting, not its items)."""
    if not group_id:
        return []
    if user is not None:
        if not working_group_updates_visible(user, group_id):
            return []
    elif not WorkingGroup.objects.filter(
        pk=group_id, visibility=WorkingGroup.Visibility.PUBLIC
    ).exists() and not set(reader_ids or ()) <= set(
        working_group_member_ids(group_ids=[group_id])
    ):
        return []
    return list(
        ActionItem.objects.filter(update__group_id=group_id, done=False)
        .select_related("owner", "update", "update__group")
        .order_by(F("due_date").asc(nulls_last=True), "id")
    )


def meeting_minutes_list(*, event_id: int, user) -> list[WorkingGroupUpdate]:
    """Return the minutes posted for the meeting that the person may read."""
    return list(
        working_group_update_list_visible_to(user)
        .filter(meeting_id=event_id)
        .select_related("author", "group")
        .order_by("created_at", "pk")
    )


def working_group_update_get(
    *, group: WorkingGroup, pk: int, viewer=None
) -> WorkingGroupUpdate:
    """Return one update of the group with its action items, its meeting, the
    ballot it cites and the attendance of minutes. Each attendee says whether
    the ``viewer`` may see their name (``name_shown``): staff see every name,
    the group's members also the names of the group's members (the roster's
    rule); a registrant from outside the group only as the directory shows them."""
    if getattr(viewer, "is_staff", False):
        shown = Value(True)
    else:
        shown = Q(directory_visibility__in=directory_visibilities_for(viewer))
        if _signed_in(viewer):
            shown |= Q(pk=viewer.pk)
        if group.pk in user_group_ids(viewer):
            shown |= Q(
                Exists(
                    Membership.objects.filter(
                        user=OuterRef("pk"),
                        group=group,
                        status=Membership.Status.ACTIVE,
                    )
                )
            )
    people = (
        get_user_model()
        .objects.annotate(
            name_shown=ExpressionWrapper(shown, output_field=BooleanField())
        )
        .order_by("name", "email")
    )
    return (
        working_group_update_list(group=group)
        .prefetch_related(
            Prefetch("attendees", queryset=people, to_attr="attendee_list")
        )
        .get(pk=pk)
    )


def working_group_update_versions(
    *, update: WorkingGroupUpdate
) -> list[WorkingGroupUpdateVersion]:
    """Return the versions of the update, the newest first, with their writers."""
    return list(
        WorkingGroupUpdateVersion.objects.filter(update=update)
        .select_related("written_by")
        .order_by("-number")
    )


def working_group_decisions_citing(*, ballot_id: int, user) -> list[WorkingGroupUpdate]:
    """Return the decisions that cite the ballot which the person may read."""
    return list(
        working_group_update_list_visible_to(user)
        .filter(ballot_id=ballot_id, kind=WorkingGroupUpdate.Kind.DECISION)
        .select_related("group", "author")
        .order_by("-created_at", "-pk")
    )


def working_group_people_for_minutes(*, group: WorkingGroup, extra_ids=()) -> QuerySet:
    """Return who may be listed as attending a meeting of the group: its active
    members and the meeting's registrants (``extra_ids``)."""
    return (
        get_user_model()
        .objects.filter(
            Q(
                group_memberships__group=group,
                group_memberships__status=Membership.Status.ACTIVE,
            )
            | Q(pk__in=list(extra_ids))
        )
        .distinct()
        .order_by("name", "email")
    )
