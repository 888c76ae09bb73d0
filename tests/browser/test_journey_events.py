"""Journeys (c) and (e) of issue 8: an organizer publishes a one-seat event, two
members register (one is waitlisted), the first cancels, the second is promoted
and finds it in their inbox; then the same walked in German."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.events.factories import publisher
from tests.members.factories import PASSWORD, MemberFactory

# #a32020 (or #7f1717 under the pointer), not the teal of the main button.
DANGER_RED = re.compile(r"rgb\((163, 32, 32|127, 23, 23)\)")
WORDS = {
    "en": {
        "switch": "Switch",
        "save_draft": "Save draft",
        "draft_saved": "Draft saved",
        "publish": "Publish",
        "published": "Published: members can now register.",
        "register": "Register",
        "join_waitlist": "Join the waitlist",
        "confirmed": "Your seat is confirmed",
        "waitlisted": "You are on the waitlist: position 1",
        "cancel": "Cancel my registration",
        "confirm_cancel": "Yes, cancel my registration",
        "cancelled": "Your registration is cancelled.",
        "promoted": "You got a seat: ",
        "inbox": "Notifications",
    },
    "de": {
        "switch": "Wechseln",
        "save_draft": "Entwurf speichern",
        "draft_saved": "Entwurf gespeichert",
        "publish": "Veröffentlichen",
        "published": "Veröffentlicht: Mitglieder können sich jetzt anmelden.",
        # Not "Anmelden": that is signing in (issue 13, item 9).
        "register": "Teilnehmen",
        "join_waitlist": "Auf die Warteliste",
        "confirmed": "Ihr Platz ist bestätigt",
        "waitlisted": "Sie stehen auf der Warteliste: Platz 1",
        "cancel": "Meine Teilnahme stornieren",
        "confirm_cancel": "Ja, meine Teilnahme stornieren",
        "cancelled": "Ihre Teilnahme ist storniert.",
        "promoted": "Sie haben einen Platz: ",
        "inbox": "Benachrichtigungen",
    },
}


def person_page(new_page, person, language):
    page = new_page(locale="de-DE" if language == "de" else "en-US")
    sign_in(page, person.email, PASSWORD)
    if language == "de":
        # Switch with the footer's language switcher; the choice is remembered.
        page.locator("#language-select").select_option("de")
        page.locator(".language-switcher button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "de")
    return page


@pytest.mark.parametrize("language", ["en", "de"])
def test_one_seat_waitlist_promotion_journey(new_page, shoot, language, db):
    words = WORDS[language]
    organizer = publisher(name="Olga Organizer", timezone="Europe/Berlin")
    first = MemberFactory(name="Finn First", timezone="America/New_York")
    second = MemberFactory(name="Sara Second", timezone="Asia/Tokyo")
    title = f"Model evaluation clinic ({language})"
    start = timezone.localtime(
        timezone.now() + datetime.timedelta(days=9),
        timezone=organizer.timezone,
    ).replace(hour=15, minute=0, second=0, microsecond=0)

    # The organizer creates the event as a draft, with one seat, and publishes it.
    page = person_page(new_page, organizer, language)
    page.goto("/events/new/")
    page.fill("#id_title", title)
    page.fill("#id_description", "Bring a model; we run **safety benchmarks** on it.")
    page.select_option("#id_format", "online")
    page.fill("#id_online_url", "https://meet.example.org/clinic")
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill(
        "#id_ends_at", (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    page.fill("#id_capacity", "1")
    shoot(page, f"{language}-organizer-form")
    page.get_by_role("button", name=words["save_draft"]).click()
    expect(page.get_by_text(words["draft_saved"])).to_be_visible()
    page.get_by_role("button", name=words["publish"], exact=True).click()
    expect(page.get_by_text(words["published"])).to_be_visible()
    event_url = page.url
    shoot(page, f"{language}-organizer-published")

    # The first member takes the only seat, in place (htmx, no page load).
    page_first = person_page(new_page, first, language)
    page_first.goto(event_url)
    page_first.get_by_role("button", name=words["register"], exact=True).click()
    expect(page_first.locator("#registration-status")).to_have_text(words["confirmed"])
    expect(page_first).to_have_url(event_url)
    shoot(page_first, f"{language}-first-registered")

    # The second member finds the event full and joins the waitlist.
    page_second = person_page(new_page, second, language)
    page_second.goto(event_url)
    page_second.get_by_role("button", name=words["join_waitlist"]).click()
    expect(page_second.locator("#registration-status")).to_have_text(
        words["waitlisted"]
    )
    shoot(page_second, f"{language}-second-waitlisted")

    # The first cancels (a red button, and asked first); the second moves up.
    cancel = page_first.get_by_role("button", name=words["cancel"])
    expect(cancel).to_have_css("background-color", DANGER_RED)
    cancel.click()
    confirm = page_first.get_by_role("button", name=words["confirm_cancel"])
    expect(confirm).to_have_css("background-color", DANGER_RED)
    shoot(page_first, f"{language}-first-asked-to-confirm")
    confirm.click()
    expect(page_first.get_by_text(words["cancelled"])).to_be_visible()
    # The seat went to the second member, so the event is full again.
    expect(
        page_first.get_by_role("button", name=words["join_waitlist"])
    ).to_be_visible()

    # The second sees it in their inbox and on the event page.
    page_second.goto("/notifications/")
    expect(page_second.get_by_role("heading", name=words["inbox"])).to_be_visible()
    notice = page_second.get_by_role(
        "button", name=words["promoted"] + title, exact=True
    )
    expect(notice).to_be_visible()
    expect(page_second.locator("#unread-count")).to_have_text(re.compile(r"[1-9]"))
    shoot(page_second, f"{language}-second-inbox")
    notice.click()
    expect(page_second.locator("#registration-status")).to_have_text(words["confirmed"])
    expect(page_second.locator("#online-link")).to_be_visible()
    shoot(page_second, f"{language}-second-promoted")
