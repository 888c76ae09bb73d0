"""How notifications take part in cross-app flows: the digest's section of new
member organizations, the personal-data export, the periodic jobs (the delivery
sweep, the digest run) and the demo data."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from alliance.notifications.selectors import (
    UNREAD_STATE,
    mail_staff_counts,
    notification_personal_data,
    notification_unread_state_convert,
    notification_unread_state_expression,
    outbox_health,
)
from alliance.notifications.services.digests import new_organizations_section
from alliance.registries.demo import demo_register
from alliance.registries.digest_sections import digest_section_register
from alliance.registries.health import health_detail_register
from alliance.registries.person_facts import person_fact_register
from alliance.registries.personal_data import personal_data_register
from alliance.registries.schedules import schedule_register
from alliance.registries.staff_counts import staff_count_register


def connect() -> None:
    """Register the notifications' sections, jobs and hooks (from AppConfig.ready)."""
    staff_count_register("mail", build=mail_staff_counts, order=50)
    # The bell asks on every page what is unread: read with the person.
    person_fact_register(
        UNREAD_STATE,
        notification_unread_state_expression,
        convert=notification_unread_state_convert,
    )
    personal_data_register("notifications", notification_personal_data)
    # Uncertain emails (a worker died mid-send) for staff and monitors.
    health_detail_register("outbox", outbox_health)
    digest_section_register(
        "new_organizations",
        title=_("New member organizations"),
        template="alliance/email/digest/_new_organizations",
        items=new_organizations_section,
        order=50,
        kinds=("organization_joined",),
    )
    # What a task would deliver is already in the database; the sweep queues it
    # again when the broker lost it (see alliance.core.dispatch).
    schedule_register(
        "Deliver what waits in the database (sweep)",
        task="alliance.tasks.delivery_sweep_task",
        every=dt.timedelta(minutes=1),
        description="Queues again activities not yet fanned out and emails "
        "still queued, when their task was lost.",
    )
    schedule_register(
        "Send due digests",
        task="alliance.tasks.digest_send_due_task",
        every=dt.timedelta(minutes=15),
        description="Builds and queues the daily and weekly digests that are "
        "due, oldest first, up to a cap per run.",
    )
    demo_register("notifications", seed="alliance.notifications.demo.seed", order=25)
