"""Staff find and fix working groups in the admin."""

from alliance.notifications.models import Notification
from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
from tests.alliance.factories import (
    ActionItemFactory,
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.members.factories import MemberFactory

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
            {"action": action, "_selected_action": [group.pk]},
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
