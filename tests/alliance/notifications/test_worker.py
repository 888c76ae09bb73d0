"""A real Celery worker, over Redis, on PostgreSQL: tasks land in the database."""

import time

import pytest
from django.db import transaction

from alliance.notifications.models import Notification
from alliance.notifications.services.activities import activity_record
from tests.members.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.worker


def wait_for(predicate, timeout=20.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def test_worker_fans_out_an_activity_recorded_in_a_request(celery_worker):
    person = UserFactory(language="de")
    organization = OrganizationFactory(name="Example Research Lab")
    with transaction.atomic():
        activity = activity_record(
            kind="organization_joined",
            target=organization,
            recipients=[person],
            context={"name": organization.name, "url": organization.get_absolute_url()},
        )
        # Nothing is sent before the transaction commits.
        time.sleep(0.5)
        assert not Notification.objects.filter(recipient=person).exists()

    assert wait_for(lambda: Notification.objects.filter(recipient=person).exists())
    notification = Notification.objects.get(recipient=person)
    assert notification.title == "Example Research Lab ist der KI-Allianz beigetreten"
    activity.refresh_from_db()
    assert activity.fanned_out_at is not None
