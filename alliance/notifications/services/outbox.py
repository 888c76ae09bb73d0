"""The email outbox: every email is a row first, then a worker sends it once.

How an email is sent at most once, even when its task runs twice or the worker is
killed midway:

1. *Claim*: one UPDATE moves the row from ``queued`` to ``sending`` with a fresh
   fencing token, the worker's name and a lease. A second task finds nothing to
   claim and stops.
2. *Hand-over*: just before the point of no return (for SMTP: after the message
   body is transmitted, before the final ``.`` that completes the transaction),
   an UPDATE guarded by the token records ``handed_over_at``. If the token no
   longer matches (the claim was released), the connection is dropped without the
   final dot and the mail server discards the message. The UPDATE runs in an
   explicit transaction that the worker commits only once it has the UPDATE's
   answer: a worker killed while the UPDATE waits for a row lock never commits
   it (PostgreSQL rolls back a transaction whose client is gone), so the row
   does not claim a hand-over that never happened. The wait is bounded
   (``HAND_OVER_LOCK_TIMEOUT``); when it runs out the message is dropped and
   the claim released for the sweep, as if the token had not matched.
3. *Sent*: after the server's ``250``, the row becomes ``sent``.

A claim whose worker died (lease expired, or the same worker restarting) is
released by the sweep: before the hand-over it is queued again (the server never
completed the message) and queued for sending at once; after it, it becomes
``uncertain`` and is not resent automatically (staff can queue it again from the
admin; ``/health/`` counts them for staff). The uncertain window is the
hand-over's COMMIT and the final dot: about one network round trip per message.
"""

import datetime as dt
import logging
import smtplib
import uuid
from collections import Counter
from collections.abc import Iterable
from functools import partial

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from alliance.core.dispatch import dispatch_on_commit
from alliance.notifications.models import OutboxEmail
from alliance.notifications.selectors import outbox_email_still_allowed
from alliance.notifications.services.emails import RenderedEmail
from alliance.notifications.transport import (
    ClaimLost,
    DeliveryUncertain,
    Mailer,
    is_permanent,
    message_build,
)

logger = logging.getLogger(__name__)

S = OutboxEmail.Status
# Queued by name (alliance.core.dispatch); alliance.notifications.tasks pins it.
SEND_TASK = "alliance.tasks.outbox_send_task"
MAX_ATTEMPTS = 8
# How long a claim holds before the sweep may release it. Longer than one send
# can take (connect and each SMTP step are bounded by EMAIL_TIMEOUT, 20 s);
# a claim released too early only costs the slow worker its send (its token no
# longer matches at the hand-over), never a duplicate.
LEASE = dt.timedelta(minutes=2)
# How long the hand-over waits for the row's lock (held briefly by the sweep or
# an admin action) before it gives the message up for a later attempt.
HAND_OVER_LOCK_TIMEOUT_MS = 5000
SEND_CHUNK = 50


# --- Writing -------------------------------------------------------------------------


def outbox_build(
    *,
    key: str,
    to: str,
    rendered: RenderedEmail,
    language: str,
    user_id: int | None = None,
    attachments: list[dict] | None = None,
) -> OutboxEmail:
    """Return an unsaved outbox row for a rendered email."""
    return OutboxEmail(
        key=key[:200],
        user_id=user_id,
        to_email=to,
        language=language,
        subject=rendered.subject[:300],
        body_text=rendered.text,
        body_html=rendered.html,
        headers=rendered.headers,
        attachments=attachments or [],
    )


def outbox_add(emails: Iterable[OutboxEmail]) -> list[int]:
    """Save emails (a key already in the outbox is skipped) and queue their
    sending after commit; return the ids of the new rows (two queries)."""
    emails = list(emails)
    if not emails:
        return []
    OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True, batch_size=1000)
    ids = list(
        OutboxEmail.objects.filter(
            key__in=[email.key for email in emails], status=S.QUEUED
        ).values_list("pk", flat=True)
    )
    outbox_dispatch(ids)
    return ids


def outbox_dispatch(email_ids: list[int]) -> None:
    """Queue the sending of emails after commit, a chunk per task."""
    for start in range(0, len(email_ids), SEND_CHUNK):
        dispatch_on_commit(SEND_TASK, email_ids[start : start + SEND_CHUNK])


@transaction.atomic
def outbox_requeue(*, email_ids: Iterable[int]) -> int:
    """Queue failed or uncertain emails again (staff decided to resend them)."""
    ids = list(
        OutboxEmail.objects.filter(
            pk__in=list(email_ids), status__in=[S.FAILED, S.UNCERTAIN]
        ).values_list("pk", flat=True)
    )
    OutboxEmail.objects.filter(pk__in=ids).update(
        status=S.QUEUED,
        attempts=0,
        next_attempt_at=timezone.now(),
        handed_over_at=None,
        claim_token=None,
        claimed_by="",
        claimed_until=None,
    )
    outbox_dispatch(ids)
    return len(ids)


# --- Sending -------------------------------------------------------------------------


def backoff(attempts: int) -> dt.timedelta:
    """Return the wait before the next attempt: 1, 2, 4 … minutes, at most 6 hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _claim(email_id: int, worker: str) -> uuid.UUID | None:
    token = uuid.uuid4()
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(
        pk=email_id, status=S.QUEUED, next_attempt_at__lte=now
    ).update(
        status=S.SENDING,
        claim_token=token,
        claimed_by=worker[:200],
        claimed_until=now + LEASE,
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def _owned(email_id: int, token: uuid.UUID):
    return OutboxEmail.objects.filter(pk=email_id, claim_token=token, status=S.SENDING)


def _hand_over(email_id: int, token: uuid.UUID) -> bool:
    """Record the hand-over; True once it is committed, False when the claim
    was lost or the row stayed locked (the message is then dropped)."""
    try:
        # Committed only after the UPDATE answered this (living) worker; see
        # the module's docstring.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET LOCAL lock_timeout = %s", [HAND_OVER_LOCK_TIMEOUT_MS]
                    )
            return bool(_owned(email_id, token).update(handed_over_at=timezone.now()))
    except DatabaseError as exc:
        logger.warning("Outbox email %s: no hand-over recorded (%s)", email_id, exc)
        return False


def _record_sent(email_id: int, token: uuid.UUID) -> None:
    now = timezone.now()
    updated = _owned(email_id, token).update(
        status=S.SENT,
        sent_at=now,
        last_error="",
        claim_token=None,
        claimed_until=None,
    )
    if not updated:
        # The sweep marked it uncertain meanwhile; the server did take it.
        OutboxEmail.objects.filter(pk=email_id, status=S.UNCERTAIN).update(
            status=S.SENT, sent_at=now, last_error=""
        )


def _record_failure(
    email_id: int, token: uuid.UUID, attempts: int, exc: Exception
) -> dt.timedelta | None:
    """Queue the email again after a backoff (returned), or mark it failed."""
    error = f"{type(exc).__name__}: {exc}"[:2000]
    permanent = is_permanent(exc) or attempts >= MAX_ATTEMPTS
    wait = None if permanent else backoff(attempts)
    _owned(email_id, token).update(
        status=S.FAILED if permanent else S.QUEUED,
        last_error=error,
        handed_over_at=None,
        claim_token=None,
        claimed_until=None,
        next_attempt_at=timezone.now() + (wait or dt.timedelta(0)),
    )
    return wait


def outbox_send(*, email_ids: Iterable[int], worker: str = "") -> dict:
    """Send each of the queued emails at most once; return how each went and
    when to try the deferred ones again (``retry_in`` seconds)."""
    outcome = Counter()
    retry_in = None
    mailer = Mailer()
    try:
        for email_id in email_ids:
            token = _claim(email_id, worker)
            if token is None:
                outcome["skipped"] += 1
                continue
            email = OutboxEmail.objects.get(pk=email_id)
            if not outbox_email_still_allowed(email):
                # The person lost sight of what it is about since the fan-out.
                _owned(email_id, token).update(
                    status=S.FAILED,
                    last_error="Not sent: the recipient may no longer see what "
                    "it is about.",
                    claim_token=None,
                    claimed_until=None,
                )
                outcome["withheld"] += 1
                continue
            try:
                mailer.send(
                    message_build(email),
                    point_of_no_return=partial(_hand_over, email_id, token),
                )
            except ClaimLost:
                outcome["lost"] += 1
                continue
            except DeliveryUncertain as exc:
                _owned(email_id, token).update(
                    status=S.UNCERTAIN,
                    last_error=f"No answer after the message was handed over ({exc});"
                    " it may have been delivered, so it is not resent.",
                    claim_token=None,
                    claimed_until=None,
                )
                outcome["uncertain"] += 1
                continue
            except (smtplib.SMTPException, OSError, ValueError) as exc:
                logger.warning("Sending outbox email %s failed: %s", email_id, exc)
                wait = _record_failure(email_id, token, email.attempts, exc)
                if wait is None:
                    outcome["failed"] += 1
                else:
                    outcome["deferred"] += 1
                    seconds = wait.total_seconds()
                    retry_in = seconds if retry_in is None else min(retry_in, seconds)
                continue
            _record_sent(email_id, token)
            outcome["sent"] += 1
    finally:
        mailer.close()
    return {**outcome, "retry_in": retry_in}


@transaction.atomic
def outbox_release_stale(*, worker: str | None = None) -> dict:
    """Release claims of dead workers (lease expired, or ``worker`` restarting):
    queue again what was not handed over (and send it at once, its task died
    with the worker), mark the rest uncertain."""
    now = timezone.now()
    dead = Q(claimed_until__lt=now)
    if worker:
        dead |= Q(claimed_by=worker)
    sending = OutboxEmail.objects.filter(dead, status=S.SENDING)
    requeued_ids = list(
        sending.filter(handed_over_at__isnull=True)
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)
    )
    requeued = OutboxEmail.objects.filter(pk__in=requeued_ids).update(
        status=S.QUEUED,
        claim_token=None,
        claimed_until=None,
        next_attempt_at=now,
        last_error="The worker stopped before handing it to the mail server; "
        "queued again.",
    )
    uncertain = sending.filter(handed_over_at__isnull=False).update(
        status=S.UNCERTAIN,
        claim_token=None,
        claimed_until=None,
        last_error="The worker stopped after handing it to the mail server, before "
        "the server confirmed; it was probably delivered, so it is not resent. "
        "Queue it again in the admin if the recipient did not get it.",
    )
    outbox_dispatch(requeued_ids)
    return {"requeued": requeued, "uncertain": uncertain}


# An email the sweep queued again is not queued again for this long, so a long
# but moving queue (a big digest run) is not flooded with duplicate tasks.
RESWEEP_AFTER = dt.timedelta(minutes=10)


def outbox_sweep_ids(
    *, older_than: dt.timedelta, limit: int, resweep_after: dt.timedelta = RESWEEP_AFTER
) -> list[int]:
    """Return queued emails due for longer than ``older_than`` and not queued
    again by a sweep within ``resweep_after``, oldest first."""
    now = timezone.now()
    return list(
        OutboxEmail.objects.filter(
            status=S.QUEUED, next_attempt_at__lte=now - older_than
        )
        .filter(Q(swept_at__isnull=True) | Q(swept_at__lte=now - resweep_after))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_mark_swept(email_ids: list[int]) -> None:
    """Record that the sweep queued these emails again."""
    OutboxEmail.objects.filter(pk__in=email_ids).update(swept_at=timezone.now())
