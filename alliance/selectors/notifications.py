"""Reads of a person's inbox."""

from django.db.models import QuerySet

from alliance.models import Notification


def notification_list(*, recipient) -> QuerySet[Notification]:
    """Return the person's notifications, newest first."""
    return Notification.objects.filter(recipient=recipient).order_by(
        "-created_at", "-id"
    )


def notification_unread_count(*, recipient) -> int:
    """Return how many of the person's notifications are unread."""
    return Notification.objects.filter(
        recipient=recipient, read_at__isnull=True
    ).count()
