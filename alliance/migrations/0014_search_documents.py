"""The site search's documents of working groups and their updates, minutes and
decisions: stored generated columns with GIN indexes, on PostgreSQL only (see
alliance.core.search)."""

from django.db import migrations

from alliance.core.search import search_document_add


class Migration(migrations.Migration):
    dependencies = [("alliance", "0013_governance_ballots")]

    operations = [
        search_document_add(
            "alliance_workinggroup", a=["name"], b=["summary"], c=["charter"]
        ),
        search_document_add("alliance_workinggroupupdate", a=["title"], c=["body"]),
    ]
