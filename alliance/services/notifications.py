"""Record what happened and tell the people who should hear about it.

Other apps call :func:`activity_record` (never send mail themselves) and
:func:`email_queue` for mail to an address that need not belong to a person yet.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from alliance.models import Activity, Notification
from alliance.selectors.subscriptions import follower_ids


@transaction.atomic
def activity_record(
    *,
    kind: str,
    target: models.Model,
    actor=None,
    audience: models.Model | None = None,
    recipients: Iterable = (),
    context: dict | None = None,
) -> Activity:
    """Record an activity; after commit, notify its recipients and the audience's
    followers.

    ``context`` must be JSON-serializable: it is rendered later, in each
    recipient's language, by ``templates/alliance/notifications/<kind>_*.txt``.
    """
    activity = Activity.objects.create(
        kind=kind,
        actor=actor,
        target=target,
        audience=audience,
        recipient_ids=sorted({user.pk for user in recipients}),
        context=context or {},
    )
    from alliance.tasks import activity_fan_out_task

    transaction.on_commit(lambda: activity_fan_out_task.delay(activity.pk))
    return activity


def notification_render(*, activity: Activity, recipient) -> tuple[str, str]:
    """Return the subject and text of an activity as the recipient should read it."""
    context = {
        "activity": activity,
        "ctx": activity.context,
        "recipient": recipient,
        "site_url": settings.SITE_URL,
    }
    with (
        translation.override(recipient.language),
        timezone.override(recipient.timezone),
    ):
        prefix = f"alliance/notifications/{activity.kind}"
        subject = render_to_string(f"{prefix}_subject.txt", context)
        body = render_to_string(f"{prefix}.txt", context)
    return " ".join(subject.split()), body.strip()


def activity_fan_out(*, activity_id: int) -> int:
    """Create each recipient's notification and email once; return how many."""
    User = get_user_model()
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity_id)
        if activity.fanned_out_at is not None:
            return 0
        # People hear of their own actions only when addressed directly.
        followers = follower_ids(activity.audience) - {activity.actor_id}
        recipient_ids = set(activity.recipient_ids) | followers
        recipients = User.objects.filter(pk__in=recipient_ids, is_active=True)
        notifications = []
        for recipient in recipients:
            subject, body = notification_render(activity=activity, recipient=recipient)
            notifications.append(
                Notification(
                    recipient=recipient,
                    activity=activity,
                    kind=activity.kind,
                    title=subject,
                    body=body,
                    url=activity.context.get("url", ""),
                )
            )
            email_send_rendered(
                to=recipient.email, subject=subject, text=body, html=None
            )
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        activity.fanned_out_at = timezone.now()
        activity.save(update_fields=["fanned_out_at"])
    return len(notifications)


def email_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str = settings.LANGUAGE_CODE,
    time_zone: str = "UTC",
    key: str,
) -> None:
    """Queue one email rendered from ``<template>_subject.txt`` and ``<template>.txt``
    in the given language; it is sent after commit, once per ``key``."""
    context = {**context, "site_url": settings.SITE_URL}
    with translation.override(language), timezone.override(str(time_zone)):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context).strip()
    email_send_rendered(to=to, subject=subject, text=text, html=None)


def email_send_rendered(*, to: str, subject: str, text: str, html: str | None) -> None:
    """Send a rendered email once the current transaction commits."""
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, body=text, to=[to]
    )
    if html:
        message.attach_alternative(html, "text/html")
    transaction.on_commit(message.send)


@transaction.atomic
def notification_mark_read(*, recipient, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications (or all of them) read."""
    unread = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())
