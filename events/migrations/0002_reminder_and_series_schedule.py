"""Beat's schedule for the events app: reminders every five minutes, series
extended every night. Beat reads it from the database (DatabaseScheduler)."""

import json

from django.db import migrations

REMINDERS = "events: send due reminders"
SERIES = "events: generate series occurrences ahead"


def seed(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_five, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="UTC",
    )
    PeriodicTask.objects.update_or_create(
        name=REMINDERS,
        defaults={
            "task": "events.tasks.event_reminders_send_due_task",
            "interval": every_five,
            "crontab": None,
            "args": json.dumps([]),
            "enabled": True,
            "description": "Reminders 168/24/1 hours before events; each once.",
        },
    )
    PeriodicTask.objects.update_or_create(
        name=SERIES,
        defaults={
            "task": "events.tasks.event_series_extend_all_task",
            "crontab": nightly,
            "interval": None,
            "args": json.dumps([]),
            "enabled": True,
            "description": "Keeps the occurrences of every series generated ahead.",
        },
    )
    # Tell a running beat that the schedule changed.
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[REMINDERS, SERIES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_events_registrations_calendars"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
