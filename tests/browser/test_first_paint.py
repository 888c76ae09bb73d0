"""Issue 13, item 11 (Lighthouse, signed out, on a phone): nothing moves when the
portal's script loads (the page is painted with its final layout), and every main
page has its own meta description, in English and in German."""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from tests.alliance.factories import WorkingGroupFactory
from tests.browser.conftest import DESKTOP, PHONE
from tests.events.factories import EventFactory
from tests.members.factories import OrganizationFactory
from tests.projects.factories import VettedEntryFactory

LOCALE = {"en": "en-US", "de": "de-DE"}

# Sums every layout shift of the page from its first paint on, as Lighthouse's
# CLS does for a page load (shifts right after a person's input do not count).
RECORD_SHIFTS = """
window.__shifts = [];
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__shifts.push({
      value: entry.value,
      sources: entry.sources.map(s => s.node ? s.node.nodeName + '#' + s.node.id : '')
    });
  }
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_nothing_shifts_when_the_script_loads(new_page, shoot, db, language, viewport):
    EventFactory()
    page = new_page(locale=LOCALE[language], viewport=viewport)
    page.add_init_script(RECORD_SHIFTS)
    blocked = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and blocked.append(message.text)
        ),
    )
    for path in ("/", "/events/", "/members/", "/focus-areas/"):
        page.goto(path)
        page.wait_for_load_state("load")
        expect(page.locator("html")).to_have_class("js")
        page.wait_for_timeout(300)
        shifts = page.evaluate("window.__shifts")
        assert sum(shift["value"] for shift in shifts) < 0.01, (path, shifts)
    # The inline script that sets the class is allowed by the CSP.
    assert not blocked, blocked
    if viewport == PHONE:
        # The menu is folded on a phone from the first paint, and opens.
        expect(page.locator("#primary-nav")).to_be_hidden()
        page.locator(".nav-toggle").click()
        expect(page.locator("#primary-nav")).to_be_visible()
    shoot(page, f"{language}-focus-areas")


def test_without_javascript_the_menu_is_open_and_nothing_is_hidden(
    browser, live_server, db
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto("/")
        expect(page.locator("html")).to_have_class("no-js")
        expect(page.locator("#primary-nav")).to_be_visible()
        expect(page.locator(".nav-toggle")).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_main_page_has_its_own_meta_description(new_page, db, language):
    organization = OrganizationFactory(name="Fabrikam Research")
    entry = VettedEntryFactory(summary="A red-teaming harness for chat models.")
    event = EventFactory(title="Evaluation summit")
    group = WorkingGroupFactory(summary="Shared safety benchmarks, measured openly.")
    pages = [
        "/",
        "/focus-areas/",
        "/focus-areas/benchmarks-evaluation/",
        "/members/",
        organization.get_absolute_url(),
        "/projects/",
        entry.get_absolute_url(),
        "/events/",
        event.get_absolute_url(),
        "/working-groups/",
        group.get_absolute_url(),
        "/accounts/login/",
    ]
    page = new_page(locale=LOCALE[language], viewport=PHONE)
    descriptions = {}
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        meta = page.locator('head meta[name="description"]')
        expect(meta).to_have_count(1)
        descriptions[path] = meta.get_attribute("content").strip()
        assert len(descriptions[path]) >= 30, (path, descriptions[path])
    # Each page says what it is, not one sentence for all.
    assert len(set(descriptions.values())) == len(pages), descriptions
    assert "Fabrikam Research" in descriptions[organization.get_absolute_url()]
    assert "Evaluation summit" in descriptions[event.get_absolute_url()]
    if language == "de":
        with translation.override("en"):
            english = translation.gettext(
                "Workshops, calls and conferences of the AI Alliance and its "
                "working groups, with registration and calendar feeds."
            )
        assert descriptions["/events/"] != english
        assert "Veranstaltung" in descriptions[event.get_absolute_url()]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_sign_in_help_link_is_big_enough_to_tap(new_page, db, language):
    page = new_page(locale=LOCALE[language], viewport=PHONE)
    page.goto("/accounts/login/")
    link = page.locator("#id_password_helptext a")
    expect(link).to_be_visible()
    assert link.bounding_box()["height"] >= 24  # WCAG 2.2 target size (minimum)
