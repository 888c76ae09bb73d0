"""What ``backup`` and ``restore`` share: where a backup lives, what it holds,
and how to reach the database with PostgreSQL's own tools.

A backup is a directory holding ``database.dump`` (PostgreSQL's custom format,
from ``pg_dump``; ``database.sqlite3`` on the embedded default), ``media.tar.gz``
(every uploaded file under ``MEDIA_ROOT``) and ``manifest.json`` (when, which
engine, which files)."""

import os

import environ
from django.conf import settings

DUMP = "database.dump"
SQLITE = "database.sqlite3"
MEDIA = "media.tar.gz"
MANIFEST = "manifest.json"
NO_CLIENT = "%s is not installed (apt-get install postgresql-client)."


def database_settings(url: str | None) -> dict:
    """The settings of the database to use: ``url`` if given, else the portal's."""
    if url:
        return environ.Env.db_url_config(url)
    return settings.DATABASES["default"]


def is_postgres(db: dict) -> bool:
    return "postgresql" in db["ENGINE"] or db["ENGINE"] == "alliance.core.postgresql"


def libpq_environ(db: dict) -> dict:
    """The environment pg_dump and pg_restore connect with (no password on the
    command line)."""
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, name in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if db.get(key):
            env[name] = str(db[key])
    return env
