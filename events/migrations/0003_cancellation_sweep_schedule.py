"""Beat's schedule for the cancellation sweep: every five minutes, cancellation
notices whose task was lost (broker down at the time) are sent."""

import json

from django.db import migrations

SWEEP = "events: send lost cancellation notices"


def seed(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    every_five, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=SWEEP,
        defaults={
            "task": "events.tasks.event_cancellations_sweep_task",
            "interval": every_five,
            "crontab": None,
            "args": json.dumps([]),
            "enabled": True,
            "description": "Cancellation notices whose task never reached a worker.",
        },
    )
    from django.utils import timezone

    PeriodicTasks.objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0002_reminder_and_series_schedule")]

    operations = [migrations.RunPython(seed, unseed)]
