import datetime
import zoneinfo

import factory
from django.utils import timezone

from events.models import Event, Registration
from tests.members.factories import MemberFactory


def in_days(days: float, hour: int | None = None) -> datetime.datetime:
    moment = timezone.now() + datetime.timedelta(days=days)
    if hour is not None:
        moment = moment.replace(hour=hour, minute=0, second=0, microsecond=0)
    return moment


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Evaluation Workshop {n}")
    slug = factory.Sequence(lambda n: f"evaluation-workshop-{n}")
    description = "We compare **safety benchmarks**."
    kind = Event.Kind.WORKSHOP
    format = Event.Format.ONLINE
    online_url = "https://meet.example.org/secret-room"
    organizer = factory.SubFactory(MemberFactory)
    starts_at = factory.LazyFunction(lambda: in_days(7, hour=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    time_zone = zoneinfo.ZoneInfo("Europe/Berlin")
    status = Event.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    visibility = Event.Visibility.PUBLIC


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(MemberFactory)
    status = Registration.Status.CONFIRMED


def publisher(**kwargs):
    """A member whose organization's tier grants publishing events."""
    from members.models import Tier

    return MemberFactory(
        affiliation__organization__tier=Tier.objects.get(slug="founding"), **kwargs
    )
