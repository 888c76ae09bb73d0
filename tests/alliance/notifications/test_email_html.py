"""Every kind's email renders: its HTML part, parsed by an HTML parser, has no
escaped markup, links to what it is about, and a German reader's mail has no
English text (issue 12)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core import mail

from alliance.notifications.models import Delivery
from alliance.notifications.services.activities import activity_record
from alliance.notifications.services.preferences import notification_preferences_set
from alliance.registries.notification_kinds import notification_kind_keys
from tests.conftest import du_forms
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

# Made-up words, so what the context puts into a mail is never taken for the
# template's own (English or German) text.
CONTEXT = {
    "title": "Zorblax",
    "url": "/zq/",
    "group": "Quuxgroup",
    "name": "Zorblax",
    "person": "Pat Qux",
    "organization": "Quuxorg",
    "organization_url": "/zq/",
    "role": "member",
    "reason": "Xyzzy",
    "venue": "Qvenue",
    "status": "confirmed",
    "starts_at": "2030-05-01T10:00:00+00:00",
    "ends_at": "2030-05-01T12:00:00+00:00",
    "message": "Xyzzy",
    "author": "Pat Qux",
    "reviewer": "Pat Qux",
    "renewal_due": "2030-05-01",
    "voting": True,
    "verdict": "approve",
    "position": 2,
    "note": "Xyzzy",
    "kind": "news",
    "items": 2,
    "inviter": "Pat Qux",
    "due": "2030-05-01",
    "by": "Pat Qux",
    "approved": True,
    "until": "2030-05-01",
    "text": "Xyzzy",
    "summary": "Xyzzy <b>not markup</b>",
    "hours": 24,
    "format": "online",
    "email": "pat@example.org",
    "changed": ["venue"],
    "applicant": "Pat Qux",
}
DATA_WORDS = {
    "Zorblax",
    "Quuxgroup",
    "Pat",
    "Qux",
    "Quuxorg",
    "Xyzzy",
    "Qvenue",
    "not",
    "markup",
}
# The same in both languages.
NAMES = {"AI", "Alliance", "Portal", "UTC", "Europe", "Berlin", "online"}


class Parsed(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts, self.links, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.links.append(dict(attrs).get("href", ""))

    def handle_data(self, data):
        if data.strip():
            self.texts.append(" ".join(data.split()))


def parse(html: str) -> Parsed:
    parsed = Parsed()
    parsed.feed(html)
    parsed.close()
    return parsed


def _own_words(text: str) -> set[str]:
    """The words of a text node that come from the template, not the data."""
    words = set(re.findall(r"[A-Za-zÄÖÜäöüß]{2,}", re.sub(r"\S+@\S+|/\S*", "", text)))
    return words - DATA_WORDS - NAMES


@pytest.fixture
def readers():
    english = UserFactory(language="en", timezone="Europe/Berlin")
    german = UserFactory(language="de", timezone="Europe/Berlin")
    everything = {
        kind: {"email": Delivery.IMMEDIATELY} for kind in notification_kind_keys()
    }
    for person in (english, german):
        notification_preferences_set(user=person, kinds=everything)
    return english, german


@pytest.mark.parametrize("kind", notification_kind_keys())
def test_every_kinds_html_parses_clean_in_english_and_german(
    kind, readers, django_capture_on_commit_callbacks
):
    english, german = readers
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(
            kind=kind, target=english, recipients=[english, german], context=CONTEXT
        )
    by_reader = {m.to[0]: m for m in mail.outbox}
    parts = {}
    for person in (english, german):
        html, mimetype = by_reader[person.email].alternatives[0]
        assert mimetype == "text/html"
        parsed = parse(html)
        parts[person.language] = parsed
        # No escaped template markup shows as text ("<p>", "<a href=...>"); what
        # a person wrote stays text, never markup.
        for text in parsed.texts:
            text = text.replace("<b>not markup</b>", "")
            assert not re.search(r"</?(p|a|br|b|strong)\b", text), (kind, text)
        assert "b" not in parsed.tags
        assert {"html", "body", "p", "a"} <= set(parsed.tags), kind
        link = settings.SITE_URL + CONTEXT["url"]
        assert any(href.startswith(link) for href in parsed.links), (kind, link)
        assert any("/notifications/unsubscribe/" in href for href in parsed.links)
    english_texts = set(parts["en"].texts)
    for text in parts["de"].texts:
        if text in english_texts:
            assert not _own_words(text), (kind, "English in a German mail", text)
    # The footer says why, in the reader's language.
    assert any("Sie erhalten diese E-Mail" in text for text in parts["de"].texts)
    assert any("You receive this email" in text for text in parts["en"].texts)


ACCOUNT_MAILS = {
    "account/email/email_confirmation_signup": {
        "activate_url": "https://portal.example.org/accounts/confirm-email/k/",
        "code": "",
    },
    "account/email/password_reset_key": {
        "password_reset_url": "https://portal.example.org/accounts/password/reset/k/"
    },
    "account/email/unknown_account": {
        "email": "pat@example.org",
        "signup_url": "https://portal.example.org/accounts/signup/",
    },
    "account/email/account_already_exists": {
        "email": "pat@example.org",
        "password_reset_url": "https://portal.example.org/accounts/password/reset/",
    },
    "account/email/login_code": {"code": "XYZ123"},
}


@pytest.mark.parametrize("template", sorted(ACCOUNT_MAILS))
def test_account_mail_uses_the_portal_layout_address_and_sie(
    template, settings, django_capture_on_commit_callbacks
):
    """allauth's mail: the portal's HTML layout, SITE_URL (never the Sites
    framework's 127.0.0.1:8000 or example.com), German in "Sie" throughout.
    The adapter queues it in the outbox; it is sent once the request commits."""
    from allauth.account.adapter import get_adapter
    from django.utils import translation

    settings.SITE_URL = "https://portal.example.org"
    texts = {}
    for language in ("en", "de"):
        mail.outbox.clear()
        with (
            translation.override(language),
            django_capture_on_commit_callbacks(execute=True),
        ):
            get_adapter().send_mail(
                template, "pat@example.org", ACCOUNT_MAILS[template]
            )
        (message,) = mail.outbox
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html"
        parsed = parse(html)
        for text in parsed.texts:
            assert not re.search(r"</?(p|a|br)\b", text), text
        assert "https://portal.example.org" in parsed.links  # the header
        everything = message.subject + message.body + html
        assert "127.0.0.1" not in everything and "example.com" not in everything
        assert "https://portal.example.org" in message.body
        texts[language] = parsed.texts
        if language == "de":
            assert not du_forms(message.body + " ".join(parsed.texts)), template
            english = set(texts["en"])
            for text in parsed.texts:
                if text in english:
                    assert not _own_words(text) - {"XYZ"}, (template, text)
