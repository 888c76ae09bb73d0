"""Fixtures shared by the whole suite.

Tests that need PostgreSQL, Redis, a Celery worker or Chromium skip when the part
is missing, except under CI=true, where a missing part fails the test instead.
"""

import importlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import zeal
from celery._state import _set_task_join_will_block
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import translation

from tests.members.factories import (
    MemberFactory,
    OrganizationFactory,
    UserFactory,
)

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
ROOT = Path(__file__).resolve().parent.parent


def need(available: bool, what: str) -> None:
    """Skip the test when a part is missing; fail instead when running in CI."""
    if available:
        return
    message = f"{what} is not available"
    if IN_CI:
        pytest.fail(f"{message}, and CI=true requires it", pytrace=False)
    pytest.skip(message)


# German speaks to the reader as "Sie": these words (lower-cased) give away
# the informal "du" form, e.g. in a string taken over from a library's catalog.
DU_WORDS = frozenset(
    {
        "du",
        "dein",
        "deine",
        "deinem",
        "deinen",
        "deiner",
        "dich",
        "dir",
        "bestätige",
        "gib",
        "klicke",
    }
)


def du_forms(text: str) -> set[str]:
    """The informal ("du") words of a German text."""
    return {word.lower() for word in re.findall(r"\w+", text)} & DU_WORDS


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


# Rows that data migrations and the schedule sync after migrating create; a
# transactional test's flush removes them, so they are put back before each
# database test.
REFERENCE_DATA_MIGRATIONS = [
    "members.migrations.0002_seed_tiers",
    "members.migrations.0005_tier_names_in_german",
    "members.migrations.0008_tier_alliance_vote_weight",
    "alliance.migrations.0003_seed_focus_areas",
    "alliance.migrations.0004_site_name",
]


def restore_reference_data() -> None:
    from django.apps import apps as django_apps

    from alliance.focus_areas.models import FocusArea
    from alliance.registries.schedules import schedules_sync
    from members.models import Tier

    if FocusArea.objects.exists() and Tier.objects.exists():
        return
    for module in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(module).seed(django_apps, None)
    schedules_sync()


@pytest.fixture(autouse=True)
def _isolation(request):
    names = request.fixturenames
    # A test may ask for the database by the django_db mark instead of a fixture;
    # it gets the reference data too (a transactional test before it in the same
    # process flushed them).
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if "live_server" in names or "transactional_db" in names or transactional:
        request.getfixturevalue("transactional_db")
        restore_reference_data()
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
        restore_reference_data()
    cache.clear()
    translation.activate("en")
    # Celery marks "inside a task" in one process-wide flag that each eager run
    # saves and restores. Two threads running eager tasks at once (the
    # concurrency tests, a live server beside the test) can restore each
    # other's True, and every later .get() in this process then raises "Never
    # call result.get() within a task!". Each test starts outside any task.
    _set_task_join_will_block(False)
    yield
    translation.activate("en")


# Each Celery task the tests run in-process (eager, or on_commit callbacks the
# test executes) gets its own N+1 detection context, like each request does
# through zeal's middleware (alliance/settings/test.py). Tasks are where the
# fan-out and digest loops live; a test body is not checked, because its own
# loops and factories load objects one by one on purpose.
_zeal_tokens: dict[str, object] = {}


@task_prerun.connect
def _zeal_task_start(task_id=None, **kwargs):
    _zeal_tokens[task_id] = zeal.setup()


@task_postrun.connect
def _zeal_task_end(task_id=None, **kwargs):
    zeal.teardown(_zeal_tokens.pop(task_id, None))


@pytest.fixture
def postgres(db):
    """Require PostgreSQL."""
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")


@pytest.fixture
def redis_url():
    """Return the URL of the test Redis database, flushed, or skip."""
    import redis

    url = getattr(settings, "TEST_REDIS_URL", "")
    need(bool(url), "Redis (set REDIS_URL)")
    try:
        client = redis.Redis.from_url(url)
        client.ping()
    except redis.exceptions.ConnectionError:
        need(False, f"Redis at {url}")
    client.flushdb()
    return url


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organization(db):
    return OrganizationFactory()


@pytest.fixture
def member(db):
    """A person actively affiliated with an active member organization."""
    return MemberFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def use_broker(url: str) -> None:
    """Point this process's Celery app at ``url`` (dropping pooled connections:
    the app keeps the pool of the first broker it used, so setting broker_url
    alone leaves it talking to the old one)."""
    from alliance.celery import app

    app.conf.broker_url = url
    app.conf.task_always_eager = False
    # kombu keeps one pool per broker URL; drop only this app's references.
    app._pool = None
    app.amqp._producer_pool = None


class WorkerProcess:
    """A real Celery worker in its own process, on the test database and Redis."""

    def __init__(self, env: dict, name: str):
        self.env = env
        self.name = name
        self.proc: subprocess.Popen | None = None
        self.log_path = ROOT / "var" / f"test-worker-{name}.log"

    def start(self, timeout: float = 90.0) -> None:
        # A loaded machine (CI beside other runs) has taken over 30 s to start one.
        from alliance.celery import app

        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log = self.log_path.open("w")
        self.proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "celery", "-A", "alliance", "worker",
                "--loglevel", "INFO", "--concurrency", "2", "--pool", "prefork",
                "--hostname", f"{self.name}@%h",
                "--without-mingle", "--without-gossip",
            ],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early; see {self.log_path}")
            replies = app.control.ping(timeout=0.5)
            if any(self.name in next(iter(reply)) for reply in replies):
                return
        raise RuntimeError(f"worker did not answer in {timeout}s; see {self.log_path}")

    def kill(self, sig=signal.SIGKILL) -> None:
        """Kill the worker's whole process group (the main process and its pool)."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "log", None):
            self.log.close()


@pytest.fixture
def celery_worker_factory(transactional_db, redis_url, settings):
    """Start real Celery workers against the test database and the test Redis.

    Tasks the test dispatches go through Redis to the worker, which writes to the
    same (committed, transactional) test database the test reads.
    """
    need(on_postgres(), "PostgreSQL (a worker process cannot share SQLite's test db)")
    from alliance.celery import app

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alliance.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLIANCE_TEST_WORKER": "1",
    }
    use_broker(redis_url)
    workers: list[WorkerProcess] = []

    def start(name: str | None = None) -> WorkerProcess:
        worker = WorkerProcess(env, name or f"test-{uuid.uuid4().hex[:8]}")
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        worker.stop()
    app.conf.task_always_eager = True


@pytest.fixture
def celery_worker(celery_worker_factory):
    """One real Celery worker for the test."""
    return celery_worker_factory()


@pytest.fixture(scope="session")
def chromium_path():
    path = shutil.which("chromium") or "/usr/bin/chromium"
    need(Path(path).exists(), "Chromium (apt-get install chromium)")
    return path
