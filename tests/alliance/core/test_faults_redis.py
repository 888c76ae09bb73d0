"""Issue 18, item 1: Redis stopped or hung under a running portal. The portal runs
in gunicorn on the test database with its own redis-server as cache, sessions'
cache and broker (as in production); the test stops or pauses that server.

Stopped mid-session: signed-in pages and the API answer (sessions from the
database, rate limits counted in the process), signing in works, a registration
persists and its confirmation is delivered once Redis is back. Paused (hung, not
closed): each request answers within the configured socket timeout."""

import json
import os
import signal

import pytest
from django.db import connection

from alliance.notifications.models import Activity
from events.models import Registration
from members.services import api_token_create
from tests.alliance.notifications.conftest import (  # noqa: F401 - fixtures
    private_redis,
    smtp_recorder,
    wait_for,
    worker_factory,
)
from tests.conftest import need, on_postgres
from tests.events.factories import EventFactory
from tests.faults import Browser, PortalServer, figures_logger
from tests.members.factories import PASSWORD, MemberFactory

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SOCKET_TIMEOUT = 0.5
# A request pays the socket timeout at most once (then the process answers
# without Redis); the rest is the page's own work on a shared machine.
BOUND = SOCKET_TIMEOUT + 1.5
SIGNED_IN_PAGES = ["/dashboard/", "/events/", "/notifications/", "/members/"]

# What each request measured, for the closing note:
# pytest --log-cli-level=INFO tests/alliance/core/test_faults_redis.py
figure = figures_logger("redis")


@pytest.fixture
def portal_on_redis(transactional_db, private_redis):  # noqa: F811
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    db = connection.settings_dict
    server = PortalServer(
        {
            "DJANGO_SETTINGS_MODULE": "alliance.settings.test",
            "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "REDIS_URL": private_redis.url,
            "TEST_REDIS_DB": "0",
            "ALLIANCE_TEST_REDIS_CACHE": "1",
            "ALLIANCE_TEST_WORKER": "1",  # tasks go to the broker, not in-process
            "REDIS_SOCKET_TIMEOUT": str(SOCKET_TIMEOUT),
            "REDIS_RETRY_AFTER": "5",
        }
    )
    yield server
    server.stop()


@pytest.fixture
def person():
    return MemberFactory(name="Rita Resilient")


def signed_in(server, person) -> Browser:
    browser = Browser(server)
    status, _body, headers, _took = browser.sign_in(person.email, PASSWORD)
    assert status == 302, _body[:500]
    return browser


def test_redis_stopped_mid_session_pages_answer_and_writes_are_delivered_later(
    portal_on_redis,
    private_redis,  # noqa: F811
    smtp_recorder,  # noqa: F811
    worker_factory,  # noqa: F811
    person,
):
    server = portal_on_redis
    event = EventFactory(capacity=10)
    _token, key = api_token_create(user=person, name="script")
    browser = signed_in(server, person)
    assert browser.get("/dashboard/")[0] == 200  # the session is in Redis now

    private_redis.stop()

    for path in SIGNED_IN_PAGES:
        status, body, _headers, took = browser.get(path)
        figure("stopped: %s answered %s in %.2f s", path, status, took)
        assert status == 200, (path, body[:300])
        assert "Rita Resilient" in body, f"{path}: no longer signed in"
    # Someone signs in meanwhile (allauth's rate limits count in the process).
    other = signed_in(server, MemberFactory())
    assert other.get("/dashboard/")[0] == 200
    # The API (throttled per process meanwhile), and a registration: it persists.
    auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    status, body, _headers, took = browser.request(
        "POST", f"/api/v1/events/{event.slug}/registration/", data=b"{}", headers=auth
    )
    figure("stopped: registration answered %s in %.2f s", status, took)
    assert status == 201, body
    assert json.loads(body)["status"] == "confirmed"
    assert Registration.objects.filter(event=event, user=person).exists()
    status, _body, _headers, _took = browser.get("/api/v1/events/", headers=auth)
    assert status == 200
    confirmation = Activity.objects.get(kind="registration_confirmed")
    assert confirmation.fanned_out_at is None  # it waits in the database
    status, body, _headers, _took = Browser(server).get("/health/")
    assert (status, body) == (200, '{"status": "degraded"}')

    # Redis is back: a worker starting (or the minute's sweep) delivers it.
    private_redis.start()
    worker_factory(private_redis.url, smtp_url=smtp_recorder.url)
    assert wait_for(
        lambda: any(m["to"] == [person.email] for m in smtp_recorder.messages()),
        timeout=60,
    )
    # The session signed in before the outage still holds.
    status, body, _headers, _took = browser.get("/dashboard/")
    assert status == 200 and "Rita Resilient" in body


def test_a_hung_redis_costs_each_request_at_most_the_socket_timeout(
    portal_on_redis,
    private_redis,  # noqa: F811
    person,
):
    server = portal_on_redis
    event = EventFactory(capacity=10)
    _token, key = api_token_create(user=person, name="script")
    browser = signed_in(server, person)
    assert browser.get("/dashboard/")[0] == 200

    os.kill(private_redis.proc.pid, signal.SIGSTOP)  # hung: no answer, not closed
    try:
        timings = []
        for path in [*SIGNED_IN_PAGES, *SIGNED_IN_PAGES]:
            status, body, _headers, took = browser.get(path)
            figure("paused: %s answered %s in %.2f s", path, status, took)
            assert status == 200 and "Rita Resilient" in body, path
            timings.append(took)
        auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        status, body, _headers, took = browser.request(
            "POST",
            f"/api/v1/events/{event.slug}/registration/",
            data=b"{}",
            headers=auth,
        )
        figure("paused: registration answered %s in %.2f s", status, took)
        assert status == 201, body
        timings.append(took)
        assert max(timings) < BOUND, timings
    finally:
        os.kill(private_redis.proc.pid, signal.SIGCONT)
    assert Registration.objects.filter(event=event, user=person).exists()
