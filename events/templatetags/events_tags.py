import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from alliance.core.time_zones import time_zone_shown

register = template.Library()


@register.simple_tag
def event_when(starts_at, ends_at, tz=None):
    """Say when an event happens, in ``tz`` or the current time zone: one date
    when it starts and ends the same day, both dates otherwise."""
    if not isinstance(starts_at, datetime.datetime) or not isinstance(
        ends_at, datetime.datetime
    ):
        return ""
    zone = tz or timezone.get_current_timezone()
    start = timezone.localtime(starts_at, zone)
    end = timezone.localtime(ends_at, zone)
    abbreviation = start.tzname()
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s %(zone)s") % {
            "date": date_format(start, "DATE_FORMAT"),
            "start": time_format(start, "TIME_FORMAT"),
            "end": time_format(end, "TIME_FORMAT"),
            "zone": abbreviation,
        }
    return _("%(start)s – %(end)s %(zone)s") % {
        "start": date_format(start, "DATETIME_FORMAT"),
        "end": date_format(end, "DATETIME_FORMAT"),
        "zone": end.tzname(),
    }


@register.simple_tag(takes_context=True)
def event_when_shown(context, event):
    """Say when the event happens, in the zone the page shows times in."""
    zone = time_zone_shown(context.get("request"), event.time_zone)
    return event_when(event.starts_at, event.ends_at, zone)


@register.simple_tag(takes_context=True)
def event_start_shown(context, event):
    """Return the event's start in the zone the page shows times in."""
    return timezone.localtime(
        event.starts_at, time_zone_shown(context.get("request"), event.time_zone)
    )


@register.filter
def local_in(value, tz):
    """Return the datetime in the given time zone."""
    return timezone.localtime(value, tz)
