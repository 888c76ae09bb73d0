"""Sections the events app adds to shared pages (see
``alliance.registries.panels``); each runs a constant number of queries."""

from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from alliance.core.cache import shared_fragment
from events.overlays import mine_laid_over, mine_slot_ids
from events.selectors import (
    EVENT_LIST_NAMESPACES,
    calendar_token_key,
    event_list,
    event_list_audience,
    event_list_beyond_audience,
    event_list_for_audience,
    event_list_mine,
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


UPCOMING_LIST = "events/panels/_upcoming_list.html"


def _upcoming(
    request,
    key: str,
    narrow=lambda events: events,
    *,
    group=None,
    template=UPCOMING_LIST,
    extra=None,
) -> str:
    """The first upcoming events (one item per series) the reader may see, of
    those ``narrow`` keeps, rendered with ``template``: for a signed-in reader,
    as every reader of their audience sees them (rendered once and shared,
    dropped by any write to events; ``group``: every reader of their audience
    who is an active member of that group, with its group-only events), with
    their own registrations laid over (``events.overlays``; no query for
    someone with none anywhere); read and rendered for them alone when they
    see events beyond that list's (their other groups', drafts they manage).
    ``extra``: more of the template's context, the same for every reader."""
    user = request.user
    if user.is_authenticated:
        audience = event_list_audience(user)
        group_id = group.pk if group is not None and audience != "staff" else None
        fragment = shared_fragment(
            EVENT_LIST_NAMESPACES,
            audience=audience if group_id is None else f"{audience}:group_member",
            parts=(
                "events_panel",
                template,
                key,
                # Times in each event's own zone, or in the reader's (the date).
                getattr(request, "time_zone_source", ""),
                timezone.localdate(),
            ),
        )
        if fragment.html is None:
            events = event_list_one_per_series(
                narrow(event_list_for_audience(audience, group_id=group_id)), None
            )
            fragment.store(
                _render(request, template, events, overlay=True, extra=extra)
            )
        event_ids, series_ids = mine_slot_ids(fragment.html)
        mine = event_list_mine(
            user,
            event_ids=event_ids,
            series_ids=series_ids,
            beyond=lambda: narrow(event_list_beyond_audience(user, group_id=group_id)),
        )
        if not mine.beyond:
            return mine_laid_over(fragment.html, mine)
    events = event_list_one_per_series(narrow(event_list(user)), user)
    return _render(request, template, events, extra=extra)


def _render(
    request, template: str, events, *, overlay: bool = False, extra=None
) -> str:
    """Render the first ``PANEL_SIZE`` of ``events`` (``overlay``: each event's
    own slot marked, for a list shared by an audience)."""
    context = {**(extra or {}), "events": list(events[:PANEL_SIZE]), "overlay": overlay}
    return mark_safe(  # noqa: S308 (rendered by our own template)
        render_to_string(template, {**context, "request": request}).strip()
    )


def home(request, **kwargs) -> dict | None:
    """Upcoming events on the home page."""
    return {"events_html": _upcoming(request, "home")}


def dashboard(request, **kwargs) -> dict | None:
    """The person's events: registrations and what they organize."""
    return {
        "registrations": list(user_registrations(request.user)[:8]),
        "organizing": list(user_organized_events(request.user)[:5]),
    }


def focus_area(request, *, focus_area, **kwargs) -> dict | None:
    """Upcoming events in a focus area."""
    events_html = _upcoming(
        request,
        f"focus_area:{focus_area.pk}",
        lambda events: events.filter(
            Q(focus_area=focus_area) | Q(working_group__focus_area=focus_area)
        ),
    )
    return {"events_html": events_html, "focus_area": focus_area}


def working_group(request, *, group, membership=None, **kwargs) -> dict | None:
    """A group's next meeting and the events after it (shared by the readers
    of one audience, and by its members); for its members, the address of the
    group's feed that holds the members-only events too."""
    member = membership is not None and membership.status == membership.Status.ACTIVE
    events_html = _upcoming(
        request,
        f"group:{group.pk}",
        lambda events: events.filter(working_group=group),
        group=group if member else None,
        template="events/panels/_working_group_events.html",
        extra={"group": group},
    )
    private_feed_url = None
    if member:
        key = (
            calendar_token_key(request.user)
            or calendar_token_get_or_create(user=request.user).key
        )
        private_feed_url = reverse(
            "events:group_feed_private", kwargs={"key": key, "slug": group.slug}
        )
    return {
        "events_html": events_html,
        "group": group,
        "private_feed_url": private_feed_url,
    }
