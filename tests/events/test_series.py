"""Series: occurrences generated ahead, edited or cancelled one at a time or for
the rest of the series; organizers create them with the form."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from events.models import Event, EventSeries
from events.services.events import (
    SERIES_MAX_PER_RUN,
    event_cancel,
    event_create,
    event_series_extend,
    event_series_extend_all,
    event_update,
)
from tests.alliance.factories import WorkingGroupMembershipFactory
from tests.events.factories import publisher

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NOW = datetime.datetime(2030, 1, 7, 8, 0, tzinfo=datetime.UTC)  # a Monday


@pytest.fixture
def weekly(db):
    chair = WorkingGroupMembershipFactory(role="chair")
    with time_machine.travel(NOW, tick=False):
        event = event_create(
            organizer=chair.user,
            title="Evaluation call",
            starts_at=datetime.datetime(2030, 1, 8, 16, 0, tzinfo=BERLIN),
            ends_at=datetime.datetime(2030, 1, 8, 17, 0, tzinfo=BERLIN),
            time_zone=BERLIN,
            working_group=chair.group,
            kind="meeting",
            repeat="weekly",
        )
    return event


def local_starts(series_id):
    return [
        e.starts_at.astimezone(BERLIN)
        for e in Event.objects.filter(series_id=series_id).order_by("starts_at")
    ]


def test_weekly_series_generated_ahead_keeps_local_time_across_dst(weekly):
    starts = local_starts(weekly.series_id)
    assert len(starts) == 13  # 90 days ahead
    assert all(s.weekday() == 1 and (s.hour, s.minute) == (16, 0) for s in starts)
    # Berlin moves to summer time on 31 March 2030: still 16:00 there.
    assert {s.utcoffset() for s in starts} == {
        datetime.timedelta(hours=1),
        datetime.timedelta(hours=2),
    }
    with time_machine.travel(NOW + datetime.timedelta(days=60), tick=False):
        assert event_series_extend_all() > 0
        assert event_series_extend_all() == 0  # idempotent
    starts = local_starts(weekly.series_id)
    assert all((s.hour, s.minute) == (16, 0) for s in starts)
    assert len({s.date() for s in starts}) == len(starts)


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("biweekly", ["2030-01-08", "2030-01-22", "2030-02-05"]),
        # The second Tuesday of each month.
        ("monthly", ["2030-01-08", "2030-02-12", "2030-03-12"]),
    ],
)
def test_biweekly_and_monthly(db, frequency, expected):
    with time_machine.travel(NOW, tick=False):
        event = event_create(
            organizer=publisher(),
            title="Regular call",
            starts_at=datetime.datetime(2030, 1, 8, 16, 0, tzinfo=BERLIN),
            ends_at=datetime.datetime(2030, 1, 8, 17, 0, tzinfo=BERLIN),
            time_zone=BERLIN,
            repeat=frequency,
        )
    starts = [s.date().isoformat() for s in local_starts(event.series_id)]
    assert starts[:3] == expected


def test_series_starting_far_in_the_past_is_refused(api_client, db):
    # Issue 17, item 11: a weekly series from 2024 created 118 past meetings in
    # one request; from 1970 it would outlast the worker's timeout.
    organizer = publisher()
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError) as refused:
            event_create(
                organizer=organizer,
                title="Old call",
                starts_at=datetime.datetime(2024, 1, 9, 16, 0, tzinfo=BERLIN),
                ends_at=datetime.datetime(2024, 1, 9, 17, 0, tzinfo=BERLIN),
                time_zone=BERLIN,
                repeat="weekly",
            )
        assert refused.value.message_dict == {
            "starts_at": [
                "A series cannot start more than 31 days ago; start it with its "
                "next meeting."
            ]
        }
        assert not Event.objects.exists()
        api_client.force_authenticate(organizer)
        response = api_client.post(
            "/api/v1/events/",
            {
                "title": "Old call",
                "starts_at": "1970-01-06T16:00:00Z",
                "ends_at": "1970-01-06T17:00:00Z",
                "time_zone": "Europe/Berlin",
                "repeat": "weekly",
            },
            format="json",
        )
        assert response.status_code == 400
        assert "starts_at" in response.json()["errors"]
        # A late entry of a running series is still fine.
        event = event_create(
            organizer=organizer,
            title="Running call",
            starts_at=datetime.datetime(2029, 12, 18, 16, 0, tzinfo=BERLIN),
            ends_at=datetime.datetime(2029, 12, 18, 17, 0, tzinfo=BERLIN),
            time_zone=BERLIN,
            repeat="weekly",
        )
    assert Event.objects.filter(series=event.series).count() == 16


def test_series_generation_is_bounded_per_call(weekly):
    # Issue 17, item 11: a series whose generation lags far behind (here: from
    # 2024) gets at most SERIES_MAX_PER_RUN meetings per call; the periodic job
    # catches up on its next runs.
    series = weekly.series
    first = datetime.datetime(2024, 1, 9, 15, 0, tzinfo=datetime.UTC)
    EventSeries.objects.filter(pk=series.pk).update(
        first_starts_at=first, generated_until=first
    )
    Event.objects.filter(series=series).exclude(pk=weekly.pk).delete()
    Event.objects.filter(pk=weekly.pk).update(occurrence_key=first)
    with time_machine.travel(NOW, tick=False):
        runs = [event_series_extend(series=series) for _ in range(8)]
    assert runs[:5] == [SERIES_MAX_PER_RUN] * 5
    assert 0 < runs[5] < SERIES_MAX_PER_RUN
    assert runs[6:] == [0, 0]
    # Every week from 2024 to 90 days ahead, each once.
    assert sum(runs) == 325


def test_edit_one_occurrence_leaves_the_others(weekly):
    third = Event.objects.filter(series=weekly.series).order_by("starts_at")[2]
    event_update(
        event=third,
        actor=weekly.organizer,
        title="Evaluation call (guest talk)",
        starts_at=third.starts_at + datetime.timedelta(hours=1),
        ends_at=third.ends_at + datetime.timedelta(hours=1),
    )
    titles = list(
        Event.objects.filter(series=weekly.series)
        .order_by("starts_at")
        .values_list("title", flat=True)
    )
    assert titles[2] == "Evaluation call (guest talk)"
    assert titles.count("Evaluation call") == len(titles) - 1
    starts = local_starts(weekly.series_id)
    assert starts[2].hour == 17 and starts[3].hour == 16


def test_edit_the_rest_of_the_series(weekly):
    occurrences = list(Event.objects.filter(series=weekly.series).order_by("starts_at"))
    fifth = occurrences[4]
    with time_machine.travel(NOW, tick=False):
        event_update(
            event=fifth,
            actor=weekly.organizer,
            scope="following",
            title="Evaluation call (new slot)",
            venue="",
            starts_at=fifth.starts_at + datetime.timedelta(hours=2),
            ends_at=fifth.ends_at + datetime.timedelta(hours=2, minutes=30),
        )
    rows = list(Event.objects.filter(series=weekly.series).order_by("starts_at"))
    assert [r.title for r in rows[:4]] == ["Evaluation call"] * 4
    assert {r.title for r in rows[4:]} == {"Evaluation call (new slot)"}
    for row in rows[4:]:
        start, end = row.starts_at.astimezone(BERLIN), row.ends_at.astimezone(BERLIN)
        assert (start.hour, end.hour, end.minute) == (18, 19, 30)
    assert all(r.starts_at.astimezone(BERLIN).hour == 16 for r in rows[:4])
    # New occurrences follow the new slot.
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        event_series_extend_all()
    last = Event.objects.filter(series=weekly.series).order_by("starts_at").last()
    assert last.title == "Evaluation call (new slot)"
    assert last.starts_at.astimezone(BERLIN).hour == 18
    assert EventSeries.objects.get().title == "Evaluation call (new slot)"


def test_cancel_one_or_the_rest(weekly):
    rows = list(Event.objects.filter(series=weekly.series).order_by("starts_at"))
    event_cancel(event=rows[1], actor=weekly.organizer)
    event_cancel(event=rows[5], actor=weekly.organizer, scope="following")
    statuses = list(
        Event.objects.filter(series=weekly.series)
        .order_by("starts_at")
        .values_list("status", flat=True)
    )
    assert statuses[1] == "cancelled"
    assert statuses[0] == statuses[2] == statuses[4] == weekly.status
    assert set(statuses[5:]) == {"cancelled"}
    with time_machine.travel(NOW + datetime.timedelta(days=60), tick=False):
        assert event_series_extend_all() == 0


def test_publishing_the_first_publishes_the_series(weekly, client):
    from events.services.events import event_publish

    with time_machine.travel(NOW, tick=False):
        event_publish(event=weekly, actor=weekly.organizer)
    assert set(
        Event.objects.filter(series=weekly.series).values_list("status", flat=True)
    ) == {"published"}


def test_series_must_end_after_it_starts(db):
    with pytest.raises(ValidationError):
        event_create(
            organizer=publisher(),
            title="Backwards",
            starts_at=datetime.datetime(2030, 1, 8, 16, 0, tzinfo=BERLIN),
            ends_at=datetime.datetime(2030, 1, 8, 17, 0, tzinfo=BERLIN),
            time_zone=BERLIN,
            repeat="weekly",
            repeat_until=datetime.date(2029, 1, 1),
        )
    assert not Event.objects.exists()


def test_organizer_form_reads_times_in_the_event_time_zone(client, db):
    organizer = publisher(timezone="America/New_York")
    client.force_login(organizer)
    form = {
        "title": "Tokyo meetup",
        "kind": "workshop",
        "visibility": "public",
        "format": "in_person",
        "venue": "Shibuya hall",
        "starts_at": "2031-05-10T18:00",
        "ends_at": "2031-05-10T20:00",
        "time_zone": "Asia/Tokyo",
        "capacity": "2",
        "reminder_hours": ["24", "1"],
        "repeat": "",
    }
    response = client.post("/events/new/", form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    event = Event.objects.get()
    assert event.starts_at == datetime.datetime(2031, 5, 10, 9, 0, tzinfo=datetime.UTC)
    assert event.status == "draft"
    assert event.reminder_hours == [24, 1]
    html = client.get(f"/events/{event.slug}/edit/").content.decode()
    assert 'value="2031-05-10T18:00"' in html


def test_organizer_form_refuses_a_time_lost_to_the_clock_change(client, db):
    client.force_login(publisher())
    response = client.post(
        "/events/new/",
        {
            "title": "Night session",
            "kind": "webinar",
            "visibility": "public",
            "format": "online",
            "starts_at": "2031-03-30T02:30",
            "ends_at": "2031-03-30T04:00",
            "time_zone": "Europe/Berlin",
        },
    )
    assert response.status_code == 200
    assert "This time does not exist in Europe/Berlin" in response.content.decode()
    assert not Event.objects.exists()


def test_organizer_form_shows_service_errors_on_fields(client, db):
    client.force_login(publisher())
    response = client.post(
        "/events/new/",
        {
            "title": "No venue",
            "kind": "workshop",
            "visibility": "public",
            "format": "in_person",
            "starts_at": "2031-05-10T18:00",
            "ends_at": "2031-05-10T20:00",
            "time_zone": "UTC",
        },
    )
    assert "Say where the event takes place" in response.content.decode()
    assert not Event.objects.exists()


def test_organizer_form_refuses_the_pseudo_time_zone_localtime(client, db):
    # Issue 17, item 18: the menu offered every file under /usr/share/zoneinfo.
    client.force_login(publisher())
    # The time-zone box suggests IANA names only (issue 13: a searchable box).
    assert 'value="localtime"' not in client.get("/events/new/").content.decode()
    response = client.post(
        "/events/new/",
        {
            "title": "Server time",
            "kind": "webinar",
            "visibility": "public",
            "format": "online",
            "starts_at": "2031-05-10T18:00",
            "ends_at": "2031-05-10T20:00",
            "time_zone": "localtime",
        },
    )
    assert response.status_code == 200
    assert "Unknown time zone; use an IANA name such as Europe/Berlin." in (
        response.content.decode()
    )
    assert not Event.objects.exists()
    with pytest.raises(ValidationError) as refused:
        event_create(
            organizer=publisher(),
            title="Server time",
            starts_at=datetime.datetime(2030, 1, 8, 16, 0, tzinfo=BERLIN),
            ends_at=datetime.datetime(2030, 1, 8, 17, 0, tzinfo=BERLIN),
            time_zone="localtime",
        )
    assert "time_zone" in refused.value.error_dict
    assert not Event.objects.exists()


def test_organizer_form_refuses_dates_outside_1970_to_2100(client, db):
    # Issue 17, item 1: 9999-12-31 22:00 in New York overflowed to a 500 when
    # the form converted it to UTC.
    client.force_login(publisher())
    response = client.post(
        "/events/new/",
        {
            "title": "Far future",
            "kind": "webinar",
            "visibility": "public",
            "format": "online",
            "starts_at": "9999-12-31T22:00",
            "ends_at": "9999-12-31T23:00",
            "time_zone": "America/New_York",
            "repeat": "weekly",
            "repeat_until": "9999-12-31",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("Choose a date between 1970 and 2100.") == 3
    assert not Event.objects.exists()
