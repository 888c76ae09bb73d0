import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from alliance.focus_areas.models import FocusArea
from members.models import (
    Affiliation,
    EmailDomain,
    MembershipApplication,
    Organization,
    Tier,
    User,
)

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


class ContactFactory(UserFactory):
    """The primary contact of an active member organization."""

    affiliation = factory.RelatedFactory(
        AffiliationFactory,
        factory_related_name="user",
        role=Affiliation.Role.PRIMARY_CONTACT,
    )


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A submitted membership application (drafts: status="draft")."""

    class Meta:
        model = MembershipApplication
        skip_postgeneration_save = True

    applicant = factory.SubFactory(UserFactory)
    organization_name = factory.Sequence(lambda n: f"Applicant Organization {n}")
    kind = Organization.Kind.COMPANY
    country = "DE"
    website = "https://applicant.example"
    description = "We build open tools."
    contribution = "Two engineers for the evaluation group."
    status = MembershipApplication.Status.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)
    accepted_code_of_conduct_at = factory.LazyFunction(timezone.now)
    accepted_antitrust_policy_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def focus_areas(obj, create, extracted, **kwargs):
        if create:
            obj.focus_areas.set(
                extracted or [FocusArea.objects.get(slug="benchmarks-evaluation")]
            )


class EmailDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailDomain

    organization = factory.SubFactory(OrganizationFactory)
    domain = factory.Sequence(lambda n: f"org{n}.example")
    verified_at = factory.LazyFunction(timezone.now)


def png_upload(size=(200, 100), fmt="PNG", name="logo.png", exif=False):
    """Return an uploaded image file as a browser would send it."""
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "Secret Camera Maker"
        kwargs["exif"] = data.tobytes()
    image.save(out, format=fmt, **kwargs)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
