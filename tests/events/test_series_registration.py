"""Issue 13 item 4: a series shows once in lists, and a person registers for
all its coming dates in one step and leaves them in one step."""

import datetime
import threading
import time
import zoneinfo
from html import unescape

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from events.models import Event, EventSeries, Registration, SeriesRegistration
from events.services._common import event_lock
from events.services.events import event_create, event_publish, event_series_extend
from events.services.registrations import registration_add_locked
from events.services.series import series_leave, series_register
from tests.alliance.factories import WorkingGroupFactory
from tests.conftest import need, on_postgres
from tests.events.factories import publisher
from tests.members.factories import MemberFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def make_weekly(title="Evaluation call", **fields):
    organizer = publisher()
    start = (timezone.now() + datetime.timedelta(days=2)).astimezone(BERLIN)
    start = start.replace(hour=16, minute=0, second=0, microsecond=0)
    event = event_create(
        organizer=organizer,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        time_zone=BERLIN,
        kind="meeting",
        repeat="weekly",
        **fields,
    )
    event_publish(event=event, actor=organizer)
    return Event.objects.get(pk=event.pk)


def occurrences(series_id):
    return list(Event.objects.filter(series_id=series_id).order_by("starts_at"))


@pytest.fixture
def weekly(db):
    return make_weekly()


def test_the_list_shows_a_series_once_with_its_next_date(client, weekly):
    dates = occurrences(weekly.series_id)
    assert len(dates) == 13
    html = client.get("/events/").content.decode()
    assert html.count("Evaluation call") == 1
    assert "Every week · next on" in html
    assert "12 more dates" in html
    assert dates[0].get_absolute_url() in html
    # In German too.
    html = client.get("/events/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert html.count("Evaluation call") == 1
    assert "Jede Woche · nächster Termin am" in html
    assert "12 weitere Termine" in html
    # The home page's panel lists it once as well.
    assert client.get("/").content.decode().count("Evaluation call") <= 1


def test_the_next_date_becomes_the_item_when_the_first_is_cancelled(client, weekly):
    first, second = occurrences(weekly.series_id)[:2]
    Event.objects.filter(pk=first.pk).update(
        ends_at=timezone.now(), starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    html = client.get("/events/").content.decode()
    assert second.get_absolute_url() in html
    assert first.get_absolute_url() not in html
    assert "11 more dates" in html


def test_the_api_lists_a_series_once_when_asked(client, weekly):
    every = client.get("/api/v1/events/").json()
    assert every["count"] == 13
    one = client.get("/api/v1/events/?series=one").json()
    assert one["count"] == 1
    assert one["results"][0]["series"] == "weekly"
    assert one["results"][0]["series_more_dates"] == 12
    assert every["results"][0]["series_more_dates"] is None


@pytest.mark.parametrize(
    "path", ["/events/", "/events/?when=past", "/api/v1/events/?series=one"]
)
def test_series_lists_run_constant_queries(client, db, path):
    member = MemberFactory()
    client.force_login(member)
    past = "past" in path

    def make(count):
        for i in range(count):
            event = make_weekly(title=f"Call {count}-{i}")
            if past:
                for n, date in enumerate(occurrences(event.series_id)):
                    start = timezone.now() - datetime.timedelta(days=3 + n, hours=i)
                    Event.objects.filter(pk=date.pk).update(
                        starts_at=start, ends_at=start + datetime.timedelta(hours=1)
                    )
                SeriesRegistration.objects.create(series=event.series, user=member)
                Registration.objects.bulk_create(
                    Registration(event=date, user=member, status="confirmed")
                    for date in occurrences(event.series_id)
                )
            else:
                series_register(series=event.series, user=member)

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured)

    client.get(path)
    make(2)
    few = count_queries()
    make(13)
    assert count_queries() == few


def test_register_for_all_dates_takes_seats_and_waitlists_the_full_ones(client, weekly):
    dates = occurrences(weekly.series_id)
    full = dates[3]
    Event.objects.filter(pk=full.pk).update(capacity=1)
    Registration.objects.create(event=full, user=MemberFactory(), status="confirmed")
    member = MemberFactory()
    client.force_login(member)

    page = client.get(dates[0].get_absolute_url()).content.decode()
    assert "Register for all dates" in page
    response = client.post(
        f"/events/{dates[0].slug}/series/register/", {"show_on_list": "on"}, follow=True
    )
    html = response.content.decode()
    assert "Registered for 12 dates, waitlisted for 1 (full)." in html
    assert "You are registered for every date" in html
    mine = Registration.objects.filter(user=member).order_by("event__starts_at")
    assert [r.status for r in mine] == ["confirmed"] * 3 + ["waitlisted"] + [
        "confirmed"
    ] * 9
    assert all(r.show_on_list for r in mine)
    # One confirmation, not thirteen.
    from alliance.notifications.models import Activity

    assert (
        Activity.objects.filter(kind="registration_confirmed", actor=member).count()
        == 1
    )


def test_register_all_in_german(client, weekly):
    member = MemberFactory(language="de")
    client.force_login(member)
    first = occurrences(weekly.series_id)[0]
    response = client.post(
        f"/events/{first.slug}/series/register/",
        follow=True,
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "Angemeldet für 13 Termine." in response.content.decode()


def test_dates_one_may_not_see_or_that_are_closed_are_skipped(db, weekly):
    dates = occurrences(weekly.series_id)
    hidden, cancelled, started = dates[1], dates[2], dates[4]
    Event.objects.filter(pk=hidden.pk).update(
        visibility="group", working_group=WorkingGroupFactory()
    )
    Event.objects.filter(pk=cancelled.pk).update(status="cancelled")
    Event.objects.filter(pk=started.pk).update(
        registration_closes_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    member = MemberFactory()
    outcome = series_register(series=weekly.series, user=member)
    assert (outcome.confirmed, outcome.waitlisted, outcome.closed) == (10, 0, 2)
    assert hidden.pk not in [event.pk for event, _outcome in outcome.rows]
    assert not Registration.objects.filter(user=member, event=hidden).exists()
    assert not Registration.objects.filter(user=member, event=cancelled).exists()
    # Twice is harmless: nothing new, every seat kept.
    again = series_register(series=weekly.series, user=member)
    assert (again.confirmed, again.already) == (0, 10)
    assert SeriesRegistration.objects.filter(user=member).count() == 1


def test_nothing_written_when_no_date_takes_registrations(client, weekly):
    Event.objects.filter(series_id=weekly.series_id).update(status="cancelled")
    member = MemberFactory()
    client.force_login(member)
    response = client.post(f"/events/{weekly.slug}/series/register/", follow=True)
    assert "None of the series' coming dates takes registrations now." in (
        unescape(response.content.decode())
    )
    assert not SeriesRegistration.objects.exists()
    assert not Registration.objects.exists()


def test_leave_all_dates_asks_first_then_frees_every_seat(client, weekly):
    dates = occurrences(weekly.series_id)
    Event.objects.filter(pk=dates[5].pk).update(capacity=1)
    member, waiting = MemberFactory(), MemberFactory()
    series_register(series=weekly.series, user=member)
    series_register(series=weekly.series, user=waiting)
    assert Registration.objects.get(event=dates[5], user=waiting).status == "waitlisted"
    client.force_login(member)

    asked = client.post(f"/events/{dates[0].slug}/series/leave/")
    assert asked.status_code == 200
    assert "Leave every date of the series?" in asked.content.decode()
    assert Registration.objects.filter(user=member, status="confirmed").count() == 13

    response = client.post(
        f"/events/{dates[0].slug}/series/leave/", {"confirm": "yes"}, follow=True
    )
    assert "13 registrations cancelled" in response.content.decode()
    assert not Registration.objects.filter(
        user=member, status__in=["confirmed", "waitlisted"]
    ).exists()
    # The seat freed at the full date went to the person waiting.
    assert Registration.objects.get(event=dates[5], user=waiting).status == "confirmed"
    assert not SeriesRegistration.objects.filter(
        user=member, cancelled_at__isnull=True
    ).exists()


def test_dates_added_later_register_the_series_registrants(db, weekly):
    """Decided: registering for the series is a standing wish (kept as a
    SeriesRegistration), so the meetings generated later take a seat (or a
    waitlist place) for them too; leaving the series ends it."""
    series = weekly.series
    stayer, leaver = MemberFactory(), MemberFactory()
    series_register(series=series, user=stayer)
    series_register(series=series, user=leaver)
    series_leave(series=series, user=leaver)
    before = Registration.objects.filter(user=stayer).count()

    later = timezone.now() + datetime.timedelta(days=30)
    assert event_series_extend(series=series, now=later) > 0
    newest = occurrences(series.pk)[-1]
    assert Registration.objects.get(event=newest, user=stayer).status == "confirmed"
    assert Registration.objects.filter(user=stayer).count() > before
    assert not Registration.objects.filter(
        event=newest, user=leaver, status__in=["confirmed", "waitlisted"]
    ).exists()


def test_dates_added_later_skip_registrants_who_may_no_longer_see_them(db):
    group = WorkingGroupFactory()
    from tests.alliance.factories import WorkingGroupMembershipFactory

    membership = WorkingGroupMembershipFactory(group=group)
    event = make_weekly(visibility="group", working_group=group)
    series_register(series=event.series, user=membership.user)
    membership.delete()
    later = timezone.now() + datetime.timedelta(days=30)
    event_series_extend(series=EventSeries.objects.get(pk=event.series_id), now=later)
    newest = occurrences(event.series_id)[-1]
    assert not Registration.objects.filter(event=newest).exists()


@pytest.mark.postgres
def test_a_seat_taken_while_registering_for_the_series(transactional_db):
    """Someone takes the last seat of a date while the series registration is
    on its way there: the series registration waits for the date's row lock
    and then finds it full, so it waitlists there; never two seats for one."""
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    event = make_weekly()
    dates = occurrences(event.series_id)
    contested = dates[6]
    Event.objects.filter(pk=contested.pk).update(capacity=1)
    rival, member = MemberFactory(), MemberFactory()
    locked, release = threading.Event(), threading.Event()
    results = {}

    def take_the_seat():
        try:
            with transaction.atomic():
                locked_event = event_lock(contested.pk)
                registration_add_locked(
                    event=locked_event,
                    user=rival,
                    organization_id=None,
                    show_on_list=False,
                    now=timezone.now(),
                )
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    def register_all():
        try:
            results["outcome"] = series_register(series=event.series, user=member)
        finally:
            connection.close()

    rival_thread = threading.Thread(target=take_the_seat)
    rival_thread.start()
    assert locked.wait(10)
    series_thread = threading.Thread(target=register_all)
    series_thread.start()
    time.sleep(1)  # the series registration is now waiting for the locked date
    assert series_thread.is_alive()
    assert "outcome" not in results
    release.set()
    rival_thread.join(10)
    series_thread.join(20)

    outcome = results["outcome"]
    assert (outcome.confirmed, outcome.waitlisted) == (12, 1)
    statuses = dict(
        Registration.objects.filter(event=contested).values_list("user_id", "status")
    )
    assert statuses == {rival.pk: "confirmed", member.pk: "waitlisted"}


@pytest.mark.postgres
def test_many_people_register_for_the_series_and_single_dates_at_once(
    transactional_db,
):
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    from tests.events.test_concurrency import run_together

    event = make_weekly()
    Event.objects.filter(series_id=event.series_id).update(capacity=3)
    dates = occurrences(event.series_id)
    series_people = MemberFactory.create_batch(6)
    single_people = MemberFactory.create_batch(6)
    from events.services.registrations import registration_create

    calls = [
        (lambda p=p: series_register(series=event.series, user=p))
        for p in series_people
    ] + [
        (lambda p=p, i=i: registration_create(event=dates[i % 3], user=p))
        for i, p in enumerate(single_people)
    ]
    run_together(calls)
    for date in dates:
        confirmed = Registration.objects.filter(event=date, status="confirmed")
        assert confirmed.count() == 3
    assert (
        Registration.objects.filter(event__series_id=event.series_id).count()
        == 6 * 13 + 6
    )
