"""Staff find and fix working groups in the admin."""

from alliance.notifications.models import Notification
from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
from tests.alliance.factories import (
    ActionItemFactory,
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.alliance.working_groups.conftest import organization_member
from tests.members.factories import MemberFactory, OrganizationFactory

M = WorkingGroupMembership


def test_group_list_defaults_to_active_and_shows_counts(client, staff_user):
    WorkingGroupFactory(name="Living Group")
    WorkingGroupFactory(name="Old Group", status=WorkingGroup.Status.ARCHIVED)
    client.force_login(staff_user)
    html = client.get("/admin/alliance/workinggroup/").content.decode()
    assert "Living Group" in html and "Old Group" not in html
    html = client.get("/admin/alliance/workinggroup/?status=all").content.decode()
    assert "Old Group" in html


def test_group_change_page_has_member_inlines(client, staff_user):
    membership = WorkingGroupMembershipFactory(role=M.Role.CHAIR)
    client.force_login(staff_user)
    html = client.get(
        f"/admin/alliance/workinggroup/{membership.group.pk}/change/"
    ).content.decode()
    assert "memberships-TOTAL_FORMS" in html
    assert membership.user.public_name in html


def test_archive_and_review_actions(client, staff_user):
    group = WorkingGroupFactory()
    client.force_login(staff_user)
    for action in ("archive", "mark_reviewed"):
        response = client.post(
            "/admin/alliance/workinggroup/?status=all",
            {"action": action, "_selected_action": [group.pk], "confirm": "1"},
            follow=True,
        )
        assert response.status_code == 200
    group.refresh_from_db()
    assert group.status == WorkingGroup.Status.ARCHIVED
    assert group.last_reviewed is not None


def test_approving_requests_in_the_admin_notifies_the_person(
    client, staff_user, django_capture_on_commit_callbacks
):
    request = WorkingGroupMembershipFactory(status=M.Status.PENDING, voting=False)
    decided = WorkingGroupMembershipFactory(status=M.Status.DECLINED)
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/alliance/workinggroupmembership/?state=all",
            {
                "action": "approve_requests",
                "_selected_action": [request.pk, decided.pk],
            },
            follow=True,
        )
    html = response.content.decode()
    assert "1 request approved." in html
    assert "already been decided" in html
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (M.Status.ACTIVE, staff_user)
    assert Notification.objects.filter(recipient=request.user).exists()


def test_membership_list_defaults_to_open_memberships(client, staff_user):
    WorkingGroupMembershipFactory(user=MemberFactory(name="Hannah Here"))
    WorkingGroupMembershipFactory(
        user=MemberFactory(name="Gustav Gone"), status=M.Status.LEFT
    )
    client.force_login(staff_user)
    html = client.get("/admin/alliance/workinggroupmembership/").content.decode()
    assert "Hannah Here" in html
    assert "Gustav Gone" not in html
    html = client.get("/admin/alliance/workinggroupmembership/?state=left").content
    assert "Gustav Gone" in html.decode()


def test_updates_with_action_items_and_overdue_filter(client, staff_user):
    update = WorkingGroupUpdateFactory(kind="minutes", title="Minutes of May")
    ActionItemFactory(update=update, text="Late task", due_date="2020-01-01")
    client.force_login(staff_user)
    html = client.get(
        f"/admin/alliance/workinggroupupdate/{update.pk}/change/"
    ).content.decode()
    assert "Late task" in html
    html = client.get("/admin/alliance/actionitem/?due=overdue").content.decode()
    assert "Late task" in html
    response = client.post(
        "/admin/alliance/actionitem/",
        {"action": "mark_done", "_selected_action": [update.action_items.get().pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert update.action_items.get().done is True


def _change_form_data(response) -> dict:
    """Return what the admin's change page would post back unchanged."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[form.add_prefix(name)] = "on"
            elif value not in (None, False):
                data[form.add_prefix(name)] = value
    return data


def test_posting_the_change_forms_cannot_change_seat_role_or_status(client, staff_user):
    voter = WorkingGroupMembershipFactory(role=M.Role.MEMBER, voting=True)
    group = voter.group
    client.force_login(staff_user)
    url = f"/admin/alliance/workinggroup/{group.pk}/change/"
    data = _change_form_data(client.get(url))
    data.update(
        {
            "summary": "Edited by staff",
            "status": WorkingGroup.Status.ARCHIVED,
            "memberships-0-role": M.Role.CHAIR,
            "memberships-0-status": M.Status.LEFT,
            "memberships-0-voting": "",
            "memberships-0-organization": "",
        }
    )
    assert client.post(url, data).status_code == 302
    group.refresh_from_db()
    assert (group.summary, group.status) == ("Edited by staff", "active")
    voter.refresh_from_db()
    assert (voter.role, voter.status, voter.voting) == ("member", "active", True)
    assert voter.organization is not None

    url = f"/admin/alliance/workinggroupmembership/{voter.pk}/change/"
    data = _change_form_data(client.get(url))
    data.update(
        {
            "note": "Edited by staff",
            "role": M.Role.OBSERVER,
            "status": M.Status.LEFT,
            "voting": "",
            "group": WorkingGroupFactory().pk,
        }
    )
    assert client.post(url, data).status_code == 302
    voter.refresh_from_db()
    assert voter.note == "Edited by staff"
    assert (voter.group, voter.role, voter.status) == (group, "member", "active")
    assert voter.voting is True


def test_memberships_are_not_added_or_deleted_around_the_services(client, staff_user):
    membership = WorkingGroupMembershipFactory()
    client.force_login(staff_user)
    assert client.get("/admin/alliance/workinggroupmembership/add/").status_code == 403
    html = client.get(
        f"/admin/alliance/workinggroup/{membership.group.pk}/change/"
    ).content.decode()
    assert "memberships-0-DELETE" not in html
    assert 'name="memberships-0-role"' not in html


def test_role_actions_keep_the_seat_cap_promote_and_notify(
    client, staff_user, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory()  # the "general" tier: one seat a group
    group = WorkingGroupFactory()
    voter = WorkingGroupMembershipFactory(
        group=group, user=organization_member(organization), voting=True
    )
    observer = WorkingGroupMembershipFactory(
        group=group,
        user=organization_member(organization),
        role=M.Role.OBSERVER,
        voting=False,
        non_voting_reason=M.NonVotingReason.OBSERVER,
    )
    client.force_login(staff_user)
    url = "/admin/alliance/workinggroupmembership/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"action": "make_member", "_selected_action": [observer.pk]},
            follow=True,
        )
    assert "1 role changed; the person was notified." in response.content.decode()
    observer.refresh_from_db()
    assert observer.role == M.Role.MEMBER
    assert (observer.voting, observer.non_voting_reason) == (False, "seat_cap")
    assert Notification.objects.filter(
        recipient=observer.user, kind="group_role_changed"
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "make_observer", "_selected_action": [voter.pk]})
    voter.refresh_from_db()
    observer.refresh_from_db()
    assert (voter.role, voter.voting) == (M.Role.OBSERVER, False)
    assert (observer.voting, observer.non_voting_reason) == (True, "")
    notice = Notification.objects.get(recipient=voter.user, kind="group_role_changed")
    assert "as an observer" in notice.body


def test_ending_a_voting_membership_promotes_the_next_voter(client, staff_user):
    organization = OrganizationFactory()
    group = WorkingGroupFactory()
    voter = WorkingGroupMembershipFactory(
        group=group, user=organization_member(organization), voting=True
    )
    waiting = WorkingGroupMembershipFactory(
        group=group,
        user=organization_member(organization),
        voting=False,
        non_voting_reason=M.NonVotingReason.SEAT_CAP,
    )
    client.force_login(staff_user)
    client.post(
        "/admin/alliance/workinggroupmembership/",
        {"action": "end_memberships", "_selected_action": [voter.pk]},
    )
    voter.refresh_from_db()
    waiting.refresh_from_db()
    assert voter.status == M.Status.LEFT
    assert (waiting.voting, waiting.non_voting_reason) == (True, "")


def test_a_refused_role_change_names_the_person_and_changes_the_rest(
    client, staff_user
):
    request = WorkingGroupMembershipFactory(
        status=M.Status.PENDING, user=MemberFactory(name="Petra Pending")
    )
    member = WorkingGroupMembershipFactory()
    client.force_login(staff_user)
    response = client.post(
        "/admin/alliance/workinggroupmembership/?state=all",
        {"action": "make_chair", "_selected_action": [request.pk, member.pk]},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Petra Pending: Only an active member&#x27;s role can change." in html
    assert "1 role changed; the person was notified." in html
    member.refresh_from_db()
    request.refresh_from_db()
    assert (member.role, request.role) == (M.Role.CHAIR, M.Role.MEMBER)


def test_archiving_in_the_admin_goes_through_the_service(client, staff_user):
    group = WorkingGroupFactory()
    client.force_login(staff_user)
    # It asks first, saying what archiving does.
    page = client.post(
        "/admin/alliance/workinggroup/",
        {"action": "archive", "_selected_action": [group.pk]},
    )
    assert "takes no new members or updates" in page.content.decode()
    group.refresh_from_db()
    assert group.status == WorkingGroup.Status.ACTIVE
    response = client.post(
        "/admin/alliance/workinggroup/",
        {"action": "archive", "_selected_action": [group.pk], "confirm": "1"},
        follow=True,
    )
    assert "1 working group changed." in response.content.decode()
    group.refresh_from_db()
    assert group.status == WorkingGroup.Status.ARCHIVED
    assert group.history.latest().status == WorkingGroup.Status.ARCHIVED


def test_versions_of_minutes_are_listed_searchable_and_read_only(client, staff_user):
    from alliance.working_groups.services import working_group_update_correct

    update = WorkingGroupUpdateFactory(kind="minutes", title="Minutes of June")
    working_group_update_correct(
        update=update, editor=staff_user, title="Minutes of June", body="Corrected"
    )
    client.force_login(staff_user)
    html = client.get(
        f"/admin/alliance/workinggroupupdate/{update.pk}/change/"
    ).content.decode()
    assert "Update versions" in html  # the inline, with both versions
    listing = client.get("/admin/alliance/workinggroupupdateversion/?q=Corrected")
    assert listing.status_code == 200
    assert "Minutes of June" in listing.content.decode()
    version = update.versions.get(number=2)
    change = f"/admin/alliance/workinggroupupdateversion/{version.pk}/change/"
    assert client.post(change, {"body": "Tampered"}).status_code == 403
    version.refresh_from_db()
    assert version.body == "Corrected"
    assert (
        client.get("/admin/alliance/workinggroupupdateversion/add/").status_code == 403
    )
