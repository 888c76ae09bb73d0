"""Index, group page, dashboard and API run the same number of queries for 5 and
for 100 groups or members (and never more than 12)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from tests.alliance.factories import WorkingGroupFactory
from tests.members.factories import AffiliationFactory, OrganizationFactory, UserFactory

M = WorkingGroupMembership
LIMIT = 12


def _queries(client, url, **headers) -> int:
    # The first request after signing in also creates the session's tracking row.
    client.get(url, **headers)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured.captured_queries)


def _people(count: int) -> list:
    """Return members of several organizations, created in bulk."""
    organizations = [OrganizationFactory() for _ in range(4)]
    people = [UserFactory(verified=False) for _ in range(count)]
    for index, person in enumerate(people):
        AffiliationFactory(user=person, organization=organizations[index % 4])
    return people


def _fill_group(group: WorkingGroup, people: list, *, chair=None) -> None:
    affiliations = {
        p.pk: p.affiliations.get().organization_id for p in people if p != chair
    }
    M.objects.bulk_create(
        [
            M(
                group=group,
                user=person,
                organization_id=affiliations[person.pk],
                voting=index < 4,
                non_voting_reason="" if index < 4 else "seat_cap",
                role=M.Role.OBSERVER if index % 9 == 8 else M.Role.MEMBER,
            )
            for index, person in enumerate(people)
            if person != chair
        ]
    )
    for n in range(max(2, len(people) // 10)):
        update = WorkingGroupUpdate.objects.create(
            group=group,
            author=people[n],
            kind=WorkingGroupUpdate.Kind.MINUTES,
            title=f"Meeting {n}",
            body="Notes",
        )
        ActionItem.objects.bulk_create(
            [
                ActionItem(
                    update=update,
                    text=f"Task {n}.{k}",
                    owner=people[(n + k) % len(people)],
                )
                for k in range(3)
            ]
        )


def _viewer_chairing(group):
    viewer = UserFactory()
    AffiliationFactory(user=viewer)
    M.objects.create(
        group=group,
        user=viewer,
        role=M.Role.CHAIR,
        voting=True,
        organization=viewer.affiliations.get().organization,
    )
    return viewer


def test_index_runs_constant_queries_for_5_and_100_groups(client, db):
    viewer = UserFactory()
    AffiliationFactory(user=viewer)
    people = _people(8)

    def add_groups(count):
        for _ in range(count):
            _fill_group(WorkingGroupFactory(), people[:3])

    add_groups(5)
    client.force_login(viewer)
    few = _queries(client, "/working-groups/")
    few_filtered = _queries(client, "/working-groups/?mine=on&join_policy=open")
    add_groups(95)
    many = _queries(client, "/working-groups/")
    assert few == many <= LIMIT
    assert few_filtered == _queries(client, "/working-groups/?mine=on&join_policy=open")
    client.logout()
    assert _queries(client, "/working-groups/?page=2") <= LIMIT


def test_group_page_runs_constant_queries_for_5_and_100_members(client, db):
    small, large = WorkingGroupFactory(), WorkingGroupFactory()
    small_viewer, large_viewer = _viewer_chairing(small), _viewer_chairing(large)
    _fill_group(small, _people(5))
    _fill_group(large, _people(100))
    client.force_login(small_viewer)
    few = _queries(client, small.get_absolute_url())
    client.force_login(large_viewer)
    many = _queries(client, large.get_absolute_url())
    # One more than a list: a member's panel reads their calendar feed address.
    assert few == many <= LIMIT + 1
    # The roster comes a page at a time (30 people); the organizations
    # represented are counted over all 101 members.
    html = client.get(large.get_absolute_url()).content.decode()
    assert html.count("<li>\n            <strong>") == 30
    assert "1–30 of 101 members" in html
    assert "?roster=2#roster" in html
    assert "5 organizations represented" in html
    last = client.get(large.get_absolute_url() + "?roster=4").content.decode()
    assert last.count("<li>\n            <strong>") == 11
    assert "91–101 of 101 members" in last
    assert _queries(client, large.get_absolute_url() + "?roster=4") == many
    client.logout()
    assert _queries(client, small.get_absolute_url()) == _queries(
        client, large.get_absolute_url()
    )


def test_dashboard_runs_constant_queries_for_5_and_100_groups_and_items(client, db):
    person = UserFactory()
    AffiliationFactory(user=person)
    organization = person.affiliations.get().organization

    def add(count):
        for _ in range(count):
            group = WorkingGroupFactory()
            M.objects.create(
                group=group,
                user=person,
                organization=organization,
                role=M.Role.CHAIR,
                voting=True,
            )
            M.objects.create(group=group, user=UserFactory(), status=M.Status.PENDING)
            update = WorkingGroupUpdate.objects.create(
                group=group, author=person, title="Minutes", body="x"
            )
            ActionItem.objects.create(update=update, text="Do it", owner=person)

    add(5)
    client.force_login(person)
    few = _queries(client, "/dashboard/")
    add(95)
    many = _queries(client, "/dashboard/")
    assert few == many <= LIMIT


def test_api_list_and_members_run_constant_queries(api_client, db):
    people = _people(100)
    small = WorkingGroupFactory()
    _fill_group(small, people[:5])
    api_client.force_authenticate(people[0])
    few = _queries(api_client, "/api/v1/working-groups/?page_size=100")
    few_members = _queries(
        api_client, f"/api/v1/working-groups/{small.slug}/members/?page_size=100"
    )
    for _ in range(99):
        WorkingGroupFactory()
    large = WorkingGroupFactory()
    _fill_group(large, people)
    assert _queries(api_client, "/api/v1/working-groups/?page_size=100") == few
    assert few <= LIMIT
    assert (
        _queries(
            api_client, f"/api/v1/working-groups/{large.slug}/members/?page_size=100"
        )
        == few_members
        <= LIMIT
    )
    updates = "/api/v1/working-groups/{}/updates/?page_size=100"
    assert _queries(api_client, updates.format(small.slug)) == _queries(
        api_client, updates.format(large.slug)
    )
