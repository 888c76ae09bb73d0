"""Deliver what is waiting in PostgreSQL: activities not yet fanned out and emails
still queued (after a broker outage, a lost task or a dead worker)."""

import datetime as dt

from alliance.core.dispatch import dispatch_now
from alliance.notifications.services.activities import (
    FAN_OUT_TASK,
    activity_pending_ids,
)
from alliance.notifications.services.outbox import (
    RESWEEP_AFTER,
    SEND_CHUNK,
    SEND_TASK,
    outbox_mark_swept,
    outbox_release_stale,
    outbox_sweep_ids,
)

# A task dispatched normally runs within seconds; what waits longer than this was
# lost on the way (the broker was down, or its worker died) and is queued again.
SWEEP_GRACE = dt.timedelta(minutes=2)


def delivery_sweep(
    *,
    older_than: dt.timedelta = SWEEP_GRACE,
    worker: str | None = None,
    resweep_after: dt.timedelta = RESWEEP_AFTER,
) -> dict:
    """Release dead workers' claims and queue again whatever is still waiting
    (a restarting worker passes ``resweep_after=0``: its tasks were lost)."""
    released = outbox_release_stale(worker=worker)
    activity_ids = activity_pending_ids(older_than=older_than, limit=1000)
    for activity_id in activity_ids:
        if not dispatch_now(FAN_OUT_TASK, activity_id):
            break
    email_ids = outbox_sweep_ids(
        older_than=older_than, limit=10_000, resweep_after=resweep_after
    )
    for start in range(0, len(email_ids), SEND_CHUNK):
        chunk = email_ids[start : start + SEND_CHUNK]
        if not dispatch_now(SEND_TASK, chunk):
            break
        outbox_mark_swept(chunk)
    return {
        **released,
        "activities": len(activity_ids),
        "emails": len(email_ids),
    }
