"""Restore a backup written by ``manage.py backup``: the database and the
uploaded files."""

import json
import shutil
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
        "Restore a backup directory written by `manage.py backup` into the "
        "portal's database (or --database-url), replacing what is there, and its "
        "uploaded files into MEDIA_ROOT (or --media-root). Stop the web processes "
        "and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help="the backup directory")
        parser.add_argument("--database-url", help="restore into this database")
        parser.add_argument("--media-root", help="restore the files here")
        parser.add_argument(
            "--noinput", action="store_true", help="do not ask for confirmation"
        )

    def handle(self, *args, backup, database_url=None, media_root=None, **options):
        source = Path(backup)
        manifest_path = source / MANIFEST
        if not manifest_path.is_file():
            raise CommandError(f"{source} is not a backup (no {MANIFEST}).")
        manifest = json.loads(manifest_path.read_text())
        db = database_settings(database_url)
        engine = "postgresql" if is_postgres(db) else "sqlite"
        if manifest["engine"] != engine:
            raise CommandError(
                f"The backup is of {manifest['engine']}; the target is {engine}."
            )
        media = Path(media_root or settings.MEDIA_ROOT)
        if not options["noinput"]:
            answer = input(
                f"Replace the data of database {db['NAME']} and the files in "
                f"{media} with the backup of {manifest['created_at']}? [yes/no] "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        if engine == "postgresql":
            if not shutil.which("pg_restore"):
                raise CommandError(NO_CLIENT % "pg_restore")
            command = [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
            ]
            result = subprocess.run(  # noqa: S603
                [*command, str(db["NAME"]), str(source / DUMP)],
                env=libpq_environ(db),
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise CommandError(f"pg_restore failed: {result.stderr.strip()}")
        else:
            shutil.copyfile(source / SQLITE, db["NAME"])
        media.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / MEDIA, "r:gz") as archive:
            archive.extractall(media, filter="data")
        self.stdout.write(
            f"Restored the database and {manifest['media_files']} files from {source}."
        )
