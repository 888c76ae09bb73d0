"""A GIN index on the full-text search vector, on PostgreSQL only (SQLite has no
full-text search vector; the catalog searches with icontains there)."""

from django.db import migrations

INDEX = "projects_catalogentry_search_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} "
            "ON projects_catalogentry USING gin (search_vector)"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0001_catalog")]

    operations = [migrations.RunPython(create_index, drop_index)]
