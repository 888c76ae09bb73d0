"""Back up everything that matters: the database and the uploaded files."""

import datetime as dt
import json
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alliance.management.commands._backups import (
    DUMP,
    MANIFEST,
    MEDIA,
    NO_CLIENT,
    SQLITE,
    database_settings,
    is_postgres,
    libpq_environ,
)


class Command(BaseCommand):
    help = (
        "Write a backup of the database (pg_dump, custom format) and of the "
        "uploaded files (MEDIA_ROOT) into a new directory, by default "
        "var/backups/<UTC time>/, and print its path. `manage.py restore <path>` "
        "puts it back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", help="the directory to create (must not exist)")
        parser.add_argument(
            "--database-url", help="back up this database instead of the portal's"
        )

    def handle(self, *args, to=None, database_url=None, **options):
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        target = Path(to) if to else settings.VAR_DIR / "backups" / stamp
        if target.exists():
            raise CommandError(f"{target} exists already; choose a new directory.")
        target.mkdir(parents=True)
        db = database_settings(database_url)
        if is_postgres(db):
            if not shutil.which("pg_dump"):
                raise CommandError(NO_CLIENT % "pg_dump")
            database_file = DUMP
            command = ["pg_dump", "--format=custom", "--no-owner", "--file"]
            result = subprocess.run(  # noqa: S603
                [*command, str(target / DUMP)],
                env=libpq_environ(db),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        else:
            database_file = SQLITE
            with (
                sqlite3.connect(db["NAME"]) as source,
                sqlite3.connect(target / SQLITE) as copy,
            ):
                source.backup(copy)
        media_root = Path(settings.MEDIA_ROOT)
        files = 0
        with tarfile.open(target / MEDIA, "w:gz") as archive:
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=str(path.relative_to(media_root)))
                        files += 1
        manifest = {
            "created_at": dt.datetime.now(dt.UTC).isoformat(),
            "engine": "postgresql" if is_postgres(db) else "sqlite",
            "database": database_file,
            "media": MEDIA,
            "media_files": files,
        }
        (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        self.stdout.write(str(target))
