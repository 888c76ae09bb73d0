"""The window of dates the portal accepts: 1970 to 2100.

A moment near year 9999 cannot be shown east of UTC (converting it to local
time overflows Python's datetime), so what people enter is kept well inside what
every time zone can show. The calendar's month filter uses the same years.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1970
LAST_YEAR = 2100
EARLIEST = datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.UTC)
# The first moment after the window (moments must be before it).
AFTER_LATEST = datetime.datetime(LAST_YEAR + 1, 1, 1, tzinfo=datetime.UTC)
OUT_OF_WINDOW = _("Choose a date between 1970 and 2100.")


def in_window(value) -> bool:
    """Return whether a date, a wall-clock time or a moment lies in the window."""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return EARLIEST <= value < AFTER_LATEST
    return FIRST_YEAR <= value.year <= LAST_YEAR


def validate_in_window(value) -> None:
    """Refuse a date or time outside 1970–2100 (``None`` passes)."""
    if value is not None and not in_window(value):
        raise ValidationError(OUT_OF_WINDOW, code="date_out_of_window")
