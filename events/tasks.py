"""Background work of the events app: reminders, cancellation notices, series.

Beat runs the periodic ones (schedule created by migration 0002); none carries a
countdown or ETA, so nothing waits in the broker past its visibility timeout.
"""

from celery import shared_task

from events.services.events import (
    CANCELLATION_NOTIFY_TASK,
    event_cancellation_notify,
    event_cancellations_notify_pending,
    event_series_extend_all,
)
from events.services.reminders import event_reminders_send_due


@shared_task(name="events.tasks.event_reminders_send_due_task")
def event_reminders_send_due_task() -> int:
    """Send the reminders that are due."""
    return event_reminders_send_due()


@shared_task(name=CANCELLATION_NOTIFY_TASK)
def event_cancellation_notify_task(event_id: int) -> int:
    """Tell the people registered for a cancelled event, once."""
    return event_cancellation_notify(event_id=event_id)


@shared_task(name="events.tasks.event_cancellations_sweep_task")
def event_cancellations_sweep_task() -> int:
    """Send the cancellation notices whose task never reached a worker."""
    return event_cancellations_notify_pending()


@shared_task(name="events.tasks.event_series_extend_all_task")
def event_series_extend_all_task() -> int:
    """Generate the occurrences ahead of every running series."""
    return event_series_extend_all()
