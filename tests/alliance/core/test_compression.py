"""Pages and API answers are compressed for clients that accept gzip; the CSRF
token in a compressed page differs on every response (Django's BREACH
mitigation)."""

import gzip
import json
import re

from tests.members.factories import MemberFactory

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANY_TOKEN = re.compile(r"[A-Za-z0-9]{64}")  # a masked CSRF token


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


def test_a_page_is_compressed_whole_with_a_name_of_random_length(client, db):
    client.force_login(MemberFactory())
    plain = client.get("/events/")
    answers = [client.get("/events/", HTTP_ACCEPT_ENCODING="gzip") for _ in range(8)]
    for answer in answers:
        assert answer["Content-Encoding"] == "gzip"
        assert int(answer["Content-Length"]) == len(answer.content)
        assert answer.content[3] & gzip.FNAME  # BREACH: a name of random length
        page = gzip.decompress(answer.content).decode()
        assert ANY_TOKEN.sub("", page) == ANY_TOKEN.sub("", plain.content.decode())
    assert len({answer.content.index(b"\x00", 10) for answer in answers}) > 1


def test_an_answers_forms_share_one_csrf_token_and_a_sign_in_gets_a_new_one(rf):
    """Every form of one answer carries the same masked token (Django masks it
    afresh per answer, the BREACH mitigation); a sign-in within the request
    rotates the secret, and the forms then carry a token of the new one."""
    from django.middleware.csrf import _does_token_match, rotate_token

    from alliance.core.context_processors import request_csrf_token

    request = rf.get("/")
    first = request_csrf_token(request)
    assert request_csrf_token(request) == first
    assert _does_token_match(first, request.META["CSRF_COOKIE"])
    rotate_token(request)
    again = request_csrf_token(request)
    assert again != first
    assert _does_token_match(again, request.META["CSRF_COOKIE"])
    assert not _does_token_match(first, request.META["CSRF_COOKIE"])
