import factory

from alliance.focus_areas.models import FocusArea
from members.models import Affiliation
from projects.models import CatalogEntry, Contribution
from tests.members.factories import MemberFactory


def member_of(organization, **kwargs):
    """Return a new person actively affiliated with ``organization``."""
    return MemberFactory(affiliation__organization=organization, **kwargs)


class CatalogEntryFactory(factory.django.DjangoModelFactory):
    """An entry written straight to the database (tests of reads and lists)."""

    class Meta:
        model = CatalogEntry
        skip_postgeneration_save = True

    kind = CatalogEntry.Kind.TOOL
    name = factory.Sequence(lambda n: f"Catalog Entry {n}")
    slug = factory.Sequence(lambda n: f"catalog-entry-{n}")
    summary = "Checks models for unsafe behaviour."
    description = "A **tool** for tests."
    focus_area = factory.LazyFunction(lambda: FocusArea.objects.get(number=1))
    license = "Apache-2.0"
    modalities = factory.LazyFunction(lambda: ["text"])
    languages = factory.LazyFunction(lambda: ["en"])
    hardware = factory.LazyFunction(lambda: ["cpu"])
    tags = factory.LazyFunction(lambda: ["safety"])

    @factory.post_generation
    def maintainers(obj, create, extracted, **kwargs):
        for user in extracted or []:
            affiliation = Affiliation.objects.filter(user=user).first()
            Contribution.objects.create(
                entry=obj,
                user=user,
                role=Contribution.Role.MAINTAINER,
                organization=affiliation.organization if affiliation else None,
            )

    @factory.post_generation
    def owners(obj, create, extracted, **kwargs):
        if extracted:
            obj.owners.set(extracted)


class VettedEntryFactory(CatalogEntryFactory):
    vetting_status = CatalogEntry.Vetting.VETTED
    vetting_round = 1
