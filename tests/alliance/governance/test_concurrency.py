"""One vote per seat under simultaneous submissions, on PostgreSQL: each thread
has its own database connection, all released at once (as the registration race
in tests/events/test_concurrency.py)."""

import pytest

from alliance.governance.models import Vote
from alliance.governance.services import ballot_delegate_name, ballot_vote_cast
from members.models import Tier
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.alliance.governance.conftest import open_ballot, primary_contact, seat_holder
from tests.alliance.governance.test_ballots import option
from tests.conftest import need, on_postgres
from tests.events.test_concurrency import run_together
from tests.members.factories import (
    AffiliationFactory,
    MemberFactory,
    OrganizationFactory,
    UserFactory,
)

pytestmark = pytest.mark.postgres


def _attempt(**kwargs):
    try:
        return ballot_vote_cast(**kwargs)
    except Exception as error:  # noqa: BLE001 - the test counts refusals
        return error


def test_simultaneous_votes_leave_one_vote_per_seat(transactional_db):
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    group = WorkingGroupFactory()
    chair = MemberFactory()
    WorkingGroupMembershipFactory(group=group, user=chair, role="chair", voting=False)
    founding = OrganizationFactory(tier=Tier.objects.get(slug="founding"))
    # Two seats of a founding organization, and eight organizations with one each.
    holders = [seat_holder(group, founding), seat_holder(group, founding)]
    holders += [seat_holder(group) for _ in range(8)]
    ballot = open_ballot(created_by=chair, group=group)
    yes, no = option(ballot, "yes"), option(ballot, "no")

    # Each holder submits five times at once (double clicks, two tabs, the API).
    calls = [
        lambda p=p, o=o: _attempt(ballot=ballot, user=p, option_id=o)
        for p in holders
        for o in (yes, no, yes, no, yes)
    ]
    results = run_together(calls)
    assert not [r for r in results if isinstance(r, Exception)]
    votes = Vote.objects.filter(ballot=ballot)
    assert votes.count() == 10
    assert sorted(votes.values_list("voter_id", flat=True)) == sorted(
        p.pk for p in holders
    )
    assert sorted(
        votes.filter(organization=founding).values_list("seat", flat=True)
    ) == [1, 2]


def test_simultaneous_votes_for_one_organization_count_once(transactional_db):
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    staff = UserFactory(is_staff=True)
    organization = OrganizationFactory()
    contacts = [primary_contact(organization) for _ in range(3)]
    delegate = UserFactory()
    AffiliationFactory(user=delegate, organization=organization)
    ballot = open_ballot(created_by=staff)
    ballot_delegate_name(
        ballot=ballot,
        organization=organization,
        delegate=delegate,
        named_by=contacts[0],
    )
    calls = [
        lambda p=p: _attempt(ballot=ballot, user=p, option_id=option(ballot, "yes"))
        for p in [*contacts, delegate] * 5
    ]
    results = run_together(calls)
    assert not [r for r in results if isinstance(r, Exception)]
    assert Vote.objects.filter(ballot=ballot, organization=organization).count() == 1
