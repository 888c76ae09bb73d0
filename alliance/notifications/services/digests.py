"""Digests: for each person whose digest is due at their local hour, one email with
what is new since their last digest in what they follow.

Who and when follows Discourse's digest job: the people due longest ago first,
a cap per run, batches of people locked with SKIP LOCKED so two runs never build
the same person's digest, and a unique (person, period) row so no person gets two
digests in one day or week, even if the job runs twice.
"""

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from alliance.notifications.models import (
    Activity,
    Delivery,
    Digest,
    Notification,
    NotificationSettings,
    OutboxEmail,
)
from alliance.notifications.selectors import activity_viewers_many
from alliance.notifications.services.emails import email_content_render, email_wrap
from alliance.notifications.services.outbox import outbox_build, outbox_dispatch
from alliance.notifications.services.preferences import (
    choices_for,
    digest_period,
    kind_group_of,
    kind_groups,
    next_digest_due,
    notification_settings_ensure,
)
from alliance.registries.digest_sections import digest_sections

DIGEST_BATCH = 500
DIGEST_RUN_CAP = 5000


def _pending_notifications(user_ids: list[int]) -> dict[int, list[dict]]:
    rows = (
        Notification.objects.filter(recipient_id__in=user_ids, digest__isnull=True)
        .filter(Q(delivery_email=Delivery.DIGEST) | Q(delivery_inbox=Delivery.DIGEST))
        .order_by("created_at", "pk")
        .values(
            "pk",
            "recipient_id",
            "activity_id",
            "kind",
            "title",
            "url",
            "created_at",
            "delivery_email",
            "delivery_inbox",
        )
    )
    pending = defaultdict(list)
    for row in rows:
        pending[row["recipient_id"]].append(row)
    return pending


def _still_visible(pending: dict[int, list[dict]]) -> dict[int, list[dict]]:
    """Keep, of each person's pending items, those about what they may still see
    (they may have left the group, their organization may have lapsed, the
    object may be hidden or deleted since the fan-out): a few queries per
    activity in the batch, none per person."""
    people_by_activity = defaultdict(set)
    for user_id, items in pending.items():
        for item in items:
            people_by_activity[item["activity_id"]].add(user_id)
    allowed = activity_viewers_many(people_by_activity)
    return {
        user_id: [
            item for item in items if user_id in allowed.get(item["activity_id"], ())
        ]
        for user_id, items in pending.items()
    }


def _following_groups(items: list[dict]) -> list[dict]:
    """Group a person's digest items under the preferences page's headings."""
    by_group = defaultdict(list)
    for item in items:
        by_group[kind_group_of(item["kind"])].append(item)
    return [
        {"title": label, "items": by_group[key]}
        for key, label, _kinds in kind_groups()
        if by_group.get(key)
    ]


def new_organizations_section(users: list, since: dict[int, dt.datetime]) -> dict:
    """Return, per person, the organizations that joined since their last digest
    (one query for the batch)."""
    if not since:
        return {}
    earliest = min(since.values())
    joined = list(
        Activity.objects.filter(kind="organization_joined", created_at__gt=earliest)
        .order_by("created_at")
        .values("pk", "created_at", "context")
    )
    people_by_activity = {
        row["pk"]: {user.pk for user in users if row["created_at"] > since[user.pk]}
        for row in joined
    }
    # An organization whose membership lapsed since is no longer news to those
    # who may not see it (a few queries per organization, none per person).
    allowed = activity_viewers_many(people_by_activity) if joined else {}
    result = {}
    for user in users:
        items = [
            {
                "activity_id": row["pk"],
                "name": row["context"].get("name", ""),
                "url": row["context"].get("url", ""),
            }
            for row in joined
            if row["created_at"] > since[user.pk]
            and user.pk in allowed.get(row["pk"], ())
        ]
        if items:
            result[user.pk] = items
    return result


def _digest_for(
    settings_row: NotificationSettings,
    *,
    now: dt.datetime,
    period: str,
    since: dt.datetime,
    pending: list[dict],
    extra: list[tuple],
) -> OutboxEmail | None:
    """Render one person's digest email, or return None when nothing is new."""
    user = settings_row.user
    email_items = [n for n in pending if n["delivery_email"] == Delivery.DIGEST]
    seen_activities = {n["activity_id"] for n in email_items}
    # The kinds a section with items covers are listed there only, not also
    # under their heading (new organizations, open action items).
    covered = {
        kind
        for section, items in extra
        if items and section.kinds
        for kind in section.kinds
    }
    listed = [n for n in email_items if n["kind"] not in covered]
    sections = []
    news = bool(email_items)
    for section, items in extra:
        if not section.kinds:
            items = [i for i in items if i.get("activity_id") not in seen_activities]
        if not items:
            continue
        news = news or section.news
        sections.append(
            {
                "title": section.title,
                "template_txt": f"{section.template}.txt",
                "template_html": f"{section.template}.html",
                "items": items,
            }
        )
    if not news or not user.email:
        return None
    context = {
        "person": user,
        "frequency": settings_row.digest_frequency,
        "since": since,
        "groups": _following_groups(listed),
        "sections": sections,
        "item_count": len(listed) + sum(len(s["items"]) for s in sections),
    }
    content = email_content_render(
        template="alliance/email/digest",
        context=context,
        language=user.language,
        time_zone=user.timezone,
    )
    rendered = email_wrap(
        content,
        language=user.language,
        time_zone=user.timezone,
        user_id=user.pk,
        scope="digest",
    )
    email = outbox_build(
        key=f"digest:{user.pk}:{period}",
        to=user.email,
        rendered=rendered,
        language=user.language,
        user_id=user.pk,
    )
    email.created_at = now
    email.item_count = context["item_count"]
    return email


def _digest_build(rows: list[NotificationSettings], now: dt.datetime) -> dict:
    """Render the digest of each of a batch of people as it would go out at
    ``now`` (None when nothing is new), from what waits for it and the
    registered sections; writes nothing (a constant number of queries). The
    run and the preview page both use it, so the preview is what is sent."""
    users = [row.user for row in rows]
    user_ids = [user.pk for user in users]
    periods = {
        row.user_id: digest_period(
            frequency=row.digest_frequency, moment=now, time_zone=row.user.timezone
        )
        for row in rows
    }
    since = {row.user_id: row.last_digest_at or row.created_at for row in rows}
    pending = _pending_notifications(user_ids)
    visible = _still_visible(pending)
    sections = digest_sections()
    extra = {section.name: section.items(users, since) for section in sections}
    # A section that covers kinds of notification is left out for those who
    # turned those kinds' email off (one query per such kind).
    frequencies = {row.user_id: row.digest_frequency for row in rows}
    email_off = defaultdict(set)
    for kind in {kind for section in sections for kind in section.kinds}:
        for user_id, choice in choices_for(
            user_ids=user_ids, kind=kind, frequencies=frequencies
        ).items():
            if choice.email == Delivery.OFF:
                email_off[user_id].add(kind)
    built = {}
    for row in rows:
        user_id = row.user_id
        mine = visible.get(user_id, [])
        built[user_id] = {
            "period": periods[user_id],
            "since": since[user_id],
            # All that waited is done with; only what they may still see is shown.
            "pending": pending.get(user_id, []),
            "visible": mine,
            "email": _digest_for(
                row,
                now=now,
                period=periods[user_id],
                since=since[user_id],
                pending=mine,
                extra=[
                    (section, extra[section.name].get(user_id, []))
                    for section in sections
                    if not set(section.kinds) & email_off[user_id]
                ],
            ),
        }
    return built


def digest_preview(*, user, now: dt.datetime | None = None) -> dict:
    """Return the person's digest as it would be sent now, built by the same code
    as the run: ``{"email": OutboxEmail or None, "since", "period",
    "frequency"}``. Nothing is written, sent or marked."""
    now = now or timezone.now()
    row = NotificationSettings.objects.filter(user=user).first()
    if row is None:
        row = NotificationSettings(user=user, created_at=now)
    row.user = user
    built = _digest_build([row], now)[user.pk]
    return {
        "email": built["email"],
        "since": built["since"],
        "period": built["period"],
        "frequency": row.digest_frequency,
        "next_digest_at": row.next_digest_at,
    }


def _digest_batch(rows: list[NotificationSettings], now: dt.datetime) -> dict:
    """Build and queue the digests of one batch of people (a constant number of
    queries)."""
    user_ids = [row.user_id for row in rows]
    built = _digest_build(rows, now)
    existing = set(
        Digest.objects.filter(
            user_id__in=user_ids, period__in={b["period"] for b in built.values()}
        ).values_list("user_id", "period")
    )
    emails, digests, digest_notification_ids = [], [], []
    for row in rows:
        user_id = row.user_id
        row.next_digest_at = next_digest_due(
            frequency=row.digest_frequency,
            hour=row.digest_hour,
            weekday=row.digest_weekday,
            time_zone=row.user.timezone,
            after=now,
        )
        period, since, mine = (
            built[user_id]["period"],
            built[user_id]["since"],
            built[user_id]["visible"],
        )
        if (user_id, period) in existing:
            continue
        email = built[user_id]["email"]
        if email is None and not any(
            n["delivery_inbox"] == Delivery.DIGEST for n in mine
        ):
            continue
        digests.append(
            Digest(
                user_id=user_id,
                period=period,
                frequency=row.digest_frequency,
                since=since,
                item_count=getattr(email, "item_count", 0),
                created_at=now,
            )
        )
        # What the person may no longer see is left out of the digest but done
        # with too (the inbox keeps hiding it while they may not see it).
        digest_notification_ids.extend(n["pk"] for n in built[user_id]["pending"])
        row.last_digest_at = now
        if email is not None:
            emails.append(email)
    email_ids = {}
    if emails:
        OutboxEmail.objects.bulk_create(emails, ignore_conflicts=True)
        email_ids = dict(
            OutboxEmail.objects.filter(key__in=[e.key for e in emails]).values_list(
                "user_id", "pk"
            )
        )
    for digest in digests:
        digest.email_id = email_ids.get(digest.user_id)
    if digests:
        Digest.objects.bulk_create(digests, ignore_conflicts=True)
    if digest_notification_ids:
        Notification.objects.filter(pk__in=digest_notification_ids).update(
            digest_id=Subquery(
                Digest.objects.filter(
                    user_id=OuterRef("recipient_id"), created_at=now
                ).values("pk")[:1]
            ),
            shown_at=Case(
                When(
                    delivery_inbox=Delivery.DIGEST,
                    shown_at__isnull=True,
                    then=Value(now),
                ),
                default=F("shown_at"),
            ),
        )
    NotificationSettings.objects.bulk_update(rows, ["next_digest_at", "last_digest_at"])
    outbox_dispatch(sorted(email_ids.values()))
    return {"people": len(rows), "digests": len(digests), "emails": len(email_ids)}


def digest_settings_ensure(*, limit: int = 2000) -> int:
    """Give active people without digest settings the default schedule."""
    User = get_user_model()
    created = 0
    for _round in range(1000):
        people = list(
            User.objects.filter(
                is_active=True, notification_settings__isnull=True
            ).only("pk", "timezone")[:limit]
        )
        if not people:
            return created
        created += notification_settings_ensure(users=people)
    return created


def digest_run(
    *,
    limit: int = DIGEST_RUN_CAP,
    batch_size: int = DIGEST_BATCH,
    now: dt.datetime | None = None,
) -> dict:
    """Build and queue the due digests, oldest due first, at most ``limit``
    people in this run; return counts (people, digests, emails, batches)."""
    now = now or timezone.now()
    digest_settings_ensure()
    totals = {"people": 0, "digests": 0, "emails": 0, "batches": 0}
    while totals["people"] < limit:
        with transaction.atomic():
            rows = list(
                NotificationSettings.objects.select_for_update(
                    skip_locked=True, of=("self",)
                )
                .filter(next_digest_at__lte=now, user__is_active=True)
                .exclude(digest_frequency=NotificationSettings.Frequency.NEVER)
                .select_related("user")
                .order_by("next_digest_at", "pk")[
                    : min(batch_size, limit - totals["people"])
                ]
            )
            if not rows:
                break
            result = _digest_batch(rows, now)
        totals["batches"] += 1
        for key in ("people", "digests", "emails"):
            totals[key] += result[key]
    return totals
