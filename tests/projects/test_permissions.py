"""Who may create, edit, review and read public and members-only entries, on the
pages and in the API."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from members.models import Organization, Tier
from projects.models import CatalogEntry
from tests.members.factories import OrganizationFactory, UserFactory
from tests.projects.factories import CatalogEntryFactory, member_of

PEOPLE = ["anonymous", "outsider", "member", "maintainer", "reviewer", "staff"]


@pytest.fixture
def people(db):
    quiet_tier = Tier.objects.create(
        name="Observer", slug="observer", rank=9, may_review_catalog=False
    )
    owner = OrganizationFactory(name="Owner Org")
    maintainer = member_of(owner)
    return {
        "anonymous": None,
        # Signed in, but not affiliated with a member organization.
        "outsider": UserFactory(),
        # A member whose organization's tier does not grant review.
        "member": member_of(OrganizationFactory(tier=quiet_tier)),
        "maintainer": maintainer,
        "reviewer": member_of(OrganizationFactory(name="Reviewing Org")),
        "staff": UserFactory(is_staff=True, is_superuser=True),
        "_owner": owner,
    }


@pytest.fixture
def entries(people):
    maintainer, owner = people["maintainer"], people["_owner"]
    return {
        "public": CatalogEntryFactory(
            vetting_status=CatalogEntry.Vetting.VETTED,
            maintainers=[maintainer],
            owners=[owner],
        ),
        "members": CatalogEntryFactory(
            vetting_status=CatalogEntry.Vetting.IN_REVIEW,
            vetting_round=1,
            maintainers=[maintainer],
            owners=[owner],
        ),
    }


def _client(person, api=False):
    client = APIClient() if api else Client()
    if person is not None:
        client.force_login(person)
    return client


READ = {  # (page, api) status per person, for (public, members-only) entries
    "public": dict.fromkeys(PEOPLE, (200, 200)),
    "members": {
        # A signed-out reader of a link is sent to sign in (issue 12).
        "anonymous": (302, 404),
        "outsider": (404, 404),
        "member": (200, 200),
        "maintainer": (200, 200),
        "reviewer": (200, 200),
        "staff": (200, 200),
    },
}


@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize("who", PEOPLE)
def test_read(people, entries, visibility, who):
    entry = entries[visibility]
    page = _client(people[who]).get(entry.get_absolute_url())
    api = _client(people[who], api=True).get(f"/api/v1/catalog/{entry.slug}/")
    reviews = _client(people[who], api=True).get(
        f"/api/v1/catalog/{entry.slug}/reviews/"
    )
    assert (page.status_code, api.status_code) == READ[visibility][who]
    assert reviews.status_code == READ[visibility][who][1]


def test_lists_show_members_everything_and_others_the_vetted(people, entries):
    for who in PEOPLE:
        slugs = {
            e["slug"]
            for e in _client(people[who], api=True)
            .get("/api/v1/catalog/")
            .json()["results"]
        }
        expected = {entries["public"].slug}
        if who not in ("anonymous", "outsider"):
            expected.add(entries["members"].slug)
        assert slugs == expected, who


CREATE = {
    "anonymous": (302, 401),
    "outsider": (403, 403),
    "member": (302, 201),
    "maintainer": (302, 201),
    "reviewer": (302, 201),
    "staff": (403, 403),  # staff add entries in the admin
}


@pytest.mark.parametrize("who", PEOPLE)
def test_create(people, who):
    page = _client(people[who]).post(
        "/projects/new/",
        {
            "kind": "tool",
            "name": f"Page tool {who}",
            "summary": "A tool.",
            "focus_area": 1,
        },
    )
    api = _client(people[who], api=True).post(
        "/api/v1/catalog/",
        {
            "kind": "tool",
            "name": f"Api tool {who}",
            "summary": "A tool.",
            "focus_area": "benchmarks-evaluation",
        },
        format="json",
    )
    assert (page.status_code, api.status_code) == CREATE[who]
    if who == "anonymous":
        assert page["Location"].startswith("/accounts/login/")
    created = CatalogEntry.objects.filter(created_by=people[who]).count()
    assert created == (2 if CREATE[who][1] == 201 else 0)


EDIT = {
    "public": {
        "anonymous": (302, 401),
        "outsider": (403, 403),
        "member": (403, 403),
        "maintainer": (200, 200),
        "reviewer": (403, 403),
        "staff": (200, 200),
    },
    "members": {
        "anonymous": (302, 401),
        "outsider": (404, 404),
        "member": (403, 403),
        "maintainer": (200, 200),
        "reviewer": (403, 403),
        "staff": (200, 200),
    },
}


@pytest.mark.parametrize("visibility", ["public", "members"])
@pytest.mark.parametrize("who", PEOPLE)
def test_edit(people, entries, visibility, who):
    entry = entries[visibility]
    page = _client(people[who]).get(f"/projects/{entry.slug}/edit/")
    api = _client(people[who], api=True).patch(
        f"/api/v1/catalog/{entry.slug}/", {"summary": "Changed."}, format="json"
    )
    assert (page.status_code, api.status_code) == EDIT[visibility][who]
    entry.refresh_from_db()
    changed = EDIT[visibility][who][1] == 200
    assert (entry.summary == "Changed.") is changed


REVIEW = {  # only the members-only entry waits for review
    "anonymous": (302, 401),
    "outsider": (404, 404),
    "member": (403, 403),
    "maintainer": (403, 403),
    "reviewer": (200, 201),
    "staff": (403, 403),
}


@pytest.mark.parametrize("who", PEOPLE)
def test_review(people, entries, who):
    entry = entries["members"]
    page = _client(people[who]).get(f"/projects/{entry.slug}/review/")
    api = _client(people[who], api=True).post(
        f"/api/v1/catalog/{entry.slug}/reviews/",
        {"verdict": "approve", "license_clear": True},
        format="json",
    )
    assert (page.status_code, api.status_code) == REVIEW[who]
    assert entry.reviews.count() == (1 if who == "reviewer" else 0)


@pytest.mark.parametrize("who", PEOPLE)
def test_nobody_reviews_an_entry_that_does_not_wait_for_review(people, entries, who):
    entry = entries["public"]
    api = _client(people[who], api=True).post(
        f"/api/v1/catalog/{entry.slug}/reviews/",
        {"verdict": "approve"},
        format="json",
    )
    assert api.status_code == (401 if who == "anonymous" else 403)
    assert entry.reviews.count() == 0


def test_the_review_queue_is_for_reviewers(people, entries):
    assert _client(people["member"]).get("/projects/review-queue/").status_code == 403
    page = _client(people["reviewer"]).get("/projects/review-queue/")
    assert page.status_code == 200
    assert entries["members"].name in page.content.decode()
    # A maintainer never sees their own entry in their queue.
    own = _client(people["maintainer"]).get("/projects/review-queue/")
    assert entries["members"].name not in own.content.decode()


def test_former_members_lose_the_member_catalog(people, entries):
    maintainer = people["maintainer"]
    Organization.objects.filter(pk=people["_owner"].pk).update(status="lapsed")
    response = _client(maintainer).get(entries["members"].get_absolute_url())
    assert response.status_code == 404


def test_review_rights_kept_per_person_follow_each_change_at_once(db, settings):
    """What the person's organizations allow and which groups they chair are
    kept for them between requests (issue 19); a tier's change, a chair's
    appointment and a lapse show on the next page."""
    from alliance.working_groups.models import WorkingGroupMembership
    from alliance.working_groups.services import working_group_set_role
    from members.services.organizations import organization_set_status
    from tests.alliance.factories import (
        WorkingGroupFactory,
        WorkingGroupMembershipFactory,
    )
    from tests.members.factories import MemberFactory

    person = MemberFactory()
    client = _client(person)
    organization = person.affiliations.get().organization
    tier = organization.tier

    def offers_review() -> bool:
        return "Review queue" in client.get("/projects/").content.decode()

    tier.may_review_catalog = False
    tier.save()
    assert not offers_review()
    tier.may_review_catalog = True
    tier.save()
    assert offers_review()
    tier.may_review_catalog = False
    tier.save()
    assert not offers_review()

    benchmarks = WorkingGroupFactory(slug=settings.CATALOG_BENCHMARKS_GROUP_SLUG)
    seat = WorkingGroupMembershipFactory(group=benchmarks, user=person)
    assert not offers_review()
    working_group_set_role(
        membership=seat, role=WorkingGroupMembership.Role.CHAIR, changed_by=None
    )
    assert offers_review()
    organization_set_status(
        organization=organization, status=Organization.Status.LAPSED
    )
    assert not offers_review()
