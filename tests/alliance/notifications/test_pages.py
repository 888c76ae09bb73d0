"""The inbox, preferences, subscriptions and unsubscribe pages."""

import pytest
from django.utils import timezone

from alliance.notifications.models import (
    Activity,
    Delivery,
    Notification,
    NotificationPreference,
    NotificationSettings,
    Subscription,
)
from alliance.notifications.services.emails import unsubscribe_token
from alliance.registries.notification_kinds import notification_kind_keys
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory

pytestmark = pytest.mark.django_db


def inbox(person, n, *, shown=True, kind="group_update_posted"):
    group = WorkingGroupFactory()
    activities = Activity.objects.bulk_create(
        [Activity(kind=kind, target=group) for _ in range(n)]
    )
    return Notification.objects.bulk_create(
        [
            Notification(
                recipient=person,
                activity=activity,
                kind=activity.kind,
                title=f"Update {i} & more",
                url=group.get_absolute_url(),
                shown_at=timezone.now() if shown else None,
            )
            for i, activity in enumerate(activities)
        ]
    )


def test_the_inbox_lists_shown_notifications_with_the_unread_count(
    member_client, member, django_assert_max_num_queries
):
    inbox(member, 3)
    inbox(member, 1, shown=False)  # waits for the digest
    with django_assert_max_num_queries(12):
        html = member_client.get("/notifications/").content.decode()
    assert html.count('class="notification unread"') == 3
    assert "Update 0 &amp; more" in html
    assert 'id="unread-count">3<' in html


def test_the_inbox_runs_constant_queries(
    member_client, member, django_assert_num_queries
):
    inbox(member, 2)
    member_client.get("/notifications/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        member_client.get("/notifications/")
    expected = len(few)  # read before the next request resets the query log
    inbox(member, 40)
    member_client.get("/notifications/")  # the bell's count, kept per person
    with django_assert_num_queries(expected):
        member_client.get("/notifications/")


def test_marking_one_read_with_htmx_swaps_the_item_and_the_bell(member_client, member):
    first, _second = inbox(member, 2)
    response = member_client.post(
        f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert f'id="notification-{first.pk}"' in html
    assert "Mark read" not in html.split('id="inbox-bell"')[0]
    assert 'data-hx-swap-oob="true"' in html and 'id="unread-count">1<' in html
    first.refresh_from_db()
    assert first.read_at is not None


def test_marking_all_read_without_javascript_redirects_with_a_message(
    member_client, member
):
    inbox(member, 3)
    response = member_client.post("/notifications/read-all/", follow=True)
    assert "Marked 3 notifications read." in response.content.decode()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_nobody_marks_another_persons_notification(member_client, user):
    (theirs,) = inbox(user, 1)
    assert member_client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    member_client, member
):
    (notification,) = inbox(member, 1)
    page = member_client.get("/notifications/").content.decode()
    opener = f'<form method="post" action="/notifications/{notification.pk}/open/"'
    assert opener in page
    response = member_client.post(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at


def test_opening_a_notification_by_get_changes_nothing(member_client, member):
    """Issue 17 item 16: a link from another site (a GET) cannot mark anything
    read; it only follows the notification's link."""
    (notification,) = inbox(member, 1)
    response = member_client.get(f"/notifications/{notification.pk}/open/")
    assert response.status_code == 302 and response["Location"] == notification.url
    notification.refresh_from_db()
    assert notification.read_at is None


def test_preferences_page_saves_digest_and_per_kind_choices(member_client, member):
    page = member_client.get("/notifications/preferences/").content.decode()
    assert "Notification preferences" in page and "Working group update" in page
    data = {
        "digest_frequency": "daily",
        "digest_hour": "7",
        "digest_weekday": "0",
    }
    for kind in notification_kind_keys():
        data[f"email__{kind}"] = Delivery.IMMEDIATELY
        data[f"inbox__{kind}"] = Delivery.IMMEDIATELY
    data["email__group_update_posted"] = Delivery.OFF
    response = member_client.post("/notifications/preferences/", data, follow=True)
    assert "Your notification preferences are saved." in response.content.decode()
    settings_row = NotificationSettings.objects.get(user=member)
    assert settings_row.digest_frequency == "daily" and settings_row.digest_hour == 7
    assert (
        NotificationPreference.objects.get(
            user=member, kind="group_update_posted"
        ).email
        == Delivery.OFF
    )


def test_preferences_reject_bad_input_and_save_nothing(member_client, member):
    response = member_client.post(
        "/notifications/preferences/", {"digest_frequency": "hourly"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Some choices are not valid" in html
    assert "Select a valid choice. hourly is not one of the available choices." in html
    assert not NotificationPreference.objects.filter(user=member).exists()


def test_preferences_are_linked_from_the_settings_navigation(member_client):
    html = member_client.get("/members/me/profile/").content.decode()
    assert 'href="/notifications/preferences/"' in html
    assert 'href="/notifications/subscriptions/"' in html


def test_subscriptions_page_lists_groups_and_mutes_in_one_click(member_client, member):
    group = WorkingGroupMembershipFactory(user=member).group
    html = member_client.get("/notifications/subscriptions/").content.decode()
    assert group.name in html and "you belong to it" in html
    response = member_client.post(
        "/notifications/subscriptions/change/",
        {"type": "alliance.workinggroup", "id": group.pk, "state": "mute"},
        follow=True,
    )
    assert f"You muted “{group.name}”" in response.content.decode()
    assert Subscription.objects.get(user=member).state == "mute"


def test_subscriptions_change_rejects_what_cannot_be_followed(member_client):
    response = member_client.post(
        "/notifications/subscriptions/change/",
        {"type": "members.apitoken", "id": 1, "state": "follow"},
    )
    assert response.status_code == 404


def test_one_click_unsubscribe_from_a_mail_client(client, member):
    token = unsubscribe_token(user_id=member.pk, scope="group_update_posted")
    page = client.get(f"/notifications/unsubscribe/{token}/").content.decode()
    assert "Stop emails about “Working group update”" in page
    assert not NotificationPreference.objects.exists()  # GET changes nothing
    response = client.post(
        f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=member).email == Delivery.OFF


def test_unsubscribe_from_the_digest_in_a_browser(client, member):
    token = unsubscribe_token(user_id=member.pk, scope="digest")
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert "you no longer receive your digest by email" in response.content.decode()
    assert NotificationSettings.objects.get(user=member).digest_frequency == "never"


def test_a_tampered_unsubscribe_link_is_refused(client, member):
    token = unsubscribe_token(user_id=member.pk, scope="digest") + "x"
    response = client.post(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "This unsubscribe link is not valid" in response.content.decode()


def test_the_data_export_includes_notifications_and_choices(member):
    from alliance.notifications.services.preferences import notification_preferences_set
    from alliance.registries.personal_data import personal_data_collect

    inbox(member, 1)
    notification_preferences_set(
        user=member, kinds={"event_changed": {"email": Delivery.OFF}}
    )
    data = personal_data_collect(member)["notifications"]
    assert data["digest"]["frequency"] == "weekly"
    assert data["preferences"] == [
        {"kind": "event_changed", "email": "off", "inbox": "immediately"}
    ]
    assert data["notifications"][0]["title"] == "Update 0 & more"
