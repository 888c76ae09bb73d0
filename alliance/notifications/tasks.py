"""Celery tasks of the alliance domain: each takes ids, calls one service, owns its
retries, and is safe to run twice."""

import datetime as dt
import logging

from celery import shared_task
from celery.signals import worker_ready
from django.db import connections

from alliance.core.dispatch import dispatch_now, safe_countdown
from alliance.notifications.services.activities import FAN_OUT_TASK, activity_fan_out
from alliance.notifications.services.delivery import delivery_sweep
from alliance.notifications.services.digests import digest_run
from alliance.notifications.services.outbox import SEND_TASK, outbox_send

logger = logging.getLogger(__name__)


@shared_task(name=FAN_OUT_TASK)
def activity_fan_out_task(activity_id: int) -> int:
    """Notify everyone who should hear of an activity."""
    return activity_fan_out(activity_id=activity_id)


@shared_task(bind=True, name=SEND_TASK)
def outbox_send_task(self, email_ids: list[int]) -> dict:
    """Send queued outbox emails; try the deferred ones again after a backoff."""
    result = outbox_send(email_ids=email_ids, worker=self.request.hostname or "")
    if result.get("retry_in") is not None:
        # Waits longer than the visibility timeout are left to the sweep.
        dispatch_now(
            outbox_send_task, email_ids, countdown=safe_countdown(result["retry_in"])
        )
    return result


@shared_task(name="alliance.tasks.delivery_sweep_task")
def delivery_sweep_task(grace_seconds: int | None = None) -> dict:
    """Queue again what waits in the database (activities, emails)."""
    if grace_seconds is None:
        return delivery_sweep()
    return delivery_sweep(older_than=dt.timedelta(seconds=grace_seconds))


@shared_task(name="alliance.tasks.digest_send_due_task")
def digest_send_due_task(limit: int | None = None) -> dict:
    """Build and queue the digests that are due, oldest first, up to a cap."""
    return digest_run(limit=limit) if limit else digest_run()


@worker_ready.connect
def _sweep_when_a_worker_starts(sender=None, **kwargs):
    """A (re)started worker releases its own dead claims and queues at once what
    waits, so nothing stays behind a broker outage or a killed worker."""
    hostname = getattr(sender, "hostname", None)
    try:
        result = delivery_sweep(
            older_than=dt.timedelta(0),
            worker=hostname,
            resweep_after=dt.timedelta(0),
        )
    except Exception:  # a sweep must never keep a worker from starting
        logger.exception("The start-up sweep failed; the periodic sweep will retry")
        return
    finally:
        # The pool's processes have their own connections; the main process
        # does not keep one open.
        connections.close_all()
    logger.info("Start-up sweep of %s: %s", hostname, result)
