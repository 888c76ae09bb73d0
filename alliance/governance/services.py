"""Writes of ballots: open, vote, name a delegate, remind, close and cancel.

Every write locks the ballot's row first (``select_for_update``), so votes,
the reminder and the close of one ballot happen one after another: one vote per
seat holds under simultaneous submissions, the reminder goes out once and the
result is computed once.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.markdown import validate_markdown
from alliance.governance.models import Ballot, BallotDelegate, BallotOption, Vote
from alliance.governance.selectors import (
    ballot_get_for_update,
    ballot_tally,
    ballot_voting_rights,
    ballot_waiting_voter_ids,
    ballots_due_for_reminder,
    ballots_due_to_close,
)
from alliance.notifications.services.activities import activity_record
from members.models import Affiliation, User

# The fields a chair or staff member sets when opening a ballot; the form, the
# API's input serializer are built from it.
BALLOT_FIELDS = [
    "question",
    "description",
    "kind",
    "secret",
    "quorum_percent",
    "pass_rule",
    "opens_at",
    "closes_at",
]
MAX_OPTIONS = 10

KIND_OPENED = "ballot_opened"
KIND_REMINDER = "ballot_reminder"
KIND_RESULT = "ballot_result"


def _context(ballot: Ballot, **extra) -> dict:
    return {
        "question": ballot.question,
        "group": ballot.group.name if ballot.group_id else "",
        "url": ballot.get_absolute_url(),
        "closes_at": ballot.closes_at.isoformat(),
        "secret": ballot.secret,
        **extra,
    }


def _clean_options(kind: str, options) -> list[str]:
    if kind == Ballot.Kind.YES_NO:
        return []
    texts = [" ".join(str(o).split()) for o in options or []]
    texts = [t for t in texts if t]
    errors = []
    if len(texts) < 2:
        errors.append(_("Give at least two options to choose from."))
    if len(texts) > MAX_OPTIONS:
        errors.append(_("Give at most %(count)d options.") % {"count": MAX_OPTIONS})
    if len({t.casefold() for t in texts}) != len(texts):
        errors.append(_("Each option must be different."))
    if any(len(t) > 200 for t in texts):
        errors.append(_("An option may have at most 200 characters."))
    if errors:
        raise ValidationError({"options": errors})
    return texts


@transaction.atomic
def ballot_open(
    *,
    created_by,
    group=None,
    question: str,
    description: str = "",
    kind: str = Ballot.Kind.YES_NO,
    options=(),
    secret: bool = False,
    quorum_percent: int = 50,
    pass_rule: str = Ballot.PassRule.SIMPLE,
    opens_at=None,
    closes_at,
) -> Ballot:
    """Open a ballot of the group's voting seats (``group``) or, without a group,
    of the member organizations; announce it to those who may vote."""
    now = timezone.now()
    opens_at = opens_at or now
    errors: dict[str, list[str]] = {}
    if group is not None and group.status != "active":
        errors.setdefault("group", []).append(
            _("An archived group cannot open ballots.")
        )
    if not (question or "").strip():
        errors.setdefault("question", []).append(_("Ask a question."))
    if closes_at <= now:
        errors.setdefault("closes_at", []).append(
            _("The closing time must be in the future.")
        )
    elif closes_at <= opens_at:
        errors.setdefault("closes_at", []).append(
            _("The ballot must close after it opens.")
        )
    if kind not in Ballot.Kind.values:
        errors.setdefault("kind", []).append(_("Choose the kind of options."))
    if pass_rule not in Ballot.PassRule.values:
        errors.setdefault("pass_rule", []).append(_("Choose the majority needed."))
    if not 1 <= int(quorum_percent) <= 100:
        errors.setdefault("quorum_percent", []).append(
            _("The quorum is a share between 1 and 100 %.")
        )
    try:
        validate_markdown(description)
    except ValidationError as error:
        errors.setdefault("description", []).extend(error.messages)
    try:
        texts = _clean_options(kind, options)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    ballot = Ballot(
        scope=Ballot.Scope.GROUP if group is not None else Ballot.Scope.ALLIANCE,
        group=group,
        question=question.strip(),
        description=description,
        kind=kind,
        secret=secret,
        quorum_percent=quorum_percent,
        pass_rule=pass_rule,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=created_by,
    )
    ballot.full_clean()
    ballot.save()
    if kind == Ballot.Kind.YES_NO:
        rows = [
            BallotOption(ballot=ballot, position=1, key=BallotOption.Key.YES),
            BallotOption(ballot=ballot, position=2, key=BallotOption.Key.NO),
        ]
    else:
        rows = [
            BallotOption(ballot=ballot, position=n, text=text)
            for n, text in enumerate(texts, start=1)
        ]
    rows.append(
        BallotOption(
            ballot=ballot, position=len(rows) + 1, key=BallotOption.Key.ABSTAIN
        )
    )
    BallotOption.objects.bulk_create(rows)
    activity_record(
        kind=KIND_OPENED,
        target=ballot,
        actor=created_by,
        audience=group,
        recipients=_voter_people(ballot),
        context=_context(ballot),
    )
    return ballot


def _voter_people(ballot: Ballot):
    return User.objects.filter(pk__in=ballot_waiting_voter_ids(ballot))


@transaction.atomic
def ballot_vote_cast(*, ballot: Ballot, user, option_id, organization=None) -> Vote:
    """Cast or change the person's vote (for ``organization`` when they may vote
    for several); refuse with a ``ValidationError`` a person without a vote, a
    ballot not open, an option of another ballot."""
    ballot = ballot_get_for_update(pk=ballot.pk)
    if not ballot.accepts_votes():
        raise ValidationError(_("This ballot is not open for votes."))
    option = BallotOption.objects.filter(ballot=ballot, pk=option_id).first()
    if option is None:
        raise ValidationError({"option": [_("Choose one of the ballot’s options.")]})
    rights = [r for r in ballot_voting_rights(ballot, user) if r.may_vote or r.vote]
    if organization is not None:
        rights = [
            r
            for r in rights
            if r.organization.pk == getattr(organization, "pk", organization)
        ]
    if not rights:
        raise ValidationError(_("You hold no vote in this ballot."))
    if len(rights) > 1:
        raise ValidationError(
            {"organization": [_("Choose the organization you vote for.")]}
        )
    right = rights[0]
    now = timezone.now()
    if right.vote is not None:
        vote = right.vote
        vote.option, vote.voter, vote.weight, vote.cast_at = (
            option,
            user,
            right.weight,
            now,
        )
        vote.save(update_fields=["option", "voter", "weight", "cast_at", "updated_at"])
        return vote
    taken = set(
        Vote.objects.filter(ballot=ballot, organization=right.organization).values_list(
            "seat", flat=True
        )
    )
    seat = next(n for n in range(1, len(taken) + 2) if n not in taken)
    return Vote.objects.create(
        ballot=ballot,
        organization=right.organization,
        seat=seat,
        voter=user,
        option=option,
        weight=right.weight,
        cast_at=now,
    )


@transaction.atomic
def ballot_delegate_name(
    *, ballot: Ballot, organization, delegate, named_by
) -> BallotDelegate:
    """Name (or replace) the person who casts the organization's vote in an
    alliance ballot; they must be an active member of the organization."""
    ballot = ballot_get_for_update(pk=ballot.pk)
    if ballot.scope != Ballot.Scope.ALLIANCE or ballot.status != Ballot.Status.OPEN:
        raise ValidationError(_("Delegates are named for open alliance ballots only."))
    if not Affiliation.objects.filter(
        user=delegate, organization=organization, status=Affiliation.Status.ACTIVE
    ).exists():
        raise ValidationError(
            {
                "delegate": [
                    _("The delegate must be an active member of the organization.")
                ]
            }
        )
    row, _created = BallotDelegate.objects.update_or_create(
        ballot=ballot,
        organization=organization,
        defaults={"delegate": delegate, "named_by": named_by},
    )
    return row


@transaction.atomic
def ballot_remind(*, ballot_id: int, now=None) -> int:
    """Remind the people holding a vote not yet cast, once per ballot; return
    how many were reminded (0 when already done or not due)."""
    now = now or timezone.now()
    ballot = ballot_get_for_update(pk=ballot_id)
    if (
        ballot.reminded_at is not None
        or not ballot.accepts_votes(now)
        or ballot.closes_at - Ballot.REMINDER_BEFORE > now
    ):
        return 0
    ballot.reminded_at = now
    ballot.save(update_fields=["reminded_at"])
    people = list(_voter_people(ballot))
    if people:
        activity_record(
            kind=KIND_REMINDER,
            target=ballot,
            recipients=people,
            context=_context(ballot),
        )
    return len(people)


def ballot_reminders_send_due(*, now=None) -> int:
    """Send the reminders that are due (the periodic job); each ballot's once."""
    return sum(
        ballot_remind(ballot_id=pk, now=now) for pk in ballots_due_for_reminder(now=now)
    )


@transaction.atomic
def ballot_close(*, ballot_id: int, now=None) -> bool:
    """Compute and store the result of a ballot whose closing time has passed,
    once; announce it to the group (or the members). For a secret ballot the
    choices are erased once counted. Return whether it closed it now."""
    now = now or timezone.now()
    ballot = ballot_get_for_update(pk=ballot_id)
    if ballot.status != Ballot.Status.OPEN or ballot.closes_at > now:
        return False
    ballot.result = ballot_tally(ballot)
    ballot.status = Ballot.Status.CLOSED
    ballot.closed_at = now
    ballot.save(update_fields=["result", "status", "closed_at"])
    if ballot.secret:
        # A queryset update writes no history row either.
        Vote.objects.filter(ballot=ballot).update(option=None)
    activity_record(
        kind=KIND_RESULT,
        target=ballot,
        audience=ballot.group,
        recipients=_voters_and_seats(ballot),
        context=_context(
            ballot,
            passed=ballot.result["passed"],
            quorum_reached=ballot.result["quorum_reached"],
        ),
    )
    return True


def _voters_and_seats(ballot: Ballot):
    return User.objects.filter(
        pk__in=Vote.objects.filter(ballot=ballot, voter__isnull=False).values(
            "voter_id"
        )
    )


def ballots_close_due(*, now=None) -> int:
    """Close every ballot whose time is up (the periodic job); return how many."""
    return sum(
        ballot_close(ballot_id=pk, now=now) for pk in ballots_due_to_close(now=now)
    )


@transaction.atomic
def ballot_cancel(*, ballot: Ballot) -> Ballot:
    """Cancel an open ballot; its votes are kept but never counted."""
    ballot = ballot_get_for_update(pk=ballot.pk)
    if ballot.status != Ballot.Status.OPEN:
        raise ValidationError(_("Only an open ballot can be cancelled."))
    ballot.status = Ballot.Status.CANCELLED
    ballot.save(update_fields=["status"])
    if ballot.secret:
        Vote.objects.filter(ballot=ballot).update(option=None)
    return ballot
