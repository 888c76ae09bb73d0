"""The embedded default behaves like production: with no Redis, `make run`'s
worker with beat (Procfile.local) runs the periodic jobs through the same Celery
tasks and schedule, on a folder as broker and SQLite, and a due reminder lands in
the mail folder within two minutes."""

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import datetime as dt, zoneinfo
import django
django.setup()
from django.utils import timezone
from events.models import Event, Registration
from members.models import User

person = User.objects.create_user(email="rita@example.org", password="x", name="Rita")
start = timezone.now() + dt.timedelta(hours=23)
event = Event.objects.create(
    title="Local Reminder Workshop", slug="local-reminder-workshop",
    description="Test.", kind="workshop", format="online",
    online_url="https://meet.example.org/room", organizer=person,
    starts_at=start, ends_at=start + dt.timedelta(hours=2),
    time_zone=zoneinfo.ZoneInfo("Europe/Berlin"), status="published",
    published_at=timezone.now(), visibility="public",
)
Registration.objects.create(event=event, user=person, status="confirmed")
"""


def _procfile_command(name: str) -> list[str]:
    for line in (ROOT / "Procfile.local").read_text().splitlines():
        if line.startswith(f"{name}:"):
            return shlex.split(line.split(":", 1)[1])
    raise AssertionError(f"no {name} in Procfile.local")


@pytest.mark.timeout(300)
def test_make_run_sends_a_due_reminder_without_redis(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "EMAIL_URL", "PYTEST_XDIST_WORKER"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "alliance.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "CELERY_LOCAL_BROKER_DIR": str(tmp_path / "celery"),
        # What `make run` sets for its processes.
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    python = [sys.executable]

    def run(*args):
        subprocess.run(  # noqa: S603
            [*python, *args], cwd=ROOT, env=env, check=True, capture_output=True
        )

    run("manage.py", "migrate", "--noinput")
    run("-c", SETUP)
    command = _procfile_command("worker")
    assert command[0].endswith("celery")
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603
        [*python, "-m", "celery", *command[1:]],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        found = []
        while time.monotonic() < deadline and not found:
            assert worker.poll() is None, (tmp_path / "worker.log").read_text()
            time.sleep(2)
            found = [
                path
                for path in (tmp_path / "mail").glob("*")
                if "Local Reminder Workshop" in path.read_text(errors="replace")
            ]
        assert found, (tmp_path / "worker.log").read_text()[-3000:]
        assert "rita@example.org" in found[0].read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        log.close()
