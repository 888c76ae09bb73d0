"""/health/ reports each part the portal depends on."""

import pytest

from alliance.celery import app


def test_health_up_on_the_embedded_defaults(client, db, settings):
    settings.REDIS_URL = ""
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "up"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["cache"]["status"] == "up"
    assert body["checks"]["tasks"]["mode"].startswith("in-process")


def test_health_down_when_the_broker_is_unreachable(client, db, settings):
    unreachable = "redis://127.0.0.1:1/0"
    settings.REDIS_URL = unreachable
    previous = app.conf.broker_url
    app.conf.broker_url = unreachable
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["checks"]["database"]["status"] == "up"
    assert body["checks"]["broker"]["status"] == "down"
    assert body["checks"]["worker"]["status"] == "down"


@pytest.mark.worker
def test_health_up_with_redis_and_a_worker(client, settings, celery_worker, redis_url):
    settings.REDIS_URL = redis_url
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["broker"]["status"] == "up"
    assert body["checks"]["worker"]["workers"] >= 1


def test_health_down_when_no_worker_answers(client, db, settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.HEALTH_WORKER_TIMEOUT = 0.3
    previous = app.conf.broker_url
    app.conf.broker_url = redis_url
    try:
        response = client.get("/health/")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "up"
    assert response.json()["checks"]["worker"]["error"] == "no worker answered"


def test_liveness_answers_without_touching_the_database(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/live/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
    assert len(queries) == 0
