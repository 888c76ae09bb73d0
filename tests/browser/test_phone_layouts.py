"""Issue 13, item 3: on a phone the first screen shows what the page is for —
the events and the catalog's entries, not their filters (folded until used),
and on an event page the way to register, not only its agenda."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.events.factories import EventFactory
from tests.members.factories import PASSWORD, MemberFactory
from tests.projects.factories import VettedEntryFactory

LONG_AGENDA = "\n\n".join(
    f"## Part {n}\n\n" + "A long paragraph of the agenda that goes on. " * 12
    for n in range(1, 7)
)


def on_first_screen(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] + box["height"] <= page.viewport_size["height"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("language", ["en", "de"])
def test_lists_come_before_their_filters(new_page, shoot, db, language, viewport):
    soon = timezone.now() + datetime.timedelta(days=5)
    for n in range(3):
        EventFactory(
            title=f"Red-teaming clinic {n}",
            starts_at=soon + datetime.timedelta(days=n),
            ends_at=soon + datetime.timedelta(days=n, hours=2),
        )
    VettedEntryFactory.create_batch(3)
    page = new_page(locale="de-DE" if language == "de" else "en-US", viewport=viewport)

    page.goto("/events/")
    expect(page.locator("details.filter-box")).not_to_have_attribute("open", "")
    expect(page.locator("#id_kind")).to_be_hidden()
    assert on_first_screen(page, page.locator("#event-list li").first)
    shoot(page, f"{language}-events")
    # Unfolded, the filters work; while one is set they stay open.
    page.locator("details.filter-box > summary").click()
    page.locator("#id_kind").select_option("workshop")
    page.locator(".filter-box button[type=submit]").click()
    expect(page.locator("details.filter-box")).to_have_attribute("open", "")

    page.goto("/projects/")
    expect(page.locator("details.more-filters")).not_to_have_attribute("open", "")
    assert on_first_screen(page, page.locator(".entry-card").first)
    shoot(page, f"{language}-catalog")


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_register_button_is_near_the_top_of_an_event_page(
    new_page, shoot, db, language
):
    start = timezone.now() + datetime.timedelta(days=9)
    event = EventFactory(
        title="Evaluation summit",
        description=LONG_AGENDA,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=6),
    )
    person = MemberFactory(language=language)
    page = new_page(locale="de-DE" if language == "de" else "en-US", viewport=PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto(event.get_absolute_url())
    button = page.locator("#register-button")
    expect(button).to_be_visible()
    # Before the agenda on a phone; beside it on a desktop.
    assert on_first_screen(page, button) or (
        button.bounding_box()["y"] < page.locator(".event-body").bounding_box()["y"]
    )
    assert button.bounding_box()["y"] < page.locator(".event-body").bounding_box()["y"]
    shoot(page, f"{language}-event-page")
    page.set_viewport_size(DESKTOP)
    assert on_first_screen(page, button)


# Each <select> whose widest choice is wider than the box (measured with the
# select's own font; 20 px for the arrow, 4 px for rounding). A choice wider
# than <main> itself cannot fit on that screen and is not counted.
CUT_SELECTS = """() => {
  const room = document.querySelector('main').clientWidth;
  const pen = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll('main select')].flatMap(select => {
    const style = getComputedStyle(select);
    pen.font = style.font;
    const padding =
      parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const widths = [...select.options].map(o => pen.measureText(o.text).width);
    const widest = Math.max(...widths);
    const needed = widest + padding + 20;
    return needed > select.clientWidth + 4 && needed <= room ? [select.name] : [];
  });
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_no_drop_down_cuts_its_german_choices(new_page, db, viewport):
    """Issue 13, item 9: the filters of the catalog and the directory (180 px
    wide at 1280 px) and the notification preferences (132 px at 390 px) cut
    German choices such as "Nicht zur Prüfung eingereicht"."""
    member = MemberFactory(language="de")
    page = new_page(locale="de-DE", viewport=viewport)
    sign_in(page, member.email, PASSWORD)
    cut = {}
    for url in ("/projects/", "/members/", "/notifications/preferences/"):
        page.goto(url)
        page.evaluate(
            "document.querySelectorAll('details').forEach(d => d.open = true)"
        )
        cut[url] = page.evaluate(CUT_SELECTS)
    assert cut == {url: [] for url in cut}
