"""Registering for every future occurrence of a series in one step, and leaving
them all in one step.

Each occurrence's seat is taken as a single registration takes it: under the
occurrence's row lock (``select_for_update``), a confirmed seat while one is
free, else the waitlist. The occurrences are locked one after the other in the
order they start, the same order for every caller, so two people registering for
the same series never wait on each other in a cycle. Occurrences the person may
not see are left out without a word (nobody learns of what they may not see);
those that are cancelled or not taking registrations are skipped and reported.

The person's choice is kept as a ``SeriesRegistration``: occurrences generated
later (``event_series_extend`` runs the series ahead a few months at a time)
register them too, with a seat or a waitlist place as the occurrence allows,
without an email per meeting (they asked for all of them; the confirmation of
the series said so). Leaving the series ends that and cancels their upcoming
registrations; a single meeting left on its own page does not end it.
"""

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.cache import bump
from alliance.notifications.services.activities import activity_record
from events.models import Event, EventSeries, Registration, SeriesRegistration
from events.selectors import event_list_visible_to, event_viewer_ids
from events.services._common import event_context, event_lock
from events.services.registrations import (
    registration_add_locked,
    registration_check_open,
    registration_promote_waitlisted,
    user_registration_organization_id,
    waitlist_position,
)

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
ALREADY = "already"
CLOSED = "closed"


@dataclasses.dataclass
class SeriesOutcome:
    """What happened at each occurrence: ``(event, outcome)`` in start order,
    the outcome one of ``confirmed``, ``waitlisted``, ``already`` (registered
    before, left as it was) and ``closed`` (cancelled or not taking
    registrations)."""

    rows: list = dataclasses.field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for _event, value in self.rows if value == outcome)

    @property
    def confirmed(self) -> int:
        return self.count(CONFIRMED)

    @property
    def waitlisted(self) -> int:
        return self.count(WAITLISTED)

    @property
    def already(self) -> int:
        return self.count(ALREADY)

    @property
    def closed(self) -> int:
        return self.count(CLOSED)


def _series_lock(series_id: int) -> EventSeries:
    # Serializes with event_series_extend: an occurrence generated meanwhile
    # either sees the new series registration or is among the ones below.
    return EventSeries.objects.select_for_update().get(pk=series_id)


def _upcoming_occurrences(series: EventSeries, user, now):
    return list(
        event_list_visible_to(user)
        .filter(series_id=series.pk, starts_at__gt=now)
        .order_by("starts_at", "id")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def series_register(
    *, series: EventSeries, user, show_on_list: bool = False
) -> SeriesOutcome:
    """Register the person for every future occurrence of the series they may
    see, and for the occurrences generated later; return what happened at each.

    One confirmation is sent (for the first occurrence this call registered,
    with the totals); raise ``ValidationError`` when no occurrence takes
    registrations, leaving nothing written."""
    series = _series_lock(series.pk)
    now = timezone.now()
    organization_id = user_registration_organization_id(user)
    outcome = SeriesOutcome()
    first_new = None
    for pk in _upcoming_occurrences(series, user, now):
        event = event_lock(pk)
        try:
            registration_check_open(event, now)
        except ValidationError:
            outcome.rows.append((event, CLOSED))
            continue
        registration, created = registration_add_locked(
            event=event,
            user=user,
            organization_id=organization_id,
            show_on_list=show_on_list,
            now=now,
        )
        if not created:
            outcome.rows.append((event, ALREADY))
            continue
        outcome.rows.append((event, registration.status))
        if first_new is None:
            first_new = registration
    if not outcome.confirmed + outcome.waitlisted + outcome.already:
        raise ValidationError(
            _("None of the series' coming dates takes registrations now."),
            code="series_closed",
        )
    SeriesRegistration.objects.get_or_create(
        series=series,
        user=user,
        cancelled_at=None,
        defaults={"show_on_list": show_on_list, "created_at": now},
    )
    if first_new is not None:
        event = first_new.event
        activity_record(
            kind="registration_confirmed",
            target=event,
            actor=user,
            recipients=[user],
            context=event_context(
                event,
                status=first_new.status,
                position=waitlist_position(first_new),
                series_title=series.title,
                series_confirmed=outcome.confirmed,
                series_waitlisted=outcome.waitlisted,
            ),
        )
    return outcome


@dataclasses.dataclass
class SeriesLeaveOutcome:
    seats: int = 0
    waitlist_places: int = 0
    started: int = 0


@transaction.atomic
def series_leave(*, series: EventSeries, user) -> SeriesLeaveOutcome:
    """Cancel the person's registrations for the series' occurrences still to
    come (seats freed go to the first person waiting) and stop registering them
    for new ones; return how many seats and waitlist places they gave up."""
    series = _series_lock(series.pk)
    now = timezone.now()
    SeriesRegistration.objects.filter(
        series=series, user=user, cancelled_at__isnull=True
    ).update(cancelled_at=now)
    outcome = SeriesLeaveOutcome()
    rows = list(
        Registration.objects.filter(
            event__series_id=series.pk,
            event__starts_at__gt=now,
            user=user,
            status__in=Registration.ACTIVE_STATUSES,
        )
        .order_by("event__starts_at", "event_id")
        .values_list("pk", "event_id")
    )
    for pk, event_id in rows:
        # As registration_cancel does it, under the date's row lock; the status
        # is read again there (a waitlist place may have become a seat).
        event = event_lock(event_id)
        if event.has_started:
            outcome.started += 1
            continue
        mine = Registration.objects.filter(pk=pk)
        cancelled = {"status": Registration.Status.CANCELLED, "cancelled_at": now}
        if mine.filter(status=Registration.Status.CONFIRMED).update(**cancelled):
            outcome.seats += 1
            registration_promote_waitlisted(event=event)
        elif mine.filter(status=Registration.Status.WAITLISTED).update(**cancelled):
            outcome.waitlist_places += 1
    bump("events")  # QuerySet.update() sends no signal (alliance.core.cache)
    return outcome


def series_registrants_add(*, occurrence: Event, now) -> int:
    """Register the series' registrants who may see the new occurrence (the
    caller holds the series' row lock and has just created it); return how
    many. No email per occurrence: they registered for all of them."""
    if occurrence.status != Event.Status.PUBLISHED:
        return 0
    wanted = list(
        SeriesRegistration.objects.filter(
            series_id=occurrence.series_id,
            cancelled_at__isnull=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("id")
    )
    if not wanted:
        return 0
    event = event_lock(occurrence.pk)
    try:
        registration_check_open(event, now)
    except ValidationError:
        return 0
    may_see = event_viewer_ids(event, [row.user_id for row in wanted])
    added = 0
    for row in wanted:
        if row.user_id not in may_see:
            continue
        _registration, created = registration_add_locked(
            event=event,
            user=row.user,
            organization_id=user_registration_organization_id(row.user),
            show_on_list=row.show_on_list,
            now=now,
        )
        added += created
    return added
