"""Renewals: remind the primary contact ``Organization.RENEWAL_WINDOW`` (30 days)
before the renewal date, and let the membership lapse (and say so) once the date
has passed; each message once."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from alliance.notifications.services.activities import activity_record
from members.models import Organization, RenewalNotice
from members.selectors import organization_primary_contacts


def _notice_once(organization: Organization, kind: str) -> bool:
    """Record the notice; return False when it was sent before."""
    try:
        with transaction.atomic():
            RenewalNotice.objects.create(
                organization=organization,
                kind=kind,
                renewal_due=organization.renewal_due,
            )
    except IntegrityError:
        return False
    return True


def _notify(organization: Organization, kind: str) -> None:
    activity_record(
        kind=kind,
        target=organization,
        recipients=organization_primary_contacts(organization),
        context={
            "name": organization.name,
            "renewal_due": organization.renewal_due.isoformat(),
            "url": organization.get_absolute_url(),
        },
    )


@transaction.atomic
def renewals_process(*, today: datetime.date | None = None) -> dict[str, int]:
    """Send due renewal reminders and lapse overdue memberships; return counts."""
    today = today or timezone.localdate()
    reminded = lapsed = 0
    due_soon = Organization.objects.select_for_update().filter(
        status=Organization.Status.ACTIVE,
        renewal_due__gte=today,
        renewal_due__lte=today + Organization.RENEWAL_WINDOW,
    )
    for organization in due_soon:
        if _notice_once(organization, RenewalNotice.Kind.DUE_SOON):
            _notify(organization, "renewal_due")
            reminded += 1
    overdue = Organization.objects.select_for_update().filter(
        status=Organization.Status.ACTIVE, renewal_due__lt=today
    )
    for organization in overdue:
        organization.status = Organization.Status.LAPSED
        organization.save(update_fields=["status", "updated_at"])
        if _notice_once(organization, RenewalNotice.Kind.LAPSED):
            _notify(organization, "membership_lapsed")
        lapsed += 1
    return {"reminded": reminded, "lapsed": lapsed}
