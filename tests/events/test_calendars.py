"""Calendar files and feeds, checked by parsing them with the icalendar library."""

import datetime
import zoneinfo

import icalendar
import pytest
import time_machine

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


# --- A second, independent reader ------------------------------------------------
#
# icalendar looks a TZID such as "Europe/Berlin" up in its own zone database and
# never reads the VTIMEZONE; calendar programs read the VTIMEZONE. So every start
# is checked twice from the file alone: with vobject, and with the tzinfo icalendar
# builds from the VTIMEZONE's own rules (lookup_tzid=False).

ZONE_CASES = [
    # (zone, wall-clock starts on both sides of its changes)
    ("Europe/Berlin", ["2027-03-27 10:00", "2027-03-29 10:00", "2027-07-15 18:30",
                       "2027-10-30 10:00", "2027-11-01 10:00", "2028-01-10 09:00"]),
    ("America/New_York", ["2027-03-13 09:00", "2027-03-15 09:00", "2027-11-06 09:00",
                          "2027-11-08 09:00"]),
    ("Australia/Sydney", ["2027-04-03 09:00", "2027-04-05 09:00", "2027-10-02 09:00",
                          "2027-10-04 09:00"]),
    ("Asia/Tokyo", ["2027-01-10 00:00", "2027-07-10 23:30"]),
    ("Asia/Kolkata", ["2027-03-29 10:00", "2027-12-31 23:00"]),
    ("UTC", ["2027-03-29 10:00"]),
]  # fmt: skip


def starts_read_by_vobject(body: bytes) -> dict[str, datetime.datetime]:
    import vobject

    calendar = vobject.readOne(body.decode())
    return {
        vevent.uid.value: vevent.dtstart.value.astimezone(datetime.UTC)
        for vevent in calendar.vevent_list
    }


def starts_read_from_the_vtimezone(body: bytes) -> dict[str, datetime.datetime]:
    calendar = icalendar.Calendar.from_ical(body)
    zones = {
        str(tz["TZID"]): tz.to_tz(lookup_tzid=False)
        for tz in calendar.walk("VTIMEZONE")
    }
    starts = {}
    for vevent in calendar.walk("VEVENT"):
        line = vevent["DTSTART"]
        if "TZID" in line.params:
            start = line.dt.replace(tzinfo=zones[line.params["TZID"]])
        else:  # a UTC time ("Z"), which needs no VTIMEZONE
            assert line.dt.utcoffset() == datetime.timedelta(0)
            start = line.dt
        starts[str(vevent["UID"])] = start.astimezone(datetime.UTC)
    return starts


@pytest.mark.parametrize(("zone", "walls"), ZONE_CASES, ids=[c[0] for c in ZONE_CASES])
def test_every_start_read_from_the_file_matches_the_database(client, db, zone, walls):
    tz = zoneinfo.ZoneInfo(zone)
    membership = WorkingGroupMembershipFactory()
    events = []
    for wall in walls:
        start = datetime.datetime.fromisoformat(wall).replace(tzinfo=tz)
        events.append(
            EventFactory(
                working_group=membership.group,
                time_zone=tz,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=2),
            )
        )
    expected = {event_uid(e): e.starts_at.astimezone(datetime.UTC) for e in events}
    with time_machine.travel(datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)):
        body = client.get(f"/events/groups/{membership.group.slug}/calendar.ics")
    assert starts_read_by_vobject(body.content) == expected
    assert starts_read_from_the_vtimezone(body.content) == expected
    if zone == "UTC":
        assert parse(body).walk("VTIMEZONE") == []
        return
    vtimezone = parse(body).walk("VTIMEZONE")[0]
    assert str(vtimezone["TZID"]) == zone
    for part in vtimezone.subcomponents:
        # Yearly rules, not long lists of dates (which vobject and ical.js misread).
        assert "RDATE" not in part
    if zone in ("Europe/Berlin", "America/New_York", "Australia/Sydney"):
        rules = sorted(
            part["RRULE"].to_ical().decode() for part in vtimezone.subcomponents
        )
        assert len(rules) == 2 and all("FREQ=YEARLY" in rule for rule in rules)


def test_berlin_summer_event_is_at_its_hour_in_vobject(client, db):
    # The case reported: 29 March 2027, 10:00 in Berlin is 08:00 UTC (summer time).
    start = datetime.datetime(2027, 3, 29, 10, tzinfo=BERLIN)
    event = EventFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))
    body = client.get(f"/events/{event.slug}/calendar.ics").content
    assert starts_read_by_vobject(body) == {
        event_uid(event): datetime.datetime(2027, 3, 29, 8, tzinfo=datetime.UTC)
    }


def test_every_event_names_an_organizer_without_their_private_address(client, db):
    event = EventFactory(organizer__display_name="Dana Organizer")
    vevent = parse(client.get(f"/events/{event.slug}/calendar.ics")).walk("VEVENT")[0]
    organizer = vevent["ORGANIZER"]
    assert organizer.params["CN"] == "Dana Organizer"
    assert str(organizer).startswith("mailto:")
    assert event.organizer.email not in str(organizer)
    import vobject

    calendar = vobject.readOne(
        client.get(f"/events/{event.slug}/calendar.ics").content.decode()
    )
    assert calendar.vevent.organizer.params["CN"] == ["Dana Organizer"]


def test_description_is_plain_text_not_markdown(client, db):
    event = EventFactory(
        description="We **meet** in [room 2](https://rooms.example.org/2).\n\n* coffee"
    )
    vevent = parse(client.get(f"/events/{event.slug}/calendar.ics")).walk("VEVENT")[0]
    description = str(vevent["DESCRIPTION"])
    assert description.startswith(
        "We meet in room 2 (https://rooms.example.org/2).\n\n- coffee"
    )
    assert "**" not in description


def test_personal_feed_speaks_its_owners_language_and_marks_the_waitlist(client, db):
    person = MemberFactory(language="de")
    waiting = EventFactory(title="Volles Seminar", capacity=1)
    called_off = EventFactory(title="Abgesagt", capacity=1)
    for event in (waiting, called_off):
        registration_create(event=event, user=MemberFactory())
        registration_create(event=event, user=person)
    event_cancel(event=called_off, actor=called_off.organizer)
    token = calendar_token_regenerate(user=person).key
    # The calendar program asks for English; the owner reads German.
    calendar = parse(client.get(f"/events/feed/{token}.ics", HTTP_ACCEPT_LANGUAGE="en"))
    assert str(calendar["X-WR-CALNAME"]) == "KI-Allianz: meine Veranstaltungen"
    summaries = {str(v["SUMMARY"]): str(v["STATUS"]) for v in calendar.walk("VEVENT")}
    # A cancelled event is no longer waited for.
    assert summaries == {
        "Volles Seminar (Warteliste)": "TENTATIVE",
        "Abgesagt": "CANCELLED",
    }


def test_group_page_links_members_to_the_private_feed(client, db):
    membership = WorkingGroupMembershipFactory()
    group = membership.group
    url = group.get_absolute_url()
    assert "group-private-feed" not in client.get(url).content.decode()
    client.force_login(MemberFactory())
    assert "group-private-feed" not in client.get(url).content.decode()
    client.force_login(membership.user)
    page = client.get(url).content.decode()
    key = membership.user.calendar_token.key
    assert f"/events/feed/{key}/groups/{group.slug}.ics" in page
