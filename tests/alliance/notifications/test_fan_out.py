"""Fan-out: who hears of an activity, how (inbox, email, digest), exactly once."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from alliance.notifications.models import Activity, Delivery, Notification, OutboxEmail
from alliance.notifications.services.activities import (
    activity_fan_out,
    activity_record,
    email_queue,
)
from alliance.notifications.services.preferences import notification_preferences_set
from alliance.notifications.services.subscriptions import subscription_set
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def group_with(n_members: int):
    group = WorkingGroupFactory()
    people = [WorkingGroupMembershipFactory(group=group).user for _ in range(n_members)]
    return group, people


def publish(group, actor=None, **context):
    return activity_record(
        kind="event_published",
        target=group,
        audience=group,
        actor=actor,
        context={"title": "Red-teaming workshop", "url": "/events/1/", **context},
    )


def prefer(user, kind, *, email, inbox=Delivery.IMMEDIATELY):
    notification_preferences_set(
        user=user, kinds={kind: {"email": email, "inbox": inbox}}
    )


def test_each_member_gets_one_notification_and_one_email(
    django_capture_on_commit_callbacks,
):
    group, people = group_with(3)
    for person in people:
        prefer(person, "event_published", email=Delivery.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        publish(group)
    for person in people:
        assert Notification.objects.filter(recipient=person).count() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    message = mail.outbox[0]
    assert message.subject == "[AI Alliance] New event: Red-teaming workshop"
    assert "/notifications/unsubscribe/" in message.extra_headers["List-Unsubscribe"]
    assert (
        message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    )
    assert "/notifications/preferences/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Red-teaming workshop" in html
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.SENT).count() == 3


def test_muted_people_hear_nothing_and_the_actor_is_not_told(
    django_capture_on_commit_callbacks,
):
    group, (chair, muted, member) = group_with(3)
    subscription_set(user=muted, target=group, state="mute")
    with django_capture_on_commit_callbacks(execute=True):
        publish(group, actor=chair)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [member.pk]


def test_digest_choosers_get_no_email_now_but_a_pending_digest_item(
    django_capture_on_commit_callbacks,
):
    group, (now_person, digest_person, off_person) = group_with(3)
    prefer(now_person, "event_published", email=Delivery.IMMEDIATELY)
    prefer(
        digest_person,
        "event_published",
        email=Delivery.DIGEST,
        inbox=Delivery.DIGEST,
    )
    prefer(
        off_person,
        "event_published",
        email=Delivery.OFF,
        inbox=Delivery.OFF,
    )
    with django_capture_on_commit_callbacks(execute=True):
        publish(group)
    assert [m.to[0] for m in mail.outbox] == [now_person.email]
    waiting = Notification.objects.get(recipient=digest_person)
    assert waiting.delivery_email == Delivery.DIGEST
    assert waiting.shown_at is None  # in the inbox only when the digest goes out
    assert not Notification.objects.filter(recipient=off_person).exists()


def test_fan_out_twice_notifies_once(django_capture_on_commit_callbacks):
    group, people = group_with(2)
    for person in people:
        prefer(person, "event_published", email=Delivery.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        activity = publish(group)
    assert activity_fan_out(activity_id=activity.pk) == 0
    Activity.objects.filter(pk=activity.pk).update(fanned_out_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        activity_fan_out(activity_id=activity.pk)  # even after losing its mark
    assert Notification.objects.count() == 2
    assert OutboxEmail.objects.count() == 2
    assert len(mail.outbox) == 2


def test_a_rolled_back_write_sends_nothing(django_capture_on_commit_callbacks):
    group, _people = group_with(2)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish(group)
        raise RuntimeError("the surrounding write failed")
    assert callbacks == []
    assert not Activity.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("batch_size", [50])
def test_fan_out_queries_do_not_grow_with_people_in_a_batch(
    django_capture_on_commit_callbacks, batch_size
):
    counts = {}
    for n in (5, 50):
        group, people = group_with(n)
        with django_capture_on_commit_callbacks(execute=False):
            activity = publish(group)
        with CaptureQueriesContext(connection) as queries:
            activity_fan_out(activity_id=activity.pk, batch_size=batch_size)
        counts[n] = len(queries)
        assert Notification.objects.filter(activity=activity).count() == n
    assert counts[5] == counts[50]


def test_reply_addresses_cost_no_query_per_recipient(
    settings, django_capture_on_commit_callbacks
):
    """An update's email carries a Reply-To for the group's members only (who
    may reply); the group's members are read once per batch, whatever the
    number of recipients."""
    settings.REPLY_EMAIL_DOMAIN = "reply.alliance.test"
    counts = {}
    # The first round fills the process's caches (content types), then 3 and 30.
    for n in (2, 3, 30):
        group, members = group_with(n)
        outsiders = [UserFactory() for _ in range(n)]
        for person in members + outsiders:
            subscription_set(user=person, target=group, state="watch")
        update = WorkingGroupUpdateFactory(group=group)
        with django_capture_on_commit_callbacks(execute=False):
            activity = activity_record(
                kind="group_update_posted",
                target=update,
                audience=group,
                context={"title": update.title, "url": update.get_absolute_url()},
            )
        with CaptureQueriesContext(connection) as queries:
            activity_fan_out(activity_id=activity.pk, batch_size=100)
        # Rows are inserted in bulk; SQLite splits a bulk insert at its limit of
        # parameters, so inserts are not counted.
        counts[n] = sum(
            not q["sql"].startswith("INSERT") for q in queries.captured_queries
        )
        emails = OutboxEmail.objects.filter(key__startswith=f"activity:{activity.pk}:")
        answerable = {e.user_id for e in emails if "Reply-To" in e.headers}
        assert len(emails) == 2 * n
        assert answerable == {person.pk for person in members}
    assert counts[3] == counts[30]


def test_german_recipient_reads_german_with_times_in_their_zone(
    django_capture_on_commit_callbacks,
):
    group = WorkingGroupFactory()
    person = UserFactory(language="de", timezone="Europe/Berlin")
    prefer(person, "event_published", email=Delivery.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(
            kind="event_published",
            target=group,
            recipients=[person],
            context={
                "title": "Sicherheitsworkshop",
                "url": "/events/1/",
                "starts_at": dt.datetime(2026, 7, 1, 16, 0, tzinfo=dt.UTC).isoformat(),
                "ends_at": dt.datetime(2026, 7, 1, 18, 0, tzinfo=dt.UTC).isoformat(),
            },
        )
    message = mail.outbox[0]
    assert message.subject == "[AI Alliance] Neue Veranstaltung: Sicherheitsworkshop"
    # 16:00 UTC is 18:00 in Berlin in summer.
    assert "1. Juli 2026, 18:00–20:00 CEST" in message.body
    assert "Wählen Sie, was Sie erhalten und wann" in message.body
    assert "Von diesen E-Mails abmelden" in message.alternatives[0][0]


def test_email_queue_writes_the_outbox_once_per_key(django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            email_queue(
                to="new.person@example.org",
                template="alliance/notifications/organization_joined",
                context={"ctx": {"name": "Example Lab & Co", "url": "/members/x/"}},
                language="en",
                key="invitation:1",
            )
    email = OutboxEmail.objects.get(key="invitation:1")
    assert email.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert (
        mail.outbox[0].subject
        == "[AI Alliance] Example Lab & Co joined the AI Alliance"
    )
    assert mail.outbox[0].body.startswith("Example Lab & Co is now a member")
    assert "List-Unsubscribe" not in mail.outbox[0].extra_headers
