"""Django's PostgreSQL backend with a client-side bound on every wait.

The server enforces ``statement_timeout`` and ``lock_timeout`` (set per
connection from the settings), and libpq ``connect_timeout`` bounds connecting.
What neither can bound is a server or network that stops answering altogether
(a stopped backend, a frozen proxy or link): the client would wait for the
whole outage. ``OPTIONS["answer_timeout"]`` (seconds, from
``DATABASE_ANSWER_TIMEOUT``) bounds every wait of the connection for an answer;
when it runs out the connection is closed and the query fails with an
``OperationalError``, which the portal answers with its 503 page.

Health checks (``CONN_HEALTH_CHECKS``) ping a kept connection with ``SELECT 1``
before a request uses it, so that a connection the server dropped (a restart, a
failover, an idle timeout) is replaced instead of failing the request. Under
load that is one more round trip for every request, to a connection that
answered moments ago. ``OPTIONS["health_check_idle"]`` (seconds, from
``DATABASE_HEALTH_CHECK_IDLE``) skips the ping for a connection whose last
request ended cleanly less than that long ago; one idle longer is pinged as
before. A server restart within that window fails at most the next request of
each connection that was in use during it (the requests in flight fail anyway);
the connection is then replaced (Django closes a connection that errored).

``prepared_cursor()`` is a cursor that binds its parameters on the server, so
that the server prepares a statement once the connection has run it
``OPTIONS["prepare_threshold"]`` times (``DATABASE_PREPARE_THRESHOLD``; psycopg
keeps the prepared statements per connection). Planning the person's query (a
few subqueries) costs the server five times what running it does, and every
signed-in request runs it. Django's own cursors bind on the client and are never
prepared; only the statements that ask for this cursor are.
"""

import contextlib
import time

import psycopg
from django.core.signals import request_finished
from django.db import connections
from django.db.backends.postgresql import base, operations
from django.utils.asyncio import async_unsafe
from psycopg import errors


class BoundedConnection(psycopg.Connection):
    """A psycopg connection whose waits for the server end after
    ``answer_timeout`` seconds (set on the class per wrapper, see below)."""

    answer_timeout: float = 0.0

    def wait(self, gen, interval=0.1, timeout=None):
        limit = self.answer_timeout
        if timeout is not None or not limit:
            return super().wait(gen, interval=interval, timeout=timeout)
        try:
            return super().wait(gen, interval=interval, timeout=limit)
        except errors._WaitTimeout:
            # The connection is mid-query and its state unknown: drop it.
            self.pgconn.finish()
            raise psycopg.OperationalError(
                f"the database did not answer within {limit:g} s"
            ) from None


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        """The SQL as Django logs it, also for a prepared statement (psycopg
        then sends its name only, and keeps no query text)."""
        query = super().last_executed_query(cursor, sql, params)
        if query is None:
            with contextlib.suppress(errors.DataError):
                query = self.compose_sql(sql, params)
        return query


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    # time.monotonic() when the connection's last request ended cleanly.
    request_ended_at = float("-inf")

    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("answer_timeout", None)
        params.pop("health_check_idle", None)
        return params

    @async_unsafe
    def prepared_cursor(self):
        """A cursor whose statements the server prepares once run often (see
        the module's docstring); used as ``connection.cursor()``."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        factory = self.connection.cursor_factory
        self.connection.cursor_factory = base.ServerBindingCursor
        try:
            with self.wrap_database_errors:
                return self._prepare_cursor(self.create_cursor())
        finally:
            self.connection.cursor_factory = factory

    def close_if_health_check_failed(self):
        idle = float(self.settings_dict["OPTIONS"].get("health_check_idle") or 0)
        if (
            self.connection is not None
            and not self.health_check_done
            and time.monotonic() - self.request_ended_at < idle
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _close(self):
        self.request_ended_at = float("-inf")
        super()._close()

    def request_ended_cleanly(self) -> None:
        """Note that the connection served a request without an error."""
        if (
            self.connection is not None
            and not self.errors_occurred
            and not self.in_atomic_block
            and not self.connection.broken
        ):
            self.request_ended_at = time.monotonic()

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        limit = float(self.settings_dict["OPTIONS"].get("answer_timeout") or 0)
        # psycopg.connect() builds a plain Connection; give it the bounded waits.
        connection.__class__ = _bounded_class(limit)
        return connection


_classes: dict[float, type] = {}


def _bounded_class(limit: float) -> type:
    if limit not in _classes:
        _classes[limit] = type(
            "BoundedConnection", (BoundedConnection,), {"answer_timeout": limit}
        )
    return _classes[limit]


def _requests_ended(**kwargs) -> None:
    for connection in connections.all(initialized_only=True):
        if isinstance(connection, DatabaseWrapper):
            connection.request_ended_cleanly()


request_finished.connect(_requests_ended, dispatch_uid="alliance.postgresql.ended")
