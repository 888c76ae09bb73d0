"""Pages and API answers are compressed for clients that accept gzip; the CSRF
token in a compressed page differs on every response (Django's BREACH
mitigation)."""

import gzip
import json
import re

from tests.members.factories import MemberFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_pages_are_compressed_with_a_fresh_csrf_token_each(client, db):
    client.force_login(MemberFactory())
    first = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    second = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    html = [gzip.decompress(r.content).decode() for r in (first, second)]
    assert "</html>" in html[0]
    tokens = [TOKEN.search(page).group(1) for page in html]
    assert tokens[0] != tokens[1]


def test_api_answers_are_compressed_and_plain_without_gzip(client, db):
    compressed = client.get("/api/v1/focus-areas/", HTTP_ACCEPT_ENCODING="gzip")
    assert compressed["Content-Encoding"] == "gzip"
    plain = client.get("/api/v1/focus-areas/")
    assert not plain.has_header("Content-Encoding")
    assert json.loads(gzip.decompress(compressed.content)) == plain.json()
    assert plain.json()
