"""Creating, changing, publishing and cancelling events and series."""

import datetime
import zoneinfo

from dateutil import rrule
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.dates import in_window, validate_in_window
from alliance.core.dispatch import dispatch_on_commit
from alliance.core.time_zones import validate_time_zone
from alliance.notifications.services.activities import activity_record
from alliance.registries.references import reference_available, reference_resolve
from events.models import Event, EventSeries, Registration, ShowcaseEntry
from events.selectors import event_registrant_users
from events.services._common import (
    event_context,
    event_lock,
    event_slug_unique,
)
from events.services.registrations import registration_promote_waitlisted
from events.services.series import series_registrants_add
from members.selectors import user_member_organizations

EVENT_FIELDS = (
    "title",
    "description",
    "kind",
    "focus_area",
    "working_group",
    "organization",
    "format",
    "venue",
    "address",
    "online_url",
    "starts_at",
    "ends_at",
    "time_zone",
    "capacity",
    "seats_per_organization",
    "registration_opens_at",
    "registration_closes_at",
    "visibility",
    "reminder_hours",
)
TIME_FIELDS = ("starts_at", "ends_at", "time_zone")
# An event created without an end lasts this long.
DEFAULT_DURATION = datetime.timedelta(hours=1)
# A change to any of these is news for the people registered.
NOTIFY_FIELDS = (
    "title",
    "starts_at",
    "ends_at",
    "time_zone",
    "format",
    "venue",
    "address",
    "online_url",
)
REMINDER_CHOICES = (168, 24, 1)
# A series may start this far in the past (a late entry of a running series);
# from further back it would create a meeting for every week since.
SERIES_MAX_PAST = datetime.timedelta(days=31)
# At most this many meetings are generated in one call (one request or one run
# of the periodic job); the job generates the rest on its next runs.
SERIES_MAX_PER_RUN = 60
SERIES_COPY_FIELDS = tuple(f for f in EVENT_FIELDS if f not in TIME_FIELDS)
# Queued by name (alliance.core.dispatch); events.tasks pins it.
CANCELLATION_NOTIFY_TASK = "events.tasks.event_cancellation_notify_task"


def _naive_local(moment: datetime.datetime, tz) -> datetime.datetime:
    return moment.astimezone(tz).replace(tzinfo=None)


def _aware(naive: datetime.datetime, tz) -> datetime.datetime:
    return naive.replace(tzinfo=tz).astimezone(datetime.UTC)


def _coerce(fields: dict) -> dict:
    if "time_zone" in fields:
        try:
            validate_time_zone(fields["time_zone"])
        except ValidationError as exc:
            raise ValidationError({"time_zone": exc.messages}) from exc
        if isinstance(fields["time_zone"], str):
            fields["time_zone"] = zoneinfo.ZoneInfo(fields["time_zone"])
    return fields


WINDOW_FIELDS = (
    "starts_at",
    "ends_at",
    "registration_opens_at",
    "registration_closes_at",
)


def _window_errors(values: dict) -> dict[str, list[str]]:
    """Return a field error for each date outside 1970–2100 (a moment near year
    9999 cannot be shown east of UTC)."""
    errors = {}
    for name, value in values.items():
        try:
            validate_in_window(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    return errors


def _validate(event: Event) -> None:
    # Checked first: the checks below and the pages compute with these dates.
    errors = _window_errors({name: getattr(event, name) for name in WINDOW_FIELDS})
    if errors:
        raise ValidationError(errors)
    if event.starts_at and event.ends_at and event.ends_at <= event.starts_at:
        errors.setdefault("ends_at", []).append(_("The end must be after the start."))
    if event.visibility == Event.Visibility.GROUP and not event.working_group_id:
        errors.setdefault("visibility", []).append(
            _("Choose a working group to limit the event to its members.")
        )
    if event.format in (Event.Format.IN_PERSON, Event.Format.HYBRID) and not (
        event.venue or event.address
    ):
        errors.setdefault("venue", []).append(
            _("Say where the event takes place (venue or address).")
        )
    opens, closes = event.registration_opens_at, event.registration_closes_at
    if opens and closes and closes <= opens:
        errors.setdefault("registration_closes_at", []).append(
            _("Registration must close after it opens.")
        )
    if closes and event.ends_at and closes > event.ends_at:
        errors.setdefault("registration_closes_at", []).append(
            _("Registration must close before the event ends.")
        )
    hours = event.reminder_hours
    if not isinstance(hours, list) or any(h not in REMINDER_CHOICES for h in hours):
        errors.setdefault("reminder_hours", []).append(
            _("Reminders can be sent 168, 24 or 1 hours before the start.")
        )
    if event.pk and event.capacity is not None:
        confirmed = Registration.objects.filter(
            event_id=event.pk, status=Registration.Status.CONFIRMED
        ).count()
        if event.capacity < confirmed:
            errors.setdefault("capacity", []).append(
                _(
                    "%(count)s people already have a seat: choose at least "
                    "%(count)s seats or cancel registrations first."
                )
                % {"count": confirmed}
            )
    if errors:
        raise ValidationError(errors)
    event.full_clean(exclude=["slug", "reminder_hours"])


def _showcase_set(event: Event, slugs) -> None:
    slugs = [slug.strip() for slug in slugs if slug and slug.strip()]
    slugs = list(dict.fromkeys(slugs))
    if slugs and not reference_available("catalog_entry"):
        raise ValidationError(
            {"showcase_entries": [_("The catalog is not available here.")]}
        )
    found = reference_resolve("catalog_entry", slugs)
    unknown = [slug for slug in slugs if slug not in found]
    if unknown:
        raise ValidationError(
            {
                "showcase_entries": [
                    _("No catalog entry has the address “%(slug)s”.") % {"slug": slug}
                    for slug in unknown
                ]
            }
        )
    # The list is replaced as a whole: one delete and one insert, not a query
    # per entry.
    ShowcaseEntry.objects.filter(event=event).delete()
    ShowcaseEntry.objects.bulk_create(
        ShowcaseEntry(event=event, entry_slug=slug, position=position)
        for position, slug in enumerate(slugs)
    )


def _series_rule(series: EventSeries) -> rrule.rrule:
    first = _naive_local(series.first_starts_at, series.time_zone)
    until = (
        datetime.datetime.combine(series.ends_on, datetime.time.max)
        if series.ends_on
        else None
    )
    if series.frequency == EventSeries.Frequency.MONTHLY:
        nth = (first.day - 1) // 7 + 1
        weekday = rrule.weekday(first.weekday(), -1 if nth == 5 else nth)
        return rrule.rrule(rrule.MONTHLY, dtstart=first, byweekday=weekday, until=until)
    interval = 2 if series.frequency == EventSeries.Frequency.BIWEEKLY else 1
    return rrule.rrule(rrule.WEEKLY, dtstart=first, interval=interval, until=until)


@transaction.atomic
def event_create(
    *,
    organizer,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime | None = None,
    showcase_entries=(),
    repeat: str = "",
    repeat_until: datetime.date | None = None,
    **fields,
) -> Event:
    """Create a draft event (ending ``DEFAULT_DURATION`` after its start unless
    ``ends_at`` says otherwise); with ``repeat`` also its series and the
    occurrences ahead."""
    if ends_at is None and isinstance(starts_at, datetime.datetime):
        ends_at = starts_at + DEFAULT_DURATION
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Not event fields: {', '.join(sorted(unknown))}")
    fields = _coerce(fields)
    event = Event(
        organizer=organizer, title=title, starts_at=starts_at, ends_at=ends_at
    )
    for name, value in fields.items():
        setattr(event, name, value)
    if event.organization_id is None and organizer is not None:
        event.organization = (
            user_member_organizations(organizer).order_by("name").first()
        )
    if event.working_group_id and not event.focus_area_id:
        event.focus_area_id = event.working_group.focus_area_id
    _validate(event)
    event.slug = event_slug_unique(title, event.local_starts_at)
    event.save()
    _showcase_set(event, showcase_entries)
    if repeat:
        if errors := _window_errors({"repeat_until": repeat_until}):
            raise ValidationError(errors)
        if event.starts_at < timezone.now() - SERIES_MAX_PAST:
            raise ValidationError(
                {
                    "starts_at": [
                        _(
                            "A series cannot start more than %(days)s days ago; "
                            "start it with its next meeting."
                        )
                        % {"days": SERIES_MAX_PAST.days}
                    ]
                }
            )
        if repeat not in EventSeries.Frequency.values:
            raise ValidationError({"repeat": [_("Choose how often it repeats.")]})
        if repeat_until and repeat_until < event.local_starts_at.date():
            raise ValidationError(
                {"repeat_until": [_("The series must end after its first meeting.")]}
            )
        series = EventSeries.objects.create(
            title=title,
            frequency=repeat,
            first_starts_at=event.starts_at,
            time_zone=event.time_zone,
            ends_on=repeat_until,
            generated_until=event.starts_at,
            created_by=organizer,
        )
        event.series = series
        event.occurrence_key = event.starts_at
        event.save(update_fields=["series", "occurrence_key"])
        event_series_extend(series=series)
    return event


@transaction.atomic
def event_series_extend(*, series: EventSeries, now=None) -> int:
    """Generate the series' occurrences up to the horizon, at most
    ``SERIES_MAX_PER_RUN`` of them; return how many."""
    series = EventSeries.objects.select_for_update().get(pk=series.pk)
    now = now or timezone.now()
    occurrences = series.occurrences.exclude(status=Event.Status.CANCELLED)
    template = (
        occurrences.filter(detached=False).order_by("-starts_at").first()
        or occurrences.order_by("-starts_at").first()
    )
    if template is None:
        return 0
    tz = series.time_zone
    horizon = now + datetime.timedelta(days=settings.EVENTS_SERIES_HORIZON_DAYS)
    start = series.generated_until or series.first_starts_at
    duration = _naive_local(template.ends_at, tz) - _naive_local(template.starts_at, tz)
    showcase = list(template.showcase_entries.values_list("entry_slug", flat=True))
    created = 0
    local_horizon = _naive_local(horizon, tz)
    for local_start in _series_rule(series).xafter(
        _naive_local(start, tz), count=SERIES_MAX_PER_RUN, inc=False
    ):
        if local_start >= local_horizon:
            break
        starts_at = _aware(local_start, tz)
        occurrence = Event(
            series=series,
            occurrence_key=starts_at,
            organizer=template.organizer,
            starts_at=starts_at,
            ends_at=_aware(local_start + duration, tz),
            time_zone=tz,
            status=(
                Event.Status.DRAFT
                if template.status == Event.Status.DRAFT
                else Event.Status.PUBLISHED
            ),
            published_at=None if template.status == Event.Status.DRAFT else now,
            **{name: getattr(template, name) for name in SERIES_COPY_FIELDS},
        )
        occurrence.slug = event_slug_unique(occurrence.title, local_start)
        occurrence.save()
        ShowcaseEntry.objects.bulk_create(
            [
                ShowcaseEntry(event=occurrence, entry_slug=slug, position=i)
                for i, slug in enumerate(showcase)
            ]
        )
        # Whoever registered for the whole series gets this meeting too.
        series_registrants_add(occurrence=occurrence, now=now)
        series.generated_until = starts_at
        created += 1
    series.save(update_fields=["generated_until"])
    return created


def event_series_extend_all(*, now=None) -> int:
    """Generate the occurrences ahead of every running series; return how many."""
    today = timezone.localdate()
    running = EventSeries.objects.exclude(ends_on__lt=today).values_list(
        "pk", flat=True
    )
    return sum(
        event_series_extend(series=EventSeries(pk=pk), now=now) for pk in running
    )


def _notify_changed(event: Event, changed: set[str], actor) -> None:
    if event.status != Event.Status.PUBLISHED or not changed & set(NOTIFY_FIELDS):
        return
    recipients = event_registrant_users(event)
    if recipients:
        activity_record(
            kind="event_changed",
            target=event,
            actor=actor,
            recipients=recipients,
            context=event_context(event, changed=sorted(changed & set(NOTIFY_FIELDS))),
        )


@transaction.atomic
def event_update(
    *, event: Event, actor, scope: str = "one", showcase_entries=None, **fields
) -> Event:
    """Change an event (``scope="following"``: also the rest of its series) and
    tell the people registered what changed."""
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Not event fields: {', '.join(sorted(unknown))}")
    fields = _coerce(fields)
    event = event_lock(event.pk)
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be changed."))
    if "ends_at" in fields and fields["ends_at"] is None:
        starts_at = fields.get("starts_at") or event.starts_at
        if isinstance(starts_at, datetime.datetime):
            fields["ends_at"] = starts_at + DEFAULT_DURATION
    old_tz = event.time_zone
    old_local_start = _naive_local(event.starts_at, old_tz)
    old_capacity, old_cap = event.capacity, event.seats_per_organization
    changed = {name for name, value in fields.items() if getattr(event, name) != value}
    for name in changed:
        setattr(event, name, fields[name])
    if (
        "working_group" in changed
        and event.working_group_id
        and "focus_area" not in fields
    ):
        event.focus_area_id = event.working_group.focus_area_id
    _validate(event)
    showcase_changed = showcase_entries is not None and list(showcase_entries) != list(
        event.showcase_entries.values_list("entry_slug", flat=True)
    )
    if not changed and not showcase_changed:
        return event
    following = scope == "following" and event.series_id is not None
    event.sequence += 1
    event.detached = bool(event.series_id) and not following
    event.save()
    if showcase_changed:
        _showcase_set(event, showcase_entries)
    if (
        (event.capacity or 0) > (old_capacity or 0)
        or old_cap != (event.seats_per_organization)
        or (old_capacity is not None and event.capacity is None)
    ):
        registration_promote_waitlisted(event=event)
    _notify_changed(event, changed, actor)
    if following:
        _update_following(
            event,
            changed=changed,
            actor=actor,
            delta=_naive_local(event.starts_at, event.time_zone) - old_local_start,
            showcase_entries=showcase_entries if showcase_changed else None,
        )
    return event


def _update_following(event, *, changed, actor, delta, showcase_entries) -> None:
    tz = event.time_zone
    duration = _naive_local(event.ends_at, tz) - _naive_local(event.starts_at, tz)
    times_changed = bool(changed & set(TIME_FIELDS))
    rest = (
        Event.objects.select_for_update()
        .filter(series_id=event.series_id, starts_at__gt=event.starts_at)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at")
    )
    for occurrence in rest:
        if times_changed:
            local = _naive_local(occurrence.starts_at, occurrence.time_zone) + delta
            occurrence.starts_at = _aware(local, tz)
            occurrence.ends_at = _aware(local + duration, tz)
            occurrence.time_zone = tz
            if not in_window(occurrence.ends_at):
                raise ValidationError(
                    {
                        "starts_at": [
                            _("Later meetings of the series would end after 2100.")
                        ]
                    }
                )
        for name in changed - set(TIME_FIELDS):
            setattr(occurrence, name, getattr(event, name))
        occurrence.focus_area_id = event.focus_area_id
        occurrence.sequence += 1
        occurrence.detached = False
        occurrence.save()
        if showcase_entries is not None:
            _showcase_set(occurrence, showcase_entries)
        _notify_changed(occurrence, changed, actor)
    series = EventSeries.objects.select_for_update().get(pk=event.series_id)
    series.title = event.title
    if times_changed:
        series.first_starts_at = _aware(
            _naive_local(series.first_starts_at, series.time_zone) + delta, tz
        )
        if series.generated_until:
            series.generated_until = _aware(
                _naive_local(series.generated_until, series.time_zone) + delta, tz
            )
        series.time_zone = tz
    series.save()


@transaction.atomic
def event_publish(*, event: Event, actor) -> Event:
    """Publish a draft (with the drafts of its series) and tell the group."""
    event = event_lock(event.pk)
    if event.status == Event.Status.PUBLISHED:
        return event
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(
            _("A cancelled event cannot be published again; create a new one.")
        )
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event is already over."))
    now = timezone.now()
    drafts = Event.objects.filter(pk=event.pk)
    if event.series_id:
        drafts = Event.objects.filter(
            series_id=event.series_id,
            status=Event.Status.DRAFT,
            starts_at__gte=event.starts_at,
        )
    for draft in drafts.select_for_update():
        draft.status = Event.Status.PUBLISHED
        draft.published_at = now
        draft.sequence += 1
        draft.save(update_fields=["status", "published_at", "sequence", "updated_at"])
    event.refresh_from_db()
    activity_record(
        kind="event_published",
        target=event,
        actor=actor,
        audience=event.working_group,
        context=event_context(
            event,
            repeats=event.series.get_frequency_display() if event.series_id else "",
        ),
    )
    return event


def _cancel_one(event: Event, *, reason: str, now) -> None:
    was_draft = event.status == Event.Status.DRAFT
    event.status = Event.Status.CANCELLED
    event.cancelled_at = now
    event.cancellation_reason = reason
    event.sequence += 1
    if was_draft:
        event.cancellation_notified_at = now
    event.save()
    if not was_draft:
        dispatch_on_commit(CANCELLATION_NOTIFY_TASK, event.pk)


@transaction.atomic
def event_cancel(*, event: Event, actor, reason: str = "", scope: str = "one") -> Event:
    """Cancel the event (``scope="following"``: and the rest of its series);
    everyone registered is told once, by a task."""
    event = event_lock(event.pk)
    now = timezone.now()
    if event.status != Event.Status.CANCELLED:
        _cancel_one(event, reason=reason, now=now)
    if scope == "following" and event.series_id:
        rest = (
            Event.objects.select_for_update()
            .filter(series_id=event.series_id, starts_at__gt=event.starts_at)
            .exclude(status=Event.Status.CANCELLED)
        )
        for occurrence in rest:
            _cancel_one(occurrence, reason=reason, now=now)
        series = EventSeries.objects.select_for_update().get(pk=event.series_id)
        series.ends_on = event.local_starts_at.date() - datetime.timedelta(days=1)
        series.save(update_fields=["ends_on"])
    return event


def event_cancellations_notify_pending(
    *, older_than: datetime.timedelta = datetime.timedelta(minutes=5), limit: int = 200
) -> int:
    """Send the cancellation notices whose task was lost (the broker was down
    when the event was cancelled); return how many people were told."""
    cutoff = timezone.now() - older_than
    pending = Event.objects.filter(
        status=Event.Status.CANCELLED,
        cancellation_notified_at__isnull=True,
        cancelled_at__lte=cutoff,
    ).values_list("pk", flat=True)[:limit]
    return sum(event_cancellation_notify(event_id=pk) for pk in pending)


@transaction.atomic
def event_cancellation_notify(*, event_id: int) -> int:
    """Tell everyone registered that the event was cancelled, once; return how
    many people were told."""
    event = (
        Event.objects.select_for_update(of=("self",))
        .select_related("working_group")
        .get(pk=event_id)
    )
    if event.status != Event.Status.CANCELLED or event.cancellation_notified_at:
        return 0
    recipients = event_registrant_users(event)
    activity_record(
        kind="event_cancelled",
        target=event,
        audience=event,
        recipients=recipients,
        context=event_context(event, reason=event.cancellation_reason),
    )
    event.cancellation_notified_at = timezone.now()
    event.save(update_fields=["cancellation_notified_at"])
    return len(recipients)
