"""The kept database connection (alliance/core/postgresql): a connection whose
last request ended cleanly moments ago is not pinged again before the next; one
idle longer is, and one the server dropped meanwhile is replaced, so the next
request succeeds. Statements a connection runs often are prepared on the server."""

import pytest
from django.core.signals import request_finished, request_started
from django.db import OperationalError, connection, connections
from django.test.utils import CaptureQueriesContext

from tests.conftest import need, on_postgres

pytestmark = [pytest.mark.postgres]


@pytest.fixture
def pings(monkeypatch, transactional_db):
    """The health checks' pings the connection sends, counted."""
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    wrapper = connections["default"]
    assert wrapper.settings_dict["CONN_HEALTH_CHECKS"]
    sent = []
    usable = type(wrapper).is_usable

    def is_usable(self):
        sent.append(self.alias)
        return usable(self)

    monkeypatch.setattr(type(wrapper), "is_usable", is_usable)
    return sent


def a_request(sql="SELECT 1 + 1"):
    """What a request does to the connection: begin, one query, end."""
    request_started.send(sender=None)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        request_finished.send(sender=None)


def test_a_connection_that_answered_moments_ago_is_not_pinged(pings, monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "health_check_idle", 60)
    a_request()
    pings.clear()
    for _ in range(3):
        assert a_request() == 2
    assert pings == []


def test_a_connection_idle_longer_is_pinged(pings, monkeypatch):
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "health_check_idle", 0)
    a_request()
    pings.clear()
    assert a_request() == 2
    assert pings == ["default"]


def terminate(pid: int) -> None:
    """Have the server drop the connection of backend ``pid`` (as a restart
    or a failover would)."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def dropped_after_a_request(monkeypatch, idle: float) -> int:
    """With ``idle`` as the health check's idle time, serve a request, then have
    the server drop its connection; return the dropped backend's pid."""
    monkeypatch.setitem(connection.settings_dict["OPTIONS"], "health_check_idle", idle)
    a_request()
    pid = connection.connection.info.backend_pid
    terminate(pid)
    return pid


def test_a_connection_the_server_dropped_is_replaced_after_the_idle_time(
    pings, monkeypatch
):
    pid = dropped_after_a_request(monkeypatch, idle=0)
    # The next request does not fail: the ping finds the connection gone and
    # a new one serves the request.
    assert a_request("SELECT pg_backend_pid()") != pid


def test_within_the_idle_time_a_dropped_connection_fails_one_request_at_most(
    pings, monkeypatch
):
    pid = dropped_after_a_request(monkeypatch, idle=60)
    # Not pinged (it answered moments ago): this request fails, as the
    # settings document ...
    with pytest.raises(OperationalError):
        a_request()
    # ... and the connection is replaced: the next one is served.
    assert a_request("SELECT pg_backend_pid()") != pid


def test_statements_of_the_prepared_cursor_are_prepared_when_run_often(pings):
    for _ in range(6):
        a_request("SELECT 40 + 2")
        with connection.prepared_cursor() as cursor:
            cursor.execute("SELECT 40 + %s", [1])
            assert cursor.fetchone()[0] == 41
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["SELECT 40 + %"],
        )
        # The prepared cursor's statement only: Django's cursors bind on the
        # client and are never prepared.
        assert cursor.fetchone()[0] == 1


def test_the_person_query_is_prepared_and_logged(pings, member_client):
    for _ in range(6):
        assert member_client.get("/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        member_client.get("/")
    assert any(
        query["sql"].startswith('SELECT "members_user"."id"') for query in queries
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['SELECT "members_user"."id"%'],
        )
        assert cursor.fetchone()[0] >= 1
