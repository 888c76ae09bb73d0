"""The working-group API as a script sees it."""

from alliance.working_groups.models import (
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from alliance.working_groups.services import (
    ActionItemInput,
    working_group_join,
    working_group_update_post,
)
from members.models import Organization
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.alliance.working_groups.conftest import organization_member
from tests.members.factories import (
    AffiliationFactory,
    MemberFactory,
    OrganizationFactory,
)

M = WorkingGroupMembership


def _slugs(response):
    assert response.status_code == 200, response.json()
    return [g["slug"] for g in response.json()["results"]]


def test_list_filters_by_focus_area_policy_mine_and_status(api_client, db):
    from alliance.focus_areas.models import FocusArea

    a = WorkingGroupFactory(slug="a", focus_area=FocusArea.objects.get(number=2))
    b = WorkingGroupFactory(slug="b", join_policy=WorkingGroup.JoinPolicy.APPROVAL)
    WorkingGroupFactory(slug="c", status=WorkingGroup.Status.ARCHIVED)
    person = MemberFactory()
    WorkingGroupMembershipFactory(group=b, user=person)
    api_client.force_authenticate(person)
    url = "/api/v1/working-groups/"
    assert _slugs(api_client.get(url)) == ["b", "a"]
    assert _slugs(api_client.get(url, {"focus_area": "open-foundation-models"})) == [
        "a"
    ]
    assert _slugs(api_client.get(url, {"join_policy": "approval"})) == ["b"]
    assert _slugs(api_client.get(url, {"mine": "true"})) == ["b"]
    assert _slugs(api_client.get(url, {"status": "archived"})) == ["c"]
    body = api_client.get(url).json()["results"]
    assert body[0]["my_status"] == "active" and body[0]["my_role"] == "member"
    assert body[1]["my_status"] is None
    assert a.slug == body[1]["slug"]


def test_list_refuses_an_unknown_focus_area_in_the_error_format(api_client, db):
    response = api_client.get("/api/v1/working-groups/", {"focus_area": "nowhere"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["focus_area"]


def test_detail_by_slug_includes_sanitized_charter_even_when_archived(api_client, db):
    group = WorkingGroupFactory(
        charter="**Mission** <script>x()</script>",
        status=WorkingGroup.Status.ARCHIVED,
    )
    body = api_client.get(f"/api/v1/working-groups/{group.slug}/").json()
    assert body["status"] == "archived"
    assert "<strong>Mission</strong>" in body["charter_html"]
    assert "<script>" not in body["charter_html"]
    assert api_client.get("/api/v1/working-groups/nope/").status_code == 404


def test_join_reports_the_vote_and_why_not(api_client, db):
    group = WorkingGroupFactory()
    organization = OrganizationFactory()
    working_group_join(group=group, user=organization_member(organization))
    person = organization_member(organization)
    api_client.force_authenticate(person)
    body = api_client.post(f"/api/v1/working-groups/{group.slug}/join/", {}).json()
    assert body["status"] == "active"
    assert body["voting"] is False
    assert body["non_voting_reason"] == "seat_cap"
    assert body["non_voting_reason_display"] == (
        "Its organization's voting seats are taken"
    )
    assert body["organization"] == organization.slug


def test_join_refuses_fields_a_caller_must_not_set_and_changes_nothing(api_client, db):
    group = WorkingGroupFactory()
    person = MemberFactory()
    api_client.force_authenticate(person)
    response = api_client.post(
        f"/api/v1/working-groups/{group.slug}/join/",
        {"role": "chair", "voting": True, "status": "active", "user": 1},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"role", "voting", "status", "user"}
    assert not M.objects.filter(group=group).exists()


def test_join_with_a_chosen_organization_the_caller_belongs_to(api_client, db):
    group = WorkingGroupFactory()
    person = MemberFactory()
    second = OrganizationFactory()
    AffiliationFactory(user=person, organization=second)
    api_client.force_authenticate(person)
    response = api_client.post(
        f"/api/v1/working-groups/{group.slug}/join/", {"organization": second.slug}
    )
    assert response.status_code == 201
    assert response.json()["organization"] == second.slug
    foreign = OrganizationFactory(status=Organization.Status.ACTIVE)
    other = MemberFactory()
    api_client.force_authenticate(other)
    response = api_client.post(
        f"/api/v1/working-groups/{group.slug}/join/", {"organization": foreign.slug}
    )
    assert response.status_code == 400
    assert "organization" in response.json()["errors"]


def test_leave_refuses_extra_fields(api_client, db):
    group = WorkingGroupFactory()
    person = MemberFactory()
    working_group_join(group=group, user=person)
    api_client.force_authenticate(person)
    response = api_client.post(
        f"/api/v1/working-groups/{group.slug}/leave/", {"status": "active"}
    )
    assert response.status_code == 400
    assert M.objects.get(user=person).status == M.Status.ACTIVE


def test_chair_lists_requests_and_declines_with_a_note(api_client, chair):
    group = chair.group_memberships.get().group
    request = working_group_join(
        group=group, user=MemberFactory(), as_observer=True, message="Curious"
    )
    api_client.force_authenticate(chair)
    listing = api_client.get(f"/api/v1/working-groups/{group.slug}/requests/").json()
    assert [(r["id"], r["role"], r["message"]) for r in listing["results"]] == [
        (request.pk, "observer", "Curious")
    ]
    url = f"/api/v1/working-groups/{group.slug}/requests/{request.pk}/decline/"
    response = api_client.post(url, {"note": "Full this term", "voting": True})
    assert response.status_code == 400
    response = api_client.post(url, {"note": "Full this term"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == (
        "declined",
        "Full this term",
    )
    again = api_client.post(url, {})
    assert again.status_code == 400
    assert "already been decided" in again.json()["errors"]["non_field_errors"][0]


def test_chair_approves_a_request_as_observer(api_client, chair):
    group = chair.group_memberships.get().group
    request = working_group_join(group=group, user=MemberFactory(), as_observer=True)
    api_client.force_authenticate(chair)
    response = api_client.post(
        f"/api/v1/working-groups/{group.slug}/requests/{request.pk}/approve/",
        {"admit_as": "observer"},
    )
    assert response.status_code == 200
    assert (response.json()["role"], response.json()["voting"]) == ("observer", False)


def test_a_chair_cannot_decide_another_groups_request(api_client, chair):
    other = WorkingGroupFactory(join_policy=WorkingGroup.JoinPolicy.APPROVAL)
    request = working_group_join(group=other, user=MemberFactory())
    group = chair.group_memberships.get().group
    api_client.force_authenticate(chair)
    response = api_client.post(
        f"/api/v1/working-groups/{group.slug}/requests/{request.pk}/approve/", {}
    )
    assert response.status_code == 404
    response = api_client.post(
        f"/api/v1/working-groups/{other.slug}/requests/{request.pk}/approve/", {}
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.status == M.Status.PENDING


def test_members_endpoint_lists_role_organization_and_since(api_client, chair):
    group = chair.group_memberships.get().group
    api_client.force_authenticate(MemberFactory())  # members see members' names
    body = api_client.get(f"/api/v1/working-groups/{group.slug}/members/").json()
    [entry] = body["results"]
    assert entry["person"] == chair.public_name
    assert entry["role"] == "chair"
    assert entry["organization"] == chair.affiliations.get().organization.slug
    assert entry["term_start"]


def test_updates_endpoint_carries_action_items(api_client, chair):
    group = chair.group_memberships.get().group
    working_group_update_post(
        group=group,
        author=chair,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title="May",
        body="*met*",
        action_items=[ActionItemInput(text="Follow up", owner=chair)],
    )
    [update] = api_client.get(f"/api/v1/working-groups/{group.slug}/updates/").json()[
        "results"
    ]
    assert update["body_html"] == "<p><em>met</em></p>\n"
    assert update["action_items"][0]["text"] == "Follow up"
    assert update["action_items"][0]["done"] is False


def test_public_rosters_do_not_name_people_hidden_from_the_directory(
    api_client, client, db
):
    """Issue 17 item 19: the roster of a public group names a person only to
    those the directory would show them to; the group's own members and staff
    see everyone, and the person always sees themself."""
    group = WorkingGroupFactory(slug="open")
    hidden = MemberFactory(name="Hidden Hannah", directory_visibility="hidden")
    members_only = MemberFactory(name="Member Max", directory_visibility="members")
    public = MemberFactory(name="Public Paula", directory_visibility="public")
    for person in (hidden, members_only, public):
        WorkingGroupMembershipFactory(group=group, user=person)
    url = f"/api/v1/working-groups/{group.slug}/members/"

    def names():
        response = api_client.get(url)
        assert response.status_code == 200
        return {row["person"] for row in response.json()["results"]}

    private = "A member who keeps their name private"
    assert names() == {"Public Paula", private}  # anonymous
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Hidden Hannah" not in page
    assert "Member Max" not in page
    assert "Public Paula" in page

    api_client.force_authenticate(MemberFactory())  # a member outside the group
    assert names() == {"Public Paula", "Member Max", private}
    api_client.force_authenticate(hidden)
    assert "Hidden Hannah" in names()
    api_client.force_authenticate(public)  # a fellow member of the group
    assert names() == {"Public Paula", "Member Max", "Hidden Hannah"}
