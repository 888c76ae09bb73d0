"""Ballots from opening to result: a group ballot that reaches quorum and
passes, a secret ballot that fails quorum and whose choices are nowhere, an
alliance ballot weighted by tier that refuses a lapsed organization, seats that
change hands, reminders exactly once."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from alliance.governance.models import Ballot, Vote
from alliance.governance.selectors import (
    ballot_list_waiting_for,
    ballot_waiting_voter_ids,
)
from alliance.governance.services import (
    ballot_close,
    ballot_delegate_name,
    ballot_remind,
    ballot_reminders_send_due,
    ballot_vote_cast,
    ballots_close_due,
)
from alliance.notifications.models import Activity
from alliance.working_groups.services import working_group_leave
from members.models import Organization
from tests.alliance.factories import WorkingGroupMembershipFactory
from tests.alliance.governance.conftest import (
    close_now,
    open_ballot,
    primary_contact,
    seat_holder,
)
from tests.members.factories import (
    AffiliationFactory,
    OrganizationFactory,
    UserFactory,
)


def option(ballot, key=None, text=None):
    for o in ballot.options.all():
        if (key and o.key == key) or (text and o.text == text):
            return o.pk
    raise AssertionError(key or text)


def test_group_ballot_reaches_quorum_and_passes(group, chair, seats):
    ballot = open_ballot(created_by=chair, group=group, quorum_percent=60)
    assert ballot.options.count() == 3  # yes, no, abstain
    assert Activity.objects.filter(kind="ballot_opened").count() == 1
    for person, choice in zip(seats[:4], ["yes", "yes", "no", "abstain"], strict=True):
        ballot_vote_cast(ballot=ballot, user=person, option_id=option(ballot, choice))
    # A vote can be changed until the close: no → yes.
    ballot_vote_cast(ballot=ballot, user=seats[2], option_id=option(ballot, "yes"))
    assert Vote.objects.filter(ballot=ballot).count() == 4

    assert ballot_close(ballot_id=ballot.pk) is False  # not yet time
    close_now(ballot)
    assert ballots_close_due() == 1
    assert ballots_close_due() == 0  # computed once
    ballot.refresh_from_db()
    result = ballot.result
    assert ballot.status == Ballot.Status.CLOSED
    assert (result["cast"], result["eligible"], result["quorum_needed"]) == (4, 5, 3)
    assert result["quorum_reached"] is True
    assert result["counted"] == 3  # the abstention is not counted
    assert result["passed"] is True
    assert result["winner"] == option(ballot, "yes")
    announced = Activity.objects.get(kind="ballot_result")
    assert announced.audience == group
    assert announced.context["passed"] is True
    # An open ballot keeps what each voter chose.
    assert Vote.objects.filter(ballot=ballot, option__isnull=False).count() == 4


def test_two_thirds_rule_and_ties(group, chair, seats):
    ballot = open_ballot(
        created_by=chair, group=group, pass_rule="two_thirds", quorum_percent=50
    )
    for person, choice in zip(seats[:3], ["yes", "yes", "no"], strict=True):
        ballot_vote_cast(ballot=ballot, user=person, option_id=option(ballot, choice))
    close_now(ballot)
    ballot_close(ballot_id=ballot.pk)
    ballot.refresh_from_db()
    assert ballot.result["passed"] is True  # 2 of 3 is two thirds

    choice = open_ballot(
        created_by=chair, group=group, kind="choice", options=["Alpha", "Beta"]
    )
    ballot_vote_cast(
        ballot=choice, user=seats[0], option_id=option(choice, text="Alpha")
    )
    ballot_vote_cast(
        ballot=choice, user=seats[1], option_id=option(choice, text="Beta")
    )
    ballot_vote_cast(
        ballot=choice, user=seats[2], option_id=option(choice, text="Beta")
    )
    close_now(choice)
    ballot_close(ballot_id=choice.pk)
    choice.refresh_from_db()
    assert choice.result["passed"] is True
    assert choice.result["winner"] == option(choice, text="Beta")


def test_secret_ballot_fails_quorum_and_forgets_choices(group, chair, seats):
    ballot = open_ballot(created_by=chair, group=group, secret=True, quorum_percent=50)
    ballot_vote_cast(ballot=ballot, user=seats[0], option_id=option(ballot, "yes"))
    ballot_vote_cast(ballot=ballot, user=seats[1], option_id=option(ballot, "no"))
    ballot_vote_cast(ballot=ballot, user=seats[1], option_id=option(ballot, "yes"))
    close_now(ballot)
    ballot_close(ballot_id=ballot.pk)
    ballot.refresh_from_db()
    assert ballot.result["quorum_reached"] is False  # 2 of 5, 3 needed
    assert ballot.result["passed"] is False
    # Who voted is kept; what they chose is erased once counted ...
    votes = Vote.objects.filter(ballot=ballot)
    assert {v.voter_id for v in votes} == {seats[0].pk, seats[1].pk}
    assert all(v.option_id is None for v in votes)
    # ... and the history of votes never recorded it.
    history = Vote.history.filter(ballot_id=ballot.pk)
    assert history.count() == 3
    assert "option" not in {f.name for f in Vote.history.model._meta.fields}
    assert "option_id" not in {f.attname for f in Vote.history.model._meta.fields}


def test_refusals(group, chair, seats):
    ballot = open_ballot(created_by=chair, group=group)
    observer = seat_holder(group)
    observer_seat = observer.group_memberships.get()
    observer_seat.voting = False
    observer_seat.save()
    with pytest.raises(ValidationError, match="no vote"):
        ballot_vote_cast(ballot=ballot, user=observer, option_id=option(ballot, "yes"))
    with pytest.raises(ValidationError, match="options"):
        other = open_ballot(created_by=chair, group=group)
        ballot_vote_cast(ballot=ballot, user=seats[0], option_id=option(other, "yes"))
    close_now(ballot)
    with pytest.raises(ValidationError, match="not open"):
        ballot_vote_cast(ballot=ballot, user=seats[0], option_id=option(ballot, "yes"))
    assert not Vote.objects.filter(ballot=ballot).exists()


def test_opening_refuses_bad_input_and_writes_nothing(group, chair):
    with pytest.raises(ValidationError) as error:
        open_ballot(created_by=chair, group=group, hours=-1, quorum_percent=0)
    assert set(error.value.message_dict) == {"closes_at", "quorum_percent"}
    with pytest.raises(ValidationError) as error:
        open_ballot(created_by=chair, group=group, kind="choice", options=["A", "a"])
    assert "options" in error.value.message_dict
    assert not Ballot.objects.exists()


def test_a_seat_that_changes_hands_carries_its_vote(group, chair, tiers):
    organization = OrganizationFactory(tier=tiers["general"])  # one seat per group
    first = seat_holder(group, organization)
    successor = UserFactory()
    AffiliationFactory(user=successor, organization=organization)
    WorkingGroupMembershipFactory(
        group=group,
        user=successor,
        organization=organization,
        voting=False,
        non_voting_reason="seat_cap",
    )
    ballot = open_ballot(created_by=chair, group=group)
    ballot_vote_cast(ballot=ballot, user=first, option_id=option(ballot, "no"))
    assert ballot_list_waiting_for(successor) == []

    working_group_leave(group=group, user=first)  # the seat passes on
    assert successor.group_memberships.get(group=group).voting
    # The seat voted: nobody is waiting, the successor may change its vote,
    # and the organization still holds one vote.
    assert ballot_waiting_voter_ids(ballot) == set()
    ballot_vote_cast(ballot=ballot, user=successor, option_id=option(ballot, "yes"))
    vote = Vote.objects.get(ballot=ballot)
    assert (vote.voter, vote.option_id) == (successor, option(ballot, "yes"))


def test_a_seat_that_changes_hands_unvoted_carries_its_right(group, chair, tiers):
    organization = OrganizationFactory(tier=tiers["general"])
    first = seat_holder(group, organization)
    successor = UserFactory()
    AffiliationFactory(user=successor, organization=organization)
    WorkingGroupMembershipFactory(
        group=group,
        user=successor,
        organization=organization,
        voting=False,
        non_voting_reason="seat_cap",
    )
    ballot = open_ballot(created_by=chair, group=group)
    assert ballot_waiting_voter_ids(ballot) == {first.pk}
    working_group_leave(group=group, user=first)
    assert ballot_waiting_voter_ids(ballot) == {successor.pk}
    assert [b.pk for b in ballot_list_waiting_for(successor)] == [ballot.pk]
    ballot_vote_cast(ballot=ballot, user=successor, option_id=option(ballot, "yes"))
    assert Vote.objects.filter(ballot=ballot).count() == 1


def test_reminders_go_out_once_to_those_who_have_not_voted(group, chair, seats):
    ballot = open_ballot(created_by=chair, group=group, hours=30)
    ballot_vote_cast(ballot=ballot, user=seats[0], option_id=option(ballot, "yes"))
    assert ballot_reminders_send_due() == 0  # more than a day before the close
    later = timezone.now() + dt.timedelta(hours=7)
    assert ballot_reminders_send_due(now=later) == 4
    assert ballot_reminders_send_due(now=later) == 0
    assert ballot_remind(ballot_id=ballot.pk, now=later) == 0
    reminder = Activity.objects.get(kind="ballot_reminder")
    assert set(reminder.recipient_ids) == {p.pk for p in seats[1:]}


def test_alliance_ballot_weighted_by_tier(db, tiers, lapsed_organization):
    staff = UserFactory(is_staff=True)
    founding = OrganizationFactory(tier=tiers["founding"])
    general = OrganizationFactory(tier=tiers["general"])
    academic = OrganizationFactory(tier=tiers["academic-non-profit"])
    Organization.objects.exclude(
        pk__in=[founding.pk, general.pk, academic.pk, lapsed_organization.pk]
    ).delete()
    founding_contact = primary_contact(founding)
    general_contact = primary_contact(general)
    academic_contact = primary_contact(academic)
    lapsed_contact = primary_contact(lapsed_organization)
    ballot = open_ballot(created_by=staff, question="Approve the policy?")
    assert ballot.scope == Ballot.Scope.ALLIANCE

    ballot_vote_cast(
        ballot=ballot, user=founding_contact, option_id=option(ballot, "no")
    )
    ballot_vote_cast(
        ballot=ballot, user=general_contact, option_id=option(ballot, "yes")
    )
    with pytest.raises(ValidationError, match="no vote"):
        ballot_vote_cast(
            ballot=ballot, user=lapsed_contact, option_id=option(ballot, "yes")
        )
    # The academic organization's contact names a delegate, who votes.
    delegate = UserFactory()
    AffiliationFactory(user=delegate, organization=academic)
    ballot_delegate_name(
        ballot=ballot,
        organization=academic,
        delegate=delegate,
        named_by=academic_contact,
    )
    ballot_vote_cast(ballot=ballot, user=delegate, option_id=option(ballot, "yes"))
    # One vote per organization: the contact changes the delegate's vote.
    ballot_vote_cast(
        ballot=ballot, user=academic_contact, option_id=option(ballot, "yes")
    )
    assert Vote.objects.filter(ballot=ballot).count() == 3

    close_now(ballot)
    ballot_close(ballot_id=ballot.pk)
    ballot.refresh_from_db()
    result = ballot.result
    weights = {row["key"]: row["weight"] for row in result["options"]}
    assert weights == {"yes": 2 + 1, "no": 3, "abstain": 0}
    assert result["eligible"] == 3 + 2 + 1  # the lapsed organization has no weight
    assert result["quorum_reached"] is True
    assert result["passed"] is False  # 3 against 3: no majority


def test_delegate_must_belong_to_the_organization(db, tiers):
    staff = UserFactory(is_staff=True)
    organization = OrganizationFactory()
    contact = primary_contact(organization)
    ballot = open_ballot(created_by=staff)
    with pytest.raises(ValidationError, match="active member"):
        ballot_delegate_name(
            ballot=ballot,
            organization=organization,
            delegate=UserFactory(),
            named_by=contact,
        )
