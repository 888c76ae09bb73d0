"""The portal's one search: the page /search/ and /api/v1/search/.

Every kind of result is found by whom may see it and by nobody else (neither as a
result, in a count nor in a highlight); on PostgreSQL words are found in English
and German stemming and as prefixes, titles rank above text, and the page and
the API run the same number of queries for 2 matching rows of each kind as for
15."""

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.core.search import _match_words, search_highlight, search_words
from alliance.working_groups.models import WorkingGroup, WorkingGroupUpdate
from events.models import Event
from members.models import Organization
from projects.services.entries import entry_search_refresh
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory

WORD = "Zephyrine"
_serial = itertools.count()


def page_titles(client, q, kind=""):
    response = client.get("/search/", {"q": q, **({"kind": kind} if kind else {})})
    assert response.status_code == 200
    return response, response.content.decode()


def api(client, q, **params):
    response = client.get("/api/v1/search/", {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world(db):
    """One visible and one hidden object of every kind, all matching WORD."""
    lab = OrganizationFactory(name=f"{WORD} Labs")
    OrganizationFactory(
        name=f"{WORD} Applicant Corp", status=Organization.Status.APPLICANT
    )
    insider = MemberFactory(name="Ingrid Insider", affiliation__organization=lab)
    outsider = MemberFactory(name="Otto Outsider")
    for visibility in ("public", "members", "hidden"):
        MemberFactory(
            name=f"{WORD} {visibility.title()}person",
            directory_visibility=visibility,
            affiliation__organization=lab,
        )
    open_group = WorkingGroupFactory(name=f"{WORD} Open Group")
    private = WorkingGroupFactory(
        name="Quiet Circle", visibility=WorkingGroup.Visibility.MEMBERS
    )
    WorkingGroupMembershipFactory(group=private, user=insider)
    WorkingGroupUpdateFactory(group=open_group, title=f"{WORD} open news")
    WorkingGroupUpdateFactory(
        group=private,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title=f"{WORD} private minutes",
        body="Secretbudget discussed.",
    )
    EventFactory(title=f"{WORD} public meetup")
    EventFactory(title=f"{WORD} members meetup", visibility=Event.Visibility.MEMBERS)
    EventFactory(title=f"{WORD} draft meetup", status=Event.Status.DRAFT)
    VettedEntryFactory(name=f"{WORD} vetted tool")
    CatalogEntryFactory(name=f"{WORD} unvetted tool")
    entry_search_refresh()
    return {"insider": insider, "outsider": outsider}


VISIBLE = {
    "anonymous": {
        f"{WORD} Labs",
        f"{WORD} Publicperson",
        f"{WORD} Open Group",
        f"{WORD} open news",
        f"{WORD} public meetup",
        f"{WORD} vetted tool",
    },
}
VISIBLE["outsider"] = VISIBLE["anonymous"] | {
    f"{WORD} Membersperson",
    f"{WORD} members meetup",
    f"{WORD} unvetted tool",
}
VISIBLE["insider"] = VISIBLE["outsider"] | {f"{WORD} private minutes"}
EVERY = VISIBLE["insider"] | {
    f"{WORD} Applicant Corp",
    f"{WORD} Hiddenperson",
    f"{WORD} draft meetup",
}


def _client_of(who, client, world):
    if who != "anonymous":
        client.force_login(world[who])
    return client


@pytest.mark.parametrize("who", ["anonymous", "outsider", "insider"])
def test_the_page_shows_every_kind_to_whom_may_see_it_and_nothing_else(
    who, client, world
):
    client = _client_of(who, client, world)
    seen = set()
    for kind in (
        "organizations",
        "people",
        "working_groups",
        "updates",
        "catalog",
        "events",
    ):
        _response, html = page_titles(client, WORD, kind)
        seen |= {title for title in EVERY if _marked(title) in html}
    assert seen == VISIBLE[who]
    _response, html = page_titles(client, WORD)
    for title in EVERY - VISIBLE[who]:
        assert _marked(title) not in html
    assert f"{len(VISIBLE[who])} results for" in html


@pytest.mark.parametrize("who", ["anonymous", "outsider", "insider"])
def test_the_api_lists_and_counts_only_what_the_caller_may_see(who, api_client, world):
    if who != "anonymous":
        api_client.force_authenticate(world[who])
    body = api(api_client, WORD, page_size=100)
    assert {r["title"] for r in body["results"]} == VISIBLE[who]
    assert body["count"] == len(VISIBLE[who])
    people = api(api_client, WORD, kind="people")
    assert {r["title"] for r in people["results"]} == {
        t for t in VISIBLE[who] if t.endswith("person")
    }


def test_a_hidden_text_is_neither_found_nor_counted_nor_highlighted(
    client, api_client, world
):
    client.force_login(world["outsider"])
    _response, html = page_titles(client, "Secretbudget")
    assert "0 results for" in html
    assert "<mark>Secretbudget</mark>" not in html
    api_client.force_authenticate(world["outsider"])
    assert api(api_client, "Secretbudget")["count"] == 0
    api_client.force_authenticate(world["insider"])
    found = api(api_client, "Secretbudget")["results"]
    assert [r["title"] for r in found] == [f"{WORD} private minutes"]
    assert "<mark>Secretbudget</mark>" in found[0]["snippet_html"]


def test_an_email_address_is_never_searched(api_client, world):
    UserFactory(email="zz-unique-mail@example.org", name="Mailless Person")
    api_client.force_authenticate(world["insider"])
    assert api(api_client, "zz-unique-mail")["count"] == 0


def _marked(title):
    # On the page the searched word is highlighted.
    return title.replace(WORD, f"<mark>{WORD}</mark>")


def test_highlights_are_escaped(client, db):
    WorkingGroupFactory(name=f"<script>alert(1)</script> {WORD} <b>group</b>")
    _response, html = page_titles(client, WORD)
    assert "<script>alert(1)" not in html
    assert (
        f"&lt;script&gt;alert(1)&lt;/script&gt; <mark>{WORD}</mark> &lt;b&gt;" in html
    )


# --- PostgreSQL: stemming, prefixes, ranking ---------------------------------------


def test_german_stemming_finds_the_plural_by_the_singular(postgres, api_client):
    WorkingGroupUpdateFactory(
        title="Neue Sicherheitswerkzeuge für Sprachmodelle", body="Wir prüfen sie."
    )
    found = api(api_client, "Sicherheitswerkzeug")["results"]
    assert [r["title"] for r in found] == [
        "Neue Sicherheitswerkzeuge für Sprachmodelle"
    ]
    assert "<mark>Sicherheitswerkzeuge</mark>" in found[0]["title_html"]


def test_english_stemming_finds_other_forms_of_a_word(postgres, api_client):
    EventFactory(title="Evaluating chatbots", description="Several evaluations.")
    found = api(api_client, "evaluation", kind="events")["results"]
    assert [r["title"] for r in found] == ["Evaluating chatbots"]
    assert "<mark>Evaluating</mark>" in found[0]["title_html"]


def test_names_match_as_typed(postgres, api_client):
    OrganizationFactory(name="Fraunhofer Institute")
    MemberFactory(name="Bartholomew Quist", directory_visibility="public")
    assert [r["title"] for r in api(api_client, "Fraunh")["results"]] == [
        "Fraunhofer Institute"
    ]
    assert [r["title"] for r in api(api_client, "barthol qui")["results"]] == [
        "Bartholomew Quist"
    ]


def test_a_title_match_ranks_above_a_text_match(postgres, client, api_client):
    group = WorkingGroupFactory()
    WorkingGroupUpdateFactory(
        group=group, title="Monthly notes", body="We talked about quantization."
    )
    WorkingGroupUpdateFactory(
        group=group, title="Quantization results", body="Numbers inside."
    )
    titles = [r["title"] for r in api(api_client, "quantization")["results"]]
    assert titles == ["Quantization results", "Monthly notes"]
    kind = api(api_client, "quantization", kind="updates")["results"]
    assert [r["title"] for r in kind] == titles
    assert kind[0]["rank"] > kind[1]["rank"]
    _response, html = page_titles(client, "quantization", "updates")
    assert html.index("<mark>Quantization</mark> results") < html.index("Monthly notes")


def test_the_word_fallback_finds_every_word_in_any_field(db):
    """SQLite's fallback (icontains per word), run here on whatever database the
    tests use."""
    WorkingGroupUpdateFactory(title="Red teaming", body="Against jailbreaks.")
    WorkingGroupUpdateFactory(title="Red pandas", body="Unrelated.")
    rows = _match_words(
        WorkingGroupUpdate.objects.all(),
        search_words("red JAILBREAK"),
        title=_f("title"),
        snippet=_f("body"),
        fields=("title", "body"),
    )
    assert [row.search_title for row in rows] == ["Red teaming"]
    assert str(search_highlight("Red teaming <x>", ["red"])) == (
        "<mark>Red</mark> teaming &lt;x&gt;"
    )


def _f(name):
    from django.db.models import F

    return F(name)


# --- bad input -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "!!"}, "q"),
        ({"q": "x", "kind": "nope"}, "kind"),
        ({"q": "x", "sort": "rank"}, "sort"),
    ],
)
def test_the_api_refuses_a_query_it_cannot_search(api_client, db, params, field):
    response = api_client.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "  "}])
def test_the_api_finds_nothing_for_nothing(api_client, db, params):
    WorkingGroupFactory()
    body = api_client.get("/api/v1/search/", params).json()
    assert body["count"] == 0
    assert body["results"] == []


def test_the_page_explains_a_query_without_words(client, db):
    response = client.get("/search/", {"q": "?!"})
    assert response.status_code == 200
    assert "Enter at least one word of letters or digits." in response.content.decode()


def test_the_header_search_box_is_on_every_page(client, db):
    html = client.get("/").content.decode()
    assert 'action="/search/"' in html
    assert '<label class="visually-hidden" for="site-search-q">' in html


def test_the_schema_documents_the_search(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {"q", "kind", "page"}


# --- constant queries --------------------------------------------------------------


def _add_matches(n, member):
    lab = OrganizationFactory(name=f"{WORD} Budget Org {next(_serial)}")
    group = WorkingGroupFactory(name=f"{WORD} Budget Group {next(_serial)}")
    for _ in range(n):
        serial = next(_serial)
        OrganizationFactory(name=f"{WORD} Org {serial}")
        MemberFactory(name=f"{WORD} Person {serial}", affiliation__organization=lab)
        WorkingGroupFactory(name=f"{WORD} Group {serial}")
        WorkingGroupUpdateFactory(group=group, title=f"{WORD} update {serial}")
        EventFactory(title=f"{WORD} event {serial}")
        CatalogEntryFactory(name=f"{WORD} entry {serial}")
    entry_search_refresh()


def _queries(client, url, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize(
    ("url", "params", "few"),
    [
        ("/search/", {"q": WORD}, 2),
        ("/search/", {"q": WORD, "kind": "people"}, 2),
        ("/api/v1/search/", {"q": WORD}, 2),
        # A page beyond each kind's first rows (alliance.search.selectors.TOP):
        # one UNION, then one query per kind shown. Both counts are past it.
        ("/api/v1/search/", {"q": WORD, "page_size": 100}, 5),
        ("/api/v1/search/", {"q": WORD, "kind": "events"}, 2),
    ],
)
def test_the_search_runs_the_same_queries_for_few_and_15_matches(
    client, db, url, params, few
):
    member = MemberFactory()
    client.force_login(member)
    _add_matches(few, member)
    few, few_html = _queries(client, url, params)
    _add_matches(15 - few, member)
    many, many_html = _queries(client, url, params)
    assert many_html.count(WORD) > few_html.count(WORD)
    # More matches never cost more queries (fewer when a kind drops off the page).
    assert many <= few
    assert many <= 24
