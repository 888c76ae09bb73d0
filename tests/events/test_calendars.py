"""Calendar files and feeds, checked by parsing them with the icalendar library."""

import datetime
import zoneinfo

import icalendar
import pytest

from events.calendars import event_uid
from events.services.calendars import calendar_token_regenerate
from events.services.events import event_cancel, event_update
from events.services.registrations import registration_create
from tests.alliance.factories import WorkingGroupMembershipFactory
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def parse(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_ics_round_trips_times_across_a_daylight_saving_change(client, db):
    # Clocks go forward in Berlin on 30 March 2031 at 02:00: 01:30 is still CET
    # (UTC+1) and 03:30 already CEST (UTC+2); the event spans the change.
    event = EventFactory(
        starts_at=datetime.datetime(2031, 3, 30, 1, 30, tzinfo=BERLIN),
        ends_at=datetime.datetime(2031, 3, 30, 3, 30, tzinfo=BERLIN),
        time_zone=BERLIN,
    )
    calendar = parse(client.get(f"/events/{event.slug}/calendar.ics"))
    vevent = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "PUBLISH"
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    assert start == datetime.datetime(2031, 3, 30, 0, 30, tzinfo=datetime.UTC)
    assert end == datetime.datetime(2031, 3, 30, 1, 30, tzinfo=datetime.UTC)
    assert start.utcoffset() == datetime.timedelta(hours=1)
    assert end.utcoffset() == datetime.timedelta(hours=2)
    # Two hours on the wall clock, one hour in reality.
    utc = datetime.UTC
    assert end.astimezone(utc) - start.astimezone(utc) == datetime.timedelta(hours=1)
    # The time zone is described in the file itself.
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Berlin"]
    assert {c.name for c in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}


def test_uid_is_stable_and_sequence_rises_with_each_change(client, db):
    event = EventFactory()
    first = parse(client.get(f"/events/{event.slug}/calendar.ics")).walk("VEVENT")[0]
    event_update(event=event, actor=event.organizer, title="Renamed workshop")
    event_update(event=event, actor=event.organizer, venue="Room 2")
    second = parse(client.get(f"/events/{event.slug}/calendar.ics")).walk("VEVENT")[0]
    assert str(first["UID"]) == str(second["UID"]) == event_uid(event)
    assert second["SEQUENCE"] == first["SEQUENCE"] + 2
    assert str(second["SUMMARY"]) == "Renamed workshop"


def test_cancelled_event_is_published_as_cancelled(client, db):
    event = EventFactory()
    event_cancel(event=event, actor=event.organizer)
    calendar = parse(client.get(f"/events/{event.slug}/calendar.ics"))
    vevent = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "CANCEL"
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["SEQUENCE"] == 1


def test_online_link_in_the_ics_only_for_confirmed_attendees(client, db):
    event = EventFactory(capacity=1)
    seated, waiting = MemberFactory.create_batch(2)
    registration_create(event=event, user=seated)
    registration_create(event=event, user=waiting)
    for person, has_link in ((seated, True), (waiting, False), (None, False)):
        client.logout()
        if person:
            client.force_login(person)
        body = client.get(f"/events/{event.slug}/calendar.ics").content.decode()
        assert ("meet.example.org/secret-room" in body) is has_link


def test_personal_feed_holds_registrations_and_group_events(client, db):
    membership = WorkingGroupMembershipFactory()
    person = membership.user
    registered = EventFactory(title="Registered one")
    group_event = EventFactory(
        title="Group call", working_group=membership.group, visibility="group"
    )
    EventFactory(title="Somebody else's")
    EventFactory(
        title="Draft of my group", working_group=membership.group, status="draft"
    )
    cancelled = EventFactory(title="Called off")
    registration_create(event=registered, user=person)
    registration_create(event=cancelled, user=person)
    event_cancel(event=cancelled, actor=cancelled.organizer)

    client.force_login(person)
    page = client.get("/events/mine/").content.decode()
    token = person.calendar_token.key
    assert f"/events/feed/{token}.ics" in page
    client.logout()

    calendar = parse(client.get(f"/events/feed/{token}.ics"))
    summaries = {str(v["SUMMARY"]): v for v in calendar.walk("VEVENT")}
    assert set(summaries) == {"Registered one", "Group call", "Called off"}
    assert summaries["Called off"]["STATUS"] == "CANCELLED"
    assert "secret-room" in str(summaries["Registered one"]["DESCRIPTION"])
    assert "secret-room" not in str(summaries["Group call"]["DESCRIPTION"])
    assert str(summaries["Group call"]["UID"]) == event_uid(group_event)


@pytest.mark.parametrize("key", ["not-a-token", "x" * 100, "0" * 43])
def test_invalid_feed_token_gets_a_clear_404(client, db, key):
    response = client.get(f"/events/feed/{key}.ics")
    assert response.status_code == 404


def test_regenerating_the_feed_address_retires_the_old_one(client, db):
    person = MemberFactory()
    client.force_login(person)
    client.get("/events/mine/")
    old = person.calendar_token.key
    response = client.post("/events/mine/feed/regenerate/", follow=True)
    assert "The old one no longer works" in response.content.decode()
    new = calendar_token_regenerate(user=person).key
    assert client.get(f"/events/feed/{old}.ics").status_code == 404
    assert client.get(f"/events/feed/{new}.ics").status_code == 200


def test_group_feed_shows_what_the_reader_may_see(client, db):
    membership = WorkingGroupMembershipFactory()
    group = membership.group
    EventFactory(title="Open session", working_group=group)
    EventFactory(title="Members only call", working_group=group, visibility="group")
    anonymous = parse(client.get(f"/events/groups/{group.slug}/calendar.ics"))
    assert [str(v["SUMMARY"]) for v in anonymous.walk("VEVENT")] == ["Open session"]
    token = calendar_token_regenerate(user=membership.user).key
    private = parse(client.get(f"/events/feed/{token}/groups/{group.slug}.ics"))
    assert sorted(str(v["SUMMARY"]) for v in private.walk("VEVENT")) == [
        "Members only call",
        "Open session",
    ]
