"""Every page carries the security headers; production adds HSTS and secure cookies."""

import base64
import hashlib
import re

import pytest

from tests.security import url_inventory
from tests.security.routes import all_routes, build_url
from tests.security.url_inventory import PROTECTED, PUBLIC


def header_problems(response) -> list[str]:
    """Return what is missing from the response's security headers."""
    problems = []
    policy = response.get("Content-Security-Policy", "")
    directives = {
        name: values
        for name, *values in (
            part.split() for part in policy.split(";") if part.strip()
        )
    }
    if directives.get("object-src") != ["'none'"]:
        problems.append(f"CSP object-src is {directives.get('object-src')}")
    if directives.get("base-uri") != ["'none'"]:
        problems.append(f"CSP base-uri is {directives.get('base-uri')}")
    if not directives.get("frame-ancestors"):
        problems.append("CSP has no frame-ancestors")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    return problems


# Every answer an anonymous visitor gets, on every URL pattern, is checked for
# these headers by the access test in tests/security/test_url_inventory.py.


# Answers that do not depend on who asks (the anonymous sweep covers them); the
# schema alone takes seconds to generate.
SAME_FOR_EVERYONE = {"api/schema/", "api/docs/", "health/"}


def test_every_page_a_member_opens_carries_the_security_headers(client, world):
    client.force_login(world.member)
    problems = []
    for route in all_routes():
        if url_inventory.category_of(route.route) not in (PUBLIC, PROTECTED):
            continue
        if route.route in SAME_FOR_EVERYONE:
            continue
        url = build_url(route, world.values(route))
        response = client.get(url)
        if url_inventory.server_error(route.route, response):
            problems.append(f"{url}: answered {response.status_code}")
        problems += [f"{url}: {problem}" for problem in header_problems(response)]
    assert not problems, "\n".join(problems)


def test_the_header_check_fails_without_the_policy(client, world, settings):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = False
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    problems = header_problems(client.get("/"))
    assert len(problems) == 4, problems


# --- production settings --------------------------------------------------------


@pytest.fixture
def in_production(settings, production_settings):
    """Run the request with production's transport settings, behind its proxy."""
    for name, value in production_settings.items():
        setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    return {"HTTP_HOST": "portal.example.org", "HTTP_X_FORWARDED_PROTO": "https"}


def test_production_sends_hsts_and_redirects_plain_http(client, db, in_production):
    response = client.get("/accounts/login/", **in_production)
    assert response.status_code == 200
    hsts = response["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts
    assert "includeSubDomains" in hsts
    assert not header_problems(response)

    plain = client.get("/accounts/login/", HTTP_HOST="portal.example.org")
    assert plain.status_code == 301
    assert plain["Location"] == "https://portal.example.org/accounts/login/"


def test_production_session_and_csrf_cookies_are_secure(client, member, in_production):
    page = client.get("/accounts/login/", **in_production)
    assert page.cookies["csrftoken"]["secure"] is True
    signed_in = client.post(
        "/accounts/login/",
        {"login": member.email, "password": "correct horse battery staple"},
        **in_production,
    )
    assert signed_in.status_code == 302, signed_in.content[:500]
    session = signed_in.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True


def test_the_one_inline_script_is_allowed_by_its_hash_and_nothing_else(client, db):
    """The line in <head> that sets the "js" class before the first paint runs
    under the CSP because the policy names its hash; 'unsafe-inline' stays out."""
    response = client.get("/")
    page = response.content.decode()
    inline = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(inline) == 1
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    script_src = next(
        part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.split() and part.split()[0] == "script-src"
    )
    assert f"'sha256-{digest}'" in script_src
    assert "'unsafe-inline'" not in script_src
