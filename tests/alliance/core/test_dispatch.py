"""Services queue their app's tasks by the name pinned on the task, since a task
module imports the service it calls; every such name resolves to its task."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from alliance.core.dispatch import registered_task
from alliance.notifications.services.activities import FAN_OUT_TASK
from alliance.notifications.services.outbox import SEND_TASK
from events.services.events import CANCELLATION_NOTIFY_TASK

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("name", [FAN_OUT_TASK, SEND_TASK, CANCELLATION_NOTIFY_TASK])
def test_each_name_a_service_queues_is_a_registered_task(name):
    assert registered_task(name).name == name


def test_an_unknown_name_is_an_error_not_a_silent_drop():
    with pytest.raises(KeyError):
        registered_task("alliance.tasks.no_such_task")


FIRST_LOOKUPS_IN_A_FRESH_PROCESS = """
import threading, django
django.setup()
from alliance.core.dispatch import registered_task

names = ["%s", "%s", "%s"] * 6
barrier = threading.Barrier(len(names))
failures = []

def look_up(name):
    barrier.wait()
    try:
        registered_task(name)
    except Exception as exc:
        failures.append(repr(exc))

threads = [threading.Thread(target=look_up, args=(n,)) for n in names]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(len(failures))
"""


def test_the_first_task_lookups_of_many_threads_at_once_all_find_their_task():
    """A threaded web server's first requests look tasks up together; each must
    find its task, not a NotRegistered from a discovery still under way (seen
    as 500s on simultaneous registrations)."""
    for _ in range(3):
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                FIRST_LOOKUPS_IN_A_FRESH_PROCESS
                % (FAN_OUT_TASK, SEND_TASK, CANCELLATION_NOTIFY_TASK),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "alliance.settings.base"},
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().splitlines()[-1] == "0"
