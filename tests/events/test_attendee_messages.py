"""Issue 13 item 5: organizers email the people registered, through the outbox
(a notification per person, sent by a worker), rate limited per event."""

from html import unescape

import pytest
from django.core import mail

from alliance.notifications.models import Notification, OutboxEmail
from events.models import EventMessage, Registration
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory


@pytest.fixture
def event(db):
    event = EventFactory(title="Kernel sprint", capacity=2)
    seated = MemberFactory.create_batch(2)
    waiting = MemberFactory.create_batch(1)
    for person in seated:
        Registration.objects.create(event=event, user=person, status="confirmed")
    for person in waiting:
        Registration.objects.create(event=event, user=person, status="waitlisted")
    event.seated, event.waiting = seated, waiting
    return event


def send(client, event, **data):
    return client.post(
        f"/events/{event.slug}/attendees/message/",
        {"to": "confirmed", "subject": "Bring a laptop", "body": "Room **B**.", **data},
        follow=True,
    )


def test_organizer_emails_the_people_with_a_seat_through_the_outbox(
    client, event, django_capture_on_commit_callbacks
):
    client.force_login(event.organizer)
    form = client.get(f"/events/{event.slug}/attendees/message/")
    assert form.status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, event)
    assert "Sent to 2 people." in response.content.decode()
    notified = Notification.objects.filter(kind="event_message")
    assert sorted(n.recipient_id for n in notified) == sorted(
        p.pk for p in event.seated
    )
    # Every email went through the outbox, none straight from the view.
    assert (
        OutboxEmail.objects.filter(to_email__in=[p.email for p in event.seated]).count()
        == 2
    )
    sent = [m for m in mail.outbox if m.to[0] in {p.email for p in event.seated}]
    assert len(sent) == 2
    assert sent[0].subject == "[AI Alliance] Kernel sprint: Bring a laptop"
    assert "Room **B**." in sent[0].body
    html = sent[0].alternatives[0][0]
    assert "Room <strong>B</strong>." in html
    assert not any(m.to[0] == event.waiting[0].email for m in mail.outbox)


@pytest.mark.parametrize(("to", "count"), [("waitlisted", 1), ("all", 3)])
def test_to_the_waitlist_or_everyone(client, event, to, count):
    client.force_login(event.organizer)
    response = send(client, event, to=to)
    expected = "Sent to 1 person." if count == 1 else f"Sent to {count} people."
    assert expected in response.content.decode()
    assert EventMessage.objects.get().recipient_count == count


def test_bad_input_and_the_daily_limit_write_nothing(client, event):
    client.force_login(event.organizer)
    response = send(client, event, subject="")
    assert response.status_code == 200
    assert not EventMessage.objects.exists()
    for _ in range(3):
        send(client, event)
    response = send(client, event)
    assert (
        "This event has sent 3 messages in the last 24 hours; send the next one later."
        in unescape(response.content.decode())
    )
    assert EventMessage.objects.count() == 3


def test_a_message_to_nobody_is_refused_and_not_counted(client, event):
    """Nobody on the waitlist, or nobody registered but the organizer: a clear
    refusal, nothing stored, and the day's three messages are still there."""
    Registration.objects.filter(event=event, status="waitlisted").delete()
    client.force_login(event.organizer)
    response = send(client, event, to="waitlisted")
    assert response.status_code == 200
    assert (
        "Nobody is on the waitlist: there is nobody to send the message to."
        in unescape(response.content.decode())
    )
    lonely = EventFactory(organizer=event.organizer)
    Registration.objects.create(event=lonely, user=event.organizer, status="confirmed")
    response = send(client, lonely, to="all")
    assert (
        "Nobody is registered yet: there is nobody to send the message to."
        in unescape(response.content.decode())
    )
    assert not EventMessage.objects.exists()
    for _ in range(3):
        assert "Sent to 2 people." in send(client, event).content.decode()
    assert EventMessage.objects.count() == 3


def test_only_organizers_may_write(client, event):
    client.force_login(event.seated[0])
    assert client.get(f"/events/{event.slug}/attendees/message/").status_code == 403
    assert send(client, event).status_code == 403
    assert not EventMessage.objects.exists()


def test_german(client, event):
    event.organizer.language = "de"
    event.organizer.save(update_fields=["language"])
    client.force_login(event.organizer)
    response = client.post(
        f"/events/{event.slug}/attendees/message/",
        {"to": "all", "subject": "Hallo", "body": "Raum B."},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "An 3 Personen gesendet." in response.content.decode()
