"""Filters of the event list (pages and API)."""

import datetime
import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from alliance.core.dates import FIRST_YEAR, LAST_YEAR
from alliance.focus_areas.models import FocusArea
from alliance.working_groups.selectors import working_group_list
from events.models import Event

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_bounds(value: str, tz=None) -> tuple[datetime.datetime, datetime.datetime]:
    """Return the start and end of a month written YYYY-MM, in the time zone."""
    match = MONTH.match(value or "")
    if not match:
        raise ValidationError(_("Give the month as YYYY-MM, e.g. 2026-05."))
    year, month = int(match.group(1)), int(match.group(2))
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(_("Choose a month between 1970 and 2100."))
    zone = tz or timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


class MonthSelect(forms.Select):
    """A drop-down of months named in the reader's language ("May 2026"), from a
    year back to two years ahead (and the chosen month if it lies outside), rather
    than a ``type=month`` input, which Chromium shows empty as "--------- ----"."""

    MONTHS_BACK = 12
    MONTHS_AHEAD = 24

    def months(self, chosen: str) -> list[tuple[str, str]]:
        today = timezone.localdate()
        first = today.year * 12 + today.month - 1 - self.MONTHS_BACK
        values = [
            f"{n // 12:04d}-{n % 12 + 1:02d}"
            for n in range(first, first + self.MONTHS_BACK + self.MONTHS_AHEAD + 1)
        ]
        if chosen and MONTH.match(chosen) and chosen not in values:
            values = sorted([*values, chosen])
        return [
            (
                value,
                formats.date_format(
                    datetime.date(int(value[:4]), int(value[5:]), 1),
                    "YEAR_MONTH_FORMAT",
                ),
            )
            for value in values
        ]

    def get_context(self, name, value, attrs):
        chosen = value if isinstance(value, str) else ""
        self.choices = [("", _("Any month")), *self.months(chosen)]
        return super().get_context(name, value, attrs)


class MonthField(forms.CharField):
    widget = MonthSelect

    def clean(self, value):
        value = super().clean(value)
        if value:
            month_bounds(value)
        return value


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"})
class MonthFilter(django_filters.Filter):
    field_class = MonthField

    def filter(self, qs, value):
        if not value:
            return qs
        start, end = month_bounds(value)
        return qs.filter(starts_at__gte=start, starts_at__lt=end)


class EventFilter(django_filters.FilterSet):
    focus_area = django_filters.ModelChoiceFilter(
        label=_("Focus area"),
        queryset=FocusArea.objects.order_by("number"),
        to_field_name="slug",
        empty_label=_("All focus areas"),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Working group"),
        field_name="working_group",
        queryset=working_group_list(with_counts=False).order_by("name"),
        to_field_name="slug",
        empty_label=_("All groups"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Event.Kind.choices, empty_label=_("All kinds")
    )
    format = django_filters.ChoiceFilter(
        label=_("Format"), choices=Event.Format.choices, empty_label=_("All formats")
    )
    month = MonthFilter(label=_("Month"))

    class Meta:
        model = Event
        fields = ["focus_area", "group", "kind", "format", "month"]
