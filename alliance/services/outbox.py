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
   final dot and the mail server discards the message.
3. *Sent*: after the server's ``250``, the row becomes ``sent``.

A claim whose worker died (lease expired, or the same worker restarting) is
released by the sweep: before the hand-over it is queued again (the server never
completed the message); after it, it becomes ``uncertain`` and is not resent
automatically (staff can queue it again from the admin). The uncertain window is
one network round trip per message.
"""

import base64
import datetime as dt
import logging
import re
import smtplib
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.mime.image import MIMEImage

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.db.models import F, Q
from django.template import Context, TemplateDoesNotExist
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize

from alliance.dispatch import dispatch_on_commit
from alliance.models import OutboxEmail

logger = logging.getLogger(__name__)

S = OutboxEmail.Status
MAX_ATTEMPTS = 8
LEASE = dt.timedelta(minutes=5)
SEND_CHUNK = 50
UNSUBSCRIBE_SALT = "alliance.notifications.unsubscribe"


class ClaimLost(Exception):
    """The row was released while this worker held it; it must not send."""


class DeliveryUncertain(Exception):
    """The connection broke after the final dot, before the server's answer."""


# --- Rendering ---------------------------------------------------------------------


@dataclass
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict = field(default_factory=dict)


def render_text(template_name: str | list[str], context: dict) -> str:
    """Render a plain-text template (the first that exists, given a list) without
    HTML escaping (``&`` stays ``&``)."""
    names = [template_name] if isinstance(template_name, str) else template_name
    return select_template(names).template.render(Context(context, autoescape=False))


def unsubscribe_token(*, user_id: int, scope: str) -> str:
    """Return a signed token that stops one kind of email for one person."""
    return signing.dumps({"u": user_id, "s": scope}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_token_parse(token: str) -> tuple[int, str] | None:
    """Return (user id, scope) of a valid token, else None."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or "u" not in data or "s" not in data:
        return None
    return int(data["u"]), str(data["s"])


def email_content_render(
    *, template: str, context: dict, language: str, time_zone
) -> RenderedEmail:
    """Render ``<template>_subject.txt``, ``.txt`` and (if it exists) ``.html`` in
    the language and time zone given."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language), timezone.override(str(time_zone)):
        subject = " ".join(render_text(f"{template}_subject.txt", context).split())
        text = render_text(f"{template}.txt", context).strip()
        try:
            html = select_template([f"{template}.html"]).render(context).strip()
        except TemplateDoesNotExist:
            html = urlize(linebreaks(text), autoescape=True)
    return RenderedEmail(subject=subject, text=text, html=html)


def email_wrap(
    content: RenderedEmail,
    *,
    language: str,
    time_zone,
    user_id: int | None = None,
    scope: str | None = None,
    reason: str = "",
) -> RenderedEmail:
    """Put content into the portal's email layout with its footer: a link to the
    preferences page and, for mail a person can stop, a one-click unsubscribe."""
    site = settings.SITE_URL
    unsubscribe_url = ""
    headers = {}
    if user_id is not None and scope:
        token = unsubscribe_token(user_id=user_id, scope=scope)
        unsubscribe_url = site + reverse("alliance:unsubscribe", args=[token])
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    context = {
        "subject": content.subject,
        "text": content.text,
        "html": content.html,
        "site_url": site,
        "preferences_url": site + reverse("alliance:notification_preferences"),
        "unsubscribe_url": unsubscribe_url,
        "reason": reason,
        "has_account": user_id is not None,
    }
    with translation.override(language), timezone.override(str(time_zone)):
        text = render_text("alliance/email/layout.txt", context).strip()
        html = render_to_string("alliance/email/layout.html", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + content.subject
    return RenderedEmail(subject=subject, text=text, html=html, headers=headers)


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
    from alliance.tasks import outbox_send_task

    for start in range(0, len(email_ids), SEND_CHUNK):
        dispatch_on_commit(outbox_send_task, email_ids[start : start + SEND_CHUNK])


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
    return bool(_owned(email_id, token).update(handed_over_at=timezone.now()))


def message_build(email: OutboxEmail) -> EmailMultiAlternatives:
    """Return the message to send for an outbox row."""
    headers = {
        **email.headers,
        "Message-ID": email.message_id,
        "X-Alliance-Outbox": str(email.pk),
    }
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        headers=headers,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        content = base64.b64decode(attachment["content"])
        if attachment.get("cid") and attachment["mimetype"].startswith("image/"):
            image = MIMEImage(content, _subtype=attachment["mimetype"].split("/")[1])
            image.add_header("Content-ID", f"<{attachment['cid']}>")
            image.add_header(
                "Content-Disposition", "inline", filename=attachment["filename"]
            )
            message.attach(image)
            message.mixed_subtype = "related"
        else:
            message.attach(attachment["filename"], content, attachment["mimetype"])
    return message


_EOL = re.compile(rb"(?:\r\n|\n|\r(?!\n))")
_LEADING_DOT = re.compile(rb"(?m)^\.")


def smtp_send_two_phase(
    smtp: smtplib.SMTP, message: EmailMultiAlternatives, point_of_no_return: Callable
) -> None:
    """Send one message over an open SMTP connection, calling
    ``point_of_no_return()`` after the body and before the final dot; if it
    returns False, drop the connection so the server discards the message."""
    encoding = message.encoding or settings.DEFAULT_CHARSET
    from_address = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(a, encoding) for a in message.recipients()]
    data = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    options = []
    if smtp.does_esmtp and smtp.has_extn("size"):
        options.append(f"size={len(data)}")
    code, response = smtp.mail(from_address, options)
    if code != 250:
        smtp.rset()
        raise smtplib.SMTPSenderRefused(code, response, from_address)
    refused = {}
    for recipient in recipients:
        code, response = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, response)
    if len(refused) == len(recipients):
        smtp.rset()
        raise smtplib.SMTPRecipientsRefused(refused)
    code, response = smtp.docmd("data")
    if code != 354:
        smtp.rset()
        raise smtplib.SMTPDataError(code, response)
    body = _LEADING_DOT.sub(b"..", _EOL.sub(b"\r\n", data))
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    smtp.send(body)
    if not point_of_no_return():
        smtp.close()
        raise ClaimLost
    try:
        smtp.send(b".\r\n")
        code, response = smtp.getreply()
    except (OSError, smtplib.SMTPServerDisconnected) as exc:
        raise DeliveryUncertain(f"{type(exc).__name__}: {exc}") from exc
    if code != 250:
        raise smtplib.SMTPDataError(code, response)


def _is_permanent(exc: Exception) -> bool:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [value[0] for value in exc.recipients.values()]
        return bool(codes) and all(c >= 500 for c in codes)
    return isinstance(code, int) and code >= 500


class _Mailer:
    """One open connection to the configured email backend, reused per batch."""

    def __init__(self):
        self.backend = None

    def send(self, email: OutboxEmail, token: uuid.UUID) -> None:
        if self.backend is None:
            self.backend = get_connection(fail_silently=False)
        message = message_build(email)
        if isinstance(self.backend, SMTPBackend):
            if self.backend.connection is None:
                self.backend.open()
            try:
                smtp_send_two_phase(
                    self.backend.connection,
                    message,
                    lambda: _hand_over(email.pk, token),
                )
            except Exception:
                self.close()
                raise
            return
        if not _hand_over(email.pk, token):
            raise ClaimLost
        message.connection = self.backend
        self.backend.send_messages([message])

    def close(self):
        if self.backend is not None:
            try:
                self.backend.close()
            except (OSError, smtplib.SMTPException):
                logger.debug("closing the mail connection failed", exc_info=True)
            if isinstance(self.backend, SMTPBackend):
                self.backend.connection = None


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
    permanent = _is_permanent(exc) or attempts >= MAX_ATTEMPTS
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
    mailer = _Mailer()
    try:
        for email_id in email_ids:
            token = _claim(email_id, worker)
            if token is None:
                outcome["skipped"] += 1
                continue
            email = OutboxEmail.objects.get(pk=email_id)
            try:
                mailer.send(email, token)
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


def outbox_release_stale(*, worker: str | None = None) -> dict:
    """Release claims of dead workers (lease expired, or ``worker`` restarting):
    queue again what was not handed over, mark the rest uncertain."""
    now = timezone.now()
    dead = Q(claimed_until__lt=now)
    if worker:
        dead |= Q(claimed_by=worker)
    sending = OutboxEmail.objects.filter(dead, status=S.SENDING)
    requeued = sending.filter(handed_over_at__isnull=True).update(
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
