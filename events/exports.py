"""CSV export of attendee lists (organizer pages and the admin)."""

import csv

from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.exports import csv_cell
from events.selectors import event_attendees


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
                    csv_cell(event.title),
                    csv_cell(row.user.get_full_name()),
                    csv_cell(row.shared_email),
                    csv_cell(row.organization.name if row.organization else ""),
                    row.get_status_display(),
                    row.position or "",
                    timezone.localtime(row.created_at).strftime("%Y-%m-%d %H:%M"),
                    {True: _("yes"), False: _("no")}.get(row.attended, ""),
                ]
            )
