"""Renewals: the primary contact hears 30 days before the renewal date and when
the membership lapses, once each; a lapsed organization's people lose member-only
access until it is renewed; a daily beat schedule runs the sweep."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from alliance.notifications.models import Notification
from members.models import Organization, RenewalNotice
from members.services.renewals import renewals_process
from tests.conftest import need, on_postgres
from tests.members.factories import AffiliationFactory, OrganizationFactory

TODAY = datetime.date(2027, 3, 1)


def _due(days):
    return TODAY + datetime.timedelta(days=days)


def test_reminder_30_days_before_and_lapse_after_each_once(
    client, cast, django_capture_on_commit_callbacks
):
    Organization.objects.filter(pk=cast.organization.pk).update(renewal_due=_due(30))
    Organization.objects.filter(pk=cast.other_organization.pk).update(
        renewal_due=_due(31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert renewals_process(today=TODAY) == {"reminded": 1, "lapsed": 0}
    note = Notification.objects.get(kind="renewal_due")
    assert note.recipient == cast.contact  # the primary contact, not the member
    assert "Acme Research is due for renewal" in note.title
    assert "2027-03-31" in note.body
    assert mail.outbox[-1].to == [cast.contact.email]
    # A day later Globex is 30 days away; Acme is not reminded again.
    with django_capture_on_commit_callbacks(execute=True):
        assert renewals_process(today=TODAY + datetime.timedelta(days=1)) == {
            "reminded": 1,
            "lapsed": 0,
        }
    assert (
        Notification.objects.filter(kind="renewal_due", recipient=cast.contact).count()
        == 1
    )
    assert (
        Notification.objects.filter(
            kind="renewal_due", recipient=cast.other_contact
        ).count()
        == 1
    )

    # The day after the renewal date the membership lapses, and they hear once.
    client.force_login(cast.member)
    assert client.get("/members/people/").status_code == 200
    after = _due(31)
    with django_capture_on_commit_callbacks(execute=True):
        result = renewals_process(today=after)
    assert result["lapsed"] == 1  # Globex (due a day later) is still active
    cast.organization.refresh_from_db()
    assert cast.organization.status == "lapsed"
    lapsed = Notification.objects.get(kind="membership_lapsed")
    assert lapsed.recipient == cast.contact
    assert "has lapsed" in lapsed.title
    with django_capture_on_commit_callbacks(execute=True):
        renewals_process(today=after)
        renewals_process(today=after + datetime.timedelta(days=5))
    assert (
        Notification.objects.filter(
            kind="membership_lapsed", recipient=cast.contact
        ).count()
        == 1
    )
    assert RenewalNotice.objects.filter(organization=cast.organization).count() == 2

    # Its people lose member-only access...
    assert client.get("/members/people/").status_code == 403
    own = client.get("/api/v1/organizations/acme-research/").json()
    assert own["name"] == "Acme Research" and "contacts" not in own
    # ...until staff renew it; the next year's reminder will be sent again.
    client.force_login(cast.staff)
    client.post(
        "/admin/members/organization/?status=all",
        {"action": "renew_one_year", "_selected_action": [cast.organization.pk]},
    )
    cast.organization.refresh_from_db()
    assert cast.organization.status == "active"
    assert cast.organization.renewal_due > timezone.localdate()
    client.force_login(cast.member)
    assert client.get("/members/people/").status_code == 200


def test_without_a_primary_contact_every_contact_hears(
    cast, django_capture_on_commit_callbacks
):
    org = OrganizationFactory(renewal_due=_due(10))
    technical = AffiliationFactory(organization=org, role="technical_contact").user
    AffiliationFactory(organization=org, role="member")
    with django_capture_on_commit_callbacks(execute=True):
        renewals_process(today=TODAY)
    assert list(
        Notification.objects.filter(kind="renewal_due").values_list(
            "recipient", flat=True
        )
    ) == [technical.pk]


def test_the_daily_schedule_is_created_after_migrating(db):
    # The job is declared in members/hooks.py and written into beat's table after
    # every migrate: removed, the next sync creates it again.
    from django_celery_beat.models import PeriodicTask

    from alliance.celery import app
    from alliance.registries.schedules import schedules_sync

    PeriodicTask.objects.filter(task__startswith="members.").delete()
    assert not PeriodicTask.objects.filter(task__startswith="members.").exists()
    schedules_sync()
    task = PeriodicTask.objects.get(task="members.tasks.renewals_process_task")
    assert task.enabled
    assert (task.crontab.hour, task.crontab.minute) == ("6", "15")
    app.loader.import_default_modules()
    assert task.task in app.tasks


@pytest.mark.worker
def test_a_real_worker_runs_the_sweep_and_notifies(celery_worker, transactional_db):
    need(on_postgres(), "PostgreSQL")
    from members.tasks import renewals_process_task

    today = timezone.localdate()
    org = OrganizationFactory(renewal_due=today + datetime.timedelta(days=5))
    contact = AffiliationFactory(organization=org, role="primary_contact").user
    gone = OrganizationFactory(renewal_due=today - datetime.timedelta(days=1))
    renewals_process_task.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if Notification.objects.filter(recipient=contact).exists() and (
            Organization.objects.get(pk=gone.pk).status == "lapsed"
        ):
            break
        time.sleep(0.3)
    assert Notification.objects.get(recipient=contact).kind == "renewal_due"
    assert Organization.objects.get(pk=gone.pk).status == "lapsed"
    # Safe to run twice.
    renewals_process_task.delay()
    time.sleep(2)
    assert Notification.objects.filter(recipient=contact).count() == 1
