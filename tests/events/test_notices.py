"""Reminders and cancellation notices go out once each, even when the task runs
twice; publishing tells the group; changes tell the people registered."""

import datetime

import time_machine
from django.core import mail
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from alliance.notifications.models import Activity, Notification
from events.models import EventReminder
from events.services.events import event_cancel, event_publish, event_update
from events.services.registrations import registration_create
from events.tasks import (
    event_cancellation_notify_task,
    event_cancellations_sweep_task,
    event_reminders_send_due_task,
)
from tests.alliance.factories import WorkingGroupMembershipFactory
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory


def _register(event, count):
    people = MemberFactory.create_batch(count)
    for person in people:
        registration_create(event=event, user=person)
    return people


def test_beat_schedule_is_declared_and_synced(db):
    task = PeriodicTask.objects.get(name="events: send due reminders")
    assert task.task == "events.tasks.event_reminders_send_due_task"
    assert task.interval.every == 1 and task.interval.period == "minutes"
    assert task.enabled
    assert PeriodicTask.objects.filter(
        task="events.tasks.event_series_extend_all_task", enabled=True
    ).exists()


def test_reminders_24h_and_1h_once_each(db, django_capture_on_commit_callbacks):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    event = EventFactory(capacity=2, starts_at=start, title="Kernel sprint")
    seated = _register(event, 3)[:2]  # the third waits and gets no reminder
    mail.outbox.clear()

    def run_task_twice_at(moment):
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            event_reminders_send_due_task.delay()
            event_reminders_send_due_task.delay()

    run_task_twice_at(start - datetime.timedelta(hours=30))
    assert not Notification.objects.filter(kind="event_reminder").exists()

    run_task_twice_at(start - datetime.timedelta(hours=23, minutes=58))
    run_task_twice_at(start - datetime.timedelta(hours=12))
    reminders = Notification.objects.filter(kind="event_reminder")
    assert sorted(n.recipient_id for n in reminders) == sorted(p.pk for p in seated)
    assert all(n.title == "Reminder: Kernel sprint" for n in reminders)

    run_task_twice_at(start - datetime.timedelta(minutes=55))
    run_task_twice_at(start - datetime.timedelta(minutes=5))
    run_task_twice_at(start + datetime.timedelta(minutes=5))
    assert Notification.objects.filter(kind="event_reminder").count() == 4
    assert (
        Notification.objects.filter(title="Starting soon: Kernel sprint").count() == 2
    )
    assert sorted(EventReminder.objects.values_list("hours_before", flat=True)) == [
        1,
        24,
    ]
    subjects = [m.subject for m in mail.outbox]
    assert subjects.count("[AI Alliance] Reminder: Kernel sprint") == 2
    assert subjects.count("[AI Alliance] Starting soon: Kernel sprint") == 2


def test_reminder_follows_a_moved_event_and_respects_its_settings(
    db, django_capture_on_commit_callbacks
):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    event = EventFactory(starts_at=start, reminder_hours=[1])
    _register(event, 1)
    with time_machine.travel(start - datetime.timedelta(hours=20), tick=False):
        event_reminders_send_due_task.delay()
    assert not EventReminder.objects.exists()  # no 24 h reminder for this one
    with time_machine.travel(start - datetime.timedelta(minutes=30), tick=False):
        event_reminders_send_due_task.delay()
        event_update(
            event=event,
            actor=event.organizer,
            starts_at=start + datetime.timedelta(days=1),
            ends_at=start + datetime.timedelta(days=1, hours=2),
        )
    new_start = start + datetime.timedelta(days=1)
    with time_machine.travel(new_start - datetime.timedelta(minutes=30), tick=False):
        event_reminders_send_due_task.delay()
        event_reminders_send_due_task.delay()
    assert EventReminder.objects.filter(event=event).count() == 2


def test_cancellation_notice_once_even_when_the_task_runs_twice(
    db, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1, title="Policy roundtable")
    people = _register(event, 2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(event=event, actor=event.organizer, reason="Speaker is ill.")
        event_cancel(event=event, actor=event.organizer)
        event_cancellation_notify_task.delay(event.pk)
        event_cancellation_notify_task.delay(event.pk)
    notices = Notification.objects.filter(kind="event_cancelled")
    assert sorted(n.recipient_id for n in notices) == sorted(p.pk for p in people)
    assert notices[0].title == "Cancelled: Policy roundtable"
    assert "Speaker is ill." in notices[0].body
    assert Activity.objects.filter(kind="event_cancelled").count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    event.refresh_from_db()
    assert event.cancellation_notified_at is not None


def test_publishing_tells_the_group_once(db, django_capture_on_commit_callbacks):
    membership = WorkingGroupMembershipFactory()
    group = membership.group
    event = EventFactory(status="draft", working_group=group, title="Monthly call")
    with django_capture_on_commit_callbacks(execute=True):
        event_publish(event=event, actor=event.organizer)
        event_publish(event=event, actor=event.organizer)
    notice = Notification.objects.get(kind="event_published")
    assert notice.recipient == membership.user
    assert notice.title == "New event: Monthly call"
    assert notice.url == event.get_absolute_url()


def test_change_of_time_is_told_in_the_recipients_time_zone_and_language(
    db, django_capture_on_commit_callbacks
):
    event = EventFactory(
        starts_at=datetime.datetime(2030, 3, 5, 15, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2030, 3, 5, 16, 0, tzinfo=datetime.UTC),
        title="Benchmark review",
    )
    person = MemberFactory(language="de", timezone="Asia/Tokyo")
    registration_create(event=event, user=person)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(
            event=event,
            actor=event.organizer,
            starts_at=datetime.datetime(2030, 3, 6, 15, 0, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2030, 3, 6, 16, 0, tzinfo=datetime.UTC),
        )
    notice = Notification.objects.get(kind="event_changed", recipient=person)
    assert notice.title == "Geändert: Benchmark review"
    # 15:00 UTC is midnight in Tokyo: the 7th there, not the 6th.
    assert "7. März 2030" in notice.body
    assert "00:00" in notice.body
    assert "JST" in notice.body


def test_a_cancellation_whose_notice_task_was_lost_is_sent_by_the_sweep(
    db, django_capture_on_commit_callbacks
):
    sweep = PeriodicTask.objects.get(name="events: send lost cancellation notices")
    assert sweep.task == "events.tasks.event_cancellations_sweep_task"
    event = EventFactory(title="Tooling sprint")
    people = _register(event, 2)
    # Cancelled while the broker was down: the on-commit dispatch never ran.
    event_cancel(event=event, actor=event.organizer, reason="Venue flooded.")
    assert not Notification.objects.filter(kind="event_cancelled").exists()
    later = timezone.now() + datetime.timedelta(minutes=10)
    with time_machine.travel(later), django_capture_on_commit_callbacks(execute=True):
        event_cancellations_sweep_task.delay()
        event_cancellations_sweep_task.delay()
    notices = Notification.objects.filter(kind="event_cancelled")
    assert sorted(n.recipient_id for n in notices) == sorted(p.pk for p in people)
    assert "Venue flooded." in notices[0].body
