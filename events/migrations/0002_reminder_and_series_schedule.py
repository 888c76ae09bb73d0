"""Once seeded a periodic job into django-celery-beat's tables. The jobs are now
declared in code (events/hooks.py) and written into those tables after every
migrate (alliance.registries.schedules); this migration is kept, doing nothing, so
the migration history of existing databases stays intact."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_events_registrations_calendars"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)
    ]
