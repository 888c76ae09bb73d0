"""Objects to fill the URL patterns with, shared by the security tests."""

from dataclasses import dataclass

import pytest

from alliance.models import FocusArea
from members.models import Affiliation, User
from tests.alliance.factories import (
    ActionItemFactory,
    WorkingGroupFactory,
    WorkingGroupUpdateFactory,
)
from tests.events.factories import EventFactory
from tests.members.factories import ApplicationFactory, MemberFactory
from tests.projects.factories import VettedEntryFactory
from tests.security.routes import Route

# Values for objects that do not exist: the page may answer 404, never 200.
PLACEHOLDERS = {
    "slug": "no-such-thing",
    "organization_slug": "no-such-organization",
    "pk": "999999",
    "id": "999999",
    "request_id": "999999",
    "token": "not-a-real-token",
    "key": "not-a-real-key",
    "uidb36": "zz",
    "action": "approve",
    "content_type_id": "1",
    "object_id": "999999",
    "app_label": "members",
    "week": "2025-W01",
    "url": "no-such-admin-page/",
}


@dataclass
class World:
    member: User
    focus_area: FocusArea
    group: object
    update: object
    action_item: object
    entry: object
    event: object
    application: object

    def values(self, route: Route) -> dict[str, str]:
        """Return parameter values that name this world's objects for the route."""
        r = route.route
        slug = PLACEHOLDERS["slug"]
        for prefix, value in [
            ("focus-areas/", self.focus_area.slug),
            ("api/v1/^focus-areas/", self.focus_area.slug),
            ("working-groups/", self.group.slug),
            ("api/v1/^working-groups/", self.group.slug),
            ("events/groups/", self.group.slug),
            ("events/^feed/", self.group.slug),
            ("events/", self.event.slug),
            ("api/v1/^events/", self.event.slug),
            ("members/", self.organization.slug),
            ("api/v1/^organizations/", self.organization.slug),
            ("projects/", self.entry.slug),
            ("api/v1/^catalog/", self.entry.slug),
            ("api/v1/catalog/", self.entry.slug),
        ]:
            if r.startswith(prefix):
                slug = value
                break
        pk = PLACEHOLDERS["pk"]
        for fragment, value in [
            ("action-items/", self.action_item.pk),
            ("updates/<int:pk>", self.update.pk),
            ("applications/<int:pk>", self.application.pk),
            ("^applications/(?P<pk>", self.application.pk),
        ]:
            if fragment in r:
                pk = str(value)
                break
        return {
            **PLACEHOLDERS,
            "slug": slug,
            "organization_slug": self.organization.slug,
            "pk": pk,
        }

    @property
    def organization(self):
        return self.member.affiliations.get().organization


@pytest.fixture
def world(db) -> World:
    member = MemberFactory(affiliation__role=Affiliation.Role.PRIMARY_CONTACT)
    group = WorkingGroupFactory()
    update = WorkingGroupUpdateFactory(group=group, author=member)
    return World(
        member=member,
        focus_area=FocusArea.objects.get(number=1),
        group=group,
        update=update,
        action_item=ActionItemFactory(update=update, owner=member),
        entry=VettedEntryFactory(maintainers=[member]),
        event=EventFactory(organizer=member),
        application=ApplicationFactory(applicant=member),
    )
