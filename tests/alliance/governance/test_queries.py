"""The ballot list, a ballot's page with its voters, the group page's panel, the
dashboard and the API run as many queries for 2 ballots or voters as for 15."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.governance.models import Vote
from members.models import Affiliation
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.alliance.governance.conftest import open_ballot, primary_contact, seat_holder
from tests.alliance.governance.test_ballots import option
from tests.members.factories import MemberFactory, OrganizationFactory


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _world(count: int):
    group = WorkingGroupFactory()
    chair = MemberFactory()
    WorkingGroupMembershipFactory(group=group, user=chair, role="chair", voting=False)
    holders = [seat_holder(group) for _ in range(count)]
    ballots = [
        open_ballot(created_by=chair, group=group, question=f"Question {n}?")
        for n in range(count)
    ]
    alliance = [
        open_ballot(created_by=chair, question=f"Alliance {n}?") for n in range(count)
    ]
    Vote.objects.bulk_create(
        Vote(
            ballot=ballot,
            organization=person.group_memberships.get().organization,
            voter=person,
            option_id=option(ballot, "yes"),
        )
        for ballot in ballots
        for person in holders
    )
    viewer = seat_holder(group)
    # The viewer is also the primary contact of one organization.
    organization = OrganizationFactory()
    Affiliation.objects.create(
        user=viewer, organization=organization, role="primary_contact", status="active"
    )
    primary_contact(organization)
    return group, ballots, alliance, viewer


def test_constant_queries(client, db):
    counts: dict[str, list[int]] = {}
    for count in (2, 15):
        group, ballots, _alliance, viewer = _world(count)
        client.force_login(viewer)
        for page, url in {
            "list": "/ballots/",
            "detail": ballots[0].get_absolute_url(),
            "group": group.get_absolute_url(),
            "dashboard": "/dashboard/",
            "api": "/api/v1/ballots/",
            "api_voters": f"/api/v1/ballots/{ballots[0].pk}/voters/",
        }.items():
            counts.setdefault(page, []).append(_queries(client, url))
    assert all(two == fifteen for two, fifteen in counts.values()), counts
