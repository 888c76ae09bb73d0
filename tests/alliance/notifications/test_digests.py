"""Digests: one per person and period, only with news, built in batches."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alliance.notifications.models import (
    Activity,
    Delivery,
    Digest,
    Notification,
    NotificationSettings,
    OutboxEmail,
)
from alliance.notifications.services.digests import digest_run
from alliance.notifications.services.preferences import next_digest_due
from members.models import User
from tests.alliance.factories import WorkingGroupFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 6, 15, 9, 30, tzinfo=dt.UTC)  # a Monday


def make_due(users, frequency="weekly"):
    """Give people settings that are due now, their last digest a week ago."""
    NotificationSettings.objects.bulk_create(
        [
            NotificationSettings(
                user=user,
                digest_frequency=frequency,
                next_digest_at=NOW - dt.timedelta(minutes=5),
                last_digest_at=NOW - dt.timedelta(days=7),
                created_at=NOW - dt.timedelta(days=30),
            )
            for user in users
        ]
    )


def waiting_news(users, *, kind="group_update_posted", title="Minutes"):
    group = WorkingGroupFactory()
    activity = Activity.objects.create(
        kind=kind,
        target=group,
        audience=group,
        context={"url": group.get_absolute_url()},
        created_at=NOW - dt.timedelta(days=1),
        fanned_out_at=NOW - dt.timedelta(days=1),
    )
    Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                activity=activity,
                kind=kind,
                title=f"{title} of {group.name}",
                url=group.get_absolute_url(),
                created_at=NOW - dt.timedelta(days=1),
                delivery_email=Delivery.DIGEST,
                delivery_inbox=Delivery.DIGEST,
            )
            for user in users
        ]
    )
    return activity


def people(n):
    return User.objects.bulk_create(
        [User(email=f"digest{i}@example.org", name=f"Person {i}") for i in range(n)]
    )


def test_a_digest_lists_what_is_new_and_marks_it_shown(
    django_capture_on_commit_callbacks,
):
    reader, quiet = UserFactory(name="Ada Reader"), UserFactory()
    make_due([reader, quiet])
    waiting_news([reader], title="Minutes of 12 June")
    with django_capture_on_commit_callbacks(execute=True):
        result = digest_run(now=NOW)
    assert result["people"] == 2 and result["digests"] == 1 and result["emails"] == 1
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == "[AI Alliance] Your weekly digest: 1 new item"
    assert "Hello Ada Reader," in message.body
    assert "Working groups" in message.body
    assert "Minutes of 12 June" in message.body
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    notification = Notification.objects.get(recipient=reader)
    assert notification.digest is not None and notification.shown_at == NOW
    # Nothing new for the other person: no digest, no email, next one scheduled.
    settings_row = NotificationSettings.objects.get(user=quiet)
    assert settings_row.next_digest_at > NOW
    assert not Digest.objects.filter(user=quiet).exists()


def test_new_member_organizations_appear_and_open_action_items_do_not_send_alone(
    django_capture_on_commit_callbacks,
):
    reader = UserFactory()
    make_due([reader])
    Activity.objects.create(
        kind="organization_joined",
        target=reader,
        context={"name": "Example Research Lab", "url": "/members/example/"},
        created_at=NOW - dt.timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=NOW)
    (message,) = mail.outbox
    assert "New member organizations" in message.body
    assert "Example Research Lab" in message.body


def test_the_digest_for_a_german_reader_is_german_in_their_time_zone(
    django_capture_on_commit_callbacks,
):
    reader = UserFactory(language="de", timezone="Europe/Berlin", name="Lena")
    make_due([reader])
    waiting_news([reader], title="Protokoll")
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=NOW)
    (message,) = mail.outbox
    assert message.subject == (
        "[AI Alliance] Ihre wöchentliche Zusammenfassung: 1 Neuigkeit"
    )
    assert "Hallo Lena," in message.body
    # The news came 14 June 09:30 UTC: 11:30 in Berlin.
    assert "14.06.2026 11:30" in message.body
    assert "Von diesen E-Mails abmelden" in message.body


def test_digests_for_2000_people_run_constant_queries_per_batch_and_only_once(
    django_capture_on_commit_callbacks, postgres
):
    # The claim is about PostgreSQL: SQLite splits long IN lists into chunks.
    crowd = people(2000)
    make_due(crowd)
    waiting_news(crowd)
    large = crowd[200:]
    NotificationSettings.objects.filter(user__in=large).update(
        next_digest_at=NOW + dt.timedelta(minutes=1)
    )
    with (
        CaptureQueriesContext(connection) as few,
        django_capture_on_commit_callbacks(execute=False),
    ):
        assert digest_run(now=NOW, batch_size=2000)["digests"] == 200
    NotificationSettings.objects.filter(user__in=large).update(
        next_digest_at=NOW - dt.timedelta(minutes=1)
    )
    later = NOW + dt.timedelta(minutes=2)
    with (
        CaptureQueriesContext(connection) as many,
        django_capture_on_commit_callbacks(execute=False),
    ):
        assert digest_run(now=later, batch_size=2000)["digests"] == 1800
    assert len(few) == len(many)
    assert OutboxEmail.objects.filter(key__startswith="digest:").count() == 2000
    # Running again (even with everyone due again) sends no second digest.
    NotificationSettings.objects.update(next_digest_at=NOW - dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=False):
        again = digest_run(now=later, batch_size=500)
    assert again["people"] == 2000 and again["digests"] == 0
    assert again["batches"] == 4
    assert Digest.objects.count() == 2000


def test_the_run_is_capped_and_takes_the_oldest_due_first():
    crowd = people(30)
    make_due(crowd)
    waiting_news(crowd)
    for i, user in enumerate(crowd):
        NotificationSettings.objects.filter(user=user).update(
            next_digest_at=NOW - dt.timedelta(minutes=i + 1)
        )
    result = digest_run(now=NOW, limit=10, batch_size=4)
    assert result["people"] == 10 and result["batches"] == 3
    assert set(Digest.objects.values_list("user_id", flat=True)) == {
        u.pk for u in crowd[-10:]
    }


def test_one_digest_per_person_and_period_is_a_database_constraint():
    user = UserFactory()
    Digest.objects.create(user=user, period="2026-W25", frequency="weekly", since=NOW)
    with pytest.raises(IntegrityError), transaction.atomic():
        Digest.objects.create(
            user=user, period="2026-W25", frequency="weekly", since=NOW
        )


def test_send_digests_command_runs_the_same(django_capture_on_commit_callbacks):
    reader = UserFactory()
    make_due([reader])
    NotificationSettings.objects.filter(user=reader).update(
        next_digest_at=timezone.now() - dt.timedelta(minutes=1)
    )
    waiting_news([reader])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", "--limit", "100")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("frequency", "zone", "after", "expected"),
    [
        # 08:00 in Berlin is 06:00 UTC in summer …
        ("daily", "Europe/Berlin", "2026-06-15T07:00", "2026-06-16T06:00"),
        # … and 07:00 UTC in winter.
        ("daily", "Europe/Berlin", "2026-12-15T05:00", "2026-12-15T07:00"),
        # Weekly on Monday at 08:00 in New York.
        ("weekly", "America/New_York", "2026-06-16T00:00", "2026-06-22T12:00"),
    ],
)
def test_next_digest_is_due_at_the_local_hour(frequency, zone, after, expected):
    due = next_digest_due(
        frequency=frequency,
        hour=8,
        weekday=0,
        time_zone=zone,
        after=dt.datetime.fromisoformat(after).replace(tzinfo=dt.UTC),
    )
    assert due == dt.datetime.fromisoformat(expected).replace(tzinfo=dt.UTC)


def test_open_action_items_ride_along_but_never_send_a_digest_alone(
    django_capture_on_commit_callbacks,
):
    from tests.alliance.factories import ActionItemFactory

    owner, other = UserFactory(name="Ada Owner"), UserFactory()
    item = ActionItemFactory(
        owner=owner, text="Draft the evaluation plan", due_date=dt.date(2026, 6, 30)
    )
    make_due([owner, other])
    with django_capture_on_commit_callbacks(execute=True):
        result = digest_run(now=NOW)
    # Only open action items: nothing new, so no digest is sent.
    assert result["emails"] == 0 and mail.outbox == []

    make_due_again = NotificationSettings.objects.filter(user__in=[owner, other])
    make_due_again.update(next_digest_at=NOW + dt.timedelta(days=7, minutes=-5))
    waiting_news([owner, other], title="Minutes of 20 June")
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=NOW + dt.timedelta(days=7))
    by_person = {message.to[0]: message.body for message in mail.outbox}
    assert "Your open action items" in by_person[owner.email]
    assert "Draft the evaluation plan" in by_person[owner.email]
    assert item.update.group.name in by_person[owner.email]
    assert "due 2026-06-30" in by_person[owner.email]
    assert "Draft the evaluation plan" not in by_person[other.email]


def test_the_next_digest_follows_a_time_zone_change(member_client, member):
    """Issue 12: after a change of time zone the digest comes at the person's
    hour in the new zone, not the old one's."""
    from zoneinfo import ZoneInfo

    from alliance.notifications.services.preferences import (
        notification_preferences_set,
    )
    from members.services import user_update_profile

    member.timezone = ZoneInfo("Europe/Berlin")
    member.save()
    notification_preferences_set(user=member, digest_frequency="daily", digest_hour=8)
    user_update_profile(user=member, timezone=ZoneInfo("America/New_York"))
    due = NotificationSettings.objects.get(user=member).next_digest_at
    local = due.astimezone(ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (8, 0)
    assert due > timezone.now()
