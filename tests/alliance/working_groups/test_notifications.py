"""Who hears of what happens in a working group, in their own language; and a
real Celery worker delivering it."""

import time

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from alliance.notifications.models import Activity, Notification
from alliance.notifications.services.subscriptions import subscription_set
from alliance.working_groups.models import WorkingGroupUpdate
from alliance.working_groups.services import (
    ActionItemInput,
    working_group_invite,
    working_group_join,
    working_group_request_decide,
    working_group_update_post,
)
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.members.factories import MemberFactory, UserFactory


def _titles(person, kind=None):
    notifications = Notification.objects.filter(recipient=person)
    if kind:
        notifications = notifications.filter(kind=kind)
    return list(notifications.values_list("title", flat=True))


def test_minutes_reach_members_and_followers_not_muters_nor_the_author(
    chair, django_capture_on_commit_callbacks
):
    group = chair.group_memberships.get().group
    member = MemberFactory(language="de")
    WorkingGroupMembershipFactory(group=group, user=member)
    muter = MemberFactory()
    WorkingGroupMembershipFactory(group=group, user=muter)
    subscription_set(user=muter, target=group, state="mute")
    follower = UserFactory()
    subscription_set(user=follower, target=group, state="follow")
    with django_capture_on_commit_callbacks(execute=True):
        update = working_group_update_post(
            group=group,
            author=chair,
            kind=WorkingGroupUpdate.Kind.MINUTES,
            title="June meeting",
            body="Notes",
            action_items=[ActionItemInput(text="Send the slides", owner=member)],
        )
    assert _titles(member, "group_minutes_posted") == [
        f"Protokoll von {group.name}: June meeting"
    ]
    assert _titles(member, "action_item_assigned") == [
        f"Neue Aufgabe für Sie in {group.name}"
    ]
    assert _titles(follower) == [f"Minutes of {group.name}: June meeting"]
    assert _titles(muter) == []
    assert _titles(chair) == []
    notification = Notification.objects.get(
        recipient=member, kind="action_item_assigned"
    )
    assert notification.url == update.get_absolute_url()
    assert "Send the slides" in notification.body
    assert any(
        member.email in m.to and "Send the slides" in m.body for m in mail.outbox
    )


def test_news_and_decisions_use_the_update_kind(
    chair, django_capture_on_commit_callbacks
):
    group = chair.group_memberships.get().group
    member = MemberFactory()
    WorkingGroupMembershipFactory(group=group, user=member)
    with django_capture_on_commit_callbacks(execute=True):
        working_group_update_post(
            group=group,
            author=chair,
            kind=WorkingGroupUpdate.Kind.DECISION,
            title="We adopt CC BY",
            body="Agreed.",
        )
    assert _titles(member, "group_update_posted") == [
        f"Decision in {group.name}: We adopt CC BY"
    ]


def test_chairs_hear_of_requests_and_the_requester_of_the_decision(
    chair, django_capture_on_commit_callbacks
):
    group = chair.group_memberships.get().group
    requester = MemberFactory(name="Rob Requester")
    with django_capture_on_commit_callbacks(execute=True):
        request = working_group_join(
            group=group, user=requester, as_observer=True, message="Please"
        )
    [title] = _titles(chair, "group_join_requested")
    assert title == f"Rob Requester asks to observe {group.name}"
    body = Notification.objects.get(recipient=chair).body
    assert "Please" in body and f"/working-groups/{group.slug}/requests/" in body
    with django_capture_on_commit_callbacks(execute=True):
        working_group_request_decide(
            membership=request, decided_by=chair, approve=False, note="Next year"
        )
    notification = Notification.objects.get(
        recipient=requester, kind="group_join_decided"
    )
    assert notification.title == f"Your request to join {group.name} was declined"
    assert "Next year" in notification.body


def test_invitee_hears_of_the_invitation(chair, django_capture_on_commit_callbacks):
    group = chair.group_memberships.get().group
    invitee = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        working_group_invite(
            group=group, invited_by=chair, user=invitee, message="We need you"
        )
    notification = Notification.objects.get(recipient=invitee)
    assert notification.title == f"You are invited to join {group.name}"
    assert "We need you" in notification.body
    assert notification.url == group.get_absolute_url()


def test_a_failed_post_notifies_nobody(chair, django_capture_on_commit_callbacks):
    group = chair.group_memberships.get().group
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        working_group_update_post(
            group=group, author=chair, kind="news", title="", body=""
        )
    assert not Activity.objects.exists()
    assert not Notification.objects.exists()


def test_a_real_worker_delivers_minutes_to_members(celery_worker):
    group = WorkingGroupFactory()
    chair = MemberFactory()
    WorkingGroupMembershipFactory(group=group, user=chair, role="chair")
    member = MemberFactory()
    WorkingGroupMembershipFactory(group=group, user=member)
    working_group_update_post(
        group=group,
        author=chair,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title="Worker meeting",
        body="Notes",
        action_items=[ActionItemInput(text="Check the worker", owner=member)],
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Notification.objects.filter(recipient=member).count() == 2:
            break
        time.sleep(0.2)
    assert sorted(_titles(member)) == [
        f"Minutes of {group.name}: Worker meeting",
        f"New action item for you in {group.name}",
    ]
    assert Activity.objects.filter(fanned_out_at__isnull=True).count() == 0
