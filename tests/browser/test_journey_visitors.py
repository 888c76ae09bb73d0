"""Issue 13, item 2: a visitor who is not signed in is never told that UTC is
their time zone. The first page shows each event in its own zone and says so;
the browser's zone, which portal.js stores, is used from the next page on, and
nothing on a page changes after it is shown (no flash)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE
from tests.events.factories import EventFactory

WORDS = {
    "en": {
        "own_zone": "Times are shown in each event’s own time zone.",
        "browser_zone": "Times are shown in your browser’s time zone (Europe/Berlin).",
        "osaka": "midnight–3 a.m. JST",
        "berlin": "5 p.m.–8 p.m. CEST",
    },
    "de": {
        "own_zone": (
            "Zeiten werden in der Zeitzone der jeweiligen Veranstaltung angezeigt."
        ),
        "browser_zone": (
            "Zeiten werden in der Zeitzone Ihres Browsers angezeigt (Europe/Berlin)."
        ),
        "osaka": "00:00–03:00 JST",
        "berlin": "17:00–20:00 CEST",
    },
}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_visitor_in_berlin_sees_truthful_time_zones(
    new_page, shoot, db, language, viewport
):
    words = WORDS[language]
    start = datetime.datetime(2031, 6, 4, 0, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    EventFactory(
        title="Osaka workshop",
        time_zone="Asia/Tokyo",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )
    page = new_page(
        locale="de-DE" if language == "de" else "en-US",
        viewport=viewport,
        timezone_id="Europe/Berlin",
    )
    page.goto("/events/")
    note = page.locator("#time-zone-note")
    expect(note).to_have_text(words["own_zone"])
    expect(page.get_by_text(words["osaka"])).to_be_visible()
    # The date beside it is the event's own date too (4 June, not 3 June in UTC).
    expect(page.locator(".event-day")).to_have_text("4")
    # The page keeps what it said once its script has run: no flash.
    page.wait_for_load_state("networkidle")
    expect(note).to_have_text(words["own_zone"])
    shoot(page, f"{language}-first-visit")

    page.reload()
    expect(note).to_have_text(words["browser_zone"])
    expect(page.get_by_text(words["berlin"])).to_be_visible()
    expect(page.locator(".event-day")).to_have_text("3")
    shoot(page, f"{language}-next-page")
