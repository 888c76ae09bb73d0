"""A member replies to minutes, answers a reply and edits it: each appears in
place (htmx, no page load), at 390 px in German and 1280 px in English, and the
group page counts the replies (screenshots in test-artifacts/screenshots/)."""

import pytest
from playwright.sync_api import expect

from alliance.conversation.services import reply_post
from alliance.working_groups.models import WorkingGroup, WorkingGroupUpdate
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS, sign_in
from tests.members.factories import PASSWORD, MemberFactory

TEXT = {
    "en": {
        "reply": "Your reply",
        "post": "Post reply",
        "posted": "Your reply is posted",
        "answer": "Answer",
        "post_answer": "Post answer",
        "in_reply_to": "in reply to Ada Lovelace",
        "edit": "Edit",
        "save": "Save",
        "edited": "edited",
        "count": "3 replies",
    },
    "de": {
        "reply": "Ihre Antwort",
        "post": "Antwort veröffentlichen",
        "posted": "Ihre Antwort ist veröffentlicht",
        "answer": "Antworten",
        "post_answer": "Antwort veröffentlichen",
        "in_reply_to": "Antwort an Ada Lovelace",
        "edit": "Bearbeiten",
        "save": "Speichern",
        "edited": "bearbeitet",
        "count": "3 Antworten",
    },
}


@pytest.mark.parametrize(
    ("language", "viewport"),
    [("de", PHONE), ("en", DESKTOP)],
    ids=["de-390", "en-1280"],
)
def test_a_reply_appears_in_place(new_page, request, language, viewport):
    t = TEXT[language]
    group = WorkingGroupFactory(
        name="Safety Evaluation", visibility=WorkingGroup.Visibility.MEMBERS
    )
    ada = MemberFactory(name="Ada Lovelace", display_name="")
    grace = MemberFactory(name="Grace Hopper", display_name="", language=language)
    for person in (ada, grace):
        WorkingGroupMembershipFactory(group=group, user=person)
    minutes = WorkingGroupUpdateFactory(
        group=group,
        author=ada,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title="June meeting",
        body="We compared three red-teaming tools.",
    )
    question = reply_post(update=minutes, author=ada, body="Who writes the summary?")

    page = new_page(locale="de-DE" if language == "de" else "en-US", viewport=viewport)
    sign_in(page, grace.email, PASSWORD)
    page.goto(minutes.get_absolute_url())
    # A marker on the window: it survives only if the page is not loaded again.
    page.evaluate("window.stillHere = true")

    replies = page.locator("#replies")
    answer_box = replies.locator(f"#{question.anchor}")
    answer_box.get_by_text(t["answer"], exact=True).click()
    answer_box.locator(".reply-answer-box textarea").fill("I do, by **Friday**.")
    answer_box.get_by_role("button", name=t["post_answer"]).click()
    expect(replies.get_by_role("status")).to_contain_text(t["posted"])
    answer = replies.locator(".reply-answer")
    expect(answer).to_contain_text("I do, by Friday.")
    expect(answer.locator(".prose strong")).to_have_text("Friday")
    expect(answer).to_contain_text(t["in_reply_to"])

    replies.get_by_label(t["reply"], exact=True).fill("Slides follow on Monday.")
    replies.get_by_role("button", name=t["post"]).click()
    expect(replies.locator(".reply")).to_have_count(3)
    expect(replies.locator(".reply").last).to_contain_text("Slides follow on Monday.")

    edit_box = replies.locator(".reply").last
    edit_box.get_by_text(t["edit"], exact=True).click()
    edit_box.locator(".reply-edit-box textarea").fill("Slides follow on Tuesday.")
    edit_box.get_by_role("button", name=t["save"]).click()
    last = replies.locator(".reply").last
    expect(last).to_contain_text("Slides follow on Tuesday.")
    expect(last.get_by_role("link", name=t["edited"])).to_be_visible()
    assert page.evaluate("window.stillHere") is True
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    folder = SCREENSHOTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    width = viewport["width"]
    page.screenshot(path=folder / f"thread-{language}-{width}.png", full_page=True)

    last.get_by_role("link", name=t["edited"]).click()
    expect(page.locator("main")).to_contain_text("Slides follow on Monday.")
    page.screenshot(path=folder / f"versions-{language}-{width}.png", full_page=True)

    page.goto(group.get_absolute_url())
    # The question, the answer and the new reply: three on the minutes.
    expect(page.locator(".reply-count").first).to_contain_text(t["count"])
