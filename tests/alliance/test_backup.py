"""Issue 18, item 6: `make backup` / `make restore` (manage.py backup / restore)
save the database and the uploaded files, and a backup restored into an empty
database gives back the same data."""

import uuid
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from tests.conftest import need, on_postgres
from tests.events.factories import EventFactory, RegistrationFactory
from tests.members.factories import MemberFactory, OrganizationFactory

pytestmark = pytest.mark.postgres


def _admin_conninfo(dbname: str = "postgres") -> str:
    db = connection.settings_dict
    return (
        f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} "
        f"user={db['USER'] or 'postgres'} dbname={dbname}"
    )


@pytest.fixture
def empty_database(transactional_db):
    """A new, empty database on the same server; dropped afterwards."""
    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    name = f"alliance_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(_admin_conninfo(), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def table_counts(conninfo: str) -> dict[str, int]:
    """Rows in each of the portal's tables."""
    tables = sorted({m._meta.db_table for m in apps.get_models()})
    with psycopg.connect(conninfo) as conn:
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def test_a_backup_restored_into_an_empty_database_has_the_same_data(
    empty_database, tmp_path, settings
):
    organization = OrganizationFactory(name="Restored Research Lab")
    organization.logo.save("lab.png", ContentFile(b"\x89PNG logo bytes"), save=True)
    person = MemberFactory(name="Bea Backup")
    event = EventFactory(title="Restore drill")
    RegistrationFactory(event=event, user=person)

    backup = tmp_path / "backup"
    call_command("backup", to=str(backup))
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "media.tar.gz",
    ]

    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{empty_database}"
    )
    media = tmp_path / "media"
    call_command(
        "restore", str(backup), database_url=url, media_root=str(media), noinput=True
    )

    source = table_counts(_admin_conninfo(db["NAME"]))
    restored = table_counts(_admin_conninfo(empty_database))
    assert restored == source
    assert source["members_organization"] >= 1 and source["events_registration"] == 1
    with psycopg.connect(_admin_conninfo(empty_database)) as conn:
        logo = conn.execute(
            "SELECT logo FROM members_organization WHERE name = %s",
            ["Restored Research Lab"],
        ).fetchone()[0]
        title = conn.execute(
            "SELECT e.title FROM events_event e JOIN events_registration r "
            "ON r.event_id = e.id JOIN members_user u ON u.id = r.user_id "
            "WHERE u.email = %s",
            [person.email],
        ).fetchone()[0]
    assert title == "Restore drill"
    assert (media / logo).read_bytes() == Path(organization.logo.path).read_bytes()
