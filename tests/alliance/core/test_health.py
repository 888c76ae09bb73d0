"""/health/ says up, degraded or down to everyone and each part's state to staff
and monitors; /health/ready/ checks what serving needs; /health/live/ touches
nothing (issue 17, item 9)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.celery import app
from alliance.core.health import health_forget
from alliance.notifications.models import OutboxEmail
from tests.alliance.notifications.test_outbox import queued

UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker(settings):
    """Point /health/ (and this process's Celery app) at a broker URL."""
    previous = app.conf.broker_url

    def use(url):
        settings.REDIS_URL = url
        app.conf.broker_url = url

    yield use
    app.conf.broker_url = previous


def test_the_public_answer_is_only_up_degraded_or_down(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "up"}


def test_staff_see_each_part_and_the_outbox_figures(client, staff_user, settings):
    settings.REDIS_URL = ""
    (email,) = queued()
    OutboxEmail.objects.filter(pk=email.pk).update(status=OutboxEmail.Status.UNCERTAIN)
    client.force_login(staff_user)
    body = client.get("/health/").json()
    assert body["status"] == "up"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["cache"]["status"] == "up"
    assert body["checks"]["tasks"]["mode"].startswith("in-process")
    assert body["figures"]["outbox"]["uncertain"] == 1


def test_a_monitor_with_the_token_sees_the_details_a_member_does_not(
    client, member, settings
):
    settings.REDIS_URL = ""
    settings.HEALTH_TOKEN = "monitor-secret"
    with_token = client.get("/health/", HTTP_AUTHORIZATION="Bearer monitor-secret")
    assert with_token.json()["checks"]["database"]["status"] == "up"
    wrong = client.get("/health/", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.json() == {"status": "up"}
    client.force_login(member)
    assert client.get("/health/").json() == {"status": "up"}


def test_an_unreachable_broker_is_degraded_not_a_503(client, staff_user, broker):
    broker(UNREACHABLE)
    client.force_login(staff_user)
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["worker"]["status"] == "down"
    # Serving needs only the database.
    ready = client.get("/health/ready/")
    assert (ready.status_code, ready.content) == (200, b"ready")


def test_no_worker_answering_is_degraded_not_a_503(
    client, staff_user, settings, redis_url, broker
):
    settings.HEALTH_WORKER_TIMEOUT = 0.3
    broker(redis_url)
    client.force_login(staff_user)
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["broker"]["status"] == "up"
    assert body["checks"]["worker"]["error"] == "no worker answered"


@pytest.mark.worker
def test_health_up_with_redis_and_a_worker(client, settings, celery_worker, redis_url):
    settings.REDIS_URL = redis_url
    settings.HEALTH_TOKEN = "t"
    response = client.get("/health/", HTTP_AUTHORIZATION="Bearer t")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "up"
    assert body["checks"]["broker"]["status"] == "up"
    assert body["checks"]["worker"]["workers"] >= 1


def test_each_check_is_kept_for_a_few_seconds(client, staff_user, settings):
    settings.REDIS_URL = ""
    settings.HEALTH_CACHE_SECONDS = 60
    client.force_login(staff_user)
    health_forget()
    try:
        assert client.get("/health/").json()["figures"]["outbox"]["uncertain"] == 0
        (email,) = queued()
        OutboxEmail.objects.filter(pk=email.pk).update(
            status=OutboxEmail.Status.UNCERTAIN
        )
        # The answer kept from a moment ago still stands ...
        assert client.get("/health/").json()["figures"]["outbox"]["uncertain"] == 0
        health_forget()  # ... until it is HEALTH_CACHE_SECONDS old
        assert client.get("/health/").json()["figures"]["outbox"]["uncertain"] == 1
    finally:
        health_forget()


def test_liveness_answers_without_touching_the_database(client, member):
    client.force_login(member)  # even with a session to load
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert len(queries) == 0
