"""A person who chose a display name is found by it and never by the full name
behind it (finding "Blue Heron" by "Quarry" would tell that Jane Quarry is Blue
Heron): in the site search (page and API, on PostgreSQL's stored document and on
the word fallback SQLite uses) and in the people directory's filter. Staff, who
run the membership, still find people by their full name."""

from types import SimpleNamespace

import pytest
from django.db import connection

from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

HERON = "Blue Heron"


@pytest.fixture(params=["database", "fallback"])
def search_path(request, monkeypatch):
    """Search as the database does (PostgreSQL: the stored document) or with
    the word fallback the embedded SQLite uses, run on the same database."""
    if request.param == "fallback":
        monkeypatch.setattr(
            "alliance.core.search.connection",
            SimpleNamespace(vendor="sqlite", ops=connection.ops),
        )
    return request.param


@pytest.fixture
def people(db):
    lab = OrganizationFactory(name="Marsh Institute")
    return {
        "heron": MemberFactory(
            name="Jane Quarry",
            display_name=HERON,
            bio="Birds and evaluations.",
            directory_visibility="public",
            affiliation__organization=lab,
        ),
        "plain": MemberFactory(
            name="Ada Plainname",
            display_name="",
            directory_visibility="public",
            affiliation__organization=lab,
        ),
        "member": MemberFactory(name="Mia Member"),
        "staff": UserFactory(name="Stan Staff", is_staff=True, is_superuser=True),
        "anonymous": None,
    }


def _sign_in(client, person):
    if person is not None:
        client.force_login(person)
    return client


def _api_titles(api_client, q, **params):
    response = api_client.get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_site_search_finds_a_display_name_never_the_full_name_behind_it(
    who, client, api_client, people, search_path
):
    _sign_in(client, people[who])
    if people[who] is not None:
        api_client.force_authenticate(people[who])

    html = client.get("/search/", {"q": "Quarry"}).content.decode()
    assert "0 results for" in html and HERON not in html
    html = client.get("/search/", {"q": "Jane", "kind": "people"}).content.decode()
    assert HERON not in html
    assert _api_titles(api_client, "Quarry") == []
    assert _api_titles(api_client, "Jane Quarry", kind="people") == []

    html = client.get("/search/", {"q": "Heron"}).content.decode()
    assert "Blue <mark>Heron</mark>" in html
    assert _api_titles(api_client, "Heron", kind="people") == [HERON]
    # Nothing else changes: a bio is searched, a name is public when no display
    # name stands in for it.
    assert _api_titles(api_client, "evaluations", kind="people") == [HERON]
    assert _api_titles(api_client, "Plainname") == ["Ada Plainname"]


def test_staff_find_a_person_by_their_full_name(
    client, api_client, people, search_path
):
    client.force_login(people["staff"])
    html = client.get("/search/", {"q": "Quarry", "kind": "people"}).content.decode()
    assert HERON in html
    api_client.force_authenticate(people["staff"])
    assert _api_titles(api_client, "Jane Quarry", kind="people") == [HERON]
    assert _api_titles(api_client, "Heron", kind="people") == [HERON]
    # And in the admin's list of people, by either name.
    for q in ("Quarry", "Heron"):
        html = client.get("/admin/members/user/", {"q": q}).content.decode()
        assert "Jane Quarry" in html and HERON in html


def test_the_people_directory_filters_by_the_name_people_see(client, people):
    client.force_login(people["member"])
    html = client.get("/members/people/", {"q": "Quarry"}).content.decode()
    assert HERON not in html and "Nobody matches." in html
    html = client.get("/members/people/", {"q": "heron"}).content.decode()
    assert HERON in html
    html = client.get("/members/people/", {"q": "plainname"}).content.decode()
    assert "Ada Plainname" in html

    client.force_login(people["staff"])
    html = client.get("/members/people/", {"q": "Quarry"}).content.decode()
    assert HERON in html


def test_the_directory_and_an_organization_page_sort_people_by_the_name_shown(
    client, people
):
    # By full name Carl Brook ("Aaron Zed") would come first and Blue Heron
    # ("Jane Quarry") among the J's, hinting at the name behind it.
    lab = people["heron"].affiliations.get().organization
    MemberFactory(
        name="Aaron Zed",
        display_name="Carl Brook",
        directory_visibility="public",
        affiliation__organization=lab,
    )
    shown = ["Ada Plainname", HERON, "Carl Brook"]
    client.force_login(people["member"])
    html = client.get("/members/people/").content.decode()
    assert sorted(shown, key=html.index) == shown
    html = client.get(lab.get_absolute_url()).content.decode()
    assert sorted(shown, key=html.index) == shown
