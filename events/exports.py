"""CSV export of attendee lists (organizer pages and the admin)."""

import csv

from django.utils import timezone
from django.utils.translation import gettext as _

from events.selectors import event_attendees


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    # Keep spreadsheet programs from running a cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def attendees_write_csv(out, events) -> None:
    """Write the attendees of the events as CSV rows."""
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Event"),
            _("Name"),
            _("Email"),
            _("Organization"),
            _("Status"),
            _("Waitlist position"),
            _("Registered"),
            _("Attended"),
        ]
    )
    for event in events:
        for row in event_attendees(event):
            writer.writerow(
                [
                    _csv_cell(event.title),
                    _csv_cell(row.user.get_full_name()),
                    _csv_cell(row.user.email),
                    _csv_cell(row.organization.name if row.organization else ""),
                    row.get_status_display(),
                    row.position or "",
                    timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                    {True: _("yes"), False: _("no")}.get(row.attended, ""),
                ]
            )
