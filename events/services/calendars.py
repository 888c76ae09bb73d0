"""The secret addresses of personal calendar feeds."""

import secrets

from django.db import transaction

from events.models import CalendarToken


@transaction.atomic
def calendar_token_get_or_create(*, user) -> CalendarToken:
    """Return the person's calendar feed token, creating it on first use."""
    token, _created = CalendarToken.objects.get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    return token


@transaction.atomic
def calendar_token_regenerate(*, user) -> CalendarToken:
    """Give the person a new feed address; the old one stops working at once."""
    token, created = CalendarToken.objects.select_for_update().get_or_create(
        user=user, defaults={"key": secrets.token_urlsafe(32)}
    )
    if not created:
        token.key = secrets.token_urlsafe(32)
        token.save(update_fields=["key"])
    return token
