"""German is complete: every string of the code and templates is translated."""

import re
import shutil
import subprocess
import sys
from html import unescape
from pathlib import Path

import polib
import pytest

from tests.conftest import du_forms, need

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _untranslated(po):
    return [
        e.msgid
        for e in po
        if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]


def test_every_german_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    assert len(po) > 100
    assert _untranslated(po) == []


def test_compiled_catalog_matches_the_po_file():
    po = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(PO))
    }
    mo = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.mofile(str(MO))
    }
    assert mo == po, "run `make messages` and commit locale/de/LC_MESSAGES/django.mo"


def test_po_file_holds_every_string_of_the_code(tmp_path):
    """Extract the strings again in a copy of the tree: none may lack German."""
    need(shutil.which("xgettext") is not None, "xgettext (apt-get install gettext)")
    copy = tmp_path / "tree"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "static", "media")
    for name in ("alliance", "members", "projects", "events", "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=ignore)
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "de",
            "--no-obsolete",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "alliance.settings.base",
        },
    )
    fresh = polib.pofile(str(copy / "locale" / "de" / "LC_MESSAGES" / "django.po"))
    missing = _untranslated(fresh)
    assert missing == [], f"strings without a German translation: {missing[:20]}"


def _visible_text(html):
    """The page's words a reader sees or hears: text, titles, labels, placeholders."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    attributes = re.findall(
        r'(?i)\b(?:title|placeholder|aria-label|alt|value)="([^"]*)"', html
    )
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + " ".join(attributes))


@pytest.mark.django_db
def test_allauth_pages_speak_to_a_german_reader_as_sie(client, member):
    """allauth's own German says "du" in places; every account page the
    portal shows uses "Sie" (issue 13, item 9)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    pages = {}
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        pages[url] = client.get(url)
    pages["/accounts/login/code/"] = client.get("/accounts/login/code/")
    response = client.post(
        "/accounts/login/code/", {"email": member.email}, follow=True
    )
    pages["/accounts/login/code/confirm/"] = response
    client.force_login(member)
    pages["/accounts/email/"] = client.get("/accounts/email/")
    pages["/accounts/password/change/"] = client.get("/accounts/password/change/")
    informal = set()
    for url, response in pages.items():
        assert response.status_code == 200, url
        html = response.content.decode()
        assert 'lang="de"' in html, url
        lines = _visible_text(html).splitlines()
        informal.update(
            {(url, " ".join(line.split())) for line in lines if du_forms(line)}
        )
    assert informal == set()
