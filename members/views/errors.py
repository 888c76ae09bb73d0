"""Show a service's ValidationError where the person will see it."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def message_service_errors(request, exc: ValidationError) -> None:
    """Show the error as a message on the next page."""
    messages.error(request, " ".join(exc.messages))
