from celery import shared_task

from projects.services.vetting import catalog_vetting_expire


@shared_task(name="projects.tasks.catalog_vetting_expire_task")
def catalog_vetting_expire_task() -> int:
    """Return entries whose vetting expired to review due (daily, by beat)."""
    return catalog_vetting_expire()
