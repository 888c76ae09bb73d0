"""Seats are never oversold: concurrent registrations on PostgreSQL, each thread
with its own database connection."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from events.models import Registration
from events.services.registrations import (
    registration_cancel,
    registration_create,
    waitlist_position,
)
from tests.conftest import need, on_postgres
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.postgres

# The database serves at most this many of the threads at once (as a connection
# pool would), so the suite stays within PostgreSQL's connection limit on a
# shared machine; all threads start together and contend for the same row.
MAX_CONNECTIONS = 30


def run_together(calls):
    """Run the calls in threads released at the same moment; return results in
    call order."""
    barrier = threading.Barrier(len(calls))
    gate = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def run(call):
        barrier.wait()
        with gate:
            try:
                return call()
            finally:
                connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def test_100_concurrent_registrations_for_20_seats(transactional_db):
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    event = EventFactory(capacity=20)
    people = MemberFactory.create_batch(100)

    results = run_together(
        [lambda p=p: registration_create(event=event, user=p) for p in people]
    )

    statuses = [r.status for r in results]
    assert statuses.count("confirmed") == 20
    assert statuses.count("waitlisted") == 80
    rows = list(Registration.objects.filter(event=event).order_by("id"))
    # Arrival order: the first 20 to get the lock have the seats, then the
    # waitlist follows in the same order, positions 1..80 without gaps.
    assert [r.status for r in rows] == ["confirmed"] * 20 + ["waitlisted"] * 80
    assert [waitlist_position(r) for r in rows[20:]] == list(range(1, 81))

    # Ten people with seats cancel at once: the first ten waiting move up, in order.
    first_waiting = [r.user_id for r in rows[20:30]]
    run_together([lambda r=r: registration_cancel(registration=r) for r in rows[:10]])
    confirmed = Registration.objects.filter(event=event, status="confirmed")
    assert confirmed.count() == 20
    assert set(first_waiting) <= set(confirmed.values_list("user_id", flat=True))
    still_waiting = list(
        Registration.objects.filter(event=event, status="waitlisted").order_by("id")
    )
    assert [r.user_id for r in still_waiting] == [r.user_id for r in rows[30:]]
    assert [waitlist_position(r) for r in still_waiting] == list(range(1, 71))
