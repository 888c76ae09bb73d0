"""Periodic jobs: declared once, in code, by the app that owns them, and written
into django-celery-beat's tables after every ``migrate`` (beat reads them there
with its DatabaseScheduler, and staff edit them in the admin under "Periodic
tasks").

An app declares its jobs in its ``hooks.connect()``::

    schedule_register(
        "events: send due reminders",
        task="events.tasks.event_reminders_send_due_task",
        every=dt.timedelta(minutes=5),
        description="Reminders 168/24/1 hours before events; each once.",
    )

The name is the row's key. A missing row is created; an existing row keeps what
staff set (its timing, whether it is enabled), and only its task name and
description follow the code, so pinned task names (``name=`` on each task) keep
old rows working. To change the timing of a deployed job, edit it in the admin.
"""

import datetime as dt
import json
from dataclasses import dataclass, field

_schedules: dict[str, "Schedule"] = {}


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    every: dt.timedelta | None = None
    crontab: dict[str, str] = field(default_factory=dict)
    description: str = ""


def schedule_register(
    name: str,
    *,
    task: str,
    every: dt.timedelta | None = None,
    crontab: dict[str, str] | None = None,
    description: str = "",
) -> None:
    """Declare a periodic job: every ``every``, or at a ``crontab`` (keys minute,
    hour, day_of_week, day_of_month, month_of_year; UTC)."""
    if (every is None) == (crontab is None):
        raise ValueError(f"Schedule {name!r}: give either every= or crontab=")
    _schedules[name] = Schedule(
        name=name,
        task=task,
        every=every,
        crontab=dict(crontab or {}),
        description=description,
    )


def schedules() -> list[Schedule]:
    """Return the declared periodic jobs, by name."""
    return sorted(_schedules.values(), key=lambda schedule: schedule.name)


def _timing(schedule: Schedule) -> dict:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule

    if schedule.every is not None:
        seconds = int(schedule.every.total_seconds())
        if seconds % 60 == 0:
            every, period = seconds // 60, IntervalSchedule.MINUTES
        else:
            every, period = seconds, IntervalSchedule.SECONDS
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        return {"interval": interval, "crontab": None}
    fields = {
        "minute": "*",
        "hour": "*",
        "day_of_week": "*",
        "day_of_month": "*",
        "month_of_year": "*",
        **schedule.crontab,
    }
    crontab = CrontabSchedule.objects.filter(timezone="UTC", **fields).first()
    if crontab is None:
        crontab = CrontabSchedule.objects.create(timezone="UTC", **fields)
    return {"crontab": crontab, "interval": None}


def schedules_sync() -> dict[str, int]:
    """Create the periodic-task rows that are missing; keep staff's edits of the
    others (only their task name and description follow the code)."""
    from django.db import transaction
    from django_celery_beat.models import PeriodicTask, PeriodicTasks

    created = updated = 0
    with transaction.atomic():
        existing = {task.name: task for task in PeriodicTask.objects.all()}
        for schedule in schedules():
            row = existing.get(schedule.name)
            if row is None:
                PeriodicTask.objects.create(
                    name=schedule.name,
                    task=schedule.task,
                    description=schedule.description,
                    args=json.dumps([]),
                    kwargs=json.dumps({}),
                    enabled=True,
                    **_timing(schedule),
                )
                created += 1
            elif (row.task, row.description) != (schedule.task, schedule.description):
                PeriodicTask.objects.filter(pk=row.pk).update(
                    task=schedule.task, description=schedule.description
                )
                updated += 1
        if created or updated:
            PeriodicTasks.update_changed()
    return {"created": created, "updated": updated}
