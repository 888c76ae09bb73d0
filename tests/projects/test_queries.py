"""Catalog lists run the same number of queries for 10 and for 300 entries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from alliance.core.cache import bump_all
from projects.models import CatalogEntry, Contribution
from tests.members.factories import OrganizationFactory
from tests.projects.factories import member_of

FILTERED = "kind=tool&modality=text&language=en&license=MIT&hardware=cpu&q=scanner"
PATHS = [
    "/projects/",
    f"/projects/?{FILTERED}&status=vetted&focus_area=benchmarks-evaluation",
    "/api/v1/catalog/?page_size=100",
    f"/api/v1/catalog/?{FILTERED}&page_size=100",
    "/projects/review-queue/",
    "/dashboard/",
    "/focus-areas/benchmarks-evaluation/",
]


def _add_entries(count, start, focus_area, organizations, people):
    entries = CatalogEntry.objects.bulk_create(
        [
            CatalogEntry(
                kind="tool",
                name=f"Scanner {start + i:04d}",
                slug=f"scanner-{start + i:04d}",
                summary="Scans prompts.",
                focus_area=focus_area,
                license="MIT",
                modalities=["text"],
                languages=["en", "de"],
                hardware=["cpu"],
                tags=["scanner"],
                vetting_status=["vetted", "in_review"][i % 2],
                vetting_round=1,
            )
            for i in range(count)
        ]
    )
    Through = CatalogEntry.owners.through
    Through.objects.bulk_create(
        Through(catalogentry_id=e.pk, organization_id=o.pk)
        for e in entries
        for o in organizations
    )
    Contribution.objects.bulk_create(
        Contribution(entry=e, user=person, organization=organizations[0], role=role)
        for e in entries
        for person, role in zip(people, ["maintainer", "contributor"], strict=True)
    )
    from projects.services.entries import entry_search_refresh

    entry_search_refresh()


# Every signed-in request loads the session and the person and records the
# session's activity (allauth usersessions); the page's own queries are the rest.
REQUEST_OVERHEAD = ("django_session", "usersessions_usersession", "SAVEPOINT")


def _count(client, path):
    client.get(path)  # warm this process's caches (content types, …)
    bump_all()  # measured without the shared cache (it may only lower a count)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    own = [
        q["sql"]
        for q in queries
        if not any(marker in q["sql"] for marker in REQUEST_OVERHEAD)
        and not q["sql"].startswith('SELECT "members_user"."id", "members_user"."pass')
    ]
    return len(own)


@pytest.mark.parametrize("signed_in", [False, True])
def test_lists_run_a_constant_number_of_queries(db, focus_area, signed_in):
    organizations = [OrganizationFactory(), OrganizationFactory()]
    people = [member_of(organizations[0]), member_of(organizations[0])]
    viewer = member_of(OrganizationFactory())
    # The viewer is on some teams, so "my entries" has rows too.
    client, api = Client(), APIClient()
    if signed_in:
        client.force_login(viewer)
        api.force_login(viewer)
        people = [viewer, people[1]]
    _add_entries(10, 0, focus_area, organizations, people)
    few = {}
    for path in PATHS:
        if not signed_in and path in ("/projects/review-queue/", "/dashboard/"):
            continue
        few[path] = _count(api if "/api/" in path else client, path)
    _add_entries(290, 10, focus_area, organizations, people)
    assert CatalogEntry.objects.count() == 300
    for path, count in few.items():
        many = _count(api if "/api/" in path else client, path)
        assert many == count, f"{path}: {count} queries for 10, {many} for 300"
        assert many <= 12, f"{path}: {many} queries"
