"""The one rule for time zones people and events may choose: a real IANA name.

``zoneinfo.available_timezones()`` lists every file under the system's zoneinfo
directory, so it also offers ``localtime`` (a link to the server's own zone) and
``Factory``; neither is a place. The names here come from the ``tzdata``
package's list of IANA zones, the same for every server.
"""

import zoneinfo
from importlib import resources

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from timezone_field import TimeZoneFormField

# "Factory" is in the IANA database but names no place ("-00").
TIME_ZONE_NAMES = frozenset(
    resources.files("tzdata").joinpath("zones").read_text().split()
) - {"Factory"}
TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(TIME_ZONE_NAMES)]
UNKNOWN_TIME_ZONE = _("Unknown time zone; use an IANA name such as Europe/Berlin.")


def validate_time_zone(value) -> None:
    """Refuse anything but an IANA zone name (or a ``ZoneInfo`` of one)."""
    name = value.key if isinstance(value, zoneinfo.ZoneInfo) else value
    if not isinstance(name, str) or name not in TIME_ZONE_NAMES:
        raise ValidationError(UNKNOWN_TIME_ZONE, code="time_zone")


def time_zone_get(name: str) -> zoneinfo.ZoneInfo:
    """Return the zone of an IANA name, or raise ``ValidationError``."""
    validate_time_zone(name)
    return zoneinfo.ZoneInfo(name)


# Offered first where a zone is picked: where the alliance's members meet most.
COMMON_TIME_ZONES = (
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Zurich",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Shanghai",
    "Asia/Seoul",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Africa/Nairobi",
)
TIME_ZONE_NAMES_COMMON_FIRST = (
    *COMMON_TIME_ZONES,
    *sorted(TIME_ZONE_NAMES - set(COMMON_TIME_ZONES)),
)


class TimeZoneSearchInput(forms.TextInput):
    """A text box for a zone name that suggests names as one types (a
    ``datalist``: the common zones first, then all); without a browser's help it
    is a plain text box, and the field checks the name on the server."""

    def __init__(self, attrs=None):
        super().__init__(
            {"autocomplete": "off", "spellcheck": "false", **(attrs or {})}
        )

    def format_value(self, value):
        if isinstance(value, zoneinfo.ZoneInfo):
            return value.key
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}_choices"
        attrs["list"] = list_id
        box = super().render(name, value, attrs, renderer)
        options = format_html_join(
            "",
            '<option value="{}"></option>',
            ((n,) for n in TIME_ZONE_NAMES_COMMON_FIRST),
        )
        return format_html('{}<datalist id="{}">{}</datalist>', box, list_id, options)


class TimeZoneChoiceField(TimeZoneFormField):
    """A form's time-zone menu offering the IANA names only (``searchable``: a
    text box suggesting them, common zones first)."""

    default_validators = [validate_time_zone]

    def __init__(self, *, searchable: bool = False, **kwargs):
        kwargs.setdefault("choices", TIME_ZONE_CHOICES)
        kwargs.setdefault("use_pytz", False)
        if searchable:
            kwargs.setdefault("widget", TimeZoneSearchInput)
            kwargs.setdefault("error_messages", {"invalid_choice": UNKNOWN_TIME_ZONE})
        super().__init__(**kwargs)


def time_zone_shown(request, own_zone):
    """Return the zone to show a thing's times in: the reader's, or the thing's
    own zone (an event's) while a visitor's zone is not known (see
    ``alliance.core.middleware.visitor_time_zone_apply``)."""
    if getattr(request, "time_zone_source", "profile") == "unknown":
        return own_zone
    return timezone.get_current_timezone()
