"""Demo data of notifications: news of the newest member organizations in the
demo people's inboxes, a few already read, and everyone's digest schedule."""

from django.utils import timezone

from alliance.notifications.models import Activity, Notification
from alliance.notifications.services.activities import activity_fan_out
from alliance.notifications.services.digests import digest_settings_ensure
from members.models import User
from members.selectors import organization_list_newest

DEMO_DOMAIN = "@demo.alliance.example"


def seed(*, scale: int = 0, stdout=None) -> None:
    """Record that the newest organizations joined and tell the demo people."""
    digest_settings_ensure()
    if Activity.objects.filter(context__demo=True).exists():
        return
    people = list(User.objects.filter(email__endswith=DEMO_DOMAIN, is_active=True))
    if not people:
        return
    for organization in reversed(list(organization_list_newest(limit=6))):
        activity = Activity.objects.create(
            kind="organization_joined",
            target=organization,
            recipient_ids=[person.pk for person in people],
            context={
                "name": organization.name,
                "url": organization.get_absolute_url(),
                "demo": True,
            },
        )
        activity_fan_out(activity_id=activity.pk)
    # Everyone has read the oldest two.
    oldest = Activity.objects.filter(context__demo=True).order_by("created_at")[:2]
    Notification.objects.filter(activity__in=list(oldest)).update(
        read_at=timezone.now()
    )
