"""Periodic jobs are declared in code and synced into django-celery-beat's tables;
beat starts them by the task names stored there, so those names must keep
meaning a task however the code moves."""

import datetime as dt
import re
import time

import pytest
from django_celery_beat.models import PeriodicTask

from alliance.celery import app
from alliance.registries.schedules import schedule_register, schedules, schedules_sync

EXPECTED = {
    "Deliver what waits in the database (sweep)": "alliance.tasks.delivery_sweep_task",
    "Send due digests": "alliance.tasks.digest_send_due_task",
    "Email the weekly staff report": "alliance.tasks.staff_report_send_task",
    "members: renewal reminders and lapses": "members.tasks.renewals_process_task",
    "Catalog: return expired vetting to review due": (
        "projects.tasks.catalog_vetting_expire_task"
    ),
    "events: send due reminders": "events.tasks.event_reminders_send_due_task",
    "events: generate series occurrences ahead": (
        "events.tasks.event_series_extend_all_task"
    ),
    "events: send lost cancellation notices": (
        "events.tasks.event_cancellations_sweep_task"
    ),
    "Ballots: count the votes of ballots whose time is up": (
        "alliance.tasks.ballots_close_due"
    ),
    "Ballots: remind voters a day before the close": (
        "alliance.tasks.ballot_reminders_send_due"
    ),
}


def test_every_declared_job_is_in_beats_table_under_its_stored_name(db):
    stored = dict(PeriodicTask.objects.values_list("name", "task"))
    assert {s.name: s.task for s in schedules()} == EXPECTED
    for name, task in EXPECTED.items():
        assert stored[name] == task


def test_sync_creates_what_is_missing_and_keeps_staff_edits(db):
    row = PeriodicTask.objects.get(name="Send due digests")
    row.enabled = False
    row.save()
    PeriodicTask.objects.filter(name="events: send due reminders").delete()

    assert schedules_sync() == {"created": 1, "updated": 0}

    assert not PeriodicTask.objects.get(name="Send due digests").enabled
    again = PeriodicTask.objects.get(name="events: send due reminders")
    assert again.enabled
    assert (again.interval.every, again.interval.period) == (1, "minutes")
    assert schedules_sync() == {"created": 0, "updated": 0}


def test_a_job_is_declared_with_one_timing():
    with pytest.raises(ValueError, match="either every= or crontab="):
        schedule_register("nothing", task="alliance.tasks.delivery_sweep_task")
    with pytest.raises(ValueError, match="either every= or crontab="):
        schedule_register(
            "both",
            task="alliance.tasks.delivery_sweep_task",
            every=dt.timedelta(minutes=1),
            crontab={"minute": "0"},
        )


def test_each_stored_task_name_runs_its_task(db):
    """In-process: what beat would start by each stored name runs to the end."""
    app.loader.import_default_modules()
    for name in PeriodicTask.objects.filter(name__in=EXPECTED).values_list(
        "task", flat=True
    ):
        assert name in app.tasks, f"no task is registered as {name}"
        result = app.tasks[name].apply()
        assert result.successful(), (name, result.traceback)


@pytest.mark.worker
def test_a_real_worker_runs_every_job_beat_sends_by_its_stored_name(celery_worker):
    names = list(
        PeriodicTask.objects.filter(name__in=EXPECTED).values_list("task", flat=True)
    )
    ids = {app.send_task(name).id: name for name in names}

    def finished() -> set[str]:
        log = celery_worker.log_path.read_text()
        return set(re.findall(r"Task [\w.]+\[([0-9a-f-]+)\] succeeded", log)) & set(ids)

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and finished() != set(ids):
        time.sleep(0.2)
    log = celery_worker.log_path.read_text()
    assert "unregistered task" not in log
    assert {ids[task_id] for task_id in finished()} == set(names)
