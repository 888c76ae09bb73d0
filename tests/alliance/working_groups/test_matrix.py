"""The join policy × person matrix for join, leave, approve and roster access,
through the API and through the pages (plain forms, no JavaScript)."""

import pytest
from django.contrib.messages import get_messages

from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.alliance.working_groups.conftest import PERSONS, POLICIES, make_person
from tests.members.factories import MemberFactory

M = WorkingGroupMembership

# What joining does, by person and policy: the membership it leaves the person
# with (None: refused, nothing written).
JOIN = {
    ("member", "open"): "active",
    ("member", "approval"): "pending",
}
# Who already holds a seat before the action.
IN_GROUP = {"observer", "chair"}
MAY_APPROVE = {"chair", "staff"}
SEES_MEMBERS_ONLY_ROSTER = {"observer", "chair", "staff"}


def _setup(person_kind, policy, **group_fields):
    group = WorkingGroupFactory(join_policy=policy, **group_fields)
    person = make_person(person_kind, group)
    return group, person


def _open_status(group, person):
    if person is None:
        return None
    membership = M.objects.filter(
        group=group, user=person, status__in=M.OPEN_STATUSES
    ).first()
    return membership.status if membership else None


def _login(client, person):
    if person is not None:
        client.force_login(person)


def _api_login(api_client, person):
    if person is not None:
        api_client.force_authenticate(person)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("person_kind", PERSONS)
def test_join_through_the_api(api_client, db, person_kind, policy):
    group, person = _setup(person_kind, policy)
    before = _open_status(group, person)
    _api_login(api_client, person)
    response = api_client.post(f"/api/v1/working-groups/{group.slug}/join/", {})
    expected = JOIN.get((person_kind, policy))
    if person_kind == "anonymous":
        assert response.status_code == 401
    elif expected:
        assert response.status_code == 201, response.json()
        assert response.json()["status"] == expected
    else:
        assert response.status_code == 400
        assert response.json()["errors"]["non_field_errors"]
    assert _open_status(group, person) == (expected or before)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("person_kind", PERSONS)
def test_join_through_the_page_without_javascript(client, db, person_kind, policy):
    group, person = _setup(person_kind, policy)
    before = _open_status(group, person)
    _login(client, person)
    response = client.post(f"/working-groups/{group.slug}/join/")
    assert response.status_code == 302
    expected = JOIN.get((person_kind, policy))
    if person_kind == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
        return
    assert response["Location"] == group.get_absolute_url()
    [message] = list(get_messages(response.wsgi_request))
    assert message.level_tag == ("success" if expected else "error")
    assert _open_status(group, person) == (expected or before)


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("person_kind", PERSONS)
def test_leave(api_client, db, person_kind, policy):
    group, person = _setup(person_kind, policy)
    _api_login(api_client, person)
    response = api_client.post(f"/api/v1/working-groups/{group.slug}/leave/", {})
    if person_kind == "anonymous":
        assert response.status_code == 401
    elif person_kind in IN_GROUP:
        assert response.status_code == 200
        assert response.json()["status"] == "left"
        assert response.json()["term_end"] is not None
    else:
        assert response.status_code == 400
        assert response.json() == {
            "errors": {"non_field_errors": ["You are not in this working group."]}
        }
    assert _open_status(group, person) is None


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("person_kind", PERSONS)
def test_approve_a_request(api_client, db, person_kind, policy):
    group, person = _setup(person_kind, policy)
    request = WorkingGroupMembershipFactory(
        group=group, user=MemberFactory(), status=M.Status.PENDING, voting=False
    )
    _api_login(api_client, person)
    response = api_client.post(
        f"/api/v1/working-groups/{group.slug}/requests/{request.pk}/approve/",
        {"note": "Welcome aboard"},
    )
    request.refresh_from_db()
    if person_kind == "anonymous":
        assert response.status_code == 401
    elif person_kind in MAY_APPROVE:
        assert response.status_code == 200
        assert response.json()["status"] == "active"
        assert (request.status, request.note, request.decided_by) == (
            M.Status.ACTIVE,
            "Welcome aboard",
            person,
        )
        return
    else:
        assert response.status_code == 403
    assert request.status == M.Status.PENDING


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("person_kind", PERSONS)
def test_approve_through_the_chairs_page(client, db, person_kind, policy):
    group, person = _setup(person_kind, policy)
    request = WorkingGroupMembershipFactory(
        group=group, user=MemberFactory(), status=M.Status.PENDING, voting=False
    )
    _login(client, person)
    page = client.get(f"/working-groups/{group.slug}/requests/")
    response = client.post(
        f"/working-groups/{group.slug}/requests/{request.pk}/",
        {"decision": "approve", "note": ""},
    )
    request.refresh_from_db()
    if person_kind == "anonymous":
        assert page.status_code == response.status_code == 302
    elif person_kind in MAY_APPROVE:
        assert page.status_code == 200
        assert request.user.public_name in page.content.decode()
        assert response.status_code == 302
        assert request.status == M.Status.ACTIVE
        return
    else:
        assert page.status_code == response.status_code == 403
    assert request.status == M.Status.PENDING


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("person_kind", PERSONS)
def test_roster_of_a_members_only_group(api_client, client, db, person_kind, policy):
    group, person = _setup(
        person_kind, policy, visibility=WorkingGroup.Visibility.MEMBERS
    )
    hidden = MemberFactory(name="Quentin Quiet")
    WorkingGroupMembershipFactory(group=group, user=hidden)
    _api_login(api_client, person)
    _login(client, person)
    response = api_client.get(f"/api/v1/working-groups/{group.slug}/members/")
    page = client.get(group.get_absolute_url()).content.decode()
    if person_kind in SEES_MEMBERS_ONLY_ROSTER:
        assert response.status_code == 200
        assert "Quentin Quiet" in [m["person"] for m in response.json()["results"]]
        assert "Quentin Quiet" in page
    else:
        assert response.status_code == (401 if person_kind == "anonymous" else 403)
        assert "Quentin Quiet" not in page
        assert "visible to its members only" in page


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("person_kind", PERSONS)
def test_roster_of_a_public_group(api_client, client, db, person_kind, policy):
    group, person = _setup(person_kind, policy)
    # Her name is public: a roster names people as the directory would.
    paula = MemberFactory(name="Paula Public", directory_visibility="public")
    WorkingGroupMembershipFactory(group=group, user=paula)
    _api_login(api_client, person)
    _login(client, person)
    response = api_client.get(f"/api/v1/working-groups/{group.slug}/members/")
    assert response.status_code == 200
    assert "Paula Public" in [m["person"] for m in response.json()["results"]]
    assert "Paula Public" in client.get(group.get_absolute_url()).content.decode()
