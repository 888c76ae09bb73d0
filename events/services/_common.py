"""Helpers the event services share: locking, slugs, notification context."""

from django.db.models import QuerySet
from django.utils.text import slugify

from events.models import Event


def _locked(events: QuerySet) -> QuerySet:
    """Lock the event rows ``events`` selects until the transaction ends, so seats
    are never oversold (tests/events/test_concurrency_live.py replaces this to show
    the race without it)."""
    return events.select_for_update(of=("self",))


def event_lock(event_id: int) -> Event:
    """Return the event, its row locked until the transaction ends."""
    events = _locked(Event.objects.all())
    return events.select_related("working_group").get(pk=event_id)


def event_slug_unique(title: str, starts_at, *, exclude_pk: int | None = None) -> str:
    """Return a free slug made of the title and the start date."""
    base = slugify(f"{title}-{starts_at:%Y-%m-%d}")[:200].strip("-") or "event"
    taken = Event.objects.filter(slug__startswith=base)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    taken = set(taken.values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug = f"{base}-{n}"
        n += 1
    return slug


def event_context(event: Event, **extra) -> dict:
    """Return the JSON context a notification about the event renders from."""
    return {
        "title": event.title,
        "url": event.get_absolute_url(),
        "starts_at": event.starts_at.isoformat(),
        "ends_at": event.ends_at.isoformat(),
        "time_zone": str(event.time_zone),
        "format": event.format,
        "venue": event.venue,
        "group": event.working_group.name if event.working_group_id else "",
        **extra,
    }
