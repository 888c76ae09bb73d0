"""Every URL pattern is declared in tests/security/url_inventory.py, and an
anonymous visitor gets what the declaration says."""

from urllib.parse import urlsplit

import pytest

from tests.security import url_inventory
from tests.security.routes import Route, all_routes, build_url
from tests.security.test_headers import header_problems
from tests.security.url_inventory import (
    ADMIN,
    PROTECTED,
    PUBLIC,
    PUBLIC_ACTION,
    PUBLIC_READ,
    TOKEN,
)

SIGN_IN_PATHS = ("/accounts/login/", "/admin/login/")


def _sends_to_sign_in(response) -> bool:
    return response.status_code == 302 and urlsplit(
        response["Location"]
    ).path.startswith(SIGN_IN_PATHS)


def _refused(response) -> bool:
    return _sends_to_sign_in(response) or response.status_code in (401, 403)


def test_every_url_pattern_is_declared_in_the_inventory():
    undeclared = [
        r.route for r in all_routes() if url_inventory.category_of(r.route) is None
    ]
    assert not undeclared, (
        "These URL patterns are not declared in tests/security/url_inventory.py:\n  "
        + "\n  ".join(repr(route) for route in undeclared)
        + "\nAdd each one to URLS there with the category that says who may open it "
        "(PUBLIC, PUBLIC_READ, PUBLIC_ACTION, PROTECTED, TOKEN); the access test then "
        "checks that an anonymous visitor gets exactly that."
    )


def test_the_inventory_names_no_pattern_that_does_not_exist():
    routes = {r.route for r in all_routes()}
    stale = [route for route in url_inventory.URLS if route not in routes]
    assert not stale, (
        "tests/security/url_inventory.py declares patterns the resolver does not "
        f"know (renamed or removed?): {stale}"
    )


def _check(client, route: Route, url: str) -> str | None:
    """Return what is wrong with the anonymous answers for the route, or None."""
    category = url_inventory.category_of(route.route)
    get = client.get(url)
    if url_inventory.server_error(route.route, get):
        return f"GET answered {get.status_code}"
    if header_problems(get):
        return "GET answer lacks security headers: " + ", ".join(header_problems(get))
    if category == PUBLIC:
        if _sends_to_sign_in(get) or get.status_code in (401, 403):
            return f"declared PUBLIC but GET answered {get.status_code}"
        return None
    if category == ADMIN:
        target = urlsplit(get.get("Location", "")).path
        if get.status_code != 302 or not (
            target.startswith(SIGN_IN_PATHS) or target == "/admin/"
        ):
            return f"admin page answered {get.status_code} {target!r}, not sign-in"
        return None
    post = client.post(url)
    if url_inventory.server_error(route.route, post):
        return f"POST answered {post.status_code}"
    if category == PUBLIC_READ:
        if get.status_code != 200:
            return f"declared PUBLIC_READ but GET answered {get.status_code}"
        if post.status_code not in (401, 403, 405):
            return f"anonymous POST answered {post.status_code}"
        return None
    if category == PUBLIC_ACTION:
        if 200 <= get.status_code < 300:
            return f"declared PUBLIC_ACTION but GET answered {get.status_code}"
        if _refused(post) or post.status_code >= 400:
            return f"declared PUBLIC_ACTION but POST answered {post.status_code}"
        return None
    if category == TOKEN:
        bad = [
            f"{method} answered {r.status_code}"
            for method, r in (("GET", get), ("POST", post))
            if not 400 <= r.status_code < 500
        ]
        return "; ".join(bad) + " for a made-up secret" if bad else None
    assert category == PROTECTED, category
    answers = [("GET", get), ("POST", post)]
    wrong = [
        f"{method} answered {r.status_code} {r.get('Location', '')}".strip()
        for method, r in answers
        if not (_refused(r) or r.status_code == 405)
    ]
    if wrong:
        return "declared PROTECTED but " + "; ".join(wrong)
    if all(r.status_code == 405 for _, r in answers):
        return "declared PROTECTED but refuses GET and POST alike (405)"
    return None


def test_anonymous_visitors_get_what_the_inventory_declares(client, world, settings):
    """Also: every answer carries the security headers (tests/security/test_headers)."""
    settings.HEALTH_WORKER_TIMEOUT = 0.1
    problems = []
    for route in all_routes():
        url = build_url(route, world.values(route))
        problem = _check(client, route, url)
        if problem:
            problems.append(f"{route.route!r} ({url}): {problem}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "category", [PUBLIC, PUBLIC_READ, PUBLIC_ACTION, PROTECTED, TOKEN, ADMIN]
)
def test_the_access_check_fails_for_a_route_that_breaks_its_declaration(
    client, world, category, monkeypatch
):
    """Declaring the wrong category is caught (the check itself can fail)."""
    public_page = Route("members/", "members:directory")
    private_page = Route("dashboard/", "dashboard")
    wrong = {
        PUBLIC: private_page,
        PUBLIC_READ: private_page,
        PUBLIC_ACTION: private_page,
        PROTECTED: public_page,
        TOKEN: public_page,
        ADMIN: public_page,
    }[category]
    monkeypatch.setitem(url_inventory.URLS, wrong.route, category)
    assert _check(client, wrong, build_url(wrong, {})) is not None
