"""Reads of a person's inbox, follows and delivery."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliance.core.cache import namespaces_all, personal_value
from alliance.core.memo import memo_get
from alliance.notifications.models import (
    Activity,
    Notification,
    OutboxEmail,
    Subscription,
)
from alliance.registries.audiences import (
    audience_chain,
    audience_chains,
    audience_followed_by,
    audience_member_ids,
    audience_models,
)
from alliance.registries.notification_kinds import (
    notification_kind,
    notification_kind_exists,
    notification_kind_keys,
    notification_kind_viewer_ids,
)
from alliance.registries.staff_counts import StaffCount, changelist_url
from alliance.registries.visibility import (
    viewer_ids,
    visible_get,
    visible_keys,
    visible_pks,
    visible_q,
)


def notification_list(
    *, recipient, unread_only: bool = False, kinds: Iterable[str] | None = None
) -> QuerySet[Notification]:
    """Return the notifications in the person's inbox, newest first: only those
    about what they may still see (see ``notification_still_visible``); only
    unread ones, or only those of some kinds (a group of kinds), if asked."""
    notifications = notification_still_visible(
        Notification.objects.filter(recipient=recipient, shown_at__isnull=False),
        user=recipient,
    )
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    if kinds is not None:
        notifications = notifications.filter(kind__in=list(kinds))
    return notifications.order_by("-created_at", "-id")


@dataclass
class InboxEntry:
    """One line of the inbox: a notification, or a bundle of similar ones (the
    same kind of news in the same week), shown as a heading that opens to them."""

    notification: Notification | None = None
    items: list[Notification] = field(default_factory=list)
    kind: str = ""
    week_start: dt.date | None = None
    heading: str = ""
    period: str = ""

    @property
    def unread_count(self) -> int:
        return sum(1 for n in self.items if n.read_at is None)


def _week_label(week_start: dt.date, today: dt.date) -> str:
    this_week = today - dt.timedelta(days=today.weekday())
    if week_start == this_week:
        return _("this week")
    if week_start == this_week - dt.timedelta(days=7):
        return _("last week")
    return _("in the week of %(date)s") % {
        "date": date_format(week_start, "SHORT_DATE_FORMAT")
    }


def notification_bundles(
    notifications: Iterable[Notification],
    *,
    bundle_kinds: Iterable[str],
    kind_labels: dict[str, object],
    now: dt.datetime | None = None,
) -> list[InboxEntry]:
    """Group the notifications (newest first) into the inbox's lines: those of a
    kind in ``bundle_kinds`` (news about what a person follows) that share a
    week in the reader's time zone become one bundle, placed where its newest
    one is; a bundle of one stays a single line. No queries."""
    bundle_kinds = set(bundle_kinds)
    today = timezone.localtime(now or timezone.now()).date()
    entries: list[InboxEntry] = []
    bundles: dict[tuple[str, dt.date], InboxEntry] = {}
    for notification in notifications:
        if notification.kind not in bundle_kinds:
            entries.append(InboxEntry(notification=notification))
            continue
        day = timezone.localtime(notification.created_at).date()
        week_start = day - dt.timedelta(days=day.weekday())
        key = (notification.kind, week_start)
        if key not in bundles:
            bundles[key] = InboxEntry(kind=notification.kind, week_start=week_start)
            entries.append(bundles[key])
        bundles[key].items.append(notification)
    for entry in entries:
        if entry.notification is not None:
            continue
        if len(entry.items) == 1:
            entry.notification = entry.items[0]
            entry.items = []
            continue
        count = len(entry.items)
        # "6 organizations joined": the heading the kind declares
        # (alliance.registries.notification_kinds), else "<label>: 6 notifications".
        phrase = (
            notification_kind(entry.kind).bundle_heading
            if notification_kind_exists(entry.kind)
            else None
        )
        if phrase is not None:
            entry.heading = phrase % {"count": count}
        else:
            entry.heading = ngettext(
                "%(kind)s: %(count)s notification",
                "%(kind)s: %(count)s notifications",
                count,
            ) % {"kind": kind_labels.get(entry.kind, entry.kind), "count": count}
        entry.period = _week_label(entry.week_start, today)
    return entries


# Read with the person signed in (alliance.registries.person_facts): how many
# notifications in their inbox are unread and the sum of their ids, "count:sum"
# ("" when none), unchecked against what they may still see. Any change to
# the unread ones (a new one, one read, the digest showing some) changes it.
UNREAD_STATE = "notifications.unread_state"


def _unread(notifications):
    return notifications.filter(shown_at__isnull=False, read_at__isnull=True)


def _unread_state():
    # "count:sum" of the unread notifications' ids (null when there are none).
    text = models.CharField()
    return Concat(
        Cast(Count("pk"), text), Value(":"), Cast(Sum("pk"), text), output_field=text
    )


def notification_unread_state_expression():
    """The person's (``OuterRef("pk")``) unread state, ``"count:sum"`` or null
    (a person fact)."""
    return Subquery(
        _unread(Notification.objects.filter(recipient=OuterRef("pk")))
        .order_by()
        .values("recipient")
        .annotate(state=_unread_state())
        .values("state")[:1],
        output_field=models.CharField(),
    )


def notification_unread_state_convert(value) -> str:
    return value or ""


def notification_unread_count(*, recipient) -> int:
    """Return how many of the notifications in the person's inbox are unread
    (of those ``notification_list`` shows).

    Every page asks this, so the answer is kept for the person under their
    unread state (``UNREAD_STATE``, read with the person: a new notification,
    one read or the digest showing some changes it) and the versions of every
    shared namespace (a write that changes what anyone may see bumps one); it
    is counted only when something is unread at all, by
    ``_unread_still_visible_count``."""
    state = memo_get(recipient, UNREAD_STATE)
    if state is None:
        unread = _unread(Notification.objects.filter(recipient=recipient))
        state = notification_unread_state_convert(
            unread.order_by().aggregate(state=_unread_state())["state"]
        )
    if not state:
        return 0
    return personal_value(
        namespaces_all(),
        person_id=recipient.pk,
        parts=("unread", state),
        compute=lambda: _unread_still_visible_count(recipient),
    )


def _unread_still_visible_count(recipient) -> int:
    """Count the unread notifications ``notification_list`` shows: their rows
    read, then what they are about checked with ``visible_keys``, a query per
    kind of object among them. The same filter in one query
    (``notification_still_visible``) costs 60-100 ms of Python to build at
    alliance scale (a condition per kind of object the apps register, issue
    19), paid by every person with something unread after any write."""
    rows = list(
        _unread(Notification.objects.filter(recipient=recipient))
        .filter(kind__in=notification_kind_keys())
        .values_list(
            "activity__target_type_id",
            "activity__target_id",
            "activity__audience_type_id",
            "activity__audience_id",
        )
    )
    if not rows:
        return 0
    keys = {(row[0], row[1]) for row in rows} | {(row[2], row[3]) for row in rows}
    visible = visible_keys(recipient, keys)
    return sum(
        1 for row in rows if (row[0], row[1]) in visible and (row[2], row[3]) in visible
    )


def notification_still_visible(
    notifications: QuerySet[Notification], *, user
) -> QuerySet[Notification]:
    """Keep the person's notifications whose activity's target and audience
    still exist and they may still see (they may have left the group, their
    organization may have lapsed, the object may be hidden or deleted since),
    as the apps decide (``alliance.registries.visibility``), and whose kind an
    app still registers. Filtered in the query: the count stays constant."""
    return notifications.filter(
        visible_q(
            user, type_field="activity__target_type", id_field="activity__target_id"
        ),
        visible_q(
            user,
            type_field="activity__audience_type",
            id_field="activity__audience_id",
        ),
        kind__in=notification_kind_keys(),
    )


def subscription_overview(*, user) -> list[dict]:
    """Return what the person follows or muted, explicitly or by belonging to it:
    ``{"target", "type_label", "state", "implicit", "subscription", "inherited"}``
    rows; ``inherited`` is the level the row takes from what its target belongs
    to (its working group, its focus area) while the person set none on it
    (see ``_inherited_levels``). A constant number of queries."""
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
    shown = subscription_visible_keys(explicit, user=user)
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
    _inherited_levels(rows, explicit, shown)
    grouped = defaultdict(list)
    for row in rows:
        grouped[str(row["type_label"])].append(row)
    return [
        {"type_label": label, "rows": sorted(items, key=lambda r: str(r["target"]))}
        for label, items in sorted(grouped.items())
    ]


def _inherited_levels(rows, explicit, shown) -> None:
    """Add to each row the level its target takes from what it belongs to (most
    specific first: its working group, then the group's focus area), when the
    person set a level there but none on the target itself: ``{"state",
    "source"}``, ``source`` None when the person may no longer see it (it is
    not named). A query per step and type of target."""
    levels = {(s.target_type_id, s.target_id): s.state for s in explicit}
    chains = audience_chains(row["target"] for row in rows if row["target"])
    for row in rows:
        row["inherited"] = None
        if row["target"] is None or row["subscription"] is not None:
            continue
        chain = chains.get((row["target"]._meta.label_lower, row["target"].pk), [])
        for parent in chain[1:]:
            key = (ContentType.objects.get_for_model(parent).pk, parent.pk)
            if key in levels:
                row["inherited"] = {
                    "state": levels[key],
                    "source": parent if key in shown else None,
                }
                break


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
    """Return which of the people may hear of the activity and which of them may
    no longer see its audience itself.

    They hear of it if they may see its audience and its target, as the apps
    that own them decide (``alliance.registries.visibility``), and the kind lets
    them (its ``viewer_ids`` or ``may_see``,
    ``alliance.registries.notification_kinds``). Nobody hears of an activity
    whose target is gone, nor of one of a kind no app registers any more. A
    constant number of queries, whatever the number of people."""
    user_ids = set(user_ids)
    audience = activity.audience
    sees_audience = viewer_ids(audience, user_ids)
    lost = user_ids - sees_audience
    target = activity.target
    if target is None or not notification_kind_exists(activity.kind):
        return set(), lost
    allowed = sees_audience if target == audience else viewer_ids(target, sees_audience)
    allowed = notification_kind_viewer_ids(
        activity.kind, target, allowed, people=_people
    )
    return allowed, lost


def _people(user_ids: set[int]):
    return get_user_model().objects.filter(pk__in=user_ids)


def activity_viewer_ids(activity: Activity, user_ids) -> set[int]:
    """Return which of the people may hear of the activity (see
    ``activity_viewers``)."""
    return activity_viewers(activity, user_ids)[0]


def activity_viewers_many(
    people_by_activity: dict[int, set[int]],
) -> dict[int, set[int]]:
    """Return, per activity id, which of the given people may still hear of it
    (see ``activity_viewers``): a few queries per activity, none per person (a
    digest batch asks it for the activities its people are due to read of)."""
    activities = Activity.objects.filter(
        pk__in=list(people_by_activity)
    ).prefetch_related("target", "audience")
    return {
        activity.pk: activity_viewers(activity, people_by_activity[activity.pk])[0]
        for activity in activities
    }


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


def _chain_levels(chain: list[models.Model], user_ids=None) -> dict[int, str]:
    """Return each person's level (watch, follow, mute) for the first object of
    ``chain`` they set one on (most specific first: a thing, its working group,
    the group's focus area); people who set none are left out. One query."""
    if not chain:
        return {}
    rank = {}
    where = Q()
    for position, obj in enumerate(chain):
        type_id = ContentType.objects.get_for_model(obj).pk
        rank[(type_id, obj.pk)] = position
        where |= Q(target_type_id=type_id, target_id=obj.pk)
    rows = Subscription.objects.filter(where)
    if user_ids is not None:
        user_ids = list(user_ids)
        if not user_ids:
            return {}
        rows = rows.filter(user_id__in=user_ids)
    best: dict[int, tuple[int, str]] = {}
    for user_id, type_id, target_id, state in rows.values_list(
        "user_id", "target_type_id", "target_id", "state"
    ):
        position = rank[(type_id, target_id)]
        if user_id not in best or position < best[user_id][0]:
            best[user_id] = (position, state)
    return {user_id: state for user_id, (_position, state) in best.items()}


def subscription_level_rows(*, user, targets: Iterable[models.Model]) -> list[dict]:
    """Return a row per target (the focus areas on the preferences page) with
    the person's explicit choice for it: ``{"target", "content_type", "state",
    "subscription"}``, ``state`` None where they set none. One query."""
    targets = list(targets)
    if not targets:
        return []
    keys = [(ContentType.objects.get_for_model(t), t) for t in targets]
    where = Q()
    for content_type, target in keys:
        where |= Q(target_type_id=content_type.pk, target_id=target.pk)
    chosen = {
        (s.target_type_id, s.target_id): s
        for s in Subscription.objects.filter(where, user=user)
    }
    rows = []
    for content_type, target in keys:
        subscription = chosen.get((content_type.pk, target.pk))
        rows.append(
            {
                "target": target,
                "content_type": content_type,
                "state": subscription.state if subscription else None,
                "subscription": subscription,
            }
        )
    return rows


def follower_ids(target: models.Model | None) -> set[int]:
    """Return who hears about ``target``: its implicit audience and explicit
    followers, minus those who muted it. A level set on what it belongs to
    (its working group, the group's focus area) counts where the person set
    none on the target itself: the most specific wins."""
    if target is None:
        return set()
    levels = _chain_levels(audience_chain(target))
    following = (Subscription.State.FOLLOW, Subscription.State.WATCH)
    follows = {user_id for user_id, state in levels.items() if state in following}
    mutes = {
        user_id for user_id, state in levels.items() if state == Subscription.State.MUTE
    }
    return (audience_member_ids(target) | follows) - mutes


def watcher_ids(activity: Activity, user_ids) -> set[int]:
    """Return which of the people watch the activity's audience, or what it
    belongs to without a level of their own on the audience (they get every
    activity about it by email at once); one query."""
    if activity.audience_type_id is None or not user_ids:
        return set()
    levels = _chain_levels(audience_chain(activity.audience), user_ids)
    return {
        user_id
        for user_id, state in levels.items()
        if state == Subscription.State.WATCH
    }


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
