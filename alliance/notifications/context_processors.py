"""What every page shows of the person's notifications: the bell's unread count."""

from alliance.notifications.selectors import notification_unread_count


def notifications(request) -> dict:
    """Return the signed-in person's unread notification count (0 for visitors)."""
    unread = 0
    if request.user.is_authenticated:
        unread = notification_unread_count(recipient=request.user)
    return {"unread_notification_count": unread}
