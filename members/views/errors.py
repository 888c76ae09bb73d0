"""Show a service's ValidationError where the person will see it."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """Attach the error to the form's matching fields, the rest to the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def message_service_errors(request, exc: ValidationError) -> None:
    """Show the error as a message on the next page."""
    messages.error(request, " ".join(exc.messages))
