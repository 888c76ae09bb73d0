"""Sections the events app adds to shared pages (see
``alliance.registries.panels``); each runs a constant number of queries."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from events.selectors import (
    calendar_token_key,
    event_list,
    event_list_one_per_series,
    user_organized_events,
    user_registrations,
)
from events.services.calendars import calendar_token_get_or_create

PANEL_SIZE = 4


def home_shared_as(request) -> str | None:
    """Visitors all see the same upcoming events (in the same time zone, on the
    same day); a signed-in person sees their own seats and groups' events."""
    if request.user.is_authenticated:
        return None
    zone = getattr(request, "time_zone_source", "")
    return f"public:{zone}:{timezone.localdate().isoformat()}"


def home(request, **kwargs) -> dict | None:
    """Upcoming events on the home page."""
    events = list(
        event_list_one_per_series(event_list(request.user), request.user)[:PANEL_SIZE]
    )
    return {"events": events}


def dashboard(request, **kwargs) -> dict | None:
    """The person's events: registrations and what they organize."""
    return {
        "registrations": list(user_registrations(request.user)[:8]),
        "organizing": list(user_organized_events(request.user)[:5]),
    }


def focus_area(request, *, focus_area, **kwargs) -> dict | None:
    """Upcoming events in a focus area."""
    events = event_list(request.user).filter(
        Q(focus_area=focus_area) | Q(working_group__focus_area=focus_area)
    )
    events = list(event_list_one_per_series(events, request.user)[:PANEL_SIZE])
    return {"events": events, "focus_area": focus_area}


def working_group(request, *, group, membership=None, **kwargs) -> dict | None:
    """A group's next meeting and the events after it; for its members, the
    address of the group's feed that holds the members-only events too."""
    events = event_list(request.user).filter(working_group=group)
    events = list(event_list_one_per_series(events, request.user)[:PANEL_SIZE])
    private_feed_url = None
    if membership is not None and membership.status == membership.Status.ACTIVE:
        key = (
            calendar_token_key(request.user)
            or calendar_token_get_or_create(user=request.user).key
        )
        private_feed_url = reverse(
            "events:group_feed_private", kwargs={"key": key, "slug": group.slug}
        )
    return {"events": events, "group": group, "private_feed_url": private_feed_url}
