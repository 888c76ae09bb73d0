"""Registering: seats, the waitlist, promotion, per-organization caps."""

import datetime
import email

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from alliance.notifications.models import Notification
from events.calendars import event_uid
from events.models import Event, Registration
from events.selectors import registration_for
from events.services.events import event_update
from events.services.registrations import (
    registration_cancel,
    registration_create,
    registration_mark_attended,
    waitlist_position,
)
from tests.events.factories import EventFactory, in_days
from tests.members.factories import AffiliationFactory, MemberFactory, UserFactory


def test_registrations_past_capacity_join_the_waitlist_with_positions(db):
    event = EventFactory(capacity=2)
    people = MemberFactory.create_batch(4)
    results = [registration_create(event=event, user=p) for p in people]
    assert [r.status for r in results] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert [waitlist_position(r) for r in results] == [None, None, 1, 2]
    assert registration_for(people[3], event).position == 2


def test_registering_twice_returns_the_same_registration(db):
    event = EventFactory(capacity=1)
    person = MemberFactory()
    first = registration_create(event=event, user=person)
    again = registration_create(event=event, user=person)
    assert first.pk == again.pk
    assert Registration.objects.filter(event=event).count() == 1


def test_cancelling_promotes_the_first_waitlisted_and_tells_them(
    db, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, title="Red-teaming clinic")
    first, second, third = MemberFactory.create_batch(3)
    mine = registration_create(event=event, user=first)
    registration_create(event=event, user=second)
    registration_create(event=event, user=third)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=mine)

    assert registration_for(second, event).status == "confirmed"
    assert registration_for(third, event).position == 1
    promoted = Notification.objects.get(recipient=second, kind="registration_promoted")
    assert "Red-teaming clinic" in promoted.title
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert not Notification.objects.filter(
        recipient=third, kind="registration_promoted"
    ).exists()


def test_waitlisted_cancel_moves_the_others_up(db):
    event = EventFactory(capacity=1)
    people = MemberFactory.create_batch(4)
    regs = [registration_create(event=event, user=p) for p in people]
    registration_cancel(registration=regs[1])
    assert [waitlist_position(Registration.objects.get(pk=r.pk)) for r in regs] == [
        None,
        None,
        1,
        2,
    ]
    assert Registration.objects.get(pk=regs[0].pk).status == "confirmed"


def test_seat_cap_per_organization_waitlists_the_third_colleague(db):
    event = EventFactory(capacity=10, seats_per_organization=2)
    colleagues = [AffiliationFactory().user]
    org = colleagues[0].affiliations.get().organization
    colleagues += [AffiliationFactory(organization=org).user for _ in range(2)]
    outsider = MemberFactory()
    statuses = [registration_create(event=event, user=p).status for p in colleagues]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    assert registration_create(event=event, user=outsider).status == "confirmed"
    # A colleague's seat frees: the colleague waiting gets it.
    registration_cancel(registration=registration_for(colleagues[0], event))
    assert registration_for(colleagues[2], event).status == "confirmed"


def test_raising_capacity_promotes_the_waitlist(db):
    event = EventFactory(capacity=1)
    people = MemberFactory.create_batch(3)
    for person in people:
        registration_create(event=event, user=person)
    event_update(event=event, actor=event.organizer, capacity=2)
    assert registration_for(people[1], event).status == "confirmed"
    assert registration_for(people[2], event).position == 1


def test_capacity_below_confirmed_seats_is_refused(db):
    event = EventFactory(capacity=3)
    for person in MemberFactory.create_batch(3):
        registration_create(event=event, user=person)
    with pytest.raises(ValidationError) as error:
        event_update(event=event, actor=event.organizer, capacity=2)
    assert "3 people already have a seat" in str(error.value)
    event.refresh_from_db()
    assert event.capacity == 3


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Event.Status.DRAFT}, "not open for registration yet"),
        ({"status": Event.Status.CANCELLED}, "has been cancelled"),
        ({"registration_opens_at": in_days(2)}, "has not opened yet"),
        ({"registration_closes_at": in_days(-1)}, "has closed"),
    ],
)
def test_registration_refused_when_not_open(db, changes, message):
    event = EventFactory(**changes)
    with pytest.raises(ValidationError, match=message):
        registration_create(event=event, user=MemberFactory())
    assert not Registration.objects.exists()


def test_attendance_only_for_confirmed_people(db):
    event = EventFactory(capacity=1)
    seated = registration_create(event=event, user=MemberFactory())
    waiting = registration_create(event=event, user=MemberFactory())
    assert registration_mark_attended(registration=seated, attended=True).attended
    with pytest.raises(ValidationError):
        registration_mark_attended(registration=waiting, attended=True)


def test_non_members_may_register_for_public_events(db):
    event = EventFactory()
    outsider = UserFactory()
    registration = registration_create(event=event, user=outsider)
    assert registration.status == "confirmed"
    assert registration.organization is None


def _calendar_parts(message) -> list:
    """The text/calendar parts of a sent email, as a mail client reads them."""
    parsed = email.message_from_bytes(message.message().as_bytes())
    return [
        part for part in parsed.walk() if part.get_content_type() == "text/calendar"
    ]


def _only_vevent(part) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
    assert calendar["METHOD"] == "PUBLISH"
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == 1
    return vevents[0]


def test_registration_confirmation_and_promotion_emails_attach_the_events_ics(
    db, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, title="Red-teaming clinic")
    first, second = MemberFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        mine = registration_create(event=event, user=first)
    [confirmation] = [m for m in mail.outbox if m.to == [first.email]]
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, user=second)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        registration_cancel(registration=mine)
    [promotion] = mail.outbox
    assert promotion.to == [second.email]

    for message in (confirmation, promotion):
        [part] = _calendar_parts(message)
        assert part.get_filename() == f"{event.slug}.ics"
        vevent = _only_vevent(part)
        assert str(vevent["UID"]) == event_uid(event)
        assert str(vevent["SUMMARY"]) == "Red-teaming clinic"
        start = vevent.decoded("DTSTART").astimezone(datetime.UTC)
        assert start == event.starts_at.astimezone(datetime.UTC)
        # A confirmed attendee's copy carries the online link, as on the page.
        assert "meet.example.org/secret-room" in str(vevent["LOCATION"])


def test_other_event_emails_attach_no_ics(db, django_capture_on_commit_callbacks):
    event = EventFactory(title="Kernel sprint")
    person = MemberFactory()
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, user=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, actor=event.organizer, title="Kernel sprint II")
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert _calendar_parts(mail.outbox[0]) == []
    assert mail.outbox[0].attachments == []
