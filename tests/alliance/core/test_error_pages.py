"""The 403, 404, 500 and 503 pages look like the portal, in English and German;
the 500 and 503 pages render without touching the database (issue 18, item 2)."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from alliance.core.api.errors import server_error


def handled(exc: Exception, path: str = "/events/"):
    """Call the 500 handler as Django does: inside the except block."""
    request = RequestFactory().get(path)
    try:
        raise exc
    except Exception:  # noqa: BLE001
        with CaptureQueriesContext(connection) as queries:
            response = server_error(request)
    assert len(queries) == 0
    return response


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Page not found"), ("de", "Seite nicht gefunden")],
)
def test_the_404_page_is_the_portals(client, db, language, title):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert 'class="site-header"' in body and title in body


def test_the_403_page_is_the_portals(rf, db):
    from django.views import defaults

    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    with translation.override("de"):
        response = defaults.permission_denied(request, PermissionDenied())
    body = response.content.decode()
    assert response.status_code == 403
    assert 'class="site-header"' in body and "Nicht erlaubt" in body


def test_an_unavailable_database_gives_the_503_page_others_the_500_page(db):
    unavailable = handled(OperationalError("the database did not answer"))
    assert unavailable.status_code == 503
    assert unavailable["Retry-After"] == "30"
    assert "Briefly unavailable" in unavailable.content.decode()
    with translation.override("de"):
        german = handled(OperationalError("timeout"))
    assert "Kurzzeitig nicht erreichbar" in german.content.decode()
    broken = handled(ValueError("a bug"))
    assert broken.status_code == 500
    assert 'class="site-header"' in broken.content.decode()
    assert "Something went wrong" in broken.content.decode()


def test_the_api_gets_its_error_format_with_a_503(db):
    response = handled(OperationalError("timeout"), path="/api/v1/events/")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "errors": {
            "detail": [
                "The service is briefly unavailable; please try again in a minute."
            ]
        }
    }
