"""iCalendar output: one event's .ics file and calendar feeds (icalendar library).

Each event keeps one UID for life; SEQUENCE is its revision (raised on every
change), so calendar apps replace the old copy. Times carry the event's own time
zone (TZID with a generated VTIMEZONE), so they stay right across daylight-saving
changes.
"""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone

from events.models import Event, Registration

PRODID = "-//AI Alliance//Alliance Portal Events//EN"


def event_uid(event: Event) -> str:
    """Return the event's stable iCalendar UID."""
    host = urlsplit(settings.SITE_URL).hostname or "alliance.invalid"
    return f"event-{event.uid}@{host}"


def _vevent(event: Event, *, with_link: bool, my_status: str | None) -> icalendar.Event:
    tz = event.time_zone
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    vevent.add("dtstart", event.starts_at.astimezone(tz))
    vevent.add("dtend", event.ends_at.astimezone(tz))
    summary = event.title
    if my_status == Registration.Status.WAITLISTED:
        summary = f"{event.title} (waitlist)"
    vevent.add("summary", summary)
    url = settings.SITE_URL + event.get_absolute_url()
    vevent.add("url", url)
    description = [event.description.strip(), url]
    location = ", ".join(
        part for part in (event.venue, event.address.replace("\n", ", ")) if part
    )
    if with_link and event.online_url:
        description.insert(1, event.online_url)
        location = f"{location} · {event.online_url}" if location else event.online_url
    vevent.add("description", "\n\n".join(part for part in description if part))
    if location:
        vevent.add("location", location)
    if event.status == Event.Status.CANCELLED:
        vevent.add("status", "CANCELLED")
    elif my_status == Registration.Status.WAITLISTED:
        vevent.add("status", "TENTATIVE")
    else:
        vevent.add("status", "CONFIRMED")
    if event.working_group_id:
        vevent.add("categories", [event.working_group.name])
    return vevent


def calendar_build(
    events: Iterable[Event],
    *,
    name: str,
    method: str = "PUBLISH",
    link_for=lambda event: False,
    status_for=lambda event: None,
) -> bytes:
    """Return an iCalendar document holding the events."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(
            _vevent(event, with_link=link_for(event), my_status=status_for(event))
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_ics(event: Event, *, with_link: bool, my_status: str | None = None) -> bytes:
    """Return the .ics file of one event (METHOD:CANCEL once it is cancelled)."""
    method = "CANCEL" if event.status == Event.Status.CANCELLED else "PUBLISH"
    return calendar_build(
        [event],
        name=event.title,
        method=method,
        link_for=lambda _event: with_link,
        status_for=lambda _event: my_status,
    )
