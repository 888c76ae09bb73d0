"""Production settings refuse to start without a secret and pass the deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SECRET_KEY", "CI", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(DJANGO_SETTINGS_MODULE="alliance.settings.production", **env)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_ALLOWED_HOSTS="portal.example.org")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_checks_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="x" * 20 + "-production-test-secret-" + "y" * 20,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _settings_module_chosen_by(code):
    """Run ``code`` in a fresh process with no DJANGO_SETTINGS_MODULE set (and what the
    production settings need to load); return the settings module Django loaded."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DJANGO_SETTINGS_MODULE", "CI", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(
        DJANGO_SECRET_KEY="x" * 20 + "-production-test-secret-" + "y" * 20,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_what_runs_in_production_defaults_to_the_production_settings():
    """gunicorn (alliance.wsgi), an ASGI server (alliance.asgi) and celery -A alliance
    never fall back to the local demo settings."""
    for module in ("alliance.wsgi", "alliance.asgi", "alliance.celery"):
        chosen = _settings_module_chosen_by(
            f"import {module}; from django.conf import settings; "
            "print(settings.SETTINGS_MODULE)"
        )
        assert chosen == "alliance.settings.production", module


def test_manage_py_defaults_to_the_local_settings():
    chosen = _settings_module_chosen_by(
        "import sys; sys.argv = ['manage.py', 'shell', '-c', "
        "'from django.conf import settings; print(settings.SETTINGS_MODULE)']; "
        "import runpy; runpy.run_path('manage.py', run_name='__main__')"
    )
    assert chosen == "alliance.settings.base"
