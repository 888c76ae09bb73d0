"""iCalendar output: one event's .ics file and calendar feeds (icalendar library).

Each event keeps one UID for life; SEQUENCE is its revision (raised on every
change), so calendar apps replace the old copy. Times carry the event's own time
zone (TZID with a VTIMEZONE written here), so they stay right across
daylight-saving changes.

The VTIMEZONE describes each yearly change with an RRULE ("last Sunday of
March"), as calendar programs expect: icalendar's own ``add_missing_timezones()``
writes long RDATE lists that some readers (vobject, ical.js) misread, moving
summer events by an hour. Every rule is checked against the zone database year by
year before it is written, and a change that follows no rule is written as it is.
Every VEVENT has an ORGANIZER (RFC 5546 requires one with METHOD PUBLISH and
CANCEL): the organizer's name with the portal's own address, so no private email
address leaves the portal.
"""

import base64
import calendar as calendar_module
import datetime
import functools
import zoneinfo
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import quote, urlencode, urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from alliance.core.markdown import markdown_to_text
from events.models import Event, Registration
from events.permissions import can_see_online_link

PRODID = "-//AI Alliance//Alliance Portal Events//EN"


def event_uid(event: Event) -> str:
    """Return the event's stable iCalendar UID."""
    host = urlsplit(settings.SITE_URL).hostname or "alliance.invalid"
    return f"event-{event.uid}@{host}"


# A change of offset: (UTC instant, wall-clock time just before it, offset
# before, offset after, name after, is summer time after).
_Change = tuple[
    datetime.datetime,
    datetime.datetime,
    datetime.timedelta,
    datetime.timedelta,
    str,
    bool,
]


def _state(tz: datetime.tzinfo, instant: datetime.datetime):
    local = instant.astimezone(tz)
    return local.utcoffset(), local.tzname(), bool(local.dst())


def _changes(tz: datetime.tzinfo, first_year: int, last_year: int) -> list[_Change]:
    """Return the zone's changes of offset, name or summer time in the years."""
    changes = []
    instant = datetime.datetime(first_year, 1, 1, tzinfo=datetime.UTC)
    end = datetime.datetime(last_year + 1, 1, 1, tzinfo=datetime.UTC)
    step = datetime.timedelta(hours=12)
    state = _state(tz, instant)
    while instant < end:
        following = instant + step
        if _state(tz, following) != state:
            low, high = instant, following  # find the second it changes
            while high - low > datetime.timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _state(tz, middle) == state:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            after = _state(tz, high)
            offset_from = state[0]
            changes.append(
                (high, (high + offset_from).replace(tzinfo=None), offset_from, *after)
            )
            state = after
        instant = following
    return changes


def _weekday_rule(wall: datetime.datetime) -> tuple[int, str, int]:
    """Return (month, weekday, n): the n-th (or, with -1, the last) weekday."""
    days_in_month = calendar_module.monthrange(wall.year, wall.month)[1]
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[wall.weekday()]
    nth = -1 if wall.day > days_in_month - 7 else (wall.day - 1) // 7 + 1
    return wall.month, weekday, nth


@functools.lru_cache(maxsize=256)
def vtimezone(tzid: str, first_year: int, last_year: int) -> icalendar.Timezone:
    """Return a VTIMEZONE for the zone, right for every time in the years (and
    after them while the zone keeps its rules), each yearly change as an RRULE."""
    tz = zoneinfo.ZoneInfo(tzid)
    changes = _changes(tz, first_year - 1, last_year)
    component = icalendar.Timezone()
    component.add("tzid", tzid)
    if not changes or changes[0][1].year >= first_year:
        # No change in the year before: the offset then holds since long before.
        offset, name, is_dst = _state(
            tz, datetime.datetime(first_year - 1, 1, 1, tzinfo=datetime.UTC)
        )
        part = icalendar.TimezoneDaylight() if is_dst else icalendar.TimezoneStandard()
        part.add("dtstart", datetime.datetime(1970, 1, 1))
        part.add("tzoffsetfrom", offset)
        part.add("tzoffsetto", offset)
        part.add("tzname", name)
        component.add_component(part)
    if not changes:
        return component
    # Runs of changes that happen once a year by the same rule become one RRULE.
    runs: list[list[_Change]] = []
    for change in changes:
        _instant, wall, offset_from, offset_to, name, is_dst = change
        key = (offset_from, offset_to, name, is_dst, _weekday_rule(wall), wall.time())
        for run in runs:
            last = run[-1]
            last_key = (*last[2:], _weekday_rule(last[1]), last[1].time())
            if last_key == key and last[1].year == wall.year - 1:
                run.append(change)
                break
        else:
            runs.append([change])
    last_year_seen = max(change[1].year for change in changes)
    for run in sorted(runs, key=lambda run: run[0][0]):
        _instant, wall, offset_from, offset_to, name, is_dst = run[0]
        part = icalendar.TimezoneDaylight() if is_dst else icalendar.TimezoneStandard()
        part.add("dtstart", wall)
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("tzname", name)
        if len(run) > 1:
            month, weekday, nth = _weekday_rule(wall)
            rule = {"freq": "YEARLY", "bymonth": month, "byday": f"{nth}{weekday}"}
            if run[-1][1].year < last_year_seen:  # the zone changed its rules
                # A day after the last change: some readers compare UNTIL with the
                # wall-clock start as if both were UTC, and the next is a year away.
                rule["until"] = run[-1][0] + datetime.timedelta(days=1)
            part.add("rrule", rule)
        component.add_component(part)
    return component


def _organizer(event: Event) -> icalendar.vCalAddress:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "portal@alliance.invalid"
    organizer = icalendar.vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = icalendar.vText(str(event.organizer))
    return organizer


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
    waiting = (
        my_status == Registration.Status.WAITLISTED
        and event.status != Event.Status.CANCELLED
    )
    if waiting:
        summary = gettext("%(title)s (waitlist)") % {"title": event.title}
    vevent.add("summary", summary)
    vevent.add("organizer", _organizer(event))
    url = settings.SITE_URL + event.get_absolute_url()
    vevent.add("url", url)
    description = [markdown_to_text(event.description).strip(), url]
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
    elif waiting:
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
    vevents = []
    zones: dict[str, list[int]] = {}
    for event in events:
        vevent = _vevent(event, with_link=link_for(event), my_status=status_for(event))
        vevents.append(vevent)
        tzid = vevent["DTSTART"].params.get("TZID")  # none for UTC ("Z" times)
        if tzid:
            zones.setdefault(tzid, []).extend(
                moment.astimezone(event.time_zone).year
                for moment in (event.starts_at, event.ends_at)
            )
    for tzid, years in sorted(zones.items()):
        calendar.add_component(vtimezone(tzid, min(years), max(years)))
    for vevent in vevents:
        calendar.add_component(vevent)
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


def event_ics_attachments(event: Event, people: list) -> dict[int, list[dict]]:
    """Return the event's .ics (METHOD:PUBLISH) for each person registered for it,
    as an email attachment in the person's language (one query for the batch).
    Nothing once the event is no longer published or the registration is gone."""
    if not isinstance(event, Event) or event.status != Event.Status.PUBLISHED:
        return {}
    registrations = {
        registration.user_id: registration
        for registration in Registration.objects.filter(
            event=event,
            user_id__in=[person.pk for person in people],
            status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITLISTED],
        )
    }
    attachments = {}
    for person in people:
        registration = registrations.get(person.pk)
        if registration is None:
            continue
        with translation.override(person.language):
            body = event_ics(
                event,
                with_link=can_see_online_link(person, event, registration),
                my_status=registration.status,
            )
        attachments[person.pk] = [
            {
                "filename": f"{event.slug}.ics",
                "mimetype": "text/calendar",
                "content": base64.b64encode(body).decode(),
            }
        ]
    return attachments


# The description a link to a web calendar carries is cut here: the whole link
# must stay well under the 8 KB a browser or proxy is sure to pass on.
WEB_CALENDAR_DETAILS_MAX = 1500


def _utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(datetime.UTC)


def event_location_text(event: Event) -> str:
    """Return the venue and address on one line ("" when there is none)."""
    return ", ".join(
        part
        for part in (event.venue.strip(), ", ".join(event.address.split("\n")).strip())
        if part
    )


def event_web_calendar_links(event: Event) -> dict[str, str]:
    """Return links that add the event to Google Calendar and Outlook on the web
    (``google``, ``outlook``), built from its UTC times, and for an event with a
    place a link to that place on OpenStreetMap (``map``; a link out, nothing
    loaded from there). The online link is never in them: it would travel in
    the query string to another company's servers."""
    url = settings.SITE_URL + event.get_absolute_url()
    details = markdown_to_text(event.description).strip()
    if len(details) > WEB_CALENDAR_DETAILS_MAX:
        details = details[: WEB_CALENDAR_DETAILS_MAX - 1].rstrip() + "…"
    details = "\n\n".join(part for part in (details, url) if part)
    location = event_location_text(event)
    start, end = _utc(event.starts_at), _utc(event.ends_at)
    google = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details,
    }
    outlook = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": event.title,
        "startdt": f"{start:%Y-%m-%dT%H:%M:%SZ}",
        "enddt": f"{end:%Y-%m-%dT%H:%M:%SZ}",
        "body": details,
    }
    if location:
        google["location"] = outlook["location"] = location
    links = {
        "google": "https://calendar.google.com/calendar/render?"
        + urlencode(google, quote_via=quote),
        "outlook": "https://outlook.office.com/calendar/0/deeplink/compose?"
        + urlencode(outlook, quote_via=quote),
    }
    if location and event.format != Event.Format.ONLINE:
        links["map"] = "https://www.openstreetmap.org/search?" + urlencode(
            {"query": location}, quote_via=quote
        )
    return links
