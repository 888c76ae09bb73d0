"""Every write to working groups: joining, leaving, requests, invitations,
updates and action items.

Seats are counted with the group's row locked (``select_for_update``), so two
people of one organization joining at the same moment cannot both take its last
voting seat.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.markdown import validate_markdown
from alliance.core.memo import memo_forget
from alliance.core.text import validate_no_bidi_controls
from alliance.notifications.services.activities import activity_record
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
    WorkingGroupUpdateVersion,
)
from alliance.working_groups.selectors import (
    MEMBERSHIP_MEMOS,
    working_group_chairs,
    working_group_meeting,
    working_group_member_ids,
)
from members.models import User
from members.selectors import organization_entitlements, user_member_organizations

Membership = WorkingGroupMembership
Reason = Membership.NonVotingReason


@dataclass(frozen=True)
class ActionItemInput:
    """An action item to record with minutes."""

    text: str
    owner: object
    due_date: date | None = None


def _lock(group: WorkingGroup) -> WorkingGroup:
    return WorkingGroup.objects.select_for_update().get(pk=group.pk)


def _open_membership(*, group: WorkingGroup, user) -> Membership | None:
    return (
        Membership.objects.select_for_update()
        .filter(group=group, user=user, status__in=Membership.OPEN_STATUSES)
        .first()
    )


def _require_active(group: WorkingGroup) -> None:
    if group.status != WorkingGroup.Status.ACTIVE:
        raise ValidationError(
            _("This working group is archived; it takes no new members or updates.")
        )


def _voting_seats_used(*, group: WorkingGroup, organization, exclude=None) -> int:
    seats = Membership.objects.filter(
        group=group,
        organization=organization,
        status=Membership.Status.ACTIVE,
        voting=True,
    )
    if exclude is not None and exclude.pk:
        seats = seats.exclude(pk=exclude.pk)
    return seats.count()


def _assign_vote(*, group: WorkingGroup, membership: Membership) -> None:
    """Give the membership a vote if its organization has a free seat.

    The caller holds the group's lock.
    """
    if membership.role == Membership.Role.OBSERVER:
        membership.voting, membership.non_voting_reason = False, Reason.OBSERVER
        return
    organization = membership.organization
    if organization is None:
        membership.voting, membership.non_voting_reason = False, Reason.NO_ORGANIZATION
        return
    cap = organization_entitlements(organization).voting_seats_per_group
    used = _voting_seats_used(
        group=group, organization=organization, exclude=membership
    )
    if used < cap:
        membership.voting, membership.non_voting_reason = True, ""
    else:
        membership.voting, membership.non_voting_reason = False, Reason.SEAT_CAP


def _representing(*, group: WorkingGroup, user, organization=None):
    """Return the active member organization the person joins for: the one they
    chose, else the one with a free voting seat, else their first; None if they
    belong to none."""
    organizations = list(user_member_organizations(user).order_by("name"))
    if organization is not None:
        if organization.pk not in {o.pk for o in organizations}:
            raise ValidationError(
                {
                    "organization": _(
                        "You can only represent an active member organization "
                        "you belong to."
                    )
                }
            )
        return organization
    for candidate in organizations:
        cap = organization_entitlements(candidate).voting_seats_per_group
        if _voting_seats_used(group=group, organization=candidate) < cap:
            return candidate
    return organizations[0] if organizations else None


def _still_representing(*, group: WorkingGroup, membership: Membership):
    """Return the organization the membership represents if the person still
    belongs to it, else the one they would join for now (None: none)."""
    organization = membership.organization
    current = {o.pk for o in user_member_organizations(membership.user)}
    if organization is None or organization.pk not in current:
        organization = _representing(group=group, user=membership.user)
    return organization


def _promote_next_voter(*, group: WorkingGroup, organization) -> None:
    """Hand a freed voting seat to the organization's longest-serving member
    who was left without one because the seats were taken."""
    if organization is None:
        return
    cap = organization_entitlements(organization).voting_seats_per_group
    if _voting_seats_used(group=group, organization=organization) >= cap:
        return
    successor = (
        Membership.objects.select_for_update()
        .filter(
            group=group,
            organization=organization,
            status=Membership.Status.ACTIVE,
            voting=False,
            non_voting_reason=Reason.SEAT_CAP,
        )
        .order_by("term_start", "created_at", "pk")
        .first()
    )
    if successor is not None:
        successor.voting, successor.non_voting_reason = True, ""
        successor.save(update_fields=["voting", "non_voting_reason", "updated_at"])


@transaction.atomic
def working_group_votes_recompute(*, organization) -> int:
    """Recompute the votes of the seats held for the organization in every group,
    from what its membership entitles it to now: a lapsed, suspended or former
    organization's people lose their votes; on reactivation the longest-serving
    regain them within the seat cap. Return how many seats changed."""
    cap = organization_entitlements(organization).voting_seats_per_group
    reason = (
        Reason.SEAT_CAP if organization.is_active_member else Reason.NO_ORGANIZATION
    )
    seats = (
        Membership.objects.select_for_update()
        .filter(organization=organization, status=Membership.Status.ACTIVE)
        .exclude(role=Membership.Role.OBSERVER)
        # Who votes now keeps the vote first, then the longest-serving.
        .order_by("group_id", "-voting", "term_start", "created_at", "pk")
    )
    changed = 0
    given: dict[int, int] = {}
    for seat in seats:
        votes = given.get(seat.group_id, 0) < cap
        given[seat.group_id] = given.get(seat.group_id, 0) + votes
        wanted = (True, "") if votes else (False, reason)
        if (seat.voting, seat.non_voting_reason) != wanted:
            seat.voting, seat.non_voting_reason = wanted
            seat.save(update_fields=["voting", "non_voting_reason", "updated_at"])
            changed += 1
    return changed


def _context(group: WorkingGroup, **extra) -> dict:
    return {"group": group.name, "url": group.get_absolute_url(), **extra}


def _ask_chairs(*, membership: Membership) -> None:
    group = membership.group
    activity_record(
        kind="group_join_requested",
        target=membership,
        actor=membership.user,
        recipients=working_group_chairs(group=group),
        context=_context(
            group,
            url=f"{group.get_absolute_url()}requests/",
            person=membership.user.public_name,
            role=membership.role,
            message=membership.message,
        ),
    )


@transaction.atomic
def working_group_join(
    *,
    group: WorkingGroup,
    user,
    organization=None,
    as_observer: bool = False,
    message: str = "",
) -> Membership:
    """Join the group as its join policy allows: at once (open), as a request
    for the chairs (by approval, and every request to observe), or by accepting
    an invitation the person holds."""
    group = _lock(group)
    _require_active(group)
    memo_forget(user, *MEMBERSHIP_MEMOS)
    existing = _open_membership(group=group, user=user)
    if existing is not None:
        if existing.status == Membership.Status.INVITED:
            return _invitation_accept(group=group, membership=existing)
        if existing.status == Membership.Status.PENDING:
            raise ValidationError(
                _("Your request to join is already waiting for a chair.")
            )
        raise ValidationError(_("You are already in this working group."))
    policy = group.join_policy
    if policy == WorkingGroup.JoinPolicy.CLOSED:
        raise ValidationError(_("This working group is closed to new members."))
    if policy == WorkingGroup.JoinPolicy.INVITATION:
        raise ValidationError(
            _(
                "This working group takes new members by invitation only: ask "
                "one of its chairs to invite you."
            )
        )
    message = message.strip()
    if as_observer:
        membership = Membership.objects.create(
            group=group,
            user=user,
            organization=_representing(
                group=group, user=user, organization=organization
            ),
            role=Membership.Role.OBSERVER,
            status=Membership.Status.PENDING,
            message=message,
        )
        _ask_chairs(membership=membership)
        return membership
    represented = _representing(group=group, user=user, organization=organization)
    if represented is None:
        raise ValidationError(
            _(
                "Only people of an active member organization can join as "
                "members. You can ask to observe instead; a chair decides."
            )
        )
    membership = Membership(
        group=group,
        user=user,
        organization=represented,
        role=Membership.Role.MEMBER,
        message=message,
    )
    if policy == WorkingGroup.JoinPolicy.OPEN:
        membership.status = Membership.Status.ACTIVE
        _assign_vote(group=group, membership=membership)
        membership.save()
        return membership
    membership.status = Membership.Status.PENDING
    membership.save()
    _ask_chairs(membership=membership)
    return membership


@transaction.atomic
def working_group_leave(*, group: WorkingGroup, user) -> Membership:
    """Leave the group, withdraw a request or decline an invitation; a voting
    seat that frees up passes to the organization's next member waiting for
    one."""
    group = _lock(group)
    memo_forget(user, *MEMBERSHIP_MEMOS)
    membership = _open_membership(group=group, user=user)
    if membership is None:
        raise ValidationError(_("You are not in this working group."))
    held_vote = membership.status == Membership.Status.ACTIVE and membership.voting
    if membership.status == Membership.Status.ACTIVE:
        membership.status = Membership.Status.LEFT
        membership.term_end = timezone.localdate()
    elif membership.status == Membership.Status.PENDING:
        membership.status = Membership.Status.LEFT
    else:
        membership.status = Membership.Status.DECLINED
    membership.voting = False
    membership.save()
    if held_vote:
        _promote_next_voter(group=group, organization=membership.organization)
    return membership


@transaction.atomic
def working_group_request_decide(
    *,
    membership: Membership,
    decided_by,
    approve: bool,
    note: str = "",
    role: str | None = None,
) -> Membership:
    """Approve or decline a request to join, with a note to the person; an
    approved member takes a voting seat if their organization has one free."""
    group = _lock(membership.group)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.PENDING:
        raise ValidationError(
            _("This request has already been decided or was withdrawn.")
        )
    if approve:
        _require_active(group)
        role = role or membership.role
        if role not in (Membership.Role.MEMBER, Membership.Role.OBSERVER):
            raise ValidationError(
                {"role": _("A request can be approved as member or observer.")}
            )
        if role == Membership.Role.MEMBER:
            organization = _still_representing(group=group, membership=membership)
            if organization is None:
                raise ValidationError(
                    _(
                        "%(name)s does not belong to an active member organization "
                        "(any more): admit them as an observer or decline."
                    )
                    % {"name": membership.user.public_name}
                )
            membership.organization = organization
        membership.role = role
        membership.status = Membership.Status.ACTIVE
        membership.term_start = timezone.localdate()
        _assign_vote(group=group, membership=membership)
    else:
        membership.status = Membership.Status.DECLINED
    membership.note = note.strip()
    membership.decided_by = decided_by
    membership.decided_at = timezone.now()
    membership.save()
    activity_record(
        kind="group_join_decided",
        target=membership,
        actor=decided_by,
        recipients=[membership.user],
        context=_context(
            group,
            approved=approve,
            role=membership.role,
            voting=membership.voting,
            note=membership.note,
        ),
    )
    return membership


@transaction.atomic
def working_group_set_role(
    *, membership: Membership, role: str, changed_by
) -> Membership:
    """Give an active member another role (chair, co-chair, member, observer);
    an observer who becomes a member takes a voting seat if their organization
    has one free, a voter who becomes an observer frees theirs for the next in
    line, and the person is told."""
    if role not in Membership.Role.values:
        raise ValidationError(
            {"role": _("Choose chair, co-chair, member or observer.")}
        )
    group = _lock(membership.group)
    memo_forget(membership.user, *MEMBERSHIP_MEMOS)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError(_("Only an active member's role can change."))
    if membership.role == role:
        return membership
    held_vote = membership.voting
    if membership.role == Membership.Role.OBSERVER:
        membership.organization = _still_representing(
            group=group, membership=membership
        )
        if membership.organization is None:
            raise ValidationError(
                _(
                    "%(name)s does not belong to an active member organization, "
                    "so they can only observe."
                )
                % {"name": membership.user.public_name}
            )
    membership.role = role
    if role == Membership.Role.OBSERVER or not held_vote:
        _assign_vote(group=group, membership=membership)
    membership.save()
    if held_vote and not membership.voting:
        _promote_next_voter(group=group, organization=membership.organization)
    activity_record(
        kind="group_role_changed",
        target=membership,
        actor=changed_by,
        recipients=[membership.user],
        context=_context(group, role=membership.role, voting=membership.voting),
    )
    return membership


def _invitations_open(group: WorkingGroup, role: str) -> None:
    """Refuse an invitation for reasons of the group and role alone."""
    _require_active(group)
    if group.join_policy == WorkingGroup.JoinPolicy.CLOSED:
        raise ValidationError(
            _(
                "This working group is closed: staff can change its join policy "
                "before anyone is invited."
            )
        )
    if role not in (Membership.Role.MEMBER, Membership.Role.OBSERVER):
        raise ValidationError({"role": _("Invite people as member or observer.")})


@transaction.atomic
def working_group_invite_by_email(
    *,
    group: WorkingGroup,
    invited_by,
    email: str,
    role: str = Membership.Role.MEMBER,
    message: str = "",
) -> Membership | None:
    """Invite whoever signs in with ``email``, as the chair's form does. Only the
    group and role can be refused; about the address the caller learns nothing:
    with no account behind it, a closed one, someone already in the group or
    invited, or a person who may not join in that role, nothing happens and
    None is returned, so the form answers the same whatever the address."""
    group = _lock(group)
    _invitations_open(group, role)
    person = User.objects.filter(
        email__iexact=email.strip(), is_active=True, closed_at__isnull=True
    ).first()
    if person is None or _open_membership(group=group, user=person) is not None:
        return None
    if (
        role == Membership.Role.MEMBER
        and not user_member_organizations(person).exists()
    ):
        return None
    return working_group_invite(
        group=group, invited_by=invited_by, user=person, role=role, message=message
    )


@transaction.atomic
def working_group_invite(
    *,
    group: WorkingGroup,
    invited_by,
    user,
    role: str = Membership.Role.MEMBER,
    message: str = "",
) -> Membership:
    """Invite a person to the group as member or observer; they accept or
    decline on the group page."""
    group = _lock(group)
    _invitations_open(group, role)
    if not user.is_active:
        raise ValidationError({"email": _("This account is closed.")})
    existing = _open_membership(group=group, user=user)
    if existing is not None:
        messages = {
            Membership.Status.ACTIVE: _("%(name)s is already in this group."),
            Membership.Status.INVITED: _("%(name)s has already been invited."),
            Membership.Status.PENDING: _(
                "%(name)s has asked to join already: approve their request instead."
            ),
        }
        raise ValidationError(
            {"email": messages[existing.status] % {"name": user.public_name}}
        )
    if role == Membership.Role.MEMBER and not user_member_organizations(user).exists():
        raise ValidationError(
            {
                "role": _(
                    "%(name)s does not belong to an active member organization; "
                    "invite them as an observer instead."
                )
                % {"name": user.public_name}
            }
        )
    membership = Membership.objects.create(
        group=group,
        user=user,
        role=role,
        status=Membership.Status.INVITED,
        invited_by=invited_by,
        message=message.strip(),
    )
    activity_record(
        kind="group_invitation",
        target=membership,
        actor=invited_by,
        recipients=[user],
        context=_context(
            group,
            inviter=invited_by.public_name,
            role=role,
            message=membership.message,
        ),
    )
    return membership


def _invitation_accept(*, group: WorkingGroup, membership: Membership) -> Membership:
    if membership.role == Membership.Role.OBSERVER:
        membership.organization = None
    else:
        membership.organization = _representing(group=group, user=membership.user)
        if membership.organization is None:
            raise ValidationError(
                _(
                    "Only people of an active member organization can join as "
                    "members; ask the chair to invite you as an observer instead."
                )
            )
    membership.status = Membership.Status.ACTIVE
    membership.term_start = timezone.localdate()
    _assign_vote(group=group, membership=membership)
    membership.save()
    return membership


@transaction.atomic
def working_group_invitation_respond(
    *, membership: Membership, accept: bool
) -> Membership:
    """Accept or decline an invitation to a working group."""
    group = _lock(membership.group)
    memo_forget(membership.user, *MEMBERSHIP_MEMOS)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != Membership.Status.INVITED:
        raise ValidationError(_("This invitation is no longer open."))
    if accept:
        _require_active(group)
        return _invitation_accept(group=group, membership=membership)
    membership.status = Membership.Status.DECLINED
    membership.save()
    return membership


@transaction.atomic
def working_group_update_post(
    *,
    group: WorkingGroup,
    author,
    kind: str,
    title: str,
    body: str,
    meeting_date: date | None = None,
    action_items: Iterable[ActionItemInput] = (),
    meeting_id: int | None = None,
    attendees: Iterable | None = None,
    ballot=None,
) -> WorkingGroupUpdate:
    """Post news, minutes or a decision; the group's followers hear of it and
    each action item's owner is told of their task. Minutes may name their
    meeting (a published meeting event of the group) and who attended (its
    members and the meeting's registrants); a decision may cite the closed
    ballot of the group that carried it."""
    _require_active(group)
    action_items = list(action_items)
    errors: dict[str, list[str]] = {}
    if kind not in WorkingGroupUpdate.Kind.values:
        errors["kind"] = [_("Choose news, meeting minutes or a decision.")]
    _check_text(errors, title, body)
    meeting = None
    if meeting_id is not None:
        meeting = working_group_meeting(group, meeting_id)
        if meeting is None:
            errors["meeting"] = [_("Choose a published meeting of this working group.")]
        if kind != WorkingGroupUpdate.Kind.MINUTES:
            errors.setdefault("meeting", []).append(
                _("Only meeting minutes belong to a meeting.")
            )
        elif meeting and meeting_date is None:
            meeting_date = meeting["date"]
    attendees = list(attendees or [])
    if attendees:
        if kind != WorkingGroupUpdate.Kind.MINUTES:
            errors.setdefault("attendees", []).append(
                _("Only meeting minutes record who attended.")
            )
        _check_attendees(group, meeting, attendees, errors)
    if ballot is not None:
        _check_ballot(group, kind, ballot, errors)
    if action_items and kind != WorkingGroupUpdate.Kind.MINUTES:
        errors["action_items"] = [_("Only meeting minutes carry action items.")]
    member_ids = set(working_group_member_ids(group))
    for item in action_items:
        if not item.text.strip():
            errors.setdefault("action_items", []).append(
                _("Every action item needs a text.")
            )
        if item.owner is None or item.owner.pk not in member_ids:
            errors.setdefault("action_items", []).append(
                _("The owner of an action item must be a member of the group.")
            )
    if errors:
        raise ValidationError(errors)
    update = WorkingGroupUpdate.objects.create(
        group=group,
        author=author,
        kind=kind,
        title=title.strip(),
        body=body,
        meeting_date=meeting_date if kind == WorkingGroupUpdate.Kind.MINUTES else None,
        meeting_id=meeting["id"] if meeting else None,
        ballot=ballot,
    )
    if attendees:
        update.attendees.set(attendees)
    url = update.get_absolute_url()
    activity_record(
        kind=(
            "group_minutes_posted"
            if kind == WorkingGroupUpdate.Kind.MINUTES
            else "group_update_posted"
        ),
        target=update,
        actor=author,
        audience=group,
        context=_context(
            group,
            url=url,
            title=update.title,
            kind=kind,
            author=author.public_name,
            items=len(action_items),
        ),
    )
    for entry in action_items:
        item = ActionItem.objects.create(
            update=update,
            text=entry.text.strip(),
            owner=entry.owner,
            due_date=entry.due_date,
        )
        if entry.owner.pk != author.pk:
            activity_record(
                kind="action_item_assigned",
                target=item,
                actor=author,
                recipients=[entry.owner],
                context=_context(
                    group,
                    url=url,
                    text=item.text,
                    due=item.due_date.isoformat() if item.due_date else "",
                    title=update.title,
                    author=author.public_name,
                ),
            )
    return update


def _check_text(errors: dict, title: str, body: str) -> None:
    if not title.strip():
        errors["title"] = [_("Give the update a title.")]
    try:
        validate_no_bidi_controls(title)
    except ValidationError as exc:
        errors.setdefault("title", []).extend(exc.messages)
    if not body.strip():
        errors["body"] = [_("Write the text of the update.")]
    try:
        validate_markdown(body)
    except ValidationError as exc:
        errors.setdefault("body", []).extend(exc.messages)


def _check_attendees(group, meeting, attendees, errors: dict) -> None:
    allowed = set(working_group_member_ids(group))
    if meeting:
        allowed |= set(meeting["attendee_ids"])
    if any(person.pk not in allowed for person in attendees):
        errors.setdefault("attendees", []).append(
            _(
                "Attendance can list the group's members and the people "
                "registered for the meeting."
            )
        )


def _check_ballot(group, kind: str, ballot, errors: dict) -> None:
    if kind != WorkingGroupUpdate.Kind.DECISION:
        errors.setdefault("ballot", []).append(_("Only a decision cites a ballot."))
    elif ballot.group_id != group.pk or ballot.status != ballot.Status.CLOSED:
        errors.setdefault("ballot", []).append(
            _("A decision can cite a closed ballot of this working group.")
        )


@transaction.atomic
def working_group_update_correct(
    *,
    update: WorkingGroupUpdate,
    editor,
    title: str,
    body: str,
    attendees: Iterable | None = None,
) -> WorkingGroupUpdate:
    """Correct an update's title and text (and, when given, the attendance of
    minutes), keeping every version: the first as posted, then each correction
    with who made it and when. The caller checks that the editor is the author
    or a chair."""
    update = (
        WorkingGroupUpdate.objects.select_for_update(of=("self",))
        .select_related("group", "author")
        .get(pk=update.pk)
    )
    errors: dict[str, list[str]] = {}
    _check_text(errors, title, body)
    if attendees is not None:
        attendees = list(attendees)
        if update.kind != WorkingGroupUpdate.Kind.MINUTES:
            attendees = None
        else:
            meeting = working_group_meeting(update.group, update.meeting_id)
            _check_attendees(update.group, meeting, attendees, errors)
    if errors:
        raise ValidationError(errors)
    title = title.strip()
    text_changed = (title, body) != (update.title, update.body)
    attendance_changed = attendees is not None and {p.pk for p in attendees} != set(
        update.attendees.values_list("pk", flat=True)
    )
    if not text_changed and not attendance_changed:
        raise ValidationError(_("Nothing changed: edit the text before saving."))
    if attendance_changed:
        update.attendees.set(attendees)
    if text_changed:
        versions = WorkingGroupUpdateVersion.objects.filter(update=update)
        last = versions.order_by("-number").values_list("number", flat=True).first()
        if last is None:
            WorkingGroupUpdateVersion.objects.create(
                update=update,
                number=1,
                title=update.title,
                body=update.body,
                written_by=update.author,
                written_at=update.created_at,
            )
            last = 1
        now = timezone.now()
        WorkingGroupUpdateVersion.objects.create(
            update=update,
            number=last + 1,
            title=title,
            body=body,
            written_by=editor,
            written_at=now,
        )
        update.title, update.body, update.edited_at = title, body, now
        update.save(update_fields=["title", "body", "edited_at", "updated_at"])
    return update


@transaction.atomic
def action_item_set_done(*, item: ActionItem, done: bool = True) -> ActionItem:
    """Mark an action item done (or open again)."""
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.done != done:
        item.done = done
        item.done_at = timezone.now() if done else None
        item.save(update_fields=["done", "done_at"])
    return item


@transaction.atomic
def working_group_set_status(*, group: WorkingGroup, status: str) -> WorkingGroup:
    """Archive a working group or make it active again."""
    if status not in WorkingGroup.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    group = _lock(group)
    if group.status != status:
        group.status = status
        group.save(update_fields=["status"])
    return group


@transaction.atomic
def working_group_mark_reviewed(
    *, group: WorkingGroup, on: date | None = None
) -> WorkingGroup:
    """Record that staff reviewed the group's charter and roster."""
    group = _lock(group)
    group.last_reviewed = on or timezone.localdate()
    group.save(update_fields=["last_reviewed"])
    return group


@transaction.atomic
def working_group_memberships_end(*, user) -> int:
    """End every open membership of a person whose account closes; return how
    many ended."""
    group_ids = list(
        Membership.objects.filter(
            user=user, status__in=Membership.OPEN_STATUSES
        ).values_list("group_id", flat=True)
    )
    for group in WorkingGroup.objects.filter(pk__in=group_ids).order_by("pk"):
        working_group_leave(group=group, user=user)
    return len(group_ids)
