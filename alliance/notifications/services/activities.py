"""Record what happened and tell the people who should hear about it.

Other apps call :func:`activity_record` (never send mail themselves) and
:func:`email_queue` for mail to an address that need not belong to a person yet.
After the recording transaction commits, one fan-out task per activity works out
who hears of it, writes their notifications in batches and queues their emails in
the outbox (``alliance.notifications.services.outbox``); what they chose to get in
their digest waits for ``alliance.notifications.services.digests``.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.core.dispatch import dispatch_on_commit
from alliance.core.memo import memo_forget
from alliance.notifications.models import (
    Activity,
    Delivery,
    Notification,
    NotificationSettings,
    OutboxEmail,
)
from alliance.notifications.selectors import (
    UNREAD_STATE,
    activity_viewers,
    follower_ids,
    watcher_ids,
)
from alliance.notifications.services.emails import (
    RenderedEmail,
    email_content_render,
    email_wrap,
    render_text,
    text_to_html,
)
from alliance.notifications.services.outbox import outbox_add, outbox_build
from alliance.notifications.services.preferences import Choice, choices_for
from alliance.notifications.services.subscriptions import subscriptions_end_unseen
from alliance.registries.email_attachments import email_attachments
from alliance.registries.notification_kinds import (
    notification_kind,
    notification_reply_addresses,
)

FAN_OUT_BATCH = 1000
WATCHING = Choice(email=Delivery.IMMEDIATELY, inbox=Delivery.IMMEDIATELY)
# Queued by name (alliance.core.dispatch); alliance.notifications.tasks pins it.
FAN_OUT_TASK = "alliance.tasks.activity_fan_out_task"


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

    ``kind`` is a key an app registered (``notification_kind_register``); any
    other raises ``NotificationKindUnknown`` before anything is written.
    ``context`` must be JSON-serializable: it is rendered later, in each
    recipient's language, by the kind's templates (``<template>_subject.txt``,
    ``<template>.txt``, ``<template>.html``).
    """
    declared = notification_kind(kind)
    activity = Activity.objects.create(
        kind=declared.key,
        actor=actor,
        target=target,
        audience=audience,
        recipient_ids=sorted({user.pk for user in recipients}),
        context=context or {},
    )
    dispatch_on_commit(FAN_OUT_TASK, activity.pk)
    return activity


def _kind_context(activity: Activity, recipient, reply_by_email: bool) -> dict:
    """The one context a kind's subject, text and HTML templates are rendered
    from; ``reply_by_email``: the email carries a ``Reply-To`` the recipient may
    answer (see ``notification_reply_address_register``)."""
    return {
        "activity": activity,
        "ctx": activity.context,
        "recipient": recipient,
        "site_url": settings.SITE_URL,
        "reply_by_email": reply_by_email,
    }


def notification_render(
    *, activity: Activity, recipient, reply_by_email: bool = False
) -> tuple[str, str]:
    """Return the subject and text of an activity as the recipient should read
    it (with ``reply_by_email``, in an email they may answer)."""
    context = _kind_context(activity, recipient, reply_by_email)
    with (
        translation.override(recipient.language),
        timezone.override(str(recipient.timezone)),
    ):
        declared = notification_kind(activity.kind)
        subject = render_text(
            [
                declared.subject_template,
                "alliance/notifications/_default_subject.txt",
            ],
            context,
        )
        body = render_text(
            [declared.text_template, "alliance/notifications/_default.txt"], context
        )
    return " ".join(subject.split()), body.strip()


def notification_html(
    *, activity: Activity, recipient, text: str, reply_by_email: bool = False
) -> str:
    """Return the HTML body from the kind's ``<template>.html`` (or
    ``_default.html``), rendered from the same context as the text part."""
    try:
        template = select_template(
            [
                notification_kind(activity.kind).html_template,
                "alliance/notifications/_default.html",
            ]
        )
    except TemplateDoesNotExist:
        return text_to_html(text)
    with (
        translation.override(recipient.language),
        timezone.override(str(recipient.timezone)),
    ):
        return template.render(_kind_context(activity, recipient, reply_by_email))


def activity_recipient_ids(activity: Activity) -> list[int]:
    """Return who hears of an activity: the people addressed directly, and the
    audience's followers (never the actor, never those who muted it)."""
    followers = follower_ids(activity.audience) - {activity.actor_id}
    return sorted(set(activity.recipient_ids) | followers)


def _reason(activity: Activity, person) -> str:
    """Return why the person gets the email, in their language."""
    with translation.override(person.language):
        return _reason_text(activity, person.pk)


def _reason_text(activity: Activity, user_id: int) -> str:
    if user_id in activity.recipient_ids:
        return _("You receive this email because it concerns you.")
    return _("You receive this email because you follow what it is about.")


def _fan_out_batch(activity: Activity, user_ids: list[int]) -> int:
    """Notify one batch of people who may see what the activity is about (a
    constant number of queries, whatever the batch size); end the follows of
    those who may no longer see its audience."""
    allowed, lost = activity_viewers(activity, user_ids)
    if lost and activity.audience is not None:
        subscriptions_end_unseen(target=activity.audience, user_ids=lost)
    User = get_user_model()
    people = list(
        User.objects.filter(pk__in=allowed, is_active=True).select_related(
            "notification_settings"
        )
    )
    frequencies = {
        person.pk: getattr(
            getattr(person, "notification_settings", None),
            "digest_frequency",
            NotificationSettings.Frequency.WEEKLY,
        )
        for person in people
    }
    choices = choices_for(
        user_ids=frequencies.keys(), kind=activity.kind, frequencies=frequencies
    )
    # Those who watch its audience get every activity by email at once.
    for user_id in watcher_ids(activity, choices.keys()):
        choices[user_id] = WATCHING
    emailed = [
        p for p in people if choices[p.pk].email == Delivery.IMMEDIATELY and p.email
    ]
    attachments = email_attachments(activity.kind, lambda: activity.target, emailed)
    # Who may answer by email (e.g. reply to an update), read once per batch.
    reply_to = notification_reply_addresses(
        activity.kind, lambda: activity.target, emailed
    )
    now = timezone.now()
    notifications, emails = [], []
    for person in people:
        choice = choices[person.pk]
        if choice.email == Delivery.OFF and choice.inbox == Delivery.OFF:
            continue
        answerable = person.pk in reply_to
        title, body = notification_render(
            activity=activity, recipient=person, reply_by_email=answerable
        )
        notifications.append(
            Notification(
                recipient=person,
                activity=activity,
                kind=activity.kind,
                title=title[:300],
                body=body,
                url=str(activity.context.get("url", ""))[:500],
                created_at=now,
                delivery_email=choice.email,
                delivery_inbox=choice.inbox,
                shown_at=now if choice.inbox == Delivery.IMMEDIATELY else None,
            )
        )
        if choice.email != Delivery.IMMEDIATELY or not person.email:
            continue
        content = RenderedEmail(
            subject=title,
            text=body,
            html=notification_html(
                activity=activity,
                recipient=person,
                text=body,
                reply_by_email=answerable,
            ),
        )
        rendered = email_wrap(
            content,
            language=person.language,
            time_zone=person.timezone,
            user_id=person.pk,
            scope=activity.kind,
            reason=_reason(activity, person),
        )
        if answerable:
            rendered.headers["Reply-To"] = reply_to[person.pk]
        emails.append(
            outbox_build(
                key=f"activity:{activity.pk}:user:{person.pk}",
                to=person.email,
                rendered=rendered,
                language=person.language,
                user_id=person.pk,
                attachments=attachments.get(person.pk),
            )
        )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    outbox_add(emails)
    return len(notifications)


def activity_fan_out(*, activity_id: int, batch_size: int = FAN_OUT_BATCH) -> int:
    """Create each recipient's notification and immediate email once, in batches;
    return how many people were notified."""
    with transaction.atomic():
        # A second task for the same activity (the sweep queued it again while
        # the first still runs) skips it instead of waiting for the lock.
        activity = (
            Activity.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(pk=activity_id)
            .first()
        )
        if activity is None or activity.fanned_out_at is not None:
            return 0
        recipient_ids = activity_recipient_ids(activity)
        notified = 0
        for start in range(0, len(recipient_ids), batch_size):
            notified += _fan_out_batch(
                activity, recipient_ids[start : start + batch_size]
            )
        activity.fanned_out_at = timezone.now()
        activity.save(update_fields=["fanned_out_at"])
    return notified


def activity_pending_ids(*, older_than, limit: int = 500) -> list[int]:
    """Return activities not yet fanned out, recorded before ``now - older_than``."""
    return list(
        Activity.objects.filter(
            fanned_out_at__isnull=True, created_at__lte=timezone.now() - older_than
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


@transaction.atomic
def email_queue(
    *,
    to: str,
    template: str,
    context: dict,
    language: str | None = None,
    time_zone: str = "UTC",
    key: str,
    user=None,
    unsubscribe_scope: str | None = None,
) -> OutboxEmail | None:
    """Write one email rendered from ``<template>_subject.txt``, ``<template>.txt``
    (and ``<template>.html`` if it exists) in the given language to the outbox;
    it is sent after commit, once per ``key``."""
    language = language or settings.LANGUAGE_CODE
    content = email_content_render(
        template=template, context=context, language=language, time_zone=time_zone
    )
    rendered = email_wrap(
        content,
        language=language,
        time_zone=time_zone,
        user_id=user.pk if user is not None else None,
        scope=unsubscribe_scope,
    )
    email = outbox_build(
        key=key,
        to=to,
        rendered=rendered,
        language=language,
        user_id=user.pk if user is not None else None,
    )
    outbox_add([email])
    return OutboxEmail.objects.filter(key=email.key).first()


@transaction.atomic
def notification_mark_read(
    *, recipient, notification_id: int | None = None, kinds=None
) -> int:
    """Mark one of the notifications in the person's inbox, all of them, or all
    of some kinds read; return how many were unread. What still waits for the
    digest is not in the inbox yet and stays unread."""
    unread = Notification.objects.filter(
        recipient=recipient, read_at__isnull=True, shown_at__isnull=False
    )
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    if kinds is not None:
        unread = unread.filter(kind__in=list(kinds))
    marked = unread.update(read_at=timezone.now())
    # The rest of the request (the bell swapped in place) reads the state anew.
    memo_forget(recipient, UNREAD_STATE)
    return marked
