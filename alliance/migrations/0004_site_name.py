"""Name the site, so account emails say who sends them."""

from django.db import migrations


def seed(apps, schema_editor):
    Site = apps.get_model("sites", "Site")
    Site.objects.update_or_create(
        pk=1, defaults={"domain": "127.0.0.1:8000", "name": "AI Alliance Portal"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0003_seed_focus_areas"),
        ("sites", "0002_alter_domain_unique"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
