"""Shared API lists (alliance.core.api.caching.SharedListMixin): an audience's
answer is kept as the bytes sent, plain and compressed. A reader gets from the
cache exactly what the list builds afresh, with the links of their own scheme
and host, and their own status laid over where the list holds one."""

import gzip
import json

import pytest

from projects.api.views import CatalogEntryViewSet
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory

pytestmark = pytest.mark.django_db


def _vary(answer) -> set[str]:
    return {value.strip() for value in answer["Vary"].split(",")}


def _json(answer):
    if answer.get("Content-Encoding") == "gzip":
        return json.loads(gzip.decompress(answer.content))
    return answer.json()


def _fresh(client, monkeypatch, path, **extra):
    """The answer built for this request alone (nothing shared)."""
    with monkeypatch.context() as patched:
        patched.setattr(CatalogEntryViewSet, "shared_audience", lambda self: None)
        return client.get(path, **extra)


@pytest.mark.parametrize("encoding", ["", "gzip"])
def test_a_kept_answer_is_the_fresh_one_with_its_headers(client, monkeypatch, encoding):
    VettedEntryFactory.create_batch(27, description="Ünïcode — long " * 20)
    path = "/api/v1/catalog/?page=2&page_size=20"
    fresh = _fresh(client, monkeypatch, path, HTTP_ACCEPT_ENCODING=encoding)
    first = client.get(path, HTTP_ACCEPT_ENCODING=encoding)  # computed and kept
    kept = client.get(path, HTTP_ACCEPT_ENCODING=encoding)  # from the cache
    for answer in (first, kept):
        assert answer.status_code == 200
        assert answer["Content-Type"] == fresh["Content-Type"] == "application/json"
        assert _vary(answer) == _vary(fresh)
        assert {"Accept-Encoding", "Accept-Language"} <= _vary(answer)
        assert answer.get("Content-Encoding") == fresh.get("Content-Encoding")
        assert int(answer["Content-Length"]) == len(answer.content)
    if encoding:
        assert kept["Content-Encoding"] == "gzip"
        assert gzip.decompress(kept.content) == gzip.decompress(fresh.content)
    else:
        assert kept.content == fresh.content
    assert _json(kept)["previous"] == "http://testserver/api/v1/catalog/?page_size=20"


def test_links_are_those_of_the_readers_scheme_and_host(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "portal.example"]
    VettedEntryFactory.create_batch(3)
    path = "/api/v1/catalog/?page_size=2"
    assert client.get(path).json()["next"] == (
        "http://testserver/api/v1/catalog/?page=2&page_size=2"
    )
    other = client.get(path, secure=True, HTTP_HOST="portal.example").json()
    assert other["next"] == "https://portal.example/api/v1/catalog/?page=2&page_size=2"
    assert client.get(path).json()["next"].startswith("http://testserver/")


def test_an_indented_answer_is_kept_apart(client):
    VettedEntryFactory(name="Public Tool")
    plain = client.get("/api/v1/catalog/")
    indented = client.get("/api/v1/catalog/", HTTP_ACCEPT="application/json; indent=2")
    assert b"\n" not in plain.content and b'\n  "count": 1' in indented.content
    assert client.get("/api/v1/catalog/").content == plain.content


def test_members_only_entries_never_reach_a_visitor_from_the_cache(client, member):
    from members.services import api_token_create

    VettedEntryFactory(name="Public Tool")
    CatalogEntryFactory(name="Unvetted Secret")
    _token, raw = api_token_create(user=member, name="script")
    by_token = client.get("/api/v1/catalog/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert "Unvetted Secret" in by_token.text
    for _ in range(2):
        answer = client.get("/api/v1/catalog/", HTTP_ACCEPT_ENCODING="gzip")
        text = gzip.decompress(answer.content).decode()
        assert "Public Tool" in text and "Unvetted Secret" not in text


def test_a_rejected_token_is_refused_before_any_kept_answer(client):
    VettedEntryFactory(name="Public Tool")
    assert client.get("/api/v1/catalog/").status_code == 200  # kept for visitors
    answer = client.get("/api/v1/catalog/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert answer.status_code == 401
    assert "Public Tool" not in answer.text


def test_working_groups_list_a_new_group_at_once_with_each_readers_status(
    client, member
):
    from alliance.working_groups.services import working_group_join
    from members.services import api_token_create
    from tests.alliance.factories import WorkingGroupFactory

    first = WorkingGroupFactory(name="Evaluation")
    _token, raw = api_token_create(user=member, name="script")
    as_member = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_ENCODING": "gzip"}

    def rows(**extra):
        answer = client.get("/api/v1/working-groups/", **extra)
        assert answer.status_code == 200
        return {row["slug"]: row["my_status"] for row in _json(answer)["results"]}

    assert rows(**as_member) == {first.slug: None}
    working_group_join(group=first, user=member)
    second = WorkingGroupFactory(name="Red Teaming")
    assert rows(**as_member) == {first.slug: "active", second.slug: None}
    # The member's status is theirs: a visitor reads the shared answer.
    assert rows() == {first.slug: None, second.slug: None}
    assert rows(**as_member) == {first.slug: "active", second.slug: None}


def test_a_reader_with_none_of_the_listed_groups_costs_no_overlay_query(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance.working_groups.services import working_group_join, working_group_leave
    from members.services import api_token_create
    from tests.alliance.factories import WorkingGroupFactory

    listed, other = (
        WorkingGroupFactory(name="Alignment"),
        WorkingGroupFactory(name="Zeta"),
    )
    working_group_join(group=other, user=member)
    _token, raw = api_token_create(user=member, name="script")
    first_page = "/api/v1/working-groups/?page_size=1"

    def rows(path):
        answer = client.get(path, HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert answer.status_code == 200
        return {row["slug"]: row["my_status"] for row in answer.json()["results"]}

    assert rows(first_page) == {listed.slug: None}
    with CaptureQueriesContext(connection) as queries:
        assert rows(first_page) == {listed.slug: None}
    assert len(queries) == 1  # the token with its person
    assert rows(first_page + "&page=2") == {other.slug: "active"}
    working_group_leave(group=other, user=member)
    assert rows(first_page + "&page=2") == {other.slug: None}
    working_group_join(group=listed, user=member)
    assert rows(first_page) == {listed.slug: "active"}


def test_another_processs_write_is_seen_though_this_process_keeps_a_copy(client):
    from alliance.core.cache import _bump_now
    from projects.models import CatalogEntry

    entry = VettedEntryFactory(name="Prompt Shield")
    assert "Prompt Shield" in client.get("/api/v1/catalog/").text
    assert "Prompt Shield" in client.get("/api/v1/catalog/").text  # this process's
    # Another process renames it and bumps the namespace (no signal here).
    CatalogEntry.objects.filter(pk=entry.pk).update(name="Prompt Guard")
    assert "Prompt Shield" in client.get("/api/v1/catalog/").text
    _bump_now(["catalog"])
    answer = client.get("/api/v1/catalog/").text
    assert "Prompt Guard" in answer and "Prompt Shield" not in answer
