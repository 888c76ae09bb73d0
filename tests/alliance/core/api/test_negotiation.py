"""Content negotiation (alliance.core.api.negotiation): the usual JSON client
is answered without parsing its Accept header, and every client gets what
DRF's own negotiation gives it."""

import pytest
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer, StaticHTMLRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from alliance.core.api.negotiation import JsonFirstNegotiation

ACCEPTS = [
    None,
    "*/*",
    "application/json",
    " application/json ",
    "application/json; indent=2",
    "application/*",
    "text/html, application/json;q=0.9",
    "text/html",
]


def _select(negotiation, accept, renderers, path="/api/v1/catalog/"):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(APIRequestFactory().get(path, **headers))
    try:
        renderer, media_type = negotiation.select_renderer(request, renderers)
    except NotAcceptable:
        return "406"
    return type(renderer), media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize(
    "renderers", [[JSONRenderer()], [StaticHTMLRenderer(), JSONRenderer()]]
)
@pytest.mark.parametrize("path", ["/api/v1/catalog/", "/api/v1/catalog/?format=json"])
def test_the_same_choice_as_drfs_negotiation(accept, renderers, path):
    assert _select(JsonFirstNegotiation(), accept, renderers, path) == _select(
        DefaultContentNegotiation(), accept, renderers, path
    )


def test_an_api_answer_still_refuses_what_it_cannot_send(client, db):
    assert client.get("/api/v1/focus-areas/").status_code == 200
    assert (
        client.get("/api/v1/focus-areas/", HTTP_ACCEPT="text/html").status_code == 406
    )
    answer = client.get("/api/v1/focus-areas/", HTTP_ACCEPT="*/*")
    assert answer["Content-Type"] == "application/json"
