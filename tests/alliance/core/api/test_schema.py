"""``/api/schema/`` is built once per process and language, then served cached
(issue 17 item 5: it was anonymous, uncached and cost up to 1.8 s of CPU a call)."""

import threading
import time

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from alliance.core.api import schema as cached_schema


@pytest.fixture
def builds(monkeypatch):
    """Count the schema generations (the real generator runs)."""
    cached_schema.schema_cache_clear()
    calls = []
    real = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        time.sleep(0.2)  # let concurrent first requests overlap
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    yield calls
    cached_schema.schema_cache_clear()


def test_the_schema_is_built_once_per_language_and_served_cached(client, db, builds):
    first = client.get("/api/schema/")
    assert first.status_code == 200
    assert first["Content-Type"] == "application/vnd.oai.openapi; charset=utf-8"
    assert b"/api/v1/focus-areas/" in first.content
    again = client.get("/api/schema/")
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert len(builds) == 1

    german = client.get("/api/schema/?lang=de")
    assert german.content != first.content  # descriptions in German
    client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="de")
    # An unknown language is the default one, not a new entry to build.
    assert client.get("/api/schema/?lang=xx").content == first.content
    assert len(builds) == 2

    as_json = client.get("/api/schema/?format=json")
    assert as_json.json()["openapi"].startswith("3.")
    assert as_json["Content-Disposition"].endswith('.json"')
    assert len(builds) == 2  # the JSON is rendered from the same document


def test_concurrent_first_requests_wait_for_one_build(db, builds):
    answers = []

    def fetch():
        answers.append(Client().get("/api/schema/").status_code)

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 4
    assert len(builds) == 1
