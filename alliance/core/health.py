"""The state of each part the portal depends on, for ``/health/`` and the
readiness probe.

Each check's answer is kept in this process for ``HEALTH_CACHE_SECONDS``, so
probes and monitors cost the parts nothing more than one check per process every
few seconds (the worker ping alone takes ``HEALTH_WORKER_TIMEOUT``); while one
request refreshes a check, others get the previous answer instead of waiting.

The overall status: ``down`` when the database is (nothing can be served: 503),
``degraded`` when the cache, the broker or the workers are (pages and the API
still answer from the database; tasks wait in it for the sweep), ``up`` else.
"""

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from alliance.core.cache import redis_ping
from alliance.registries.health import health_details

UP, DEGRADED, DOWN = "up", "degraded", "down"


def _error(exc: Exception) -> dict:
    return {"status": DOWN, "error": f"{type(exc).__name__}: {exc}"[:200]}


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return _error(exc)
    return {"status": UP, "engine": connection.vendor}


def _check_cache() -> dict:
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    # The portal's Redis cache answers from this process's memory while Redis is
    # unreachable; ask Redis itself.
    ping = getattr(cache, "redis_ping", None)
    try:
        if ping is not None:
            ping()
        else:
            cache.set("health:probe", "ok", 10)
            if cache.get("health:probe") != "ok":
                return {"status": DOWN, "backend": backend, "error": "no answer"}
    except Exception as exc:  # noqa: BLE001
        return {**_error(exc), "backend": backend}
    return {"status": UP, "backend": backend}


def _check_broker() -> dict:
    try:
        redis_ping(settings.REDIS_URL)
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    return {"status": UP}


def _check_worker() -> dict:
    from alliance.celery import app

    try:
        replies = app.control.ping(timeout=settings.HEALTH_WORKER_TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        return _error(exc)
    if not replies:
        return {"status": DOWN, "error": "no worker answered"}
    return {"status": UP, "workers": len(replies)}


_answers: dict[str, tuple[float, dict]] = {}
_refreshing: dict[str, threading.Lock] = {}
_guard = threading.Lock()


def _cached(name: str, check: Callable[[], dict]) -> dict:
    """Return the check's answer, refreshed at most every HEALTH_CACHE_SECONDS."""
    now = time.monotonic()
    kept = _answers.get(name)
    if kept and now - kept[0] < settings.HEALTH_CACHE_SECONDS:
        return kept[1]
    with _guard:
        lock = _refreshing.setdefault(name, threading.Lock())
    # Another request is refreshing it: give the previous answer meanwhile.
    if not lock.acquire(blocking=kept is None):
        return kept[1]
    try:
        answer = check()
        _answers[name] = (time.monotonic(), answer)
        return answer
    finally:
        lock.release()


def health_forget() -> None:
    """Drop the kept answers (tests, and after a configuration change)."""
    _answers.clear()


def _overall(checks: dict) -> str:
    if checks["database"]["status"] != UP:
        return DOWN
    return UP if all(c["status"] == UP for c in checks.values()) else DEGRADED


def health_report() -> tuple[str, dict]:
    """Check every configured part; return the overall status and each check."""
    checks = {
        "database": _cached("database", _check_database),
        "cache": _cached("cache", _check_cache),
    }
    if settings.REDIS_URL:
        checks["broker"] = _cached("broker", _check_broker)
        if checks["broker"]["status"] == UP:
            checks["worker"] = _cached("worker", _check_worker)
        else:
            checks["worker"] = {"status": DOWN, "error": "broker unreachable"}
    else:
        checks["tasks"] = {"status": UP, "mode": "in-process (no REDIS_URL)"}
    return _overall(checks), checks


def health_figures() -> dict:
    """The figures apps register (outbox counts, ...), kept like the checks."""
    return _cached("figures", health_details)


def readiness() -> bool:
    """Whether this process can serve: only the database is needed (the cache
    and the broker may be down; pages and the API answer without them)."""
    return _cached("database", _check_database)["status"] == UP
