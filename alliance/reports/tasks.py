from celery import shared_task

from alliance.reports.services import staff_report_send


@shared_task(name="alliance.tasks.staff_report_send_task")
def staff_report_send_task() -> str | None:
    """Email last week's report to staff (once per week)."""
    report = staff_report_send()
    return report.week if report else None
