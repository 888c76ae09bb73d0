"""No `next` (or Referer) the portal accepts sends anyone off-site.

The parameters were found by grepping our views and templates for ``next`` and
reading allauth's and Django's views: sign-in (by password, by emailed code, with a
second factor), sign-up, sign-out, reauthentication, the language switch, the
working-group actions that return to where they were clicked (join, leave, answer
an invitation, tick an action item), and the admin's sign-in and sign-out.
"""

import re
import time
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core import mail
from django.core.cache import cache

from tests.alliance.factories import WorkingGroupFactory
from tests.members.factories import PASSWORD, MemberFactory, UserFactory

HOST = "testserver"
SAFE = "/members/"
PAYLOADS = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/path?x=1",
    "/\\evil.example",
    "\\\\/evil.example",
    "\\/\\/evil.example",
    "/\t/evil.example",
    " //evil.example",
    "https:evil.example",
    "https:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "///evil.example",
    "////evil.example",
    "http://127.0.0.1.evil.example",
    "http://testserver@evil.example",
    "http://evil.example\\@testserver",
    "http://testserver.evil.example/",
]


def leaves_site(location: str) -> bool:
    """Whether a browser following this Location would leave the portal."""
    # Browsers drop tabs and newlines, trim spaces and read "\" as "/".
    cleaned = re.sub(r"[\t\n\r]", "", location).strip().replace("\\", "/")
    cleaned = re.sub(r"^/{2,}", "//", cleaned)
    parts = urlsplit(cleaned)
    if parts.scheme:
        return parts.scheme not in ("http", "https") or parts.hostname != HOST
    return parts.netloc not in ("", HOST)


def test_leaves_site_recognizes_every_payload_and_no_local_path():
    for payload in PAYLOADS:
        if payload.startswith(("%2F", "/%2F")):
            continue  # a path on the portal itself: harmless as a Location
        assert leaves_site(payload), payload
    for local in ("/", SAFE, "/events/?when=past", f"http://{HOST}/members/"):
        assert not leaves_site(local), local


def _check(response, payload, problems, what):
    location = response.get("Location", "")
    if response.status_code in (301, 302, 303, 307, 308) and leaves_site(location):
        problems.append(f"{what} with next={payload!r} redirected to {location!r}")


def _assert_safe(flow):
    """Run flow(next) for a local path (it must be followed) and every payload."""
    control = flow(SAFE)
    assert urlsplit(control.get("Location", "")).path == SAFE, (
        "the flow does not honour a local next, so it cannot show that it refuses "
        f"a foreign one: {control.status_code} {control.get('Location')}"
    )
    problems = []
    for payload in PAYLOADS:
        cache.clear()  # rate limits count every attempt of the loop
        _check(flow(payload), payload, problems, flow.__name__)
    assert not problems, "\n".join(problems)


def test_sign_in_by_password(client, user):
    def sign_in(next_url):
        client.logout()
        return client.post(
            "/accounts/login/",
            {"login": user.email, "password": PASSWORD, "next": next_url},
        )

    _assert_safe(sign_in)


def test_sign_in_page_when_already_signed_in(client, user):
    client.force_login(user)

    def open_sign_in(next_url):
        return client.get("/accounts/login/", {"next": next_url})

    _assert_safe(open_sign_in)


def test_sign_up_page_when_already_signed_in(client, user):
    client.force_login(user)

    def open_sign_up(next_url):
        return client.get("/accounts/signup/", {"next": next_url})

    _assert_safe(open_sign_up)


def test_sign_up(client, db):
    problems = []
    for number, payload in enumerate(PAYLOADS):
        cache.clear()
        client.logout()
        response = client.post(
            f"/accounts/signup/?next={payload}",
            {
                "email": f"newcomer{number}@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": payload,
            },
        )
        assert response.status_code == 302, response.content[:300]
        _check(response, payload, problems, "sign-up")
    assert not problems, "\n".join(problems)


def test_sign_in_by_emailed_code(client, db, django_capture_on_commit_callbacks):
    def sign_in_by_code(next_url):
        client.logout()
        person = UserFactory()
        with django_capture_on_commit_callbacks(execute=True):  # the mail is queued
            response = client.post(
                f"/accounts/login/code/?next={next_url}",
                {"email": person.email, "next": next_url},
            )
        assert response.status_code == 302, response.content[:300]
        code = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", mail.outbox[-1].body, re.M)[1]
        return client.post(response["Location"], {"code": code, "next": next_url})

    _assert_safe(sign_in_by_code)


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_sign_in_with_a_second_factor(client, user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)

    def sign_in_with_totp(next_url):
        client.logout()
        first = client.post(
            "/accounts/login/",
            {"login": user.email, "password": PASSWORD, "next": next_url},
        )
        assert first["Location"] == "/accounts/2fa/authenticate/"
        # allauth remembers a used code in the cache; each round clears it.
        cache.clear()
        return client.post(
            "/accounts/2fa/authenticate/",
            {"code": totp_code(secret), "next": next_url},
        )

    _assert_safe(sign_in_with_totp)


def test_sign_out(client, user):
    def sign_out(next_url):
        client.force_login(user)
        return client.post("/accounts/logout/", {"next": next_url})

    _assert_safe(sign_out)


def test_reauthenticate(client, user):
    client.force_login(user)

    def reauthenticate(next_url):
        return client.post(
            f"/accounts/reauthenticate/?next={next_url}",
            {"password": PASSWORD, "next": next_url},
        )

    _assert_safe(reauthenticate)


@pytest.mark.parametrize("signed_in", [False, True])
def test_language_switch(client, user, signed_in):
    if signed_in:
        client.force_login(user)

    def switch_language(next_url):
        return client.post("/i18n/setlang/", {"language": "de", "next": next_url})

    _assert_safe(switch_language)
    problems = []
    for payload in PAYLOADS:
        response = client.post(
            "/i18n/setlang/", {"language": "en"}, HTTP_REFERER=payload
        )
        _check(response, payload, problems, "language switch (Referer)")
    assert not problems, "\n".join(problems)


def test_working_group_actions(client, db):
    member = MemberFactory()
    group = WorkingGroupFactory(join_policy="open")
    client.force_login(member)

    def join_or_leave(next_url):
        joined = group.memberships.filter(user=member, status="active").exists()
        action = "leave" if joined else "join"
        return client.post(
            f"/working-groups/{group.slug}/{action}/", {"next": next_url}
        )

    def join_with_next_in_query(next_url):
        joined = group.memberships.filter(user=member, status="active").exists()
        action = "leave" if joined else "join"
        return client.post(f"/working-groups/{group.slug}/{action}/?next={next_url}")

    _assert_safe(join_or_leave)
    _assert_safe(join_with_next_in_query)


def test_admin_sign_in_and_sign_out(client, staff_user):
    def admin_sign_in_page(next_url):
        return client.get("/admin/login/", {"next": next_url})

    problems = []
    for payload in PAYLOADS:
        _check(admin_sign_in_page(payload), payload, problems, "admin sign-in")
    client.force_login(staff_user)
    for payload in PAYLOADS:
        _check(admin_sign_in_page(payload), payload, problems, "admin sign-in")

    def admin_sign_out(next_url):
        client.force_login(staff_user)
        return client.post("/admin/logout/", {"next": next_url})

    for payload in PAYLOADS:
        _check(admin_sign_out(payload), payload, problems, "admin sign-out")
    assert not problems, "\n".join(problems)
