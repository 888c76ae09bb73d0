"""Reads of ballots: which a person may see, which seats they may vote for,
who is still to vote, and the tally.

Who may see a ballot: a working group's ballots whoever may see the group
(``working_group_list_visible_to``); alliance ballots the people of active
member organizations and staff. Who may vote:

* in a working group, each holder of a voting seat held for an active member
  organization (``working_group_voting_seats``). A vote belongs to the seat: when
  a seat changes hands during the ballot, its new holder finds the vote cast by
  the one before (and may change it) or, if none was cast, the right to cast it;
  never both.
* in an alliance ballot, each active member organization once, weighted by its
  tier's ``alliance_vote_weight`` entitlement, through its primary contacts or the
  delegate they name for the ballot.
"""

import math
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from alliance.core.cache import shared_value
from alliance.governance.models import Ballot, BallotDelegate, BallotOption, Vote
from alliance.working_groups.selectors import (
    working_group_list_visible_to,
    working_group_viewer_ids,
    working_group_voting_seats,
)
from members.models import Affiliation, Organization, User
from members.selectors import (
    member_ids_among,
    organization_entitlements,
    organization_list_active,
    primary_contact_ids_by_organization,
    staff_ids_among,
    user_is_member,
    user_primary_contact_organizations,
)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def _with_options(ballots: QuerySet[Ballot]) -> QuerySet[Ballot]:
    return ballots.select_related("group", "created_by").prefetch_related(
        Prefetch(
            "options",
            queryset=BallotOption.objects.order_by("position"),
            to_attr="option_list",
        )
    )


def ballot_list_visible_to(user) -> QuerySet[Ballot]:
    """Return the ballots the person may see: those of the groups they may see,
    and alliance ballots for members and staff."""
    visible = Q(
        scope=Ballot.Scope.GROUP,
        group__in=working_group_list_visible_to(user).values("pk"),
    )
    if _signed_in(user) and (user.is_staff or user_is_member(user)):
        visible |= Q(scope=Ballot.Scope.ALLIANCE)
    return Ballot.objects.filter(visible)


def ballot_viewer_ids(ballot: Ballot, user_ids) -> set[int]:
    """Return which of the people may see the ballot (batch form of
    ``ballot_list_visible_to``, for notifications)."""
    user_ids = set(user_ids)
    if ballot.scope == Ballot.Scope.ALLIANCE:
        return member_ids_among(user_ids) | staff_ids_among(user_ids)
    return working_group_viewer_ids(ballot.group, user_ids)


def ballot_get(*, pk: int, user) -> Ballot:
    """Return the ballot with its group and options if the person may see it;
    raise ``Ballot.DoesNotExist`` otherwise."""
    return _with_options(ballot_list_visible_to(user)).get(pk=pk)


def ballot_get_for_update(*, pk: int) -> Ballot:
    """Return the ballot locked for the rest of the transaction (services)."""
    return Ballot.objects.select_for_update().get(pk=pk)


def _groups_with_ballots() -> frozenset[int]:
    """The groups that have ballots (not cancelled), shared by every reader and
    kept in each process until a ballot is written (the "ballots" namespace,
    ``hooks``): a group page asks the database nothing when the group never had
    a ballot. Only a first filter: every ballot shown is read from the
    database."""
    return shared_value(
        ("ballots",),
        audience="all",
        parts=("ballot-groups",),
        compute=lambda: frozenset(
            Ballot.objects.exclude(status=Ballot.Status.CANCELLED)
            .filter(group__isnull=False)
            .order_by()
            .values_list("group_id", flat=True)
            .distinct()
        ),
        local=False,
        process=True,
    )


def ballot_list_for_group(*, group, limit: int = 5) -> list[Ballot]:
    """Return the group's latest ballots (not cancelled), open ones first (no
    query for a group that never had one)."""
    if group.pk not in _groups_with_ballots():
        return []
    return list(
        _with_options(
            Ballot.objects.filter(group=group).exclude(status=Ballot.Status.CANCELLED)
        ).order_by("-status", "-closes_at", "-pk")[:limit]
    )


def ballot_list_closed_for_group(*, group) -> QuerySet[Ballot]:
    """Return the group's closed ballots, the latest first: those a decision of
    the group may cite."""
    return Ballot.objects.filter(group=group, status=Ballot.Status.CLOSED).order_by(
        "-closes_at", "-pk"
    )


def ballot_list(*, user) -> QuerySet[Ballot]:
    """Return the ballots the person may see, open first, soonest close first."""
    return (
        ballot_list_visible_to(user)
        .exclude(status=Ballot.Status.CANCELLED)
        .select_related("group")
        .order_by("-status", "closes_at", "-pk")
    )


@dataclass
class VotingRight:
    """One vote a person may cast or change in a ballot: for which organization,
    with which weight, and the seat's vote so far (``inherited`` when its
    previous holder cast it)."""

    organization: Organization
    weight: int
    vote: Vote | None = None
    inherited: bool = False
    may_vote: bool = True
    others: list = field(default_factory=list)

    @property
    def voted(self) -> bool:
        return self.vote is not None


def _group_rights(ballot: Ballot, user) -> list[VotingRight]:
    seat = working_group_voting_seats(group=ballot.group_id, user=user).first()
    if seat is None:
        return []
    organization = seat.organization
    holders = set(
        working_group_voting_seats(group=ballot.group_id)
        .filter(organization=organization)
        .values_list("user_id", flat=True)
    )
    votes = list(
        Vote.objects.filter(ballot=ballot, organization=organization).order_by("seat")
    )
    own = next((v for v in votes if v.voter_id == user.pk), None)
    if own is not None:
        return [VotingRight(organization, 1, own)]
    # The seat changed hands: its vote passes to its new holder.
    orphan = next((v for v in votes if v.voter_id not in holders), None)
    if orphan is not None:
        return [VotingRight(organization, 1, orphan, inherited=True)]
    return [VotingRight(organization, 1, may_vote=len(votes) < len(holders))]


def _alliance_rights(ballot: Ballot, user) -> list[VotingRight]:
    organizations = {o.pk: o for o in user_primary_contact_organizations(user)}
    delegated = BallotDelegate.objects.filter(
        ballot=ballot,
        delegate=user,
        organization__status=Organization.Status.ACTIVE,
    ).select_related("organization", "organization__tier")
    for delegation in delegated:
        organizations.setdefault(delegation.organization_id, delegation.organization)
    if not organizations:
        return []
    votes = {
        v.organization_id: v
        for v in Vote.objects.filter(ballot=ballot, organization__in=organizations)
    }
    rights = []
    for organization in sorted(organizations.values(), key=lambda o: o.name):
        weight = organization_entitlements(organization).alliance_vote_weight
        rights.append(
            VotingRight(
                organization,
                weight,
                votes.get(organization.pk),
                may_vote=weight > 0,
            )
        )
    return rights


def ballot_voting_rights(ballot: Ballot, user) -> list[VotingRight]:
    """Return the votes the person may cast or change in the ballot (none for a
    person without a seat); at most four queries."""
    if not _signed_in(user):
        return []
    if ballot.scope == Ballot.Scope.GROUP:
        return _group_rights(ballot, user)
    return _alliance_rights(ballot, user)


def ballot_delegates(*, ballot: Ballot, organization_ids) -> dict[int, BallotDelegate]:
    """Return the delegates named for the organizations, by organization id."""
    return {
        d.organization_id: d
        for d in BallotDelegate.objects.filter(
            ballot=ballot, organization_id__in=list(organization_ids)
        ).select_related("delegate")
    }


def ballot_vote_count(ballot: Ballot) -> int:
    """Return how many votes have been cast so far (never what they chose)."""
    return Vote.objects.filter(ballot=ballot).count()


def ballot_voters(ballot: Ballot) -> QuerySet[Vote]:
    """Return who voted, by organization: the voter and organization only. The
    option is left out of the query for a secret ballot."""
    votes = (
        Vote.objects.filter(ballot=ballot)
        .select_related("voter", "organization")
        .order_by("organization__name", "seat")
    )
    if ballot.secret:
        return votes.defer("option")
    return votes.select_related("option")


def _group_waiting(ballot: Ballot) -> tuple[set[int], int]:
    """Return the seat holders with an unused vote and the number of votes that
    may be cast (the seats, plus seats that voted and then ended)."""
    holders: dict[int, set[int]] = {}
    for organization_id, user_id in working_group_voting_seats(
        group=ballot.group_id
    ).values_list("organization_id", "user_id"):
        holders.setdefault(organization_id, set()).add(user_id)
    votes: dict[int, list[int | None]] = {}
    for organization_id, voter_id in Vote.objects.filter(
        ballot=ballot, organization__status=Organization.Status.ACTIVE
    ).values_list("organization_id", "voter_id"):
        votes.setdefault(organization_id, []).append(voter_id)
    waiting: set[int] = set()
    eligible = 0
    for organization_id in set(holders) | set(votes):
        seat_holders = holders.get(organization_id, set())
        cast = votes.get(organization_id, [])
        eligible += max(len(seat_holders), len(cast))
        if len(cast) < len(seat_holders):
            waiting |= seat_holders - set(cast)
    return waiting, eligible


def _alliance_waiting(ballot: Ballot) -> tuple[set[int], dict[int, int]]:
    """Return the people who may still cast an organization's unused vote, and
    each active organization's weight."""
    weights = {
        o.pk: organization_entitlements(o).alliance_vote_weight
        for o in organization_list_active()
    }
    weights = {pk: w for pk, w in weights.items() if w > 0}
    voted = set(
        Vote.objects.filter(
            ballot=ballot, organization_id__in=list(weights)
        ).values_list("organization_id", flat=True)
    )
    to_vote = [pk for pk in weights if pk not in voted]
    contacts = primary_contact_ids_by_organization(to_vote)
    for organization_id, delegate_id in BallotDelegate.objects.filter(
        ballot=ballot, organization_id__in=to_vote
    ).values_list("organization_id", "delegate_id"):
        contacts.setdefault(organization_id, set()).add(delegate_id)
    waiting = set().union(*contacts.values()) if contacts else set()
    return waiting, weights


def ballot_waiting_voter_ids(ballot: Ballot) -> set[int]:
    """Return the people who hold a vote not yet cast (for the reminder)."""
    if ballot.scope == Ballot.Scope.GROUP:
        return _group_waiting(ballot)[0]
    return _alliance_waiting(ballot)[0]


def ballot_tally(ballot: Ballot) -> dict:
    """Compute the ballot's result from the votes now (JSON-serializable): each
    option's weight, the weight cast and that could be cast, the quorum and
    whether it was reached, whether the ballot passed and with which option.

    Abstentions count towards the quorum, not towards the majority. Votes of
    organizations that are no longer active members do not count."""
    options = list(ballot.options.order_by("position"))
    if ballot.scope == Ballot.Scope.GROUP:
        _waiting, eligible = _group_waiting(ballot)
        weights = None
    else:
        _waiting, weights = _alliance_waiting(ballot)
        eligible = sum(weights.values())
    by_option = dict.fromkeys((o.pk for o in options), 0)
    votes = Vote.objects.filter(
        ballot=ballot, organization__status=Organization.Status.ACTIVE
    ).values_list("organization_id", "option_id")
    voters = 0
    for organization_id, option_id in votes:
        weight = 1 if weights is None else weights.get(organization_id, 0)
        if option_id in by_option and weight:
            by_option[option_id] += weight
            voters += 1
    cast = sum(by_option.values())
    needed = math.ceil(eligible * ballot.quorum_percent / 100)
    quorum_reached = eligible > 0 and cast >= needed
    counted = sum(by_option[o.pk] for o in options if not o.is_abstention)
    candidates = [o for o in options if not o.is_abstention and o.key != "no"]
    leader = max(candidates, key=lambda o: by_option[o.pk], default=None)
    top = by_option[leader.pk] if leader else 0
    if ballot.pass_rule == Ballot.PassRule.TWO_THIRDS:
        majority = counted > 0 and top * 3 >= counted * 2
    else:
        majority = counted > 0 and top * 2 > counted
    tied = leader is not None and [by_option[o.pk] for o in candidates].count(top) > 1
    passed = bool(quorum_reached and majority and not tied)
    return {
        "options": [
            {"id": o.pk, "key": o.key, "text": o.text, "weight": by_option[o.pk]}
            for o in options
        ],
        "voters": voters,
        "cast": cast,
        "counted": counted,
        "eligible": eligible,
        "quorum_needed": needed,
        "quorum_reached": quorum_reached,
        "passed": passed,
        "winner": leader.pk if passed else None,
    }


def ballots_due_to_close(*, now=None) -> list[int]:
    """Return the ids of open ballots whose closing time has passed."""
    now = now or timezone.now()
    return list(
        Ballot.objects.filter(status=Ballot.Status.OPEN, closes_at__lte=now)
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)
    )


def ballots_due_for_reminder(*, now=None) -> list[int]:
    """Return the ids of open ballots within a day of closing whose reminder has
    not been sent."""
    now = now or timezone.now()
    return list(
        Ballot.objects.filter(
            status=Ballot.Status.OPEN,
            reminded_at__isnull=True,
            opens_at__lte=now,
            closes_at__gt=now,
            closes_at__lte=now + Ballot.REMINDER_BEFORE,
        )
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)
    )


def ballot_list_waiting_for(user) -> list[Ballot]:
    """Return the ballots open now in which the person holds a vote not yet
    cast, soonest close first (constant queries: one when no ballot is open in
    a group they hold a seat in and no alliance ballot is open, at most six)."""
    if not _signed_in(user):
        return []
    now = timezone.now()
    candidates = list(
        Ballot.objects.filter(
            status=Ballot.Status.OPEN, opens_at__lte=now, closes_at__gt=now
        )
        .filter(
            Q(
                scope=Ballot.Scope.GROUP,
                group_id__in=working_group_voting_seats(user=user).values("group_id"),
            )
            | Q(scope=Ballot.Scope.ALLIANCE)
        )
        .select_related("group")
    )
    if not candidates:
        return []
    waiting: list[Ballot] = []
    ballots = [b for b in candidates if b.scope == Ballot.Scope.GROUP]
    if ballots:
        group_org = dict(
            working_group_voting_seats(user=user)
            .filter(group_id__in={b.group_id for b in ballots})
            .values_list("group_id", "organization_id")
        )
        ballots = [b for b in ballots if b.group_id in group_org]
    if ballots:
        holders: dict[tuple[int, int], int] = {}
        for group_id, organization_id in (
            working_group_voting_seats()
            .filter(
                group_id__in=[b.group_id for b in ballots],
                organization_id__in=set(group_org.values()),
            )
            .values_list("group_id", "organization_id")
        ):
            key = (group_id, organization_id)
            holders[key] = holders.get(key, 0) + 1
        cast: dict[tuple[int, int], int] = {}
        own: set[int] = set()
        for ballot_id, organization_id, voter_id in Vote.objects.filter(
            ballot__in=ballots, organization_id__in=set(group_org.values())
        ).values_list("ballot_id", "organization_id", "voter_id"):
            cast[(ballot_id, organization_id)] = (
                cast.get((ballot_id, organization_id), 0) + 1
            )
            if voter_id == user.pk:
                own.add(ballot_id)
        for ballot in ballots:
            organization_id = group_org[ballot.group_id]
            if ballot.pk in own:
                continue
            used = cast.get((ballot.pk, organization_id), 0)
            if used < holders.get((ballot.group_id, organization_id), 0):
                waiting.append(ballot)
    alliance = [b for b in candidates if b.scope == Ballot.Scope.ALLIANCE]
    if alliance:
        organization_ids = set(
            user_primary_contact_organizations(user).values_list("pk", flat=True)
        )
        delegated = BallotDelegate.objects.filter(
            ballot__in=alliance,
            delegate=user,
            organization__status=Organization.Status.ACTIVE,
        ).values_list("ballot_id", "organization_id")
        rights = {(b.pk, o) for b in alliance for o in organization_ids}
        rights |= set(delegated)
        voted = set(
            Vote.objects.filter(
                ballot__in=alliance,
                organization_id__in={o for _b, o in rights},
            ).values_list("ballot_id", "organization_id")
        )
        open_rights = {b for b, o in rights - voted}
        waiting += [b for b in alliance if b.pk in open_rights]
    return sorted(waiting, key=lambda b: (b.closes_at, b.pk))


def ballot_personal_data(user) -> dict:
    """Return the ballots the person voted in (never what they chose in a secret
    ballot)."""
    votes = Vote.objects.filter(voter=user).select_related(
        "ballot", "organization", "option"
    )
    return {
        "votes": [
            {
                "ballot": v.ballot.question,
                "organization": v.organization.name,
                "cast": v.cast_at.isoformat(),
                "choice": None
                if v.ballot.secret or v.option is None
                else str(v.option.label),
            }
            for v in votes
        ]
    }


def organization_people(organization):
    """Return the people actively affiliated with the organization, by name (the
    delegates its primary contact may name)."""
    return User.objects.filter(
        is_active=True,
        affiliations__organization=organization,
        affiliations__status=Affiliation.Status.ACTIVE,
    ).order_by("name", "email")
