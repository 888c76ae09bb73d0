"""People are searched by their public name only: the document of members_user
holds the display name, or the full name of whoever has none, and no longer
both (searching a full name found the person listed under a display name, and
so told that the two are one person). See alliance.core.search."""

from django.db import migrations

from alliance.core.search import search_document_change

# User.public_name as SQL: the display name, else the full name.
PUBLIC_NAME = "coalesce(nullif(display_name, ''), name)"


class Migration(migrations.Migration):
    dependencies = [("members", "0009_search_documents")]

    operations = [
        search_document_change(
            "members_user",
            before={"a": ["name", "display_name"], "b": ["bio"]},
            after={"a": [PUBLIC_NAME], "b": ["bio"]},
        ),
    ]
