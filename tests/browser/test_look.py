"""Issue 13, item 8: how the lists look, measured as a person sees them at 390 px
and 1280 px, in English and German — cards with their padding, focus-area
numbers inside their circles, six focus areas in rows of three, one badge style
per meaning that also says it in words, the directory's pages, and a month
filter that reads as one."""

import datetime

import pytest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from events.models import Event
from members.models import Tier
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.events.factories import EventFactory, RegistrationFactory
from tests.members.factories import PASSWORD, MemberFactory, OrganizationFactory
from tests.projects.factories import VettedEntryFactory

LOCALE = {"en": "en-US", "de": "de-DE"}
VIEWPORTS = pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
LANGUAGES = pytest.mark.parametrize("language", ["en", "de"])


def t(language: str, text: str, context: str | None = None) -> str:
    with translation.override(language):
        return pgettext(context, text) if context else gettext(text)


# The box of each card and of its content's first line of text, in CSS pixels.
CARD_INSETS = """selector => [...document.querySelectorAll(selector)].map(card => {
  const box = card.getBoundingClientRect();
  const walker = document.createTreeWalker(card, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.textContent.trim()
      ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP});
  const range = document.createRange();
  range.selectNodeContents(walker.nextNode());
  const text = range.getBoundingClientRect();
  const style = getComputedStyle(card);
  return {left: text.left - box.left, top: text.top - box.top,
          right: box.right - text.right,
          borderBottom: parseFloat(style.borderBottomWidth)};
})"""


def assert_cards_inset(page, selector: str) -> None:
    insets = page.evaluate(CARD_INSETS, selector)
    assert insets, f"no {selector} on {page.url}"
    for inset in insets:
        # The text stands clear of the card's border on every side we can see.
        assert inset["left"] >= 12, (selector, inset)
        assert inset["top"] >= 12, (selector, inset)
        assert inset["right"] >= 0, (selector, inset)
        # Every card, the last one too, has its whole border.
        assert inset["borderBottom"] >= 1, (selector, inset)


@VIEWPORTS
@LANGUAGES
def test_cards_keep_their_padding(new_page, shoot, db, language, viewport):
    VettedEntryFactory.create_batch(3)
    OrganizationFactory.create_batch(3)
    person = MemberFactory(language=language)
    page = new_page(locale=LOCALE[language], viewport=viewport)
    sign_in(page, person.email, PASSWORD)

    page.goto("/projects/")
    assert_cards_inset(page, ".entry-card")
    shoot(page, f"{language}-catalog")
    page.goto("/members/")
    assert_cards_inset(page, ".directory-card")
    shoot(page, f"{language}-directory")
    page.goto("/members/people/")
    assert_cards_inset(page, ".person-card")
    shoot(page, f"{language}-people")


# For each number badge: its box, the box of the digits in it, and its font size.
BADGES = """() => [...document.querySelectorAll('.focus-number')].map(badge => {
  const range = document.createRange();
  range.selectNodeContents(badge);
  const digits = range.getBoundingClientRect();
  const box = badge.getBoundingClientRect();
  const rect = r => ({x: r.x, y: r.y, width: r.width, height: r.height});
  return {box: rect(box), digits: rect(digits)};
})"""


def assert_badges_inside(page) -> None:
    badges = page.evaluate(BADGES)
    assert badges, f"no focus-area number on {page.url}"
    for badge in badges:
        box, digits = badge["box"], badge["digits"]
        # A circle: as wide as it is tall.
        assert abs(box["width"] - box["height"]) < 1, badge
        # The digits' line box lies inside the circle's box.
        assert digits["x"] >= box["x"] - 0.5, badge
        assert digits["y"] >= box["y"] - 0.5, badge
        assert digits["x"] + digits["width"] <= box["x"] + box["width"] + 0.5, badge
        assert digits["y"] + digits["height"] <= box["y"] + box["height"] + 0.5, badge


def rows_of(page, selector: str) -> list[int]:
    """How many of the elements sit in each row, top to bottom."""
    tops = page.evaluate(
        "s => [...document.querySelectorAll(s)].map(e => "
        "Math.round(e.getBoundingClientRect().top))",
        selector,
    )
    return [tops.count(top) for top in sorted(set(tops))]


@VIEWPORTS
@LANGUAGES
def test_focus_areas_sit_in_even_rows_with_their_numbers_inside_the_circles(
    new_page, shoot, db, language, viewport
):
    page = new_page(locale=LOCALE[language], viewport=viewport)
    page.goto("/")
    cards = ".focus-grid > .card"
    expect(page.locator(cards)).to_have_count(6)
    expected = [3, 3] if viewport == DESKTOP else [1] * 6
    assert rows_of(page, cards) == expected
    assert_badges_inside(page)
    shoot(page, f"{language}-home")
    if viewport == DESKTOP:
        # A tablet in between: three rows of two.
        page.set_viewport_size({"width": 800, "height": 900})
        assert rows_of(page, cards) == [2, 2, 2]
        page.set_viewport_size(viewport)

    page.goto("/focus-areas/")
    assert_badges_inside(page)
    link = page.locator(".focus-number").first.locator("xpath=..").locator("a")
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    expect(page.locator("h1 .focus-number, .focus-number").first).to_be_visible()
    assert_badges_inside(page)  # beside the page's large heading
    shoot(page, f"{language}-focus-area")


def luminance(rgb: str) -> float:
    channels = [int(part) / 255 for part in rgb[rgb.index("(") + 1 : -1].split(",")[:3]]
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted(
        (luminance(foreground), luminance(background)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


@VIEWPORTS
@LANGUAGES
def test_each_badge_has_its_own_look_and_says_what_it_means(
    new_page, shoot, db, language, viewport
):
    organizer = MemberFactory(
        language=language,
        affiliation__organization__tier=Tier.objects.get(slug="founding"),
    )
    soon = timezone.now() + datetime.timedelta(days=3)

    def event(title, days, **kwargs):
        return EventFactory(
            title=title,
            organizer=organizer,
            starts_at=soon + datetime.timedelta(days=days),
            ends_at=soon + datetime.timedelta(days=days, hours=2),
            **kwargs,
        )

    event("Draft planning call", 0, status=Event.Status.DRAFT, published_at=None)
    event("Members' clinic", 1, visibility=Event.Visibility.MEMBERS)
    nobody_waits = event("Small seminar", 2, capacity=1)
    RegistrationFactory(event=nobody_waits)
    two_wait = event("Popular workshop", 3, capacity=1)
    RegistrationFactory(event=two_wait)
    RegistrationFactory.create_batch(2, event=two_wait, status="waitlisted")
    page = new_page(locale=LOCALE[language], viewport=viewport)
    sign_in(page, organizer.email, PASSWORD)
    page.goto("/events/")

    def tag(title):
        item = page.locator(".event-item", has_text=title)
        return item.locator(".event-tags .tag").last

    draft, members, full, full_waiting = (
        tag("Draft planning call"),
        tag("Members' clinic"),
        tag("Small seminar"),
        tag("Popular workshop"),
    )
    # The words say it.
    expect(draft).to_have_text(t(language, "Draft"))
    expect(members).to_have_text(t(language, "Members only"))
    expect(full).to_have_text(t(language, "Full", "event with no seat left"))
    expect(full_waiting).to_contain_text("2")
    # And each meaning looks different from the others.
    looks = [
        locator.evaluate(
            "e => { const s = getComputedStyle(e); "
            "return [s.backgroundColor, s.color, s.borderTopStyle, s.borderTopColor]; }"
        )
        for locator in (draft, members, full)
    ]
    assert len({tuple(look) for look in looks}) == 3, looks
    assert len({look[0] for look in looks}) == 3, looks  # three backgrounds
    for look in looks:  # WCAG AA for small text
        assert contrast(look[1], look[0]) >= 4.5, look
    shoot(page, f"{language}-event-badges")


@VIEWPORTS
@LANGUAGES
def test_directory_pages_say_filtered_only_when_filtered(
    new_page, shoot, db, language, viewport
):
    general = Tier.objects.get(slug="general")
    OrganizationFactory.create_batch(50, tier=general)
    page = new_page(locale=LOCALE[language], viewport=viewport)
    page.goto("/members/")
    filtered = t(language, "filtered")
    continued = t(language, "(continued)")
    expect(page.locator(".page-header")).not_to_contain_text(filtered)
    page.locator(".pagination a").last.click()
    page.wait_for_url("**page=2*")
    # Page 2 is not a filter, and the tier that began on page 1 says it goes on.
    expect(page.locator(".page-header")).not_to_contain_text(filtered)
    with translation.override(language):
        tier_name = Tier.objects.get(slug="general").name
    expect(page.locator("main h2").first).to_contain_text(tier_name)
    expect(page.locator("main h2").first).to_contain_text(continued)
    shoot(page, f"{language}-directory-page-2")
    page.goto("/members/?q=Example")
    expect(page.locator(".page-header")).to_contain_text(filtered)
    expect(page.locator("main h2").first).not_to_contain_text(continued)


@LANGUAGES
def test_the_month_filter_names_months(new_page, shoot, db, language):
    start = timezone.now().replace(day=10) + datetime.timedelta(days=62)
    EventFactory(
        title="Red-teaming clinic",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    page = new_page(locale=LOCALE[language], viewport=PHONE)
    page.goto("/events/")
    page.locator("details.filter-box > summary").click()
    month = page.locator("#id_month")
    expect(month).to_be_visible()
    # Nothing like Chromium's "--------- ----" for an empty month.
    assert month.evaluate("e => e.tagName") == "SELECT"
    expect(month.locator("option:checked")).to_have_text(t(language, "Any month"))
    shoot(page, f"{language}-month-filter")
    with translation.override(language):
        label = formats.date_format(start.date(), "YEAR_MONTH_FORMAT")
    month.select_option(label=label)
    page.locator(".filter-box button[type=submit]").click()
    page.wait_for_url(f"**month={start:%Y-%m}*")
    expect(page.locator("#id_month option:checked")).to_have_text(label)
    expect(page.locator("#event-list")).to_contain_text("Red-teaming clinic")
