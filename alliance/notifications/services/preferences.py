"""How each person wants to hear of things: per kind and channel, and when their
digest arrives."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.notifications.models import (
    Delivery,
    NotificationPreference,
    NotificationSettings,
)
from alliance.registries.notification_kinds import (
    notification_kind,
    notification_kind_exists,
    notification_kind_groups,
    notification_kind_keys,
)


def kind_groups() -> list[tuple[str, object, list[str]]]:
    """Return every kind under its heading, in the order people read them (the
    headings and kinds the apps registered, alliance.registries.notification_kinds)."""
    return [
        (group.key, group.label, [kind.key for kind in kinds])
        for group, kinds in notification_kind_groups()
    ]


def kind_group_of(kind: str) -> str:
    """Return the heading key a kind is listed under ("" for a stored kind no app
    registers any more)."""
    return notification_kind(kind).group if notification_kind_exists(kind) else ""


@dataclass(frozen=True)
class Choice:
    email: str
    inbox: str


def default_choice(kind: str) -> Choice:
    """Return how a person hears of ``kind`` until they choose."""
    declared = notification_kind(kind)
    return Choice(email=declared.email, inbox=declared.inbox)


def effective_choice(choice: Choice, frequency: str) -> Choice:
    """Return what a choice means given the digest frequency: with no digest,
    digest email is off and the inbox shows it at once."""
    if frequency != NotificationSettings.Frequency.NEVER:
        return choice
    return Choice(
        email=Delivery.OFF if choice.email == Delivery.DIGEST else choice.email,
        inbox=Delivery.IMMEDIATELY if choice.inbox == Delivery.DIGEST else choice.inbox,
    )


def choices_for(
    *, user_ids: Iterable[int], kind: str, frequencies: dict[int, str]
) -> dict[int, Choice]:
    """Return each person's effective choice for ``kind`` (one query)."""
    user_ids = list(user_ids)
    stored = {
        user_id: Choice(email=email, inbox=inbox)
        for user_id, email, inbox in NotificationPreference.objects.filter(
            user_id__in=user_ids, kind=kind
        ).values_list("user_id", "email", "inbox")
    }
    default = default_choice(kind)
    return {
        user_id: effective_choice(
            stored.get(user_id, default),
            frequencies.get(user_id, NotificationSettings.Frequency.WEEKLY),
        )
        for user_id in user_ids
    }


def preference_table(*, user) -> dict[str, Choice]:
    """Return the person's choice for every kind (stored or default)."""
    stored = {
        p.kind: Choice(email=p.email, inbox=p.inbox)
        for p in NotificationPreference.objects.filter(user=user)
    }
    return {
        kind: stored.get(kind, default_choice(kind))
        for kind in notification_kind_keys()
    }


def next_digest_due(
    *,
    frequency: str,
    hour: int,
    weekday: int,
    time_zone,
    after: dt.datetime | None = None,
) -> dt.datetime | None:
    """Return the first moment after ``after`` (UTC) that the person's digest is
    due: their local hour, every day or on their weekday."""
    if frequency == NotificationSettings.Frequency.NEVER:
        return None
    zone = ZoneInfo(str(time_zone))
    after = after or timezone.now()
    local = after.astimezone(zone)
    candidate = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if frequency == NotificationSettings.Frequency.WEEKLY:
        candidate += dt.timedelta(days=(weekday - candidate.weekday()) % 7)
        step = dt.timedelta(days=7)
    else:
        step = dt.timedelta(days=1)
    while candidate <= local:
        candidate += step
    # Re-attach the zone so a daylight-saving change keeps the local hour.
    candidate = candidate.replace(tzinfo=None).replace(tzinfo=zone)
    return candidate.astimezone(dt.UTC)


def digest_period(*, frequency: str, moment: dt.datetime, time_zone) -> str:
    """Return the period a digest sent at ``moment`` belongs to: the local date
    for a daily digest, the ISO week for a weekly one."""
    local = moment.astimezone(ZoneInfo(str(time_zone))).date()
    if frequency == NotificationSettings.Frequency.WEEKLY:
        year, week, _day = local.isocalendar()
        return f"{year}-W{week:02d}"
    return local.isoformat()


def _settings_defaults(user, now: dt.datetime) -> NotificationSettings:
    settings_row = NotificationSettings(user=user, created_at=now)
    settings_row.next_digest_at = next_digest_due(
        frequency=settings_row.digest_frequency,
        hour=settings_row.digest_hour,
        weekday=settings_row.digest_weekday,
        time_zone=user.timezone,
        after=now,
    )
    return settings_row


def notification_settings_get(*, user) -> NotificationSettings:
    """Return the person's digest settings, creating the defaults once."""
    existing = NotificationSettings.objects.filter(user=user).first()
    if existing:
        return existing
    row = _settings_defaults(user, timezone.now())
    NotificationSettings.objects.bulk_create([row], ignore_conflicts=True)
    return NotificationSettings.objects.get(user=user)


def notification_settings_ensure(*, users: Iterable) -> int:
    """Create default digest settings for the people who have none (one insert)."""
    now = timezone.now()
    rows = [_settings_defaults(user, now) for user in users]
    NotificationSettings.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _next_due(settings_row: NotificationSettings, user) -> dt.datetime | None:
    """Return when the person's next digest is due, at their local hour in their
    current time zone, never before now nor their last digest."""
    now = timezone.now()
    return next_digest_due(
        frequency=settings_row.digest_frequency,
        hour=settings_row.digest_hour,
        weekday=settings_row.digest_weekday,
        time_zone=user.timezone,
        after=max(now, settings_row.last_digest_at or now),
    )


@transaction.atomic
def notification_digest_reschedule(*, user) -> NotificationSettings | None:
    """Recompute when the person's next digest is due (their time zone changed:
    the digest keeps their local hour in the new zone)."""
    settings_row = (
        NotificationSettings.objects.select_for_update().filter(user=user).first()
    )
    if settings_row is None:
        return None
    settings_row.next_digest_at = _next_due(settings_row, user)
    settings_row.save(update_fields=["next_digest_at", "updated_at"])
    return settings_row


@transaction.atomic
def notification_preferences_set(
    *,
    user,
    digest_frequency: str | None = None,
    digest_hour: int | None = None,
    digest_weekday: int | None = None,
    staff_report: bool | None = None,
    kinds: dict[str, dict[str, str]] | None = None,
) -> NotificationSettings:
    """Save the person's digest schedule and their choices per kind and channel.

    Only staff receive the weekly staff report, so only their ``staff_report``
    choice is saved; anyone else's is ignored."""
    settings_row = notification_settings_get(user=user)
    settings_row = NotificationSettings.objects.select_for_update().get(
        pk=settings_row.pk
    )
    if digest_frequency is not None:
        settings_row.digest_frequency = digest_frequency
    if digest_hour is not None:
        settings_row.digest_hour = digest_hour
    if digest_weekday is not None:
        settings_row.digest_weekday = digest_weekday
    if staff_report is not None and user.is_staff:
        settings_row.staff_report = staff_report
    settings_row.full_clean(exclude=["user"])
    settings_row.next_digest_at = _next_due(settings_row, user)
    settings_row.save()
    if kinds:
        errors = {}
        valid = set(Delivery.values)
        for kind, channels in kinds.items():
            if not notification_kind_exists(kind):
                errors[kind] = [_("Unknown kind of notification.")]
                continue
            for channel in ("email", "inbox"):
                value = channels.get(channel)
                if value is not None and value not in valid:
                    errors[f"{kind}.{channel}"] = [
                        _("Choose immediately, digest or off.")
                    ]
        if errors:
            raise ValidationError(errors)
        current = preference_table(user=user)
        rows = []
        for kind, channels in kinds.items():
            choice = current[kind]
            rows.append(
                NotificationPreference(
                    user=user,
                    kind=kind,
                    email=channels.get("email") or choice.email,
                    inbox=channels.get("inbox") or choice.inbox,
                )
            )
        NotificationPreference.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["email", "inbox"],
        )
    return settings_row


def unsubscribe_scope_label(scope: str) -> str | None:
    """Return in words which emails an unsubscribe scope stops (None if unknown)."""
    if scope == "digest":
        return _("your digest")
    if scope == "staff_report":
        return _("the weekly staff report")
    if notification_kind_exists(scope):
        return _("emails about “%(kind)s”") % {"kind": notification_kind(scope).label}
    return None


@transaction.atomic
def notification_unsubscribe(*, user, scope: str) -> str:
    """Stop one kind of email (or the digest, or the staff report) for the person;
    return what was stopped, in words."""
    label = unsubscribe_scope_label(scope)
    if label is None:
        raise ValidationError({"scope": [_("This unsubscribe link is not valid.")]})
    if scope == "digest":
        notification_preferences_set(
            user=user, digest_frequency=NotificationSettings.Frequency.NEVER
        )
    elif scope == "staff_report":
        notification_preferences_set(user=user, staff_report=False)
    else:
        notification_preferences_set(user=user, kinds={scope: {"email": Delivery.OFF}})
    return label
