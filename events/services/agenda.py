"""A working-group meeting's agenda, drafted by the group's chairs before the
meeting (the open action items of the group are added when it is shown)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.markdown import validate_markdown
from events.models import Event
from events.services._common import event_lock


@transaction.atomic
def event_agenda_set(*, event: Event, agenda: str, now=None) -> Event:
    """Store the meeting's agenda (Markdown). Only a working-group meeting has
    one, and only before it starts; afterwards the minutes say what happened."""
    now = now or timezone.now()
    event = event_lock(event.pk)
    if event.kind != Event.Kind.MEETING or not event.working_group_id:
        raise ValidationError(_("Only a working-group meeting has an agenda."))
    if event.status == Event.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if event.starts_at <= now:
        raise ValidationError(
            _(
                "The meeting has started, so its agenda can no longer change: "
                "post the minutes instead."
            )
        )
    agenda = agenda.strip()
    try:
        validate_markdown(agenda)
    except ValidationError as exc:
        raise ValidationError({"agenda": exc.messages}) from exc
    if agenda != event.agenda:
        event.agenda = agenda
        event.agenda_updated_at = now
        event.save(update_fields=["agenda", "agenda_updated_at", "updated_at"])
    return event
