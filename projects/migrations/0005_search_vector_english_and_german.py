"""Recompute the catalog's search vectors with the document of the site search
(the name unstemmed, everything in English and German; see
projects.services.entries.entry_search_vector), on PostgreSQL only."""

from django.db import migrations

VECTOR = """
    setweight(to_tsvector('simple', coalesce(name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(name, '')), 'A')
    || setweight(to_tsvector('english', coalesce(summary, '') || ' '
                 || coalesce(tags::text, '')), 'B')
    || setweight(to_tsvector('english', coalesce(description, '')), 'C')
    || setweight(to_tsvector('german', coalesce(name, '')), 'A')
    || setweight(to_tsvector('german', coalesce(summary, '') || ' '
                 || coalesce(tags::text, '')), 'B')
    || setweight(to_tsvector('german', coalesce(description, '')), 'C')
"""


def refresh(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"UPDATE projects_catalogentry SET search_vector = {VECTOR}")


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_titles_refuse_bidi_controls")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
