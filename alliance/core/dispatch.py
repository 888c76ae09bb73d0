"""Queue Celery tasks after the current transaction commits, without ever letting a
broker outage break the write that queued them.

What a task would deliver is already in PostgreSQL (an Activity not yet fanned
out, an OutboxEmail still queued); when Redis cannot take the task, the periodic
sweep (``alliance.notifications.tasks.delivery_sweep_task``) and the sweep each
worker runs when
it starts queue it again. So a failed dispatch is logged, not raised.

While Redis is down (a failed publish, or the cache found it down) nothing is
sent to it for ``REDIS_RETRY_AFTER`` seconds: the write's task waits in the
database, and a hung Redis costs a request at most one socket timeout.

Services queue the tasks of their own app by name (the name pinned on the task):
a task module imports the service it calls, so the service cannot import the
task back. The name is what the broker carries anyway.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from kombu.exceptions import KombuError, OperationalError

from alliance.core.cache import REDIS_ERRORS

logger = logging.getLogger(__name__)

BROKER_ERRORS = (
    OperationalError,
    KombuError,
    ConnectionError,
    OSError,
    TimeoutError,
    *REDIS_ERRORS,
)
# time.monotonic() until which the broker counts as down in this process.
_broker_down_until = 0.0


def broker_down() -> bool:
    """Whether a publish now would only wait on a broker known to be down (the
    cache shares its Redis, so its breaker counts too)."""
    redis_down = getattr(cache, "redis_down", None)
    return time.monotonic() < _broker_down_until or bool(redis_down and redis_down())


def safe_countdown(seconds: float) -> int:
    """Return a countdown no longer than the broker's visibility timeout allows.

    Redis hands an unacknowledged task to another worker after the visibility
    timeout, so a longer countdown would run the task twice; waits longer than
    this are left to the periodic sweep.
    """
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    limit = int(options.get("visibility_timeout", 3600)) - 60
    return max(0, min(int(seconds), max(limit, 0)))


# Serializes the first import of the task modules in a threaded web process.
_task_import_lock = threading.Lock()


def registered_task(name: str):
    """Return the Celery task registered under ``name``."""
    from celery import current_app

    tasks = current_app.tasks
    if name not in tasks:
        # The first lookup in a web process imports every app's tasks module, as
        # a starting worker does. Celery's discovery runs once: a second thread
        # calling it meanwhile would return at once, before the tasks exist, so
        # every first lookup waits here until the import is complete.
        with _task_import_lock:
            if name not in tasks:
                current_app.loader.import_default_modules()
    return tasks[name]


def dispatch_now(task, *args, countdown: float | None = None, **kwargs) -> bool:
    """Send a task (or the task registered under that name) to the broker now;
    return False (and log) when it is down."""
    if isinstance(task, str):
        task = registered_task(task)
    global _broker_down_until
    if broker_down():
        logger.info("Broker down, %s(%s) stays queued for the sweep", task.name, args)
        return False
    options = {}
    if countdown:
        options["countdown"] = safe_countdown(countdown)
    try:
        task.apply_async(args=args, kwargs=kwargs, **options)
    except BROKER_ERRORS as exc:
        _broker_down_until = time.monotonic() + settings.REDIS_RETRY_AFTER
        logger.warning(
            "Broker unavailable, %s(%s) stays queued in the database for the sweep: %s",
            task.name,
            args,
            exc,
        )
        return False
    return True


def dispatch_on_commit(task, *args, **kwargs) -> None:
    """Send a task (or the task registered under that name) once the current
    transaction commits (never if it rolls back)."""
    transaction.on_commit(lambda: dispatch_now(task, *args, **kwargs))
