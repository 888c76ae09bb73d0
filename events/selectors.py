"""Every non-trivial read of events, with the visibility rules applied."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.cache import personal_value
from alliance.core.queries import count_of
from alliance.core.search import search_match
from alliance.registries.organization_effects import OrganizationEffect
from alliance.registries.staff_counts import StaffCount, changelist_url
from alliance.working_groups.selectors import (
    chaired_group_ids_subquery,
    member_group_ids_subquery,
    user_group_ids,
    working_group_member_ids,
)
from events.models import CalendarToken, Event, Registration, SeriesRegistration
from members.selectors import member_ids_among, staff_ids_among, user_is_member

VISIBLE_STATUSES = (Event.Status.PUBLISHED, Event.Status.CANCELLED)
# What a list of events shows (the list page, the home and focus-area panels)
# comes from these shared-cache namespaces (alliance.core.cache), bumped by
# their models' writes: a cached list is dropped when any of them changes.
EVENT_LIST_NAMESPACES = ("events", "groups", "organizations", "focus_areas")

# A condition every event meets. An empty ``Q()`` is not one: combined with
# ``|`` it is dropped, so ``visible | Q()`` would match no more than ``visible``.
EVERY_EVENT = Q(pk__isnull=False)


def event_audience_q(user) -> Q:
    """Return the condition for events whose audience includes the person."""
    if getattr(user, "is_staff", False):
        return EVERY_EVENT
    condition = Q(visibility=Event.Visibility.PUBLIC)
    if not getattr(user, "is_authenticated", False):
        return condition
    if user_is_member(user):
        condition |= Q(visibility=Event.Visibility.MEMBERS)
    condition |= Q(
        visibility=Event.Visibility.GROUP,
        working_group_id__in=member_group_ids_subquery(user),
    )
    # Whoever is registered keeps seeing the event, also after leaving the group.
    condition |= Q(
        Exists(
            Registration.objects.filter(
                event=OuterRef("pk"),
                user=user,
                status__in=Registration.ACTIVE_STATUSES,
            )
        )
    )
    return condition


def event_manage_q(user) -> Q | None:
    """Return the condition for events the person may manage (None: none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    if user.is_staff:
        return EVERY_EVENT
    chaired = Q(working_group_id__in=chaired_group_ids_subquery(user))
    # An organizer's powers last while they belong to an active member
    # organization (a chair's while their seat's organization is active).
    return Q(organizer=user) | chaired if user_is_member(user) else chaired


def event_list_visible_to(user) -> QuerySet[Event]:
    """Return the events the person may see: published or cancelled ones for their
    audience, and the drafts they manage."""
    visible = Q(status__in=VISIBLE_STATUSES) & event_audience_q(user)
    manage = event_manage_q(user)
    if manage is not None:
        visible |= manage
    return Event.objects.filter(visible)


def event_list_followable_by(user) -> QuerySet[Event]:
    """Return the events the person may follow and hear of: published or
    cancelled ones for their audience (never drafts, not even their own)."""
    return Event.objects.filter(Q(status__in=VISIBLE_STATUSES) & event_audience_q(user))


def event_viewer_ids(event: Event, user_ids) -> set[int]:
    """Return which of the people may hear of the event (the batch form of
    ``event_list_followable_by``; a constant number of queries): staff always;
    for a published or cancelled event its audience and whoever is registered."""
    user_ids = set(user_ids)
    viewers = staff_ids_among(user_ids)
    if event.status not in VISIBLE_STATUSES:
        return viewers
    if event.visibility == Event.Visibility.PUBLIC:
        return user_ids
    if event.visibility == Event.Visibility.MEMBERS:
        viewers |= member_ids_among(user_ids)
    elif event.working_group_id:
        viewers |= set(working_group_member_ids(group_ids=[event.working_group_id]))
    viewers |= set(
        Registration.objects.filter(
            event_id=event.pk,
            user_id__in=list(user_ids),
            status__in=Registration.ACTIVE_STATUSES,
        ).values_list("user_id", flat=True)
    )
    return viewers & user_ids


def _with_counts(events: QuerySet[Event], user) -> QuerySet[Event]:
    confirmed = Registration.objects.filter(
        event=OuterRef("pk"), status=Registration.Status.CONFIRMED
    )
    waiting = Registration.objects.filter(
        event=OuterRef("pk"), status=Registration.Status.WAITLISTED
    )

    events = events.annotate(
        confirmed_count=count_of(confirmed), waitlist_count=count_of(waiting)
    )
    if getattr(user, "is_authenticated", False):
        mine = Registration.objects.filter(
            event=OuterRef("pk"), user=user, status__in=Registration.ACTIVE_STATUSES
        )
        events = events.annotate(my_status=Subquery(mine.values("status")[:1]))
    else:
        events = events.annotate(my_status=Value(None, output_field=CharField()))
    return events


def event_list(
    user, *, when: str = "upcoming", now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """Return the events the person may see, upcoming (soonest first) or past
    (latest first), with seat counts and the person's own registration."""
    now = now or timezone.now()
    events = event_list_visible_to(user).select_related(
        "focus_area", "working_group", "organization", "series"
    )
    if when == "past":
        events = events.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    elif when == "upcoming":
        events = events.filter(ends_at__gte=now).order_by("starts_at", "id")
    return _with_counts(events, user)


# --- the event list shared per audience ---------------------------------------
#
# What most readers of the event list see is the same for everyone of their
# *audience*: visitors and signed-in people outside member organizations see the
# public events, members also the members-only ones, staff every event. The
# pages and the API cache that list per audience (``alliance.core.cache``) and
# lay over it what is the person's own (``event_list_mine``). A person who may
# see events beyond their audience's (their groups' events, events they
# registered for after leaving, drafts they manage) gets their list read for
# them alone whenever such an event falls in the list's time span
# (``event_list_beyond_audience``). Both questions are one query
# (``event_list_mine``).


def event_list_audience(user) -> str:
    """Return the person's audience of the event list: "staff", "member"
    (belongs to an active member organization) or "public"."""
    if getattr(user, "is_staff", False):
        return "staff"
    if getattr(user, "is_authenticated", False) and user_is_member(user):
        return "member"
    return "public"


def _audience_q(audience: str, *, group_id: int | None = None) -> Q:
    """Return the condition for the events every reader of ``audience`` sees
    (by ``event_list_visible_to``, each of them sees at least these); with
    ``group_id``, every reader of ``audience`` who is an active member of that
    group: its group-only events too."""
    if audience == "staff":
        return EVERY_EVENT
    shown = [Event.Visibility.PUBLIC]
    if audience == "member":
        shown.append(Event.Visibility.MEMBERS)
    condition = Q(status__in=VISIBLE_STATUSES, visibility__in=shown)
    if group_id is not None:
        condition |= Q(
            status__in=VISIBLE_STATUSES,
            visibility=Event.Visibility.GROUP,
            working_group_id=group_id,
        )
    return condition


def _when_q(when: str, now: datetime.datetime) -> Q:
    if when == "past":
        return Q(ends_at__lt=now)
    if when == "upcoming":
        return Q(ends_at__gte=now)
    return EVERY_EVENT


def event_list_for_audience(
    audience: str,
    *,
    when: str = "upcoming",
    now: datetime.datetime | None = None,
    group_id: int | None = None,
    also: tuple = (),
) -> QuerySet[Event]:
    """Return ``event_list`` as every reader of ``audience`` sees it: the events
    of the audience only (``group_id``: and that group's group-only events, for
    its members; ``also``: and the events of these ids, for the readers who see
    just these beyond the audience's, ``EventListMine.beyond_ids``), with seat
    counts and nobody's registration."""
    now = now or timezone.now()
    shown = _audience_q(audience, group_id=group_id)
    if also:
        shown |= Q(pk__in=list(also))
    events = (
        Event.objects.filter(shown)
        .filter(_when_q(when, now))
        .select_related("focus_area", "working_group", "organization", "series")
    )
    if when == "past":
        events = events.order_by("-starts_at", "-id")
    elif when == "upcoming":
        events = events.order_by("starts_at", "id")
    return _with_counts(events, None)


def event_list_beyond_audience(
    user,
    *,
    when: str = "upcoming",
    now: datetime.datetime | None = None,
    group_id: int | None = None,
) -> QuerySet[Event]:
    """Return the events the person may see beyond those of their audience
    (``event_list_audience``; with ``group_id``, of their audience's members of
    that group, as ``event_list_for_audience`` reads it) within ``when``:
    ``event_list_visible_to(user)`` less the audience's events, namely their
    groups' group-only events, the events they are registered for and those
    they manage. When there is none, the person's list is their audience's. A
    part of one query (``event_list_mine``)."""
    audience = event_list_audience(user)
    if audience == "staff" or not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    own = Q(
        status__in=VISIBLE_STATUSES,
        visibility=Event.Visibility.GROUP,
        working_group_id__in=member_group_ids_subquery(user),
    ) | Q(
        status__in=VISIBLE_STATUSES,
        pk__in=Registration.objects.filter(
            user=user, status__in=Registration.ACTIVE_STATUSES
        ).values("event_id"),
    )
    own |= event_manage_q(user)
    return (
        Event.objects.filter(own)
        .exclude(_audience_q(audience, group_id=group_id))
        .filter(_when_q(when, now or timezone.now()))
    )


@dataclass(frozen=True)
class EventListMine:
    """What is the person's own about a list read for their audience."""

    statuses: dict  # event id -> their active registration's status
    series_ids: frozenset  # the series they registered for as a whole
    beyond: bool  # whether they see events beyond their audience's list
    managed: frozenset = frozenset()  # the listed events they may manage
    # The ids of the events beyond (sorted; at most ``beyond_ids`` of them).
    beyond_ids: tuple = ()


NOTHING_MINE = EventListMine({}, frozenset(), False)


@dataclass(frozen=True)
class EventsOwn:
    """What the person has of their own among all events, past and coming:
    whether ``event_list_mine`` can find anything for them at all."""

    registered: bool  # an active registration, or one for a whole series
    beyond: bool  # an event beyond their audience's (event_list_beyond_audience)
    # The ids of the events they may manage (event_manage_q); None: every event.
    managed: frozenset | None = frozenset()


def _event_list_own_read(user) -> EventsOwn:
    checks = {
        "seat": Exists(
            Registration.objects.filter(
                user=user, status__in=Registration.ACTIVE_STATUSES
            )
        ),
        "series": Exists(
            SeriesRegistration.objects.filter(user=user, cancelled_at__isnull=True)
        ),
        "beyond": Exists(event_list_beyond_audience(user, when="all")),
    }
    found = get_user_model().objects.filter(pk=user.pk).order_by().values(
        **checks
    ).first() or dict.fromkeys(checks, False)
    manage = event_manage_q(user)
    if manage is EVERY_EVENT:
        managed = None
    elif manage is None:
        managed = frozenset()
    else:
        managed = frozenset(
            Event.objects.filter(manage).order_by().values_list("pk", flat=True)
        )
    return EventsOwn(
        registered=bool(found["seat"] or found["series"]),
        beyond=bool(found["beyond"]),
        managed=managed,
    )


def event_list_own(user) -> EventsOwn:
    """Return what the person has of their own among events (two queries, kept
    for them until a write to events, groups or organizations: a seat, a
    membership, a chair, a lapsed organization; ``personal_value``). None of it
    holds for nearly everyone, whose lists are then their audience's alone,
    with nothing to lay over them."""
    return personal_value(
        EVENT_LIST_NAMESPACES,
        person_id=user.pk,
        parts=("events_own",),
        compute=lambda: _event_list_own_read(user),
    )


def event_list_mine(
    user,
    *,
    event_ids=(),
    series_ids=(),
    beyond: QuerySet[Event] | Callable[[], QuerySet[Event]] | None = None,
    managed: bool = False,
    beyond_ids: int = 1,
) -> EventListMine:
    """Return the person's registrations among ``event_ids``, their whole-series
    registrations among ``series_ids``, whether ``beyond`` (from
    ``event_list_beyond_audience``, or a callable returning it, called only
    when they see any event beyond their audience's) holds an event and
    (``managed``) which of ``event_ids`` they may manage (from
    ``event_list_own``, no query), and the ids of up to ``beyond_ids`` of
    the events beyond: one query, none for a visitor, and none for a person
    with no registration and nothing beyond their audience's anywhere."""
    if not getattr(user, "is_authenticated", False):
        return NOTHING_MINE
    own = event_list_own(user)
    if beyond is None or not own.beyond:
        beyond = None
    elif callable(beyond):
        beyond = beyond()
    manages = frozenset()
    if managed:
        manages = frozenset(
            pk for pk in event_ids if own.managed is None or pk in own.managed
        )
    if not (own.registered or beyond is not None):
        return EventListMine({}, frozenset(), False, manages)
    text = CharField()
    parts = []
    if own.registered:
        parts.append(
            Registration.objects.filter(
                user=user,
                status__in=Registration.ACTIVE_STATUSES,
                event_id__in=list(event_ids),
            )
            .order_by()
            .values_list(Value("r", output_field=text), "event_id", "status")
        )
        parts.append(
            SeriesRegistration.objects.filter(
                user=user, cancelled_at__isnull=True, series_id__in=list(series_ids)
            )
            .order_by()
            .values_list(
                Value("s", output_field=text), "series_id", Value("", output_field=text)
            )
        )
    if beyond is not None:
        # ``beyond_ids`` rows at most: the LIMIT goes in a subquery, as SQLite
        # allows none on a part of a UNION.
        parts.append(
            Event.objects.filter(pk__in=beyond.order_by().values("pk")[:beyond_ids])
            .order_by()
            .values_list(
                Value("b", output_field=text), "pk", Value("", output_field=text)
            )
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    statuses, series, found_beyond = {}, set(), []
    for kind, pk, status in rows:
        if kind == "r":
            statuses[pk] = status
        elif kind == "s":
            series.add(pk)
        else:
            found_beyond.append(pk)
    return EventListMine(
        statuses,
        frozenset(series),
        bool(found_beyond),
        manages,
        tuple(sorted(found_beyond)),
    )


def event_list_one_per_series(
    events: QuerySet[Event], user, *, latest: bool = False
) -> QuerySet[Event]:
    """Keep one item per series in ``events`` (a list from ``event_list``, filtered
    as the page or API filters it): its first occurrence among them (``latest``:
    its last), annotated with ``series_more`` (how many other occurrences of the
    series ``events`` holds) and ``my_series`` (whether the person registered for
    the whole series). Events without a series stay as they are. Two subqueries,
    so the query count stays constant."""
    plain = events.order_by().values("pk")
    same_series = Event.objects.filter(
        pk__in=plain, series_id=OuterRef("series_id")
    ).exclude(pk=OuterRef("pk"))
    if latest:
        before = Q(starts_at__gt=OuterRef("starts_at")) | Q(
            starts_at=OuterRef("starts_at"), pk__gt=OuterRef("pk")
        )
    else:
        before = Q(starts_at__lt=OuterRef("starts_at")) | Q(
            starts_at=OuterRef("starts_at"), pk__lt=OuterRef("pk")
        )
    events = events.filter(Q(series__isnull=True) | ~Exists(same_series.filter(before)))
    events = events.annotate(series_more=count_of(same_series))
    if getattr(user, "is_authenticated", False):
        mine = SeriesRegistration.objects.filter(
            series_id=OuterRef("series_id"), user=user, cancelled_at__isnull=True
        )
        return events.annotate(my_series=Exists(mine))
    return events.annotate(my_series=Value(False))


def series_occurrences_upcoming(event: Event, user, *, limit: int = 12) -> list[Event]:
    """Return the coming occurrences of the event's series the person may see
    (the event included), soonest first, with the person's registration status
    as ``my_status``; at most ``limit``. One query."""
    if not event.series_id:
        return []
    return list(
        _with_counts(
            event_list_visible_to(user).filter(
                series_id=event.series_id,
                ends_at__gte=timezone.now(),
                status__in=VISIBLE_STATUSES,
            ),
            user,
        ).order_by("starts_at", "id")[:limit]
    )


def series_registration_active(series_id: int | None, user) -> bool:
    """Return whether the person registered for the whole series."""
    if not series_id or not getattr(user, "is_authenticated", False):
        return False
    return SeriesRegistration.objects.filter(
        series_id=series_id, user=user, cancelled_at__isnull=True
    ).exists()


def event_visible(user, *, slug: str) -> Event:
    """Return the event (without counts) if the person may see it, or raise
    ``Event.DoesNotExist``."""
    return event_list_visible_to(user).get(slug=slug)


def event_detail(user, *, slug: str) -> Event:
    """Return the event the person may see, or raise ``Event.DoesNotExist``."""
    return (
        _with_counts(event_list_visible_to(user), user)
        .select_related("focus_area", "working_group", "organization", "organizer")
        .get(slug=slug)
    )


def event_in_range(user, *, start, end) -> QuerySet[Event]:
    """Return the events the person may see that start within [start, end)."""
    return (
        event_list(user, when="all")
        .filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at", "id")
    )


def registration_for(user, event: Event) -> Registration | None:
    """Return the person's active registration for the event, with its waitlist
    position, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    registration = (
        Registration.objects.filter(
            event=event, user=user, status__in=Registration.ACTIVE_STATUSES
        )
        .annotate(position=_position_subquery())
        .first()
    )
    return registration


def _position_subquery():
    ahead = Registration.objects.filter(
        event=OuterRef("event"),
        status=Registration.Status.WAITLISTED,
        id__lte=OuterRef("id"),
    )
    return Case(
        When(
            status=Registration.Status.WAITLISTED,
            then=count_of(ahead),
        ),
        default=None,
        output_field=IntegerField(),
    )


def event_attendees(event: Event) -> QuerySet[Registration]:
    """Return everyone registered (confirmed, then the waitlist in order), for the
    organizers: with each person's address as ``shared_email`` only if they
    chose to show it (their profile's "show my email address"), else ""."""
    return (
        Registration.objects.filter(
            event=event, status__in=Registration.ACTIVE_STATUSES
        )
        .select_related("user", "organization")
        .annotate(
            position=_position_subquery(),
            shared_email=Case(
                When(user__show_email=True, then=F("user__email")),
                default=Value(""),
                output_field=CharField(),
            ),
        )
        .order_by("status", "id")
    )


def event_attendees_public(event: Event) -> QuerySet[Registration]:
    """Return the confirmed attendees who chose to appear on the list."""
    return (
        Registration.objects.filter(
            event=event, status=Registration.Status.CONFIRMED, show_on_list=True
        )
        .select_related("user", "organization")
        .order_by("user__name", "id")
    )


def user_registrations(user, *, upcoming: bool = True) -> QuerySet[Registration]:
    """Return the person's active registrations with events and waitlist
    positions."""
    now = timezone.now()
    rows = (
        Registration.objects.filter(user=user, status__in=Registration.ACTIVE_STATUSES)
        .select_related("event", "event__working_group")
        .annotate(position=_position_subquery())
    )
    if upcoming:
        return rows.filter(event__ends_at__gte=now).order_by("event__starts_at")
    return rows.filter(event__ends_at__lt=now).order_by("-event__starts_at")


def user_organized_events(user) -> QuerySet[Event]:
    """Return the upcoming events the person manages."""
    manage = event_manage_q(user)
    if manage is None:
        return Event.objects.none()
    return _with_counts(
        Event.objects.filter(manage, ends_at__gte=timezone.now())
        .select_related("working_group")
        .order_by("starts_at"),
        user,
    )


def calendar_events_for_user(user, *, since=None) -> QuerySet[Event]:
    """Return what the person's calendar feed holds: events they registered for
    or manage and their groups' events (also cancelled ones, marked so)."""
    since = since or timezone.now() - datetime.timedelta(days=90)
    registered = Exists(
        Registration.objects.filter(
            event=OuterRef("pk"), user=user, status__in=Registration.ACTIVE_STATUSES
        )
    )
    mine = Q(registered) | Q(
        working_group_id__in=user_group_ids(user), status__in=VISIBLE_STATUSES
    )
    manage = event_manage_q(user)
    if manage is not None and not user.is_staff:
        mine |= manage & ~Q(status=Event.Status.DRAFT)
    return (
        event_list_visible_to(user)
        .filter(mine, ends_at__gte=since)
        .exclude(status=Event.Status.DRAFT)
        .select_related("working_group", "organizer")
        .annotate(
            my_status=Subquery(
                Registration.objects.filter(
                    event=OuterRef("pk"),
                    user=user,
                    status__in=Registration.ACTIVE_STATUSES,
                ).values("status")[:1]
            )
        )
        .order_by("starts_at")
    )


def calendar_token_key(user) -> str | None:
    """Return the key of the person's calendar feed address, if they have one."""
    return CalendarToken.objects.filter(user=user).values_list("key", flat=True).first()


def calendar_events_for_group(group, user, *, since=None) -> QuerySet[Event]:
    """Return the group's events that the person (or a visitor) may see."""
    since = since or timezone.now() - datetime.timedelta(days=90)
    return (
        event_list_visible_to(user)
        .filter(working_group=group, ends_at__gte=since)
        .exclude(status=Event.Status.DRAFT)
        .select_related("working_group", "organizer")
        .order_by("starts_at")
    )


def event_registrant_ids(event: Event) -> list[int]:
    """Return the ids of the people registered (confirmed or waiting)."""
    return list(
        Registration.objects.filter(
            event=event, status__in=Registration.ACTIVE_STATUSES
        ).values_list("user_id", flat=True)
    )


def event_registrant_users(
    event: Event, *, statuses=Registration.ACTIVE_STATUSES, exclude=None
) -> list:
    """Return the active people registered for the event with one of
    ``statuses`` (confirmed and waiting by default), but ``exclude``; one
    query."""
    registrations = Registration.objects.filter(
        event=event, status__in=list(statuses), user__is_active=True
    ).select_related("user")
    if exclude is not None:
        registrations = registrations.exclude(user=exclude)
    return [registration.user for registration in registrations]


def events_followed_by(user) -> QuerySet[Event]:
    """Return the upcoming events the person follows by being registered."""
    return (
        Event.objects.filter(
            registrations__user=user,
            registrations__status__in=Registration.ACTIVE_STATUSES,
            ends_at__gte=timezone.now(),
        )
        .order_by("starts_at")
        .distinct()
    )


# An upcoming event is "nearly full" once this share of its seats is taken.
NEARLY_FULL = 0.9


def event_list_nearly_full(
    events: QuerySet[Event], *, now: datetime.datetime | None = None
) -> QuerySet[Event]:
    """Return the published, upcoming events of ``events`` with a capacity of
    which at least ``NEARLY_FULL`` is taken by confirmed registrations."""
    confirmed = Registration.objects.filter(
        event=OuterRef("pk"), status=Registration.Status.CONFIRMED
    )
    return (
        events.filter(
            status=Event.Status.PUBLISHED,
            starts_at__gte=now or timezone.now(),
            capacity__isnull=False,
        )
        .annotate(confirmed_count=count_of(confirmed))
        .filter(confirmed_count__gte=F("capacity") * NEARLY_FULL)
    )


def events_staff_counts(*, now: datetime.datetime | None = None) -> list[StaffCount]:
    """Return the published events of the coming seven days and the upcoming
    events that are nearly full; two queries."""
    now = now or timezone.now()
    week_end = now + datetime.timedelta(days=7)
    this_week = Event.objects.filter(
        status=Event.Status.PUBLISHED, starts_at__gte=now, starts_at__lt=week_end
    ).count()
    nearly_full = event_list_nearly_full(Event.objects.all(), now=now).count()
    url = "admin:events_event_changelist"
    return [
        StaffCount(
            key="events_this_week",
            group="events",
            label=_("Events in the next seven days"),
            count=this_week,
            url=changelist_url(
                url,
                status=Event.Status.PUBLISHED,
                starts_at__gte=now,
                starts_at__lt=week_end,
            ),
        ),
        StaffCount(
            key="events_nearly_full",
            group="events",
            label=_("Upcoming events that are nearly full"),
            count=nearly_full,
            url=changelist_url(url, fill="nearly_full"),
        ),
    ]


def events_of_organization_affected(organization, person_ids) -> list:
    """Return the organization's upcoming published events and its people's
    upcoming registrations for members-only events (which they no longer may
    open) as effects; two queries."""
    now = timezone.now()
    organized = Event.objects.filter(
        organization=organization, status=Event.Status.PUBLISHED, ends_at__gte=now
    ).order_by("starts_at")
    registrations = (
        Registration.objects.filter(
            user_id__in=person_ids,
            status__in=Registration.ACTIVE_STATUSES,
            event__status=Event.Status.PUBLISHED,
            event__ends_at__gte=now,
        )
        .exclude(event__visibility=Event.Visibility.PUBLIC)
        .select_related("user", "event")
        .order_by("event__starts_at", "user__name")
    )
    return [
        OrganizationEffect(
            key="events_organized",
            title=_("Upcoming events the organization organizes"),
            items=[event.title for event in organized],
        ),
        OrganizationEffect(
            key="event_registrations",
            title=_("Registrations for members-only events"),
            items=[
                _("%(person)s: %(event)s")
                % {"person": r.user.public_name, "event": r.event.title}
                for r in registrations
            ],
        ),
    ]


def event_search(user, text: str) -> QuerySet[Event]:
    """Return the events the person may see (drafts they manage included) that
    match ``text`` by title, venue or description (the site search's source)."""
    return search_match(
        event_list_visible_to(user),
        text,
        title="title",
        snippet="description",
        fields=("title", "venue", "description"),
    )


def event_search_audience(user) -> str:
    """Who finds the same events (``event_list_visible_to``): staff, members
    (public and members' events), everyone else (public events); what one
    person sees beyond that, ``event_search_personal`` finds."""
    if getattr(user, "is_staff", False):
        return "staff"
    if getattr(user, "is_authenticated", False) and user_is_member(user):
        return "member"
    return "public"


def event_search_personal(user) -> list[QuerySet]:
    """What could show the person an event beyond their audience's: a group
    event of a group they sit in, a registration for an event outside their
    audience, and an event they manage (organize, or chair its group) that
    their audience does not see (a draft, say). None of them: they see exactly
    their audience's events."""
    if getattr(user, "is_staff", False) or not getattr(user, "is_authenticated", False):
        return []
    audience = (
        [Event.Visibility.PUBLIC, Event.Visibility.MEMBERS]
        if user_is_member(user)
        else [Event.Visibility.PUBLIC]
    )
    seen_by_audience = Q(status__in=VISIBLE_STATUSES, visibility__in=audience)
    managed = Q(working_group_id__in=chaired_group_ids_subquery(user))
    if user_is_member(user):
        managed |= Q(organizer=user)
    return [
        Event.objects.filter(
            visibility=Event.Visibility.GROUP,
            working_group_id__in=member_group_ids_subquery(user),
        ),
        Registration.objects.filter(
            user=user, status__in=Registration.ACTIVE_STATUSES
        ).exclude(event__visibility__in=audience),
        Event.objects.filter(managed).exclude(seen_by_audience),
    ]


def meeting_references(keys: list[str]) -> dict[str, dict]:
    """Resolve working-group meetings by id for the working-group minutes
    (``references`` registry): title, page, group, day and the people with a
    confirmed seat (the attendance the minutes start from)."""
    ids = [int(key) for key in keys if str(key).isdigit()]
    meetings = Event.objects.filter(
        pk__in=ids, kind=Event.Kind.MEETING, working_group__isnull=False
    ).exclude(status=Event.Status.DRAFT)
    found = {
        str(event.pk): {
            "id": event.pk,
            "title": event.title,
            "url": event.get_absolute_url(),
            "group_id": event.working_group_id,
            "date": timezone.localtime(event.starts_at, event.time_zone).date(),
            "attendee_ids": [],
        }
        for event in meetings
    }
    confirmed = Registration.objects.filter(
        event_id__in=[entry["id"] for entry in found.values()],
        status=Registration.Status.CONFIRMED,
        user__is_active=True,
    ).values_list("event_id", "user_id")
    for event_id, user_id in confirmed:
        found[str(event_id)]["attendee_ids"].append(user_id)
    return found
