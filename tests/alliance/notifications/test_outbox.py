"""The outbox sends each email at most once, over a real local SMTP server."""

import datetime as dt
import smtplib

import pytest
from django.core.mail import get_connection
from django.utils import timezone

from alliance.core.dispatch import safe_countdown
from alliance.notifications.models import OutboxEmail
from alliance.notifications.services.emails import RenderedEmail
from alliance.notifications.services.outbox import (
    MAX_ATTEMPTS,
    outbox_build,
    outbox_release_stale,
    outbox_requeue,
    outbox_send,
)
from alliance.notifications.transport import message_build, smtp_send_two_phase
from tests.alliance.notifications.conftest import free_port, wait_for

pytestmark = pytest.mark.django_db
S = OutboxEmail.Status


def queued(n=1, prefix="test") -> list[OutboxEmail]:
    rows = [
        outbox_build(
            key=f"{prefix}:{i}",
            to=f"person{i}@example.org",
            rendered=RenderedEmail(
                subject=f"Hello {i}", text=f"Body {i}\n.\nwith a lone dot", html=""
            ),
            language="en",
        )
        for i in range(n)
    ]
    return OutboxEmail.objects.bulk_create(rows)


@pytest.fixture
def smtp_settings(settings, smtp_recorder):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_recorder.port
    settings.EMAIL_USE_TLS = False
    return smtp_recorder


def test_an_email_is_sent_once_even_when_its_task_runs_twice(smtp_settings):
    (email,) = queued()
    assert outbox_send(email_ids=[email.pk])["sent"] == 1
    assert outbox_send(email_ids=[email.pk]).get("skipped") == 1
    assert wait_for(lambda: len(smtp_settings.messages()) == 1, timeout=5)
    assert smtp_settings.counts() == {str(email.pk): 1}
    received = smtp_settings.messages()[0]
    assert received["subject"] == "Hello 0"
    assert received["text"].split() == ["Body", "0", ".", "with", "a", "lone", "dot"]
    email.refresh_from_db()
    assert email.status == S.SENT and email.attempts == 1 and email.sent_at


def test_the_server_discards_a_message_whose_claim_was_lost(smtp_settings):
    (email,) = queued()
    backend = get_connection()
    backend.open()
    from alliance.notifications.transport import ClaimLost

    with pytest.raises(ClaimLost):
        smtp_send_two_phase(backend.connection, message_build(email), lambda: False)
    backend.connection = None
    # The connection was dropped before the final dot: nothing was delivered.
    (other,) = queued(prefix="other")
    outbox_send(email_ids=[other.pk])
    assert wait_for(lambda: len(smtp_settings.messages()) == 1, timeout=5)
    assert smtp_settings.counts() == {str(other.pk): 1}


def test_dead_claims_are_requeued_before_hand_over_and_uncertain_after(smtp_settings):
    before, after = queued(2)
    past = timezone.now() - dt.timedelta(minutes=1)
    OutboxEmail.objects.filter(pk__in=[before.pk, after.pk]).update(
        status=S.SENDING, claimed_until=past, claimed_by="w1@host", attempts=1
    )
    OutboxEmail.objects.filter(pk=after.pk).update(handed_over_at=past)
    assert outbox_release_stale() == {"requeued": 1, "uncertain": 1}
    outbox_send(email_ids=[before.pk, after.pk])
    assert wait_for(lambda: len(smtp_settings.messages()) == 1, timeout=5)
    assert smtp_settings.counts() == {str(before.pk): 1}
    after.refresh_from_db()
    assert after.status == S.UNCERTAIN
    assert "probably delivered" in after.last_error
    # Staff decide to resend it.
    assert outbox_requeue(email_ids=[after.pk]) == 1
    outbox_send(email_ids=[after.pk])
    assert wait_for(lambda: len(smtp_settings.messages()) == 2, timeout=5)


def test_a_restarting_worker_releases_its_own_claims_at_once():
    mine, others = queued(2)
    soon = timezone.now() + dt.timedelta(minutes=4)
    OutboxEmail.objects.filter(pk=mine.pk).update(
        status=S.SENDING, claimed_until=soon, claimed_by="w1@host"
    )
    OutboxEmail.objects.filter(pk=others.pk).update(
        status=S.SENDING, claimed_until=soon, claimed_by="w2@host"
    )
    assert outbox_release_stale(worker="w1@host") == {"requeued": 1, "uncertain": 0}
    assert OutboxEmail.objects.get(pk=others.pk).status == S.SENDING


def test_an_unreachable_server_defers_with_backoff_then_fails(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    settings.EMAIL_TIMEOUT = 2
    (email,) = queued()
    result = outbox_send(email_ids=[email.pk])
    assert result["deferred"] == 1 and result["retry_in"] == 60
    email.refresh_from_db()
    assert email.status == S.QUEUED and email.attempts == 1
    assert "ConnectionRefusedError" in email.last_error
    assert email.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)
    # Not due yet: a second task leaves it alone.
    assert outbox_send(email_ids=[email.pk]).get("skipped") == 1
    OutboxEmail.objects.filter(pk=email.pk).update(
        attempts=MAX_ATTEMPTS - 1, next_attempt_at=timezone.now()
    )
    assert outbox_send(email_ids=[email.pk])["failed"] == 1
    assert OutboxEmail.objects.get(pk=email.pk).status == S.FAILED


def test_a_permanent_refusal_fails_at_once(monkeypatch):
    (email,) = queued()

    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({email.to_email: (550, b"no such mailbox")})

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", refuse
    )
    assert outbox_send(email_ids=[email.pk])["failed"] == 1
    email.refresh_from_db()
    assert email.status == S.FAILED and "no such mailbox" in email.last_error


def test_countdowns_never_exceed_the_visibility_timeout(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    assert safe_countdown(60) == 60
    assert safe_countdown(6 * 3600) == 3540


def test_the_sweep_queues_again_what_waited_but_not_over_and_over():
    from alliance.notifications.services.delivery import delivery_sweep

    waiting, swept_recently = queued(2)
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    OutboxEmail.objects.filter(pk=waiting.pk).update(next_attempt_at=long_ago)
    OutboxEmail.objects.filter(pk=swept_recently.pk).update(
        next_attempt_at=long_ago, swept_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert delivery_sweep()["emails"] == 1  # runs the task in-process here
    assert OutboxEmail.objects.get(pk=waiting.pk).status == S.SENT
    assert OutboxEmail.objects.get(pk=swept_recently.pk).status == S.QUEUED
    # A restarting worker queues everything that waits, whenever it was swept.
    assert delivery_sweep(resweep_after=dt.timedelta(0))["emails"] == 1
    assert OutboxEmail.objects.get(pk=swept_recently.pk).status == S.SENT


def test_a_released_claim_is_sent_again_at_once_not_after_the_sweeps_grace(
    smtp_settings, django_capture_on_commit_callbacks
):
    """Issue 18, item 4: a claim released by the sweep (its worker died) is
    queued for sending by that same sweep, not two minutes later."""
    from alliance.notifications.services.delivery import delivery_sweep

    (email,) = queued()
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=S.SENDING,
        claimed_until=timezone.now() - dt.timedelta(seconds=1),
        claimed_by="w1@host",
        attempts=1,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_sweep()["requeued"] == 1
    assert wait_for(lambda: len(smtp_settings.messages()) == 1, timeout=5)
    assert smtp_settings.counts() == {str(email.pk): 1}
    email.refresh_from_db()
    assert email.status == S.SENT
