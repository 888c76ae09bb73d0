"""Reads of a person's inbox, follows and delivery."""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from alliance.notifications.models import (
    Activity,
    Notification,
    OutboxEmail,
    Subscription,
)
from alliance.registries.audiences import (
    audience_followed_by,
    audience_member_ids,
    audience_models,
)
from alliance.registries.staff_counts import StaffCount, changelist_url
from alliance.registries.visibility import viewer_ids, visible_get, visible_pks


def notification_list(
    *, recipient, unread_only: bool = False
) -> QuerySet[Notification]:
    """Return the notifications in the person's inbox, newest first."""
    notifications = Notification.objects.filter(
        recipient=recipient, shown_at__isnull=False
    )
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")


def notification_unread_count(*, recipient) -> int:
    """Return how many of the notifications in the person's inbox are unread."""
    return Notification.objects.filter(
        recipient=recipient, shown_at__isnull=False, read_at__isnull=True
    ).count()


def subscription_overview(*, user) -> list[dict]:
    """Return what the person follows or muted, explicitly or by belonging to it:
    ``{"target", "type_label", "state", "implicit", "subscription"}`` rows."""
    explicit = list(
        Subscription.objects.filter(user=user)
        .select_related("target_type")
        .prefetch_related("target")
        .order_by("target_type_id", "target_id")
    )
    chosen = {(s.target_type_id, s.target_id): s for s in explicit}
    rows = []
    for objects in audience_followed_by(user).values():
        if not objects:
            continue
        content_type = ContentType.objects.get_for_model(objects[0])
        for target in objects:
            subscription = chosen.pop((content_type.pk, target.pk), None)
            rows.append(
                {
                    "target": target,
                    "content_type": content_type,
                    "type_label": content_type.model_class()._meta.verbose_name,
                    "state": subscription.state if subscription else "follow",
                    "implicit": True,
                    "subscription": subscription,
                }
            )
    shown = subscription_visible_keys(list(chosen.values()), user=user)
    for subscription in chosen.values():
        if (subscription.target_type_id, subscription.target_id) not in shown:
            # Deleted, or no longer visible to the person: listed without a
            # name, so it can be removed.
            rows.append(
                {
                    "target": None,
                    "content_type": subscription.target_type,
                    "type_label": _("No longer available"),
                    "state": subscription.state,
                    "implicit": False,
                    "subscription": subscription,
                }
            )
            continue
        rows.append(
            {
                "target": subscription.target,
                "content_type": subscription.target_type,
                "type_label": subscription.target_type.model_class()._meta.verbose_name,
                "state": subscription.state,
                "implicit": False,
                "subscription": subscription,
            }
        )
    grouped = defaultdict(list)
    for row in rows:
        grouped[str(row["type_label"])].append(row)
    return [
        {"type_label": label, "rows": sorted(items, key=lambda r: str(r["target"]))}
        for label, items in sorted(grouped.items())
    ]


def notification_personal_data(user) -> dict:
    """Return what the portal holds about how the person is notified (data export)."""
    from alliance.notifications.models import (
        NotificationPreference,
        NotificationSettings,
    )

    settings_row = NotificationSettings.objects.filter(user=user).first()
    return {
        "digest": {
            "frequency": settings_row.digest_frequency,
            "hour": settings_row.digest_hour,
            "weekday": settings_row.digest_weekday,
            "last_digest_at": settings_row.last_digest_at,
        }
        if settings_row
        else None,
        "preferences": list(
            NotificationPreference.objects.filter(user=user).values(
                "kind", "email", "inbox"
            )
        ),
        "subscriptions": [
            {
                "type": f"{s.target_type.app_label}.{s.target_type.model}",
                "id": s.target_id,
                "state": s.state,
            }
            for s in Subscription.objects.filter(user=user).select_related(
                "target_type"
            )
        ],
        "notifications": list(
            Notification.objects.filter(recipient=user)
            .order_by("created_at")
            .values("kind", "title", "url", "created_at", "read_at")
        ),
    }


# --- Who follows what ------------------------------------------------------------


def followable_get(*, user, label: str, pk) -> models.Model | None:
    """Return the object a person asks to follow or mute if it is of a followable
    type, exists and they may see it; else None (missing and hidden look alike)."""
    label = (label or "").lower()
    if label not in audience_models():
        return None
    return visible_get(label, user=user, pk=pk)


def subscription_visible_keys(
    subscriptions: list[Subscription], *, user
) -> set[tuple[int, int]]:
    """Return ``(target_type_id, target_id)`` of the subscriptions whose target
    exists and the person may see (one query per type of target)."""
    by_type = defaultdict(set)
    for subscription in subscriptions:
        by_type[subscription.target_type_id].add(subscription.target_id)
    visible = set()
    for type_id, pks in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        visible |= {(type_id, pk) for pk in visible_pks(model, user=user, pks=pks)}
    return visible


def activity_viewers(activity: Activity, user_ids) -> tuple[set[int], set[int]]:
    """Return which of the people may hear of the activity (those who may see its
    audience and its target, as the apps that own them decide, see
    ``alliance.registries.visibility``) and which of them may no longer see the
    audience itself."""
    user_ids = set(user_ids)
    audience = activity.audience
    sees_audience = viewer_ids(audience, user_ids)
    target = activity.target
    if target is None or target == audience:
        return sees_audience, user_ids - sees_audience
    return viewer_ids(target, sees_audience), user_ids - sees_audience


def activity_viewer_ids(activity: Activity, user_ids) -> set[int]:
    """Return which of the people may hear of the activity (see
    ``activity_viewers``)."""
    return activity_viewers(activity, user_ids)[0]


def outbox_email_still_allowed(email: OutboxEmail) -> bool:
    """Return whether the person an activity's email is for may still see what
    it is about (they may have left a group or lapsed since the fan-out)."""
    kind, _sep, rest = email.key.partition(":")
    if kind != "activity" or email.user_id is None:
        return True
    activity_id = rest.partition(":")[0]
    activity = (
        Activity.objects.filter(pk=activity_id).first()
        if activity_id.isdigit()
        else None
    )
    if activity is None:
        return True
    return email.user_id in activity_viewer_ids(activity, [email.user_id])


def subscription_state(*, user, target: models.Model) -> str | None:
    """Return the person's explicit choice for ``target`` (follow, mute or None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Subscription.objects.filter(
            user=user,
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
        )
        .values_list("state", flat=True)
        .first()
    )


def follower_ids(target: models.Model | None) -> set[int]:
    """Return who hears about ``target``: its implicit audience and explicit
    followers, minus those who muted it."""
    if target is None:
        return set()
    rows = Subscription.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).values_list("user_id", "state")
    follows = {user_id for user_id, state in rows if state == Subscription.State.FOLLOW}
    mutes = {user_id for user_id, state in rows if state == Subscription.State.MUTE}
    return (audience_member_ids(target) | follows) - mutes


def mail_staff_counts() -> list[StaffCount]:
    """Return the emails that failed and those whose delivery is uncertain (a
    worker stopped mid-send); one query."""
    S = OutboxEmail.Status
    counts = _outbox_counts()
    url = "admin:alliance_outboxemail_changelist"
    return [
        StaffCount(
            key="emails_failed",
            group="mail",
            label=_("Emails that failed"),
            count=counts["failed"],
            url=changelist_url(url, status__exact=S.FAILED),
            urgent=True,
        ),
        StaffCount(
            key="emails_uncertain",
            group="mail",
            label=_("Emails whose delivery is uncertain"),
            count=counts["uncertain"],
            url=changelist_url(url, status__exact=S.UNCERTAIN),
            urgent=True,
        ),
    ]


def _outbox_counts() -> dict[str, int]:
    """Emails failed, uncertain (a worker stopped mid-send: they may or may not
    have reached the mail server) and still waiting to be sent; one query."""
    S = OutboxEmail.Status
    return OutboxEmail.objects.aggregate(
        failed=Count("pk", filter=Q(status=S.FAILED)),
        uncertain=Count("pk", filter=Q(status=S.UNCERTAIN)),
        waiting=Count("pk", filter=Q(status__in=[S.QUEUED, S.SENDING])),
    )


def outbox_health() -> dict[str, int]:
    """The outbox's figures for /health/'s details (the staff home shows the
    same failed and uncertain counts, mail_staff_counts)."""
    return _outbox_counts()
