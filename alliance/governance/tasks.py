"""Background work of ballots: close those whose time is up and remind the
people who have not voted a day before the close. Each is safe to run twice:
the ballot's state (``status``, ``reminded_at``) is checked under its row lock."""

from celery import shared_task

from alliance.governance.services import ballot_reminders_send_due, ballots_close_due


@shared_task(name="alliance.tasks.ballots_close_due")
def ballots_close_due_task() -> int:
    """Compute and announce the result of every ballot past its closing time."""
    return ballots_close_due()


@shared_task(name="alliance.tasks.ballot_reminders_send_due")
def ballot_reminders_send_due_task() -> int:
    """Remind the seat holders who have not voted, 24 hours before the close."""
    return ballot_reminders_send_due()
