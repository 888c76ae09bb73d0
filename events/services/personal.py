"""A person's events data: their export, and what closing their account ends."""

from django.db import transaction

from events.models import CalendarToken, Event, Registration
from events.services.registrations import registrations_close_for_user


def events_personal_data(user) -> dict:
    """Return the person's registrations and the events they organize."""
    registrations = Registration.objects.filter(user=user).select_related(
        "event", "organization"
    )
    return {
        "registrations": [
            {
                "event": r.event.title,
                "event_url": r.event.get_absolute_url(),
                "starts_at": r.event.starts_at.isoformat(),
                "status": r.status,
                "organization": r.organization.name if r.organization else None,
                "shown_on_attendee_list": r.show_on_list,
                "attended": r.attended,
                "registered_at": r.created_at.isoformat(),
                "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None,
            }
            for r in registrations.order_by("created_at")
        ],
        "organized_events": [
            {"title": e.title, "url": e.get_absolute_url(), "status": e.status}
            for e in Event.objects.filter(organizer=user).order_by("starts_at")
        ],
        "calendar_feed": CalendarToken.objects.filter(user=user).exists(),
    }


@transaction.atomic
def events_account_closed(user) -> None:
    """Cancel the person's upcoming registrations (promoting whoever waits) and
    retire their calendar feed address."""
    registrations_close_for_user(user)
    CalendarToken.objects.filter(user=user).delete()
