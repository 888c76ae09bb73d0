from celery import shared_task

from alliance.services.notifications import activity_fan_out


@shared_task(acks_late=True)
def activity_fan_out_task(activity_id: int) -> int:
    """Notify everyone who should hear of an activity."""
    return activity_fan_out(activity_id=activity_id)
