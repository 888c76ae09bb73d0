"""Each tier's weight in alliance ballots (an entitlement): founding members'
votes count three times, general members' twice, academic and non-profit
members' once."""

from django.db import migrations, models

WEIGHTS = {"founding": 3, "general": 2, "academic-non-profit": 1}


def seed(apps, schema_editor):
    Tier = apps.get_model("members", "Tier")
    for slug, weight in WEIGHTS.items():
        Tier.objects.filter(slug=slug).update(alliance_vote_weight=weight)


class Migration(migrations.Migration):
    dependencies = [("members", "0007_titles_refuse_bidi_controls")]

    operations = [
        migrations.AddField(
            model_name="tier",
            name="alliance_vote_weight",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="How many votes the organization's one ballot counts for.",
                verbose_name="weight of its vote in alliance ballots",
            ),
        ),
        migrations.AddField(
            model_name="historicaltier",
            name="alliance_vote_weight",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="How many votes the organization's one ballot counts for.",
                verbose_name="weight of its vote in alliance ballots",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
