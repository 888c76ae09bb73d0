"""The state of each part the portal depends on, for /health/."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"status": "down", "error": str(exc)[:200]}
    return {"status": "up", "engine": connection.vendor}


def _check_cache() -> dict:
    try:
        cache.set("health:probe", "ok", 10)
        ok = cache.get("health:probe") == "ok"
    except Exception as exc:  # noqa: BLE001
        return {"status": "down", "error": str(exc)[:200]}
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return {"status": "up" if ok else "down", "backend": backend}


def _check_broker() -> dict:
    from alliance.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return {"status": "down", "error": str(exc)[:200]}
    return {"status": "up"}


def _check_worker() -> dict:
    from alliance.celery import app

    try:
        replies = app.control.ping(timeout=settings.HEALTH_WORKER_TIMEOUT)
    except Exception as exc:  # noqa: BLE001
        return {"status": "down", "error": str(exc)[:200]}
    if not replies:
        return {"status": "down", "error": "no worker answered"}
    return {"status": "up", "workers": len(replies)}


def health_report() -> tuple[bool, dict]:
    """Check every configured part; return whether all are up and the details."""
    checks = {"database": _check_database(), "cache": _check_cache()}
    if settings.REDIS_URL:
        checks["broker"] = _check_broker()
        if checks["broker"]["status"] == "up":
            checks["worker"] = _check_worker()
        else:
            checks["worker"] = {"status": "down", "error": "broker unreachable"}
    else:
        checks["tasks"] = {"status": "up", "mode": "in-process (no REDIS_URL)"}
    healthy = all(check["status"] == "up" for check in checks.values())
    return healthy, checks
