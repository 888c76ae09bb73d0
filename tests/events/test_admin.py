"""Staff find and fix events in the admin."""

from events.models import Event, Registration
from events.services.registrations import registration_create
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
    client.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    assert Event.objects.get(pk=draft.pk).status == "published"
    response = client.post(
        url, {"action": "export_attendees", "_selected_action": [live.pk]}
    )
    assert "Cara Confirmed" in response.content.decode()
    client.post(url, {"action": "cancel", "_selected_action": [live.pk]})
    assert Event.objects.get(pk=live.pk).status == "cancelled"


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
