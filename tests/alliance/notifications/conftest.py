"""Fixtures of the notification tests: a real local SMTP server that records what
it accepts, a private Redis server the test may stop, and Celery workers pointed
at them."""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import WorkerProcess, need, on_postgres, use_broker

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout=30.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class SMTPRecorder:
    """aiosmtpd in its own process; every accepted message is a JSON line."""

    def __init__(self, tmp_path: Path, delay: float = 0.0, rcpt_delay: float = 0.0):
        self.port = free_port()
        self.path = tmp_path / f"smtp-{self.port}.jsonl"
        self.path.touch()
        self.proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                str(HERE / "smtp_recorder.py"),
                "--port",
                str(self.port),
                "--out",
                str(self.path),
                "--delay",
                str(delay),
                "--rcpt-delay",
                str(rcpt_delay),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        if not wait_for(lambda: port_open(self.port), timeout=15):
            self.stop()
            raise RuntimeError("the SMTP recorder did not start")

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self) -> list[dict]:
        lines = self.path.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def counts(self) -> Counter:
        return Counter(m["outbox"] for m in self.messages())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class PrivateRedis:
    """A redis-server of the test's own on a free port (never the shared one)."""

    def __init__(self):
        self.port = free_port()
        self.proc = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        if not wait_for(lambda: port_open(self.port), timeout=15):
            raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        wait_for(lambda: not port_open(self.port), timeout=10)


@pytest.fixture
def smtp_recorder(tmp_path):
    """A real SMTP server (aiosmtpd) on a free port, recording what it accepts."""
    pytest.importorskip("aiosmtpd")
    recorder = SMTPRecorder(tmp_path)
    yield recorder
    recorder.stop()


@pytest.fixture
def slow_smtp_recorder(tmp_path):
    """The recorder, taking 20 ms per message, so a worker can be killed midway."""
    pytest.importorskip("aiosmtpd")
    recorder = SMTPRecorder(tmp_path, delay=0.02)
    yield recorder
    recorder.stop()


@pytest.fixture
def rcpt_delay_smtp_recorder(tmp_path):
    """The recorder, answering each RCPT after 3 s: a worker holds its claim
    that long before it reaches the hand-over."""
    pytest.importorskip("aiosmtpd")
    recorder = SMTPRecorder(tmp_path, rcpt_delay=3.0)
    yield recorder
    recorder.stop()


@pytest.fixture
def private_redis():
    need(bool(shutil.which("redis-server")), "redis-server (apt-get install redis)")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def worker_factory(transactional_db, settings):
    """Start real Celery workers on the test database, with a broker and an SMTP
    server of the test's choosing; ``start(broker_url, smtp_url=None, name=None)``."""
    need(on_postgres(), "PostgreSQL (a worker process cannot share SQLite's test db)")
    from alliance.celery import app

    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    workers: list[WorkerProcess] = []
    original_broker = app.conf.broker_url

    def start(broker_url: str, smtp_url: str | None = None, name: str | None = None):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "alliance.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": broker_url,
            "TEST_REDIS_DB": broker_url.rsplit("/", 1)[1],
            "ALLIANCE_TEST_WORKER": "1",
        }
        if smtp_url:
            env.update(EMAIL_URL=smtp_url, ALLIANCE_TEST_REAL_SMTP="1")
        use_broker(broker_url)
        worker = WorkerProcess(env, name or f"notify-{uuid.uuid4().hex[:8]}")
        workers.append(worker)
        worker.start(timeout=90)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    use_broker(original_broker)
    app.conf.task_always_eager = True
