"""The periodic jobs of notifications, in django-celery-beat's tables (staff edit
them in the admin under "Periodic tasks"; running this again keeps their edits)."""

import json

from django.db import migrations

SCHEDULES = [
    # name, task, interval (every, period) or crontab (minute, hour, day_of_week)
    (
        "Deliver what waits in the database (sweep)",
        "alliance.tasks.delivery_sweep_task",
        {"interval": (1, "minutes")},
    ),
    (
        "Send due digests",
        "alliance.tasks.digest_send_due_task",
        {"interval": (15, "minutes")},
    ),
    (
        "Email the weekly staff report",
        "alliance.tasks.staff_report_send_task",
        {"crontab": ("0", "6", "1")},
    ),
]


def seed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for name, task, when in SCHEDULES:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        schedule = {}
        if "interval" in when:
            every, period = when["interval"]
            schedule["interval"], _ = IntervalSchedule.objects.get_or_create(
                every=every, period=period
            )
        else:
            minute, hour, day_of_week = when["crontab"]
            schedule["crontab"], _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_week=day_of_week,
                day_of_month="*",
                month_of_year="*",
                timezone="UTC",
            )
        PeriodicTask.objects.create(
            name=name, task=task, args=json.dumps([]), kwargs=json.dumps({}), **schedule
        )


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0006_notifications_delivery"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
