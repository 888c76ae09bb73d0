import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

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


@register.filter
def local_in(value, tz):
    """Return the datetime in the given time zone."""
    return timezone.localtime(value, tz)
