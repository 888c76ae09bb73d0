"""People in every position relative to one organization, for the members tests."""

from dataclasses import dataclass

import pytest

from members.models import Affiliation, Organization, User
from tests.members.factories import (
    AffiliationFactory,
    OrganizationFactory,
    UserFactory,
)


@dataclass
class Cast:
    organization: Organization
    other_organization: Organization
    anonymous: None
    outsider: User  # signed in, no organization
    other_member: User  # member of another active organization
    member: User  # member of the organization
    contact: User  # primary contact of the organization
    other_contact: User  # primary contact of the other organization
    staff: User

    def person(self, role: str) -> User | None:
        return getattr(self, role)


ROLES = ["anonymous", "outsider", "other_member", "member", "contact", "staff"]


@pytest.fixture
def cast(db) -> Cast:
    organization = OrganizationFactory(name="Acme Research", slug="acme-research")
    other = OrganizationFactory(name="Globex Labs", slug="globex-labs")

    def affiliated(org, role):
        person = UserFactory()
        AffiliationFactory(user=person, organization=org, role=role)
        return person

    return Cast(
        organization=organization,
        other_organization=other,
        anonymous=None,
        outsider=UserFactory(),
        other_member=affiliated(other, Affiliation.Role.MEMBER),
        member=affiliated(organization, Affiliation.Role.MEMBER),
        contact=affiliated(organization, Affiliation.Role.PRIMARY_CONTACT),
        other_contact=affiliated(other, Affiliation.Role.PRIMARY_CONTACT),
        staff=UserFactory(is_staff=True, is_superuser=True),
    )


@pytest.fixture
def as_role(client, cast):
    """Return the test client signed in as one role of the cast."""

    def sign_in(role: str):
        client.logout()
        person = cast.person(role)
        if person is not None:
            client.force_login(person)
        return client

    return sign_in


@pytest.fixture
def api_as_role(api_client, cast):
    def sign_in(role: str):
        api_client.force_authenticate(cast.person(role))
        return api_client

    return sign_in
