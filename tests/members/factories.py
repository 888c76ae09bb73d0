import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from members.models import Affiliation, Organization, Tier, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(
                user=obj, email=obj.email, verified=True, primary=True
            )


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tier {n}")
    slug = factory.Sequence(lambda n: f"tier-{n}")
    rank = factory.Sequence(lambda n: 100 + n)
    max_contacts = 3
    voting_seats_per_group = 1
    may_review_catalog = True
    may_publish_events = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Example Organization {n}")
    slug = factory.Sequence(lambda n: f"example-organization-{n}")
    kind = Organization.Kind.COMPANY
    country = "CH"
    tier = factory.LazyFunction(lambda: Tier.objects.get(slug="general"))
    status = Organization.Status.ACTIVE
    member_since = factory.LazyFunction(timezone.localdate)


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Affiliation.Role.MEMBER
    status = Affiliation.Status.ACTIVE


class MemberFactory(UserFactory):
    """A person actively affiliated with an active member organization."""

    affiliation = factory.RelatedFactory(
        AffiliationFactory, factory_related_name="user"
    )
