"""What the fuzzer found, pinned: malformed URLs and NUL characters get the API's
error format, never Django's HTML pages or a 500."""

import pytest

from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/no-such-endpoint/",
        "/api/v1/catalog/a%00b/",
        "/api/v1/events/not%20a%20slug/",
        "/api/v1/applications/0.5/",
    ],
)
def test_unknown_or_malformed_api_urls_are_404_in_the_error_format(api_client, url):
    api_client.force_authenticate(MemberFactory())
    response = api_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {"detail": ["Not found."]}}


def test_pages_outside_the_api_keep_the_html_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_marking_a_malformed_notification_id_read_is_a_404(api_client):
    api_client.force_authenticate(MemberFactory())
    response = api_client.post("/api/v1/me/notifications/x1/read/")
    assert response.status_code == 404
    assert "errors" in response.json()


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (
            "/api/v1/catalog/",
            {
                "kind": "tool",
                "name": "Nul",
                "summary": "Nul",
                "focus_area": "benchmarks\x00evaluation",
            },
            "focus_area",
        ),
        (
            "/api/v1/applications/",
            {
                "organization_name": "Nul Corp",
                "kind": "company",
                "country": "DE",
                "focus_areas": ["\x00"],
            },
            "focus_areas",
        ),
    ],
)
def test_nul_characters_in_a_slug_are_a_400_not_a_500(api_client, url, body, field):
    api_client.force_authenticate(MemberFactory())
    response = api_client.post(url, body, format="json")
    assert response.status_code == 400
    # A list field names the item: "focus_areas.0".
    messages = [
        message
        for key, found in response.json()["errors"].items()
        if key.split(".")[0] == field
        for message in found
    ]
    assert "Null characters are not allowed." in messages


def test_an_oversize_body_gets_413_in_the_error_format(api_client, settings):
    """Issue 17 item 17: a body over DATA_UPLOAD_MAX_MEMORY_SIZE (3 MB here) is
    refused in the API's format, not with Django's HTML "Bad Request" page."""
    import json

    api_client.force_authenticate(MemberFactory())
    body = json.dumps({"organization_name": "x" * 3_000_000})
    response = api_client.post(
        "/api/v1/applications/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["errors"]
    assert "too large" in response.json()["errors"]["detail"][0]


def test_a_bad_request_django_refuses_is_in_the_error_format(client, settings):
    """A 400 Django raises before any view (here a malformed Host) is JSON too."""
    response = client.get("/api/v1/events/", HTTP_HOST="bad host!")
    assert response.status_code == 400
    assert response.json() == {"errors": {"detail": ["Malformed request."]}}
    page = client.get("/events/", HTTP_HOST="bad host!")
    assert page["Content-Type"].startswith("text/html")
