"""Issue 18, item 2: a frozen database. The portal runs in gunicorn (threads, as
in production) on the test database through a TCP proxy the test freezes: the
server neither answers nor closes anything. Requests fail within the configured
timeouts with the portal's 503 page (the API with its JSON error), /health/
says down, the readiness probe 503, and the liveness probe answers at once; when
the database answers again, so does the portal."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from tests.conftest import need, on_postgres
from tests.faults import FreezableProxy, PortalServer, figures_logger

# What each request measured, for the closing note:
# pytest --log-cli-level=INFO tests/alliance/core/test_faults_database.py
figure = figures_logger("frozen database")

pytestmark = [pytest.mark.postgres]

# Small timeouts for the test's server; production's are in the README.
CONNECT_TIMEOUT = 2
STATEMENT_TIMEOUT = 2
ANSWER_TIMEOUT = STATEMENT_TIMEOUT + 2
# The longest a request may take: a wait on the stale connection's health
# check, then a connection attempt, plus generous slack for a loaded machine
# (a page measured 6.2 s, /health/ 8.1 s with 20 processes per CPU). The freeze
# itself lasts until the test thaws it, so any bound proves the point.
BOUND = 2 * ANSWER_TIMEOUT + CONNECT_TIMEOUT + 2


@pytest.fixture
def portal_behind_a_proxy(transactional_db):
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    db = connection.settings_dict
    proxy = FreezableProxy(int(db["PORT"] or 5432))
    server = PortalServer(
        {
            "DJANGO_SETTINGS_MODULE": "alliance.settings.test",
            "DATABASE_URL": f"postgres://{db['USER'] or 'postgres'}@127.0.0.1:"
            f"{proxy.port}/{db['NAME']}",
            "REDIS_URL": "",
            "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
            "DATABASE_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT),
        }
    )
    yield proxy, server
    proxy.thaw()
    server.stop()
    proxy.close()


def test_a_frozen_database_gives_a_503_within_the_timeouts_and_live_answers(
    portal_behind_a_proxy,
):
    proxy, server = portal_behind_a_proxy
    status, _body, _headers, _took = server.get("/events/")
    assert status == 200  # the server holds a database connection now

    proxy.freeze()
    with ThreadPoolExecutor(max_workers=5) as pool:
        # Another list than the one read above: that one comes from the shared
        # cache now (alliance.core.cache) and answers without the database.
        page = pool.submit(server.get, "/events/?when=past")
        german = pool.submit(server.get, "/events/", **{"Accept-Language": "de"})
        api = pool.submit(server.get, "/api/v1/events/")
        health = pool.submit(server.get, "/health/")
        ready = pool.submit(server.get, "/health/ready/")
        # While all of those wait on the database, the liveness probe answers.
        live_status, live_body, _h, live_took = server.get("/health/live/")
        results = {
            "page": page.result(),
            "german": german.result(),
            "api": api.result(),
            "health": health.result(),
            "ready": ready.result(),
        }
    figure("/health/live/ answered 200 in %.3f s", live_took)
    for name, (status, _body, _headers, took) in results.items():
        figure("%s answered %s in %.2f s", name, status, took)

    assert (live_status, live_body) == (200, "ok")
    assert live_took < 1.0
    for name, (_status, _body, _headers, took) in results.items():
        assert took < BOUND, f"{name} took {took:.1f} s"

    status, body, headers, _took = results["page"]
    assert status == 503
    assert headers["Retry-After"] == "30"
    assert 'class="site-header"' in body  # the portal's own page
    assert "Briefly unavailable" in body
    status, body, _headers, _took = results["german"]
    assert status == 503 and "Kurzzeitig nicht erreichbar" in body
    status, body, _headers, _took = results["api"]
    assert status == 503 and body.startswith('{"errors": {"detail": [')
    assert results["health"][:2] == (503, '{"status": "down"}')
    assert results["ready"][0] == 503

    proxy.thaw()
    status, _body, _headers, took = server.get("/events/")
    figure("after the thaw: /events/ answered %s in %.2f s", status, took)
    assert status == 200
