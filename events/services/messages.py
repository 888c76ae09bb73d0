"""Organizers write to the people registered for their event.

Every copy is a notification (kind ``event_message``) and so an
``OutboxEmail`` sent by a worker, never from the request; the fan-out checks
again that each recipient may still see the event. An event sends at most
``MESSAGES_PER_DAY`` messages in 24 hours (counted under the event's row lock,
so simultaneous sends cannot pass the limit together); a message to nobody is
refused and not counted.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance.core.markdown import validate_markdown
from alliance.core.text import validate_no_bidi_controls
from alliance.notifications.services.activities import activity_record
from events.models import Event, EventMessage, Registration
from events.selectors import event_registrant_users
from events.services._common import event_context, event_lock

EVENT_MESSAGE_KIND = "event_message"
MESSAGES_PER_DAY = 3
_STATUSES = {
    EventMessage.To.REGISTERED: [Registration.Status.CONFIRMED],
    EventMessage.To.WAITLISTED: [Registration.Status.WAITLISTED],
    EventMessage.To.ALL: list(Registration.ACTIVE_STATUSES),
}
# A message to nobody is refused (and not counted toward the day's limit).
_NOBODY = {
    EventMessage.To.REGISTERED: gettext_lazy(
        "Nobody has a seat yet: there is nobody to send the message to."
    ),
    EventMessage.To.WAITLISTED: gettext_lazy(
        "Nobody is on the waitlist: there is nobody to send the message to."
    ),
    EventMessage.To.ALL: gettext_lazy(
        "Nobody is registered yet: there is nobody to send the message to."
    ),
}


@transaction.atomic
def event_message_send(
    *, event: Event, sender, subject: str, body: str, to: str
) -> EventMessage:
    """Send the message to the people registered (``to``: confirmed, waitlisted
    or all); return the stored message with its ``recipient_count``."""
    subject = (subject or "").strip()
    body = (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = [_("Give the message a subject.")]
    if not body:
        errors["body"] = [_("Write the message.")]
    if to not in _STATUSES:
        errors["to"] = [_("Choose who receives the message.")]
    for name, value, check in (
        ("subject", subject, validate_no_bidi_controls),
        ("body", body, validate_markdown),
    ):
        try:
            check(value)
        except ValidationError as exc:
            errors.setdefault(name, []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    event = event_lock(event.pk)
    recipients = event_registrant_users(event, statuses=_STATUSES[to], exclude=sender)
    if not recipients:
        nobody = ValidationError(_NOBODY[to], code="no_recipients")
        raise ValidationError({"to": nobody})
    now = timezone.now()
    recent = EventMessage.objects.filter(
        event=event, sent_at__gt=now - datetime.timedelta(days=1)
    ).count()
    if recent >= MESSAGES_PER_DAY:
        raise ValidationError(
            _(
                "This event has sent %(count)s messages in the last 24 hours; "
                "send the next one later."
            )
            % {"count": MESSAGES_PER_DAY},
            code="rate_limited",
        )
    message = EventMessage.objects.create(
        event=event,
        sender=sender,
        to=to,
        subject=subject,
        body=body,
        recipient_count=len(recipients),
        sent_at=now,
    )
    activity_record(
        kind=EVENT_MESSAGE_KIND,
        target=event,
        actor=sender,
        recipients=recipients,
        context=event_context(
            event,
            subject=subject,
            body=body,
            sender=sender.public_name if sender else "",
        ),
    )
    return message
