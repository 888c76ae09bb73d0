"""The site search's documents of organizations and people: stored generated
columns with GIN indexes, on PostgreSQL only (see alliance.core.search)."""

from django.db import migrations

from alliance.core.search import search_document_add


class Migration(migrations.Migration):
    dependencies = [("members", "0008_tier_alliance_vote_weight")]

    operations = [
        search_document_add("members_organization", a=["name"], c=["description"]),
        # Names and bio only: an email address is never searched.
        search_document_add("members_user", a=["name", "display_name"], b=["bio"]),
    ]
