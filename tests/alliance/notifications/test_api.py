"""/api/v1/me/notifications/, /me/subscriptions/ and /me/preferences/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.core.memo import memo_forget
from alliance.notifications.models import Subscription
from tests.alliance.factories import WorkingGroupFactory
from tests.alliance.notifications.test_pages import inbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(api_client, member):
    api_client.force_authenticate(member)
    return api_client


def test_notifications_need_a_signed_in_caller(api_client):
    response = api_client.get("/api/v1/me/notifications/")
    assert response.status_code in (401, 403)
    assert "errors" in response.json()


def test_list_and_mark_read(me, member, user):
    first, second = inbox(member, 2)
    inbox(user, 1)  # someone else's
    body = me.get("/api/v1/me/notifications/").json()
    assert body["count"] == 2
    assert {n["id"] for n in body["results"]} == {first.pk, second.pk}
    assert me.post(f"/api/v1/me/notifications/{first.pk}/read/").json() == {
        "marked_read": 1
    }
    unread = me.get("/api/v1/me/notifications/?unread=true").json()
    assert [n["id"] for n in unread["results"]] == [second.pk]
    assert me.post("/api/v1/me/notifications/read-all/").json() == {"marked_read": 1}


def test_nobody_reads_anothers_notification(me, user):
    (theirs,) = inbox(user, 1)
    response = me.post(f"/api/v1/me/notifications/{theirs.pk}/read/")
    assert response.status_code == 404


def test_notification_list_runs_constant_queries(me, member, django_assert_num_queries):
    inbox(member, 2)
    # Each request starts without the memos kept on the person (who is a member,
    # of which groups): the forced login reuses one object across requests.
    memo_forget(member)
    with CaptureQueriesContext(connection) as few:
        me.get("/api/v1/me/notifications/")
    inbox(member, 30)
    memo_forget(member)
    with django_assert_num_queries(len(few)):
        me.get("/api/v1/me/notifications/")


def test_follow_mute_and_reset_a_group(me, member):
    group = WorkingGroupFactory()
    response = me.post(
        "/api/v1/me/subscriptions/",
        {
            "target_type": "alliance.workinggroup",
            "target_id": group.pk,
            "state": "follow",
        },
    )
    assert response.status_code == 201
    assert response.json()["target_name"] == group.name
    me.post(
        "/api/v1/me/subscriptions/",
        {
            "target_type": "alliance.workinggroup",
            "target_id": group.pk,
            "state": "mute",
        },
    )
    listed = me.get("/api/v1/me/subscriptions/").json()
    assert [(s["target_id"], s["state"]) for s in listed["results"]] == [
        (group.pk, "mute")
    ]
    subscription = Subscription.objects.get(user=member)
    assert me.delete(f"/api/v1/me/subscriptions/{subscription.pk}/").status_code == 204
    assert not Subscription.objects.exists()


def test_subscriptions_reject_bad_targets_in_the_error_format(me):
    response = me.post(
        "/api/v1/me/subscriptions/",
        {"target_type": "members.apitoken", "target_id": 1, "state": "follow"},
    )
    assert response.status_code == 400
    assert "target_type" in response.json()["errors"]
    response = me.post(
        "/api/v1/me/subscriptions/",
        {"target_type": "alliance.workinggroup", "target_id": 999999, "state": "x"},
    )
    errors = response.json()["errors"]
    assert set(errors) == {"state"}


def test_nobody_deletes_anothers_subscription(me, user):
    group = WorkingGroupFactory()
    theirs = Subscription.objects.create(user=user, target=group, state="follow")
    assert me.delete(f"/api/v1/me/subscriptions/{theirs.pk}/").status_code == 404


def test_preferences_read_and_change(me):
    body = me.get("/api/v1/me/preferences/").json()
    assert body["digest_frequency"] == "weekly"
    assert body["kinds"]["group_update_posted"] == {
        "email": "digest",
        "inbox": "immediately",
    }
    body = me.patch(
        "/api/v1/me/preferences/",
        {
            "digest_frequency": "daily",
            "digest_hour": 18,
            "kinds": {"event_changed": {"email": "off"}},
        },
    ).json()
    assert body["digest_frequency"] == "daily" and body["digest_hour"] == 18
    assert body["kinds"]["event_changed"] == {"email": "off", "inbox": "immediately"}
    assert body["next_digest_at"]


def test_preferences_reject_bad_values_and_change_nothing(me):
    response = me.patch(
        "/api/v1/me/preferences/",
        {"digest_hour": 25, "kinds": {"nonsense": {"email": "off"}}},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"digest_hour", "kinds"}
    assert me.get("/api/v1/me/preferences/").json()["digest_hour"] == 8


def test_only_staff_choose_the_staff_report(me, api_client, staff_user):
    me.patch("/api/v1/me/preferences/", {"staff_report": False}, format="json")
    assert me.get("/api/v1/me/preferences/").json()["staff_report"] is True
    api_client.force_authenticate(staff_user)
    api_client.patch("/api/v1/me/preferences/", {"staff_report": False}, format="json")
    assert api_client.get("/api/v1/me/preferences/").json()["staff_report"] is False
