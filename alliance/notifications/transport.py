"""Handing outbox emails to the mail server: building the message from its row,
and SMTP in two phases, so the database records the hand-over just before the
server completes the message (see ``services/outbox.py`` for the whole protocol).
Nothing here writes to the database."""

import base64
import logging
import re
import smtplib
from collections.abc import Callable
from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

from alliance.notifications.models import OutboxEmail

logger = logging.getLogger(__name__)


class ClaimLost(Exception):
    """The row was released while this worker held it; it must not send."""


class DeliveryUncertain(Exception):
    """The connection broke after the final dot, before the server's answer."""


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


def is_permanent(exc: Exception) -> bool:
    """Return whether the mail server refused for good (a 5xx answer)."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [value[0] for value in exc.recipients.values()]
        return bool(codes) and all(c >= 500 for c in codes)
    return isinstance(code, int) and code >= 500


class Mailer:
    """One open connection to the configured email backend, reused per batch."""

    def __init__(self):
        self.backend = None

    def send(
        self, message: EmailMultiAlternatives, point_of_no_return: Callable[[], bool]
    ) -> None:
        """Send one message; ``point_of_no_return()`` is called just before the
        server completes it, and the message is dropped when it returns False."""
        if self.backend is None:
            self.backend = get_connection(fail_silently=False)
        if isinstance(self.backend, SMTPBackend):
            if self.backend.connection is None:
                self.backend.open()
            try:
                smtp_send_two_phase(
                    self.backend.connection, message, point_of_no_return
                )
            except Exception:
                self.close()
                raise
            return
        if not point_of_no_return():
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
