"""The header's search box and the search page as a member uses them, in English
and German, at 390 and 1280 px (screenshots in test-artifacts/screenshots/)."""

import pytest
from playwright.sync_api import expect

from alliance.working_groups.models import WorkingGroupUpdate
from projects.services.entries import entry_search_refresh
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupUpdateFactory
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, sign_in
from tests.events.factories import EventFactory
from tests.members.factories import PASSWORD, MemberFactory, OrganizationFactory
from tests.projects.factories import VettedEntryFactory


def fill_portal():
    """Something of every kind about safety tools, in English and German."""
    lab = OrganizationFactory(name="Fraunhofer-Institut für Sichere Werkzeuge")
    MemberFactory(
        name="Greta Werkzeugmacher",
        bio="Baut Sicherheitswerkzeuge für offene Modelle.",
        affiliation__organization=lab,
    )
    group = WorkingGroupFactory(
        name="Safety Tools", summary="Sicherheitswerkzeuge and red-teaming tools."
    )
    WorkingGroupUpdateFactory(
        group=group,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title="Protokoll: neue Sicherheitswerkzeuge",
        body="Wir haben drei Sicherheitswerkzeuge für Sprachmodelle verglichen.",
    )
    WorkingGroupUpdateFactory(
        group=group,
        kind=WorkingGroupUpdate.Kind.DECISION,
        title="Adopt the safety tools checklist",
        body="The group adopts the checklist for <b>safety</b> tools.",
    )
    EventFactory(title="Safety tools day", description="Demos of safety tools.")
    VettedEntryFactory(
        name="Sicherheitswerkzeug-Baukasten",
        summary="Werkzeuge, die Sprachmodelle auf Sicherheit prüfen.",
    )
    entry_search_refresh()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_header_search_finds_everything_in_both_languages(
    new_page, shoot, request, language, viewport
):
    person = MemberFactory(language=language)
    fill_portal()
    page = new_page(locale="de-DE" if language == "de" else "en-US", viewport=viewport)
    sign_in(page, person.email, PASSWORD)
    page.goto("/")
    label = "Im Portal suchen" if language == "de" else "Search the portal"
    box = page.locator("header").get_by_label(label, exact=True)
    if viewport is PHONE:
        # On a phone the search box opens with the menu.
        expect(box).to_be_hidden()
        page.get_by_role("button", name="Menü" if language == "de" else "Menu").click()
    expect(box).to_be_visible()
    # The box fits the phone's width, and the page does not scroll sideways.
    assert box.bounding_box()["x"] + box.bounding_box()["width"] <= viewport["width"]
    box.fill("Sicherheitswerkzeug")
    box.press("Enter")
    page.wait_for_url("**/search/?q=Sicherheitswerkzeug")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    if viewport is DESKTOP:
        # The box leaves the main navigation on one line.
        links = page.locator(".primary-nav a")
        tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
        assert len(tops) == 1, f"the navigation wraps onto {len(tops)} lines"
    results = page.locator(".search-hit")
    expect(results.first).to_be_visible()
    expect(page.locator(".search-hit mark").first).to_be_visible()
    expect(page.locator(".search-group h2").first).to_be_visible()
    width = "390" if viewport is PHONE else "1280"
    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"results-{language}-{width}.png", full_page=True)

    updates = (
        "Beiträge, Protokolle und Beschlüsse"
        if language == "de"
        else "Updates, minutes and decisions"
    )
    page.locator(".search-kinds").get_by_role("link", name=updates).click()
    expect(page.locator(".search-kinds [aria-current=page]")).to_contain_text(updates)
    expect(page.locator(".search-hit")).to_have_count(1)
    expect(page.locator(".search-hit .search-title")).to_contain_text(
        "Protokoll: neue Sicherheitswerkzeuge"
    )

    box = page.locator("header").get_by_label(label, exact=True)
    if viewport is PHONE:
        page.get_by_role("button", name="Menü" if language == "de" else "Menu").click()
    box.fill("safety tools")
    box.press("Enter")
    page.wait_for_url("**/search/?q=safety+tools")
    expect(page.locator(".search-hit").first).to_be_visible()
    # The decision's <b> never becomes markup.
    assert page.locator(".search-hit b").count() == 0
    if viewport is DESKTOP:
        shoot(page, f"safety-tools-{language}")
