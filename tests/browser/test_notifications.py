"""A member reads notifications in place (htmx) and sets how they hear of news."""

import re

from playwright.sync_api import expect

from tests.alliance.notifications.test_pages import inbox
from tests.members.factories import PASSWORD, MemberFactory


def sign_in(page, person):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(person.email)
    page.get_by_label(re.compile("^Password")).fill(PASSWORD)
    page.get_by_role("button", name="Sign In", exact=True).click()
    expect(page).to_have_url(re.compile("/dashboard/$"))


def test_mark_read_in_place_and_choose_the_digest(page, shoot):
    person = MemberFactory()
    # Not news (news of a week is bundled): each is a line of its own.
    inbox(person, 3, kind="event_changed")
    sign_in(page, person)
    expect(page.locator("#unread-count")).to_have_text("3")

    page.goto("/notifications/")
    items = page.locator(".notification")
    expect(items).to_have_count(3)
    shoot(page, "inbox")
    items.first.get_by_role("button", name=re.compile("^Mark read")).click()
    expect(page.locator("#unread-count")).to_have_text("2")
    expect(items.first.get_by_text("Read", exact=True)).to_be_visible()
    assert page.url.endswith("/notifications/")  # no page load

    page.get_by_role("button", name="Mark all read").click()
    expect(page.locator("#unread-count")).to_have_count(0)
    expect(page.locator(".notification.unread")).to_have_count(0)

    page.get_by_role("link", name="Preferences").click()
    page.get_by_label(re.compile(r"^Digest:?$")).select_option("daily")
    page.get_by_text("Each kind of news: by email and in the inbox").click()
    page.get_by_label("Working group update: Email").select_option("immediately")
    shoot(page, "preferences")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.get_by_text("Your notification preferences are saved.")).to_be_visible()
    expect(page.get_by_label(re.compile(r"^Digest:?$"))).to_have_value("daily")
    page.get_by_text("Each kind of news: by email and in the inbox").click()
    expect(page.get_by_label("Working group update: Email")).to_have_value(
        "immediately"
    )
