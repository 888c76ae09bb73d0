"""A working group with voting seats, and organizations of every tier, for
ballots."""

import datetime as dt

import pytest
from django.utils import timezone

from alliance.governance.services import ballot_open
from members.models import Organization, Tier
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.members.factories import (
    AffiliationFactory,
    MemberFactory,
    OrganizationFactory,
    UserFactory,
)


def seat_holder(group, organization=None, **kwargs):
    """Return a person holding a voting seat in the group for the organization."""
    organization = organization or OrganizationFactory()
    person = UserFactory(**kwargs)
    AffiliationFactory(user=person, organization=organization)
    WorkingGroupMembershipFactory(
        group=group, user=person, organization=organization, voting=True
    )
    return person


def primary_contact(organization, **kwargs):
    person = UserFactory(**kwargs)
    AffiliationFactory(user=person, organization=organization, role="primary_contact")
    return person


def open_ballot(*, created_by, group=None, hours=48, **kwargs):
    kwargs.setdefault("question", "Adopt the charter?")
    return ballot_open(
        created_by=created_by,
        group=group,
        closes_at=timezone.now() + dt.timedelta(hours=hours),
        **kwargs,
    )


def close_now(ballot):
    """Move the ballot's closing time into the past (as if time had passed)."""
    from alliance.governance.models import Ballot

    past = timezone.now() - dt.timedelta(seconds=1)
    Ballot.objects.filter(pk=ballot.pk).update(
        opens_at=past - dt.timedelta(hours=1), closes_at=past
    )
    ballot.refresh_from_db()
    return ballot


@pytest.fixture
def group(db):
    return WorkingGroupFactory()


@pytest.fixture
def chair(group):
    person = MemberFactory()
    WorkingGroupMembershipFactory(group=group, user=person, role="chair", voting=False)
    return person


@pytest.fixture
def seats(group):
    """Five voting seats, each for its own organization."""
    return [seat_holder(group) for _ in range(5)]


@pytest.fixture
def tiers(db):
    return {tier.slug: tier for tier in Tier.objects.all()}


@pytest.fixture
def lapsed_organization(db):
    return OrganizationFactory(status=Organization.Status.LAPSED)
