import factory

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from tests.members.factories import MemberFactory


class WorkingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroup

    focus_area = factory.LazyFunction(lambda: FocusArea.objects.get(number=1))
    name = factory.Sequence(lambda n: f"Working Group {n}")
    slug = factory.Sequence(lambda n: f"working-group-{n}")
    summary = "A group for tests."
    charter = "## Mission\n\nTest things."


def _organization_of(user):
    affiliation = user.affiliations.filter(status="active").first()
    return affiliation.organization if affiliation else None


class WorkingGroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroupMembership

    group = factory.SubFactory(WorkingGroupFactory)
    user = factory.SubFactory(MemberFactory)
    organization = factory.LazyAttribute(lambda o: _organization_of(o.user))
    role = WorkingGroupMembership.Role.MEMBER
    status = WorkingGroupMembership.Status.ACTIVE
    voting = True


class WorkingGroupUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingGroupUpdate

    group = factory.SubFactory(WorkingGroupFactory)
    author = factory.SubFactory(MemberFactory)
    kind = WorkingGroupUpdate.Kind.NEWS
    title = factory.Sequence(lambda n: f"Update {n}")
    body = "Some **news**."


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    update = factory.SubFactory(
        WorkingGroupUpdateFactory, kind=WorkingGroupUpdate.Kind.MINUTES
    )
    text = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.SubFactory(MemberFactory)
