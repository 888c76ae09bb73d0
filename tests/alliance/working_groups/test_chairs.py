"""Who chairs a group, in one place: active chairs and co-chairs; what other apps
ask (events, the catalog) gets the same answer, read once per request and read
again after the person's own membership changes."""

import pytest

from alliance.working_groups.models import WorkingGroupMembership
from alliance.working_groups.selectors import (
    chaired_group_ids_subquery,
    user_chaired_group_ids,
    user_chairs_group,
    user_group_ids,
    working_group_chairs,
    working_group_member_ids,
)
from alliance.working_groups.services import (
    working_group_join,
    working_group_leave,
    working_group_set_role,
)
from members.selectors import user_is_member
from members.services.affiliations import affiliation_create
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

M = WorkingGroupMembership


@pytest.fixture
def seats(db):
    group = WorkingGroupFactory(slug="benchmarks")
    people = {
        "chair": M.Role.CHAIR,
        "co_chair": M.Role.CO_CHAIR,
        "member": M.Role.MEMBER,
        "former_chair": M.Role.CHAIR,
        "invited_chair": M.Role.CHAIR,
    }
    made = {name: UserFactory() for name in people}
    for name, role in people.items():
        status = {"former_chair": M.Status.LEFT, "invited_chair": M.Status.INVITED}
        WorkingGroupMembershipFactory(
            group=group,
            user=made[name],
            role=role,
            status=status.get(name, M.Status.ACTIVE),
        )
    return group, made


def test_active_chairs_and_co_chairs_chair_and_nobody_else(seats):
    group, people = seats
    chairing = {
        name for name, person in people.items() if user_chairs_group(person, group)
    }
    assert chairing == {"chair", "co_chair"}
    assert {p.pk for p in working_group_chairs(group=group)} == {
        people["chair"].pk,
        people["co_chair"].pk,
    }
    assert set(working_group_member_ids(slugs=["benchmarks"], chairs_only=True)) == {
        people["chair"].pk,
        people["co_chair"].pk,
    }
    assert user_chairs_group(people["co_chair"], slug="benchmarks")
    assert not user_chairs_group(people["member"], slug="benchmarks")
    assert list(
        chaired_group_ids_subquery(people["co_chair"]).values_list(
            "group_id", flat=True
        )
    ) == [group.pk]


def test_the_chaired_groups_are_read_once_per_person(seats, django_assert_num_queries):
    group, people = seats
    chair = people["chair"]
    with django_assert_num_queries(1):
        assert user_chaired_group_ids(chair) == {group.pk}
        assert user_chairs_group(chair, group)
        assert user_chairs_group(chair, slug="benchmarks")
    assert user_chaired_group_ids(people["member"]) == set()


def test_joining_and_leaving_forget_what_the_request_knew_of_the_person(db):
    group = WorkingGroupFactory()
    person = MemberFactory()
    assert user_group_ids(person) == set()
    working_group_join(group=group, user=person)
    assert user_group_ids(person) == {group.pk}
    working_group_leave(group=group, user=person)
    assert user_group_ids(person) == set()


def test_a_new_role_is_seen_by_the_rest_of_the_request(db):
    group = WorkingGroupFactory()
    person = MemberFactory()
    membership = working_group_join(group=group, user=person)
    assert not user_chairs_group(person, group)
    working_group_set_role(
        membership=membership, role=M.Role.CO_CHAIR, changed_by=UserFactory()
    )
    assert user_chairs_group(person, group)


def test_a_new_affiliation_is_seen_by_the_rest_of_the_request(db):
    person = UserFactory()
    assert user_is_member(person) is False
    affiliation_create(user=person, organization=OrganizationFactory())
    assert user_is_member(person) is True


def test_a_chair_whose_organization_lapsed_manages_the_group_no_more(client, db):
    """The group's management page and its requests follow the same rule as
    user_chairs_group: the powers of a chair end with their organization's
    membership."""
    from django.urls import reverse

    from members.models import Organization

    group = WorkingGroupFactory()
    lapsed_org, active_org = OrganizationFactory(), OrganizationFactory()
    chairs = {}
    for name, organization in (("lapsed", lapsed_org), ("active", active_org)):
        chairs[name] = MemberFactory(affiliation__organization=organization)
        WorkingGroupMembershipFactory(
            group=group, user=chairs[name], organization=organization, role=M.Role.CHAIR
        )
    Organization.objects.filter(pk=lapsed_org.pk).update(
        status=Organization.Status.LAPSED
    )
    manage = reverse("alliance:working_group_manage", args=[group.slug])
    client.force_login(chairs["lapsed"])
    assert not user_chairs_group(chairs["lapsed"], group)
    assert client.get(manage).status_code == 403
    client.force_login(chairs["active"])
    assert client.get(manage).status_code == 200


def test_each_request_reads_its_own_copy_of_the_groups_the_person_chairs(seats):
    """What one request does with its answer never reaches the person's next
    requests, which read the fact this process keeps for them."""
    from alliance.working_groups.selectors import _chaired_groups
    from members.models import User

    group, people = seats
    _chaired_groups(people["chair"]).clear()
    next_request = User.objects.get(pk=people["chair"].pk)  # a new person object
    assert user_chairs_group(next_request, group)
