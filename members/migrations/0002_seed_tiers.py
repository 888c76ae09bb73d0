"""The three tiers the alliance starts with."""

from django.db import migrations

TIERS = [
    {
        "slug": "founding",
        "name": "Founding",
        "rank": 1,
        "description": "Organizations that founded the alliance.",
        "max_contacts": 6,
        "voting_seats_per_group": 2,
        "may_review_catalog": True,
        "may_publish_events": True,
    },
    {
        "slug": "general",
        "name": "General",
        "rank": 2,
        "description": "Companies and other organizations that joined later.",
        "max_contacts": 4,
        "voting_seats_per_group": 1,
        "may_review_catalog": True,
        "may_publish_events": False,
    },
    {
        "slug": "academic-non-profit",
        "name": "Academic & Non-profit",
        "rank": 3,
        "description": "Universities, research labs, non-profits and public bodies.",
        "max_contacts": 3,
        "voting_seats_per_group": 1,
        "may_review_catalog": True,
        "may_publish_events": True,
    },
]


def seed(apps, schema_editor):
    Tier = apps.get_model("members", "Tier")
    for tier in TIERS:
        Tier.objects.update_or_create(
            slug=tier["slug"], defaults={k: v for k, v in tier.items() if k != "slug"}
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
