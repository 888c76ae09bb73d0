"""Shared caches with versioned keys (alliance.core.cache): each cached page shows
a write through its service at once, and an entry only some readers may see
never reaches the cache of readers who may not."""

import pytest
from django.db import transaction

from alliance.core.cache import (
    SharedFragment,
    bump,
    cache_versions,
    fragment_key,
    shared_fragment,
)
from projects.services.entries import entry_update
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory

pytestmark = pytest.mark.django_db


def test_a_bump_changes_the_version_now_and_again_on_commit(
    django_capture_on_commit_callbacks,
):
    first = cache_versions(["catalog", "events"])
    assert cache_versions(["catalog", "events"]) == first
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            bump("catalog")
            during = cache_versions(["catalog", "events"])
    assert during != first
    assert during.split(".")[1] == first.split(".")[1]  # events untouched
    for callback in callbacks:
        callback()
    assert cache_versions(["catalog", "events"]) not in (first, during)


def test_keys_differ_by_audience_language_and_parts():
    from django.utils import translation

    key = fragment_key(["catalog"], audience="public", parts=("a",))
    assert fragment_key(["catalog"], audience="member", parts=("a",)) != key
    assert fragment_key(["catalog"], audience="public", parts=("b",)) != key
    with translation.override("de"):
        assert fragment_key(["catalog"], audience="public", parts=("a",)) != key
    assert fragment_key(["catalog"], audience="public", parts=("a",)) == key


def test_no_audience_caches_nothing():
    fragment = shared_fragment(["catalog"], audience=None, parts=("x",))
    fragment.store("<p>mine</p>")
    assert shared_fragment(["catalog"], audience=None, parts=("x",)).html is None
    stored = shared_fragment(["catalog"], audience="public", parts=("x",))
    assert isinstance(stored, SharedFragment) and stored.html is None


# --- the catalog (/projects/) ---------------------------------------------------------


def test_catalog_shows_an_edit_at_once(client, member):
    entry = VettedEntryFactory(name="Prompt Shield")
    client.force_login(member)
    assert "Prompt Shield" in client.get("/projects/").text
    assert "Prompt Shield" in client.get("/projects/").text  # from the cache
    entry_update(entry=entry, actor=member, name="Prompt Guard")
    page = client.get("/projects/").text
    assert "Prompt Guard" in page and "Prompt Shield" not in page


def test_catalog_shows_a_new_public_entry_to_visitors_at_once(client):
    VettedEntryFactory(name="Old Tool")
    assert "Old Tool" in client.get("/projects/").text
    VettedEntryFactory(name="New Tool")
    page = client.get("/projects/").text
    assert "New Tool" in page and "Old Tool" in page


def test_a_members_only_entry_never_reaches_the_public_catalog(client, member):
    VettedEntryFactory(name="Public Tool")
    CatalogEntryFactory(name="Unvetted Secret")  # members see every entry
    client.force_login(member)
    assert "Unvetted Secret" in client.get("/projects/").text
    assert "Unvetted Secret" in client.get("/projects/?q=").text
    client.logout()
    for path in ("/projects/", "/projects/?q="):
        page = client.get(path).text
        assert "Public Tool" in page
        assert "Unvetted Secret" not in page
