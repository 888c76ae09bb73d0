"""The Celery app: configured from Django settings (CELERY_*), tasks autodiscovered.

Task names are pinned (``name=`` on each task), so queued messages and the rows of
django-celery-beat keep working when a module moves."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings.production")

app = Celery("alliance")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each app's tasks.py, and the alliance contexts' own.
app.autodiscover_tasks()
app.autodiscover_tasks(
    ["alliance.governance", "alliance.notifications", "alliance.reports"]
)
