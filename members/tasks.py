from celery import shared_task

from members.services.renewals import renewals_process


@shared_task(name="members.tasks.renewals_process_task")
def renewals_process_task() -> dict[str, int]:
    """Send due renewal reminders and lapse overdue memberships (daily)."""
    return renewals_process()
