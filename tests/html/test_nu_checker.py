"""The Nu Html Checker (the npm package vnu-jar, run with Java) finds no error on
the portal's main pages, in English and German, signed out and signed in — the
same pages the accessibility test audits, forms also after an empty or wrong
submission.

vnu-jar is pinned in package.json and package-lock.json (``npm ci`` installs it;
``make test`` and ``.ci/run`` do). Every page is written to a folder and checked in
one run of the checker, which prints each error with its page and line.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser.test_accessibility import (
    member_checks,
    portal,  # noqa: F401 (the fixture)
    visitor_checks,
)
from tests.members.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Forms checked after an empty (or wrong) submission, with their errors shown.
SUBMITTED = {
    "account_login": {"login": "nobody@example.org", "password": "not the password"},
    "account_signup": {},
    "members:apply": {},
    "projects:entry_create": {},
    "events:event_create": {},
}


def checker() -> list[str]:
    java = shutil.which("java")
    if java and VNU.exists():
        return [java, "-Xss4m", "-jar", str(VNU)]
    reason = "the Nu Html Checker needs Java and `npm ci` (node_modules/vnu-jar)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def pages_of(client, checks, who: str, language: str) -> dict[str, str]:
    pages = {}
    for check in checks:
        response = client.get(check.path, follow=True)
        assert response.status_code == 200, f"{who} {check.path}"
        pages[f"{who} {check.path}"] = response.content.decode()
    for name, data in SUBMITTED.items():
        path = reverse(name)
        if not any(check.path == path for check in checks):
            continue
        response = client.post(path, data)
        assert response.status_code == 200, f"{who} {path} (sent)"
        pages[f"{who} {path} (sent)"] = response.content.decode()
    return pages


@pytest.mark.parametrize("language", ["en", "de"])
def test_main_pages_have_no_html_errors(client, db, portal, language, tmp_path):  # noqa: F811
    command = checker()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    pages = pages_of(client, visitor_checks(portal), "visitor", language)
    member = portal["member"]
    member.language = language
    member.save(update_fields=["language"])
    assert client.login(email=member.email, password=PASSWORD)
    pages |= pages_of(client, member_checks(portal), "member", language)

    files = {}
    for number, (name, html) in enumerate(sorted(pages.items())):
        assert f'<html lang="{language}"' in html, name
        path = tmp_path / f"page-{number:03}.html"
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        [*command, "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(result.stderr)["messages"]
    errors = [
        f"[{language}] {files.get(m.get('url', '').removeprefix('file:'))} line "
        f"{m.get('lastLine')}: {m['message']}  «{m.get('extract', '').strip()}»"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
    assert len(pages) >= 40
    assert not errors, "\n".join([f"{len(errors)} HTML errors:", *errors])
