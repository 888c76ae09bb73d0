"""The done-when of issue 6 through a real Celery worker over Redis: reminders and
the cancellation notice, each dispatched twice, reach each person once."""

import datetime
import time

import pytest
from django.utils import timezone

from alliance.notifications.models import Notification
from events.services.events import event_cancel
from events.services.registrations import registration_cancel, registration_create
from events.tasks import event_cancellation_notify_task, event_reminders_send_due_task
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.worker


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_two_seats_three_people_promotion_reminder_and_cancellation(celery_worker):
    event = EventFactory(
        capacity=2, starts_at=timezone.now() + datetime.timedelta(minutes=40)
    )
    first, second, third = MemberFactory.create_batch(3)
    seats = [registration_create(event=event, user=p) for p in (first, second, third)]
    assert [r.status for r in seats] == ["confirmed", "confirmed", "waitlisted"]
    registration_cancel(registration=seats[0])

    def kinds(person):
        return set(
            Notification.objects.filter(recipient=person).values_list("kind", flat=True)
        )

    assert wait_for(lambda: "registration_promoted" in kinds(third))

    event_reminders_send_due_task.delay()
    event_reminders_send_due_task.delay()
    reminders = Notification.objects.filter(kind="event_reminder")
    assert wait_for(lambda: reminders.count() == 2)
    time.sleep(2)  # a second run, had it sent anything, would have landed by now
    assert sorted(reminders.values_list("recipient_id", flat=True)) == sorted(
        [second.pk, third.pk]
    )

    event_cancel(event=event, actor=event.organizer)
    event_cancellation_notify_task.delay(event.pk)
    notices = Notification.objects.filter(kind="event_cancelled")
    assert wait_for(lambda: notices.count() == 2)
    time.sleep(2)
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted(
        [second.pk, third.pk]
    )
