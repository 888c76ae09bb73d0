"""Django's PostgreSQL backend with a client-side bound on every wait.

The server enforces ``statement_timeout`` and ``lock_timeout`` (set per
connection from the settings), and libpq ``connect_timeout`` bounds connecting.
What neither can bound is a server or network that stops answering altogether
(a stopped backend, a frozen proxy or link): the client would wait for the
whole outage. ``OPTIONS["answer_timeout"]`` (seconds, from
``DATABASE_ANSWER_TIMEOUT``) bounds every wait of the connection for an answer;
when it runs out the connection is closed and the query fails with an
``OperationalError``, which the portal answers with its 503 page.
"""

import psycopg
from django.db.backends.postgresql import base
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


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        params.pop("answer_timeout", None)
        return params

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
