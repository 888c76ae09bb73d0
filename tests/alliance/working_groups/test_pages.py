"""The working-group pages as a person sees them: the index and its filters,
the group page, joining in place with htmx, chairs' pages, minutes, the
dashboard panels, follow and mute, focus areas, German."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages

from alliance.focus_areas.models import FocusArea
from alliance.notifications.models import Subscription
from alliance.notifications.selectors import subscription_state
from alliance.registries.panels import _panels, panel_register
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from alliance.working_groups.services import working_group_join
from tests.alliance.factories import (
    ActionItemFactory,
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.alliance.working_groups.conftest import organization_member
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

M = WorkingGroupMembership
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_index_filters_by_focus_area_policy_text_and_my_groups(client, db):
    models = FocusArea.objects.get(number=2)
    mine = WorkingGroupFactory(name="Multilingual Models", focus_area=models)
    WorkingGroupFactory(
        name="Open Datasets",
        focus_area=models,
        join_policy=WorkingGroup.JoinPolicy.APPROVAL,
    )
    WorkingGroupFactory(name="Accelerator Software")
    WorkingGroupFactory(name="Old Group", status=WorkingGroup.Status.ARCHIVED)
    person = MemberFactory()
    WorkingGroupMembershipFactory(group=mine, user=person)
    client.force_login(person)

    def names(query=""):
        html = client.get(f"/working-groups/?{query}").content.decode()
        return [
            n
            for n in (
                "Multilingual Models",
                "Open Datasets",
                "Accelerator Software",
                "Old Group",
            )
            if f">{n}</a>" in html
        ]

    assert names() == ["Multilingual Models", "Open Datasets", "Accelerator Software"]
    assert names("focus_area=open-foundation-models") == [
        "Multilingual Models",
        "Open Datasets",
    ]
    assert names("join_policy=approval") == ["Open Datasets"]
    assert names("mine=on") == ["Multilingual Models"]
    assert names("q=accel") == ["Accelerator Software"]
    assert names("status=archived") == ["Old Group"]


def test_index_shows_where_the_person_stands_and_join_buttons(client, db):
    open_group = WorkingGroupFactory()
    approval = WorkingGroupFactory(join_policy=WorkingGroup.JoinPolicy.APPROVAL)
    person = MemberFactory()
    client.force_login(person)
    html = client.get("/working-groups/").content.decode()
    assert f'action="/working-groups/{open_group.slug}/join/"' in html
    assert "Request to join" in html
    working_group_join(group=approval, user=person)
    html = client.get("/working-groups/").content.decode()
    assert "Request sent" in html


def test_join_from_an_index_card_with_htmx_swaps_the_card(client, db):
    group = WorkingGroupFactory()
    client.force_login(MemberFactory())
    response = client.post(
        f"/working-groups/{group.slug}/join/", {"place": "card"}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="wg-{group.pk}-actions"' in html
    assert "You joined" in html and "as a voting member" in html
    assert "You are a member" in html


def test_join_on_the_group_page_with_htmx_shows_what_happened_in_place(client, db):
    group = WorkingGroupFactory()
    person = MemberFactory(name="Nina Newcomer")
    client.force_login(person)
    response = client.post(f"/working-groups/{group.slug}/join/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<section id="membership-box"' in html
    assert "as a voting member for" in html
    assert "Leave the group" in html
    # The roster is refreshed out of band, with the newcomer in it.
    assert 'id="roster" class="card" data-hx-swap-oob="true"' in html
    assert "Nina Newcomer" in html


def test_a_join_beyond_the_seat_cap_says_why_there_is_no_vote(client, db):
    group = WorkingGroupFactory()
    organization = OrganizationFactory(name="Acme Research")
    working_group_join(
        group=group, user=organization_member(organization, name="Vera Voter")
    )
    client.force_login(organization_member(organization))
    response = client.post(f"/working-groups/{group.slug}/join/", **HTMX)
    html = response.content.decode()
    assert "without a vote" in html
    assert "Acme Research has 1 voting seat per working group" in html
    assert "Vera Voter" in html
    # The page says it again on the next visit.
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Non-voting" in page
    assert "when a seat frees up, it passes to you" in page


def test_an_error_is_shown_in_place_too(client, db):
    group = WorkingGroupFactory(join_policy=WorkingGroup.JoinPolicy.CLOSED)
    client.force_login(MemberFactory())
    html = client.post(f"/working-groups/{group.slug}/join/", **HTMX).content.decode()
    assert 'class="message message-error"' in html
    assert "closed to new members" in html


def test_non_member_is_told_how_to_take_part_and_may_ask_to_observe(client, db):
    group = WorkingGroupFactory()
    client.force_login(UserFactory())
    html = client.get(group.get_absolute_url()).content.decode()
    assert "Only people of an active member organization can join" in html
    assert "Ask to observe" in html
    response = client.post(
        f"/working-groups/{group.slug}/join/",
        {"as_observer": "True", "message": "I teach AI ethics."},
    )
    assert response.status_code == 302
    request = M.objects.get(group=group)
    assert (request.status, request.role, request.message) == (
        "pending",
        "observer",
        "I teach AI ethics.",
    )


def test_leave_and_withdraw_show_what_happened(client, db):
    group = WorkingGroupFactory()
    person = MemberFactory()
    working_group_join(group=group, user=person)
    client.force_login(person)
    html = client.post(f"/working-groups/{group.slug}/leave/", **HTMX).content.decode()
    assert f"You left {group.name}." in html
    assert "Join this group" in html


def test_invited_person_accepts_on_the_group_page(client, db, chair):
    group = chair.group_memberships.get().group
    person = MemberFactory()
    WorkingGroupMembershipFactory(
        group=group, user=person, status=M.Status.INVITED, invited_by=chair
    )
    client.force_login(person)
    html = client.get(group.get_absolute_url()).content.decode()
    assert f"{chair.public_name} invites you to join this group." in html
    response = client.post(
        f"/working-groups/{group.slug}/invitation/", {"answer": "accept"}
    )
    assert response.status_code == 302
    assert M.objects.get(user=person).status == M.Status.ACTIVE


def test_dashboard_shows_groups_requests_invitations_and_waiting_requests(client, db):
    chaired = WorkingGroupFactory(name="Chaired Group")
    person = MemberFactory()
    WorkingGroupMembershipFactory(group=chaired, user=person, role=M.Role.CHAIR)
    WorkingGroupMembershipFactory(
        group=chaired, user=MemberFactory(), status=M.Status.PENDING
    )
    WorkingGroupMembershipFactory(
        group=WorkingGroupFactory(name="Asked Group"),
        user=person,
        status=M.Status.PENDING,
    )
    invited = WorkingGroupFactory(name="Inviting Group")
    WorkingGroupMembershipFactory(group=invited, user=person, status=M.Status.INVITED)
    client.force_login(person)
    html = client.get("/dashboard/").content.decode()
    assert "My working groups" in html
    assert "1 request waiting for you" in html
    assert "Request waiting for a chair" in html
    assert f'action="/working-groups/{invited.slug}/invitation/"' in html
    response = client.post(
        f"/working-groups/{invited.slug}/invitation/",
        {"answer": "decline", "next": "/dashboard/"},
    )
    assert response["Location"] == "/dashboard/"
    assert M.objects.get(group=invited, user=person).status == M.Status.DECLINED


def test_chair_approves_in_place_with_a_note(client, db, chair):
    group = chair.group_memberships.get().group
    request = WorkingGroupMembershipFactory(
        group=group, user=MemberFactory(name="Rita Request"), status=M.Status.PENDING
    )
    client.force_login(chair)
    page = client.get(f"/working-groups/{group.slug}/requests/").content.decode()
    assert "Rita Request" in page and "1 request to decide" in page
    response = client.post(
        f"/working-groups/{group.slug}/requests/{request.pk}/",
        {"decision": "decline", "note": "Please apply again in spring."},
        **HTMX,
    )
    html = response.content.decode()
    assert "You declined the request of Rita Request." in html
    assert "Declined" in html
    request.refresh_from_db()
    assert request.note == "Please apply again in spring."


def test_the_invite_form_answers_the_same_whether_the_address_has_an_account(
    client, db, chair
):
    """Issue 17 item 15: the chair's invite form neither tells whether an address
    has an account nor names a hidden person; what it can refuse depends on the
    group and role alone."""
    group = chair.group_memberships.get().group
    client.force_login(chair)
    url = f"/working-groups/{group.slug}/requests/"
    outsider = UserFactory(name="Hidden Hugo", directory_visibility="hidden")

    def answer(email, role):
        response = client.post(url, {"email": email, "role": role}, follow=True)
        assert response.status_code == 200
        html = response.content.decode()
        match = re.search(r'<div class="wrap messages".*?</div>', html, re.S)
        assert match, html
        return match.group(0).replace(email, "EMAIL")

    nobody = answer("nobody@example.org", "member")
    assert "If an account with the address" in nobody
    # A person without an active member organization, invited as member: the
    # same answer, and nothing is created.
    assert answer(outsider.email, "member") == nobody
    assert not M.objects.filter(user=outsider).exists()

    # As observer they are invited, and the answer is still the same.
    assert answer(outsider.email.upper(), "observer") == nobody
    invitation = M.objects.get(user=outsider)
    assert (invitation.status, invitation.role, invitation.invited_by) == (
        "invited",
        "observer",
        chair,
    )
    page = client.get(url).content.decode()
    assert "Hidden Hugo" not in page  # hidden from the directory: not named
    assert "A member who keeps their name private" in page
    # Inviting again changes nothing and says nothing new.
    assert "If an account with the address" in answer(outsider.email, "observer")
    assert M.objects.filter(user=outsider).count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"join_policy": WorkingGroup.JoinPolicy.CLOSED},
            "This working group is closed: staff can change its join policy "
            "before anyone is invited.",
        ),
        (
            {"status": WorkingGroup.Status.ARCHIVED},
            "This working group is archived; it takes no new members or updates.",
        ),
    ],
    ids=["closed", "archived"],
)
def test_chair_inviting_into_a_closed_or_archived_group_sees_why_on_the_page(
    client, db, chair, change, message
):
    group = chair.group_memberships.get().group
    WorkingGroup.objects.filter(pk=group.pk).update(**change)
    invitee = MemberFactory()
    client.force_login(chair)
    response = client.post(
        f"/working-groups/{group.slug}/requests/",
        {"email": invitee.email, "role": "member"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not M.objects.filter(user=invitee).exists()


def test_member_posts_minutes_and_the_owner_sees_the_item_on_the_dashboard(
    client, db, chair
):
    group = chair.group_memberships.get().group
    owner = MemberFactory(name="Olga Owner")
    WorkingGroupMembershipFactory(group=group, user=owner)
    client.force_login(chair)
    form = client.get(f"/working-groups/{group.slug}/updates/new/").content.decode()
    assert "Olga Owner" in form
    response = client.post(
        f"/working-groups/{group.slug}/updates/new/",
        {
            "kind": "minutes",
            "title": "April meeting",
            "body": "We met. <script>alert(1)</script>",
            "meeting_date": "2030-04-02",
            "items-TOTAL_FORMS": "3",
            "items-INITIAL_FORMS": "0",
            "items-0-text": "Draft the report",
            "items-0-owner": str(owner.pk),
            "items-0-due_date": "2030-04-30",
            "items-1-text": "",
            "items-2-text": "",
        },
    )
    update = WorkingGroupUpdate.objects.get()
    assert response["Location"] == update.get_absolute_url()
    page = client.get(update.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "Draft the report" in page
    client.force_login(owner)
    dashboard = client.get("/dashboard/").content.decode()
    assert "My action items" in dashboard
    assert "Draft the report" in dashboard
    assert "April meeting" in dashboard
    item = ActionItem.objects.get()
    html = client.post(
        f"/working-groups/action-items/{item.pk}/done/",
        {"done": "1", "place": "dashboard"},
        **HTMX,
    ).content.decode()
    assert "Marked done: Draft the report" in html
    assert "Draft the report" not in client.get("/dashboard/").content.decode()


def test_minutes_form_shows_errors_and_writes_nothing(client, db, chair):
    group = chair.group_memberships.get().group
    client.force_login(chair)
    html = client.post(
        f"/working-groups/{group.slug}/updates/new/",
        {
            "kind": "news",
            "title": "News",
            "body": "Text",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-text": "A task",
            "items-0-owner": str(chair.pk),
        },
    ).content.decode()
    assert "Only meeting minutes carry action items." in html
    html = client.post(
        f"/working-groups/{group.slug}/updates/new/",
        {
            "kind": "minutes",
            "title": "Minutes",
            "body": "Text",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-text": "A task",
        },
    ).content.decode()
    assert "Choose who will do it." in html
    assert not WorkingGroupUpdate.objects.exists()


@pytest.mark.parametrize(
    ("kind", "status"),
    [("observer", 403), ("member_outside", 403), ("staff", 200)],
)
def test_only_chairs_members_and_staff_post_updates(client, db, kind, status):
    group = WorkingGroupFactory()
    person = {
        "observer": lambda: (
            WorkingGroupMembershipFactory(group=group, role=M.Role.OBSERVER).user
        ),
        "member_outside": MemberFactory,
        "staff": lambda: UserFactory(is_staff=True),
    }[kind]()
    client.force_login(person)
    assert (
        client.get(f"/working-groups/{group.slug}/updates/new/").status_code == status
    )


def test_owner_cannot_be_someone_else_marking_done(client, db):
    item = ActionItemFactory()
    client.force_login(MemberFactory())
    response = client.post(f"/working-groups/action-items/{item.pk}/done/")
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.done is False


def test_follow_and_mute_in_place(client, db):
    group = WorkingGroupFactory()
    person = UserFactory()
    client.force_login(person)
    assert ">Follow</button>" in client.get(group.get_absolute_url()).content.decode()
    html = client.post(
        f"/working-groups/{group.slug}/follow/", {"state": "follow"}, **HTMX
    ).content.decode()
    assert "You follow" in html and "Unfollow" in html
    assert subscription_state(user=person, target=group) == "follow"
    member = MemberFactory()
    working_group_join(group=group, user=member)
    client.force_login(member)
    assert (
        "Following as a member" in client.get(group.get_absolute_url()).content.decode()
    )
    response = client.post(f"/working-groups/{group.slug}/follow/", {"state": "mute"})
    assert response.status_code == 302
    assert subscription_state(user=member, target=group) == "mute"
    client.post(f"/working-groups/{group.slug}/follow/", {"state": ""})
    assert not Subscription.objects.filter(user=member).exists()


def test_non_members_cannot_follow_a_members_only_group(client, db):
    group = WorkingGroupFactory(visibility=WorkingGroup.Visibility.MEMBERS)
    client.force_login(UserFactory())
    assert "follow-box" not in client.get(group.get_absolute_url()).content.decode()
    response = client.post(f"/working-groups/{group.slug}/follow/", {"state": "follow"})
    # The same answer as for a group that does not exist (issue 12).
    assert response.status_code == 404
    missing = client.post("/working-groups/no-such-group/follow/", {"state": "follow"})
    assert missing.status_code == 404
    assert not Subscription.objects.exists()


def test_members_only_updates_are_hidden_from_outsiders(client, db):
    group = WorkingGroupFactory(visibility=WorkingGroup.Visibility.MEMBERS)
    update = WorkingGroupUpdateFactory(group=group, title="Secret plans")
    assert "Secret plans" not in client.get(group.get_absolute_url()).content.decode()
    assert client.get(update.get_absolute_url()).status_code == 302
    client.force_login(MemberFactory())
    assert client.get(update.get_absolute_url()).status_code == 403
    assert client.get(f"/working-groups/{group.slug}/updates/").status_code == 403


def test_group_page_shows_charter_updates_open_items_and_links(client, db):
    group = WorkingGroupFactory(
        charter="## Mission\n\n<img src=x onerror=alert(1)> Build *things*.",
        mailing_list_url="https://lists.example.org/wg",
        last_reviewed=datetime.date(2026, 1, 15),
    )
    item = ActionItemFactory(update__group=group, text="Collect examples")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "<em>things</em>" in html
    assert "<img" not in html.split("charter-heading")[1].split("</section>")[0]
    assert item.update.title in html
    assert "Collect examples" in html
    assert "https://lists.example.org/wg" in html


def test_archived_group_stays_readable_but_takes_nobody(client, db):
    group = WorkingGroupFactory(status=WorkingGroup.Status.ARCHIVED)
    client.force_login(MemberFactory())
    html = client.get(group.get_absolute_url()).content.decode()
    assert "This group is archived" in html
    assert "Join this group" not in html


def test_unknown_group_is_a_404(client, db):
    assert client.get("/working-groups/no-such-group/").status_code == 404


def test_focus_area_page_lists_its_groups_and_renders_registered_panels(client, db):
    area = FocusArea.objects.get(number=3)
    WorkingGroupFactory(name="Accelerator Software", focus_area=area)
    saved = list(_panels.get("focus_area", []))
    panel_register(
        "focus_area",
        template="alliance/working_groups/_policy_tag.html",
        context=lambda request, focus_area: {"seen": focus_area.slug},
        order=99,
    )
    try:
        html = client.get(area.get_absolute_url()).content.decode()
    finally:
        _panels["focus_area"] = saved
    assert "Hardware acceleration" in html
    assert "Accelerator Software" in html
    assert area.description in html


def test_key_pages_in_german(client, db, chair):
    group = chair.group_memberships.get().group
    WorkingGroupUpdateFactory(group=group, kind=WorkingGroupUpdate.Kind.MINUTES)
    client.force_login(chair)
    headers = {"HTTP_ACCEPT_LANGUAGE": "de"}
    chair.language = "de"
    chair.save()
    index = client.get("/working-groups/", **headers).content.decode()
    assert "Alle Schwerpunktbereiche" in index
    page = client.get(group.get_absolute_url(), **headers).content.decode()
    assert "Charta" in page
    assert "Mitgliederliste" in page
    assert "Sitzungsprotokoll" in page
    dashboard = client.get("/dashboard/", **headers).content.decode()
    assert "Meine Arbeitsgruppen" in dashboard
    assert "Meine Aufgaben" in dashboard


def test_join_messages_without_javascript(client, db):
    group = WorkingGroupFactory(join_policy=WorkingGroup.JoinPolicy.APPROVAL)
    client.force_login(MemberFactory())
    response = client.post(
        f"/working-groups/{group.slug}/join/", {"message": "I can help."}
    )
    [message] = list(get_messages(response.wsgi_request))
    assert "was sent to its chairs" in str(message)
    assert M.objects.get(group=group).message == "I can help."


def test_the_join_box_offers_a_choice_of_organization_only_to_who_has_two(client, db):
    from tests.members.factories import AffiliationFactory

    group = WorkingGroupFactory()
    person = MemberFactory()
    client.force_login(person)
    assert 'name="organization"' not in client.get(group.get_absolute_url()).text
    AffiliationFactory(user=person, organization=OrganizationFactory(name="Second Lab"))
    html = client.get(group.get_absolute_url()).text
    assert 'name="organization"' in html and ">Second Lab</option>" in html
    response = client.post(
        f"/working-groups/{group.slug}/join/",
        {"organization": _second_lab_slug(html)},
    )
    assert response.status_code == 302
    membership = group.memberships.get(user=person)
    assert membership.organization.name == "Second Lab"


def _second_lab_slug(html: str) -> str:
    return re.search(r'<option value="([^"]+)">Second Lab</option>', html)[1]
