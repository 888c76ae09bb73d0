"""Browser tests: Playwright for Python driving Debian's Chromium against a live
server. Screenshots of key pages go to test-artifacts/screenshots/ (see README)."""

import re
from pathlib import Path

import pytest
from django.core import mail

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (one per person) on the live server."""
    contexts = []

    def open_page(
        locale: str = "en-US", viewport: dict | None = None, timezone_id: str = "UTC"
    ):
        context = browser.new_context(
            base_url=live_server.url,
            locale=locale,
            viewport=viewport or DESKTOP,
            extra_http_headers={"Accept-Language": locale},
            timezone_id=timezone_id,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def shoot(request):
    """Save a screenshot of the page at phone and desktop widths."""
    folder = SCREENSHOTS / request.node.name

    def take(page, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        original = page.viewport_size
        for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.screenshot(path=folder / f"{name}-{label}.png", full_page=True)
        page.set_viewport_size(original)

    return take


def emailed_link(pattern: str, to: str) -> str:
    """Return the path of the last link matching ``pattern`` mailed to ``to``."""
    for message in reversed(mail.outbox):
        if to in message.to:
            found = re.search(rf"https?://[^/\s]+({pattern})", message.body)
            if found:
                return found.group(1)
    raise AssertionError(f"no email to {to} with a link like {pattern}")


def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("^(Email|E-Mail)")).fill(email)
    page.get_by_label(re.compile("^(Password|Passwort)")).fill(password)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
