"""Reminders before an event starts, each sent exactly once."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.notifications.services.activities import activity_record
from alliance.working_groups.selectors import meeting_open_action_items
from events.models import Event, EventReminder, Registration
from events.selectors import event_registrant_users
from events.services._common import event_context

LONGEST_REMINDER = datetime.timedelta(hours=168)


def _due_hours(event: Event, now) -> int | None:
    """Return the reminder due now (the nearest to the start), or None."""
    due = [
        hours
        for hours in event.reminder_hours or []
        if event.starts_at - datetime.timedelta(hours=hours) <= now < event.starts_at
    ]
    return min(due) if due else None


@transaction.atomic
def event_reminder_send(*, event_id: int, now=None) -> int:
    """Send the reminder that is due for the event unless it went out already;
    return how many people it reached."""
    now = now or timezone.now()
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("working_group")
        .get(pk=event_id)
    )
    if event.status != Event.Status.PUBLISHED:
        return 0
    hours = _due_hours(event, now)
    if hours is None:
        return 0
    recipients = event_registrant_users(event, statuses=[Registration.Status.CONFIRMED])
    try:
        with transaction.atomic():
            EventReminder.objects.create(
                event=event,
                hours_before=hours,
                starts_at=event.starts_at,
                sent_at=now,
                recipient_count=len(recipients),
            )
    except IntegrityError:
        return 0
    if recipients:
        activity_record(
            kind="event_reminder",
            target=event,
            recipients=recipients,
            context=event_context(
                event, hours=hours, **_agenda(event, [r.pk for r in recipients])
            ),
        )
    return len(recipients)


def _agenda(event: Event, recipient_ids: list[int]) -> dict:
    """A meeting's agenda for its reminder: the chairs' text and the group's
    open action items (only if every recipient may read them)."""
    if event.kind != Event.Kind.MEETING or not event.working_group_id:
        return {}
    items = meeting_open_action_items(
        group_id=event.working_group_id, reader_ids=recipient_ids
    )
    return {
        "agenda": event.agenda,
        "action_items": [
            {
                "text": item.text,
                "owner": item.owner.public_name if item.owner else "",
                "due": item.due_date.isoformat() if item.due_date else "",
            }
            for item in items
        ],
    }


def event_reminders_due(*, now=None) -> list[int]:
    """Return the ids of published events that may have a reminder due."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(
            status=Event.Status.PUBLISHED,
            starts_at__gt=now,
            starts_at__lte=now + LONGEST_REMINDER,
        )
        .exclude(reminder_hours=[])
        .values_list("pk", flat=True)
    )


def event_reminders_send_due(*, now=None) -> int:
    """Send every reminder that is due; return how many people they reached."""
    now = now or timezone.now()
    return sum(
        event_reminder_send(event_id=event_id, now=now)
        for event_id in event_reminders_due(now=now)
    )
