"""A person signs up in Chromium, follows the emailed link and lands signed in."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import emailed_link


def test_sign_up_verify_by_email_and_land_signed_in(page, shoot):
    page.goto("/")
    page.get_by_role("link", name="Sign up").first.click()
    expect(page).to_have_url(re.compile("/accounts/signup/$"))
    page.get_by_label("Email").fill("newcomer@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a long and unusual passphrase")
    page.get_by_label(re.compile(r"^Password \(again\)")).fill(
        "a long and unusual passphrase"
    )
    shoot(page, "signup-form")
    page.get_by_role("button", name="Sign Up").click()
    expect(
        page.get_by_role("heading", name="Verify Your Email Address")
    ).to_be_visible()

    page.goto(emailed_link(r"/accounts/confirm-email/[^\s]+/", "newcomer@example.org"))
    expect(page.get_by_text("newcomer@example.org")).to_be_visible()
    page.get_by_role("button", name="Confirm").click()

    expect(page).to_have_url(re.compile("/dashboard/$"))
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()
    expect(page.locator(".user-menu summary")).to_have_text("newcomer")
    shoot(page, "dashboard")
