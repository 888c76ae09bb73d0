"""Staff find and fix events in the admin."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.db import IntegrityError, connection, transaction

from events.models import Event, Registration
from events.services.registrations import registration_create
from tests.conftest import need, on_postgres
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory


def test_admin_lists_events_with_registrations(client, staff_user, db):
    event = EventFactory(capacity=1, title="Admin visible event")
    registration_create(event=event, user=MemberFactory(name="Anna Attendee"))
    client.force_login(staff_user)
    html = client.get("/admin/events/event/").content.decode()
    assert "Admin visible event" in html
    html = client.get(f"/admin/events/event/{event.pk}/change/").content.decode()
    assert "Anna Attendee" in html
    for path in (
        "/admin/events/registration/",
        "/admin/events/eventseries/",
        "/admin/events/eventreminder/",
        "/admin/events/event/?when=past&status=draft",
    ):
        assert client.get(path).status_code == 200


def test_admin_actions_publish_cancel_export(client, staff_user, db):
    draft = EventFactory(status="draft", title="Draft for staff")
    live = EventFactory(capacity=1, title="Live one")
    registration_create(event=live, user=MemberFactory(name="Cara Confirmed"))
    client.force_login(staff_user)
    url = "/admin/events/event/"
    # Publishing asks first, saying what will happen.
    page = client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    assert "Its audience sees it and may register" in page.content.decode()
    assert Event.objects.get(pk=draft.pk).status == "draft"
    done = client.post(
        url,
        {"action": "publish", "_selected_action": [draft.pk], "confirm": "1"},
        follow=True,
    )
    assert "1 event published." in done.content.decode()
    assert Event.objects.get(pk=draft.pk).status == "published"
    response = client.post(
        url, {"action": "export_attendees", "_selected_action": [live.pk]}
    )
    assert "Cara Confirmed" in response.content.decode()
    # Cancelling says who will be told and asks why.
    page = client.post(url, {"action": "cancel", "_selected_action": [live.pk]})
    assert "1 registered person is told it is cancelled." in page.content.decode()
    assert Event.objects.get(pk=live.pk).status == "published"
    client.post(
        url,
        {
            "action": "cancel",
            "_selected_action": [live.pk],
            "confirm": "1",
            "reason": "The speaker is ill.",
        },
    )
    live = Event.objects.get(pk=live.pk)
    assert live.status == "cancelled"
    assert live.cancellation_reason == "The speaker is ill."


def test_the_database_refuses_dates_outside_the_window(db):
    # Issue 17, item 1: whatever the path (admin, shell, import), no event can
    # be stored with a date the pages cannot show.
    event = EventFactory()
    for values in (
        {"ends_at": datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC)},
        {"starts_at": datetime.datetime(1969, 12, 31, tzinfo=datetime.UTC)},
        {"registration_opens_at": datetime.datetime(2101, 1, 1, tzinfo=datetime.UTC)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Event.objects.filter(pk=event.pk).update(**values)


def test_events_stored_before_the_window_are_repaired_and_staff_fix_them(
    client, staff_user, db
):
    # Issue 17, item 1: the event ending in 9999 that production already holds.
    # The migration brings its dates to the window's edge, so the pages show it
    # again and staff can open, repair and delete it. Dropping the constraint to
    # store what the database now refuses takes PostgreSQL's DDL.
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    broken = EventFactory(title="Broken event", registration_closes_at=None)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE events_event DROP CONSTRAINT event_dates_in_window")
    Event.objects.filter(pk=broken.pk).update(
        ends_at=datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC),
        registration_closes_at=datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
    )
    migration = importlib.import_module("events.migrations.0006_dates_in_window")
    migration.dates_into_window(django_apps, None)
    broken.refresh_from_db()
    assert broken.ends_at == datetime.datetime(
        2100, 12, 31, 23, 59, tzinfo=datetime.UTC
    )
    assert broken.registration_closes_at is None
    client.force_login(MemberFactory(timezone="Pacific/Kiritimati"))
    for path in ("/", "/events/", broken.get_absolute_url(), "/api/v1/events/"):
        assert client.get(path).status_code == 200, path
    client.force_login(staff_user)
    change = f"/admin/events/event/{broken.pk}/change/"
    assert client.get(change).status_code == 200
    response = client.post(f"/admin/events/event/{broken.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=broken.pk).exists()


def test_admin_cancels_a_registration_and_promotes(client, staff_user, db):
    event = EventFactory(capacity=1)
    first, second = MemberFactory.create_batch(2)
    seated = registration_create(event=event, user=first)
    registration_create(event=event, user=second)
    client.force_login(staff_user)
    client.post(
        "/admin/events/registration/",
        {"action": "cancel", "_selected_action": [seated.pk]},
    )
    assert Registration.objects.get(user=second).status == "confirmed"
