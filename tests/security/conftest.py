"""Objects to fill the URL patterns with, and the production settings, shared by
the security tests."""

import datetime as dt
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone

from alliance.focus_areas.models import FocusArea
from alliance.governance.services import ballot_open
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

ROOT = Path(__file__).resolve().parents[2]

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
    "status": "lapsed",
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
    ballot: object = None

    def values(self, route: Route) -> dict[str, str]:
        """Return parameter values that name this world's objects for the route."""
        r = route.route
        slug = PLACEHOLDERS["slug"]
        for prefix, value in [
            ("focus-areas/", self.focus_area.slug),
            ("api/v1/^focus-areas/", self.focus_area.slug),
            ("working-groups/", self.group.slug),
            ("ballots/new/", self.group.slug),
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
            ("ballots/<int:pk>", self.ballot.pk),
            ("^ballots/(?P<pk>", self.ballot.pk),
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
        ballot=ballot_open(
            created_by=member,
            group=group,
            question="Adopt the charter?",
            closes_at=timezone.now() + dt.timedelta(days=2),
        ),
    )


TRANSPORT_SETTINGS = [
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "ALLIANCE_ADMIN_REQUIRE_MFA",
]


def settings_of(module: str, **env) -> dict:
    """Load a settings module in a fresh process and return the transport settings."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "ALLIANCE_", "SECURE_")) and k != "CI"
    }
    environment.update(DJANGO_SETTINGS_MODULE=module, **env)
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"names = {TRANSPORT_SETTINGS!r}; "
        "print(json.dumps({n: getattr(settings, n) for n in names}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def production_settings() -> dict:
    return settings_of(
        "alliance.settings.production",
        DJANGO_SECRET_KEY="x" * 20 + "-production-test-secret-" + "y" * 20,
        DJANGO_ALLOWED_HOSTS="portal.example.org",
    )
