"""People in every relation to a working group, for the policy × person matrix."""

import pytest

from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
from members.models import Organization
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
)
from tests.members.factories import (
    AffiliationFactory,
    MemberFactory,
    OrganizationFactory,
    UserFactory,
)

Role = WorkingGroupMembership.Role
PERSONS = ["anonymous", "non_member", "member", "lapsed", "observer", "chair", "staff"]
POLICIES = [choice.value for choice in WorkingGroup.JoinPolicy]


def make_person(kind: str, group: WorkingGroup):
    """Return a person of the given kind in relation to ``group`` (None: anonymous)."""
    if kind == "anonymous":
        return None
    if kind == "non_member":
        return UserFactory()
    if kind == "member":
        return MemberFactory()
    if kind == "lapsed":
        person = UserFactory()
        AffiliationFactory(
            user=person,
            organization=OrganizationFactory(status=Organization.Status.LAPSED),
        )
        return person
    if kind == "observer":
        person = UserFactory()
        WorkingGroupMembershipFactory(
            group=group, user=person, role=Role.OBSERVER, voting=False
        )
        return person
    if kind == "chair":
        person = MemberFactory()
        WorkingGroupMembershipFactory(group=group, user=person, role=Role.CHAIR)
        return person
    if kind == "staff":
        return UserFactory(is_staff=True)
    raise ValueError(kind)


@pytest.fixture
def group(db):
    return WorkingGroupFactory()


@pytest.fixture
def chair(group):
    return make_person("chair", group)


def organization_member(organization, **kwargs):
    """Return a person actively affiliated with ``organization``."""
    person = UserFactory(**kwargs)
    AffiliationFactory(user=person, organization=organization)
    return person
