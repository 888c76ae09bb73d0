"""The site search's document of events: a stored generated column with a GIN
index, on PostgreSQL only (see alliance.core.search)."""

from django.db import migrations

from alliance.core.search import search_document_add


class Migration(migrations.Migration):
    dependencies = [("events", "0008_event_message")]

    operations = [
        search_document_add(
            "events_event", a=["title"], b=["venue"], c=["description"]
        ),
    ]
