"""Journey (a): an organization applies, staff approve it in the admin, its
contact invites a colleague who accepts, and both see member-only pages; in
English and in German."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from members.models import Affiliation, MembershipApplication
from tests.browser.conftest import emailed_link, sign_in
from tests.members.factories import PASSWORD, UserFactory


def t(language: str, text: str) -> str:
    """Return the text as the page shows it in the language."""
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("language", ["en", "de"])
def test_apply_approve_invite_accept(new_page, shoot, transactional_db, language):
    locale = {"en": "en-US", "de": "de-DE"}[language]
    applicant = UserFactory(
        email=f"founder-{language}@nimbus.example", name="Nora Founder",
        language=language,
    )  # fmt: skip
    UserFactory(
        email="staff@alliance.example", name="Sam Staff", is_staff=True,
        is_superuser=True, language="en",
    )  # fmt: skip
    org_name = f"Nimbus Robotics {language.upper()}"
    colleague_email = f"colleague-{language}@nimbus.example"

    # 1. The applicant finds "Join the alliance" on the home page and applies.
    page = new_page(locale=locale)
    sign_in(page, applicant.email, PASSWORD)
    page.goto("/")
    page.get_by_role("link", name=t(language, "How to join")).click()
    expect(
        page.get_by_role("heading", name=t(language, "Join the AI Alliance"))
    ).to_be_visible()
    shoot(page, "join")
    page.get_by_role("link", name=t(language, "Apply for membership")).click()
    page.locator("#id_organization_name").fill(org_name)
    page.locator("#id_kind").select_option("company")
    page.locator("#id_country").select_option("DE")
    page.locator("#id_website").fill("https://nimbus.example")
    page.locator("#id_description").fill("We build **open** robot controllers.")
    page.locator("#id_focus_areas_2").check()
    page.locator("#id_contribution").fill("Two engineers and a yearly hackathon.")
    shoot(page, "application-form")
    page.get_by_role("button", name=t(language, "Submit application")).click()
    # Forgot the policies: the page says so and keeps what was typed.
    expect(
        page.get_by_text(
            t(language, "Accept the code of conduct to submit the application.")
        )
    ).to_be_visible()
    expect(page.locator("#id_organization_name")).to_have_value(org_name)
    page.locator("#id_accept_code_of_conduct").check()
    page.locator("#id_accept_antitrust_policy").check()
    page.get_by_role("button", name=t(language, "Submit application")).click()
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator(".tag-warn").first).to_have_text(t(language, "Submitted"))
    shoot(page, "application-submitted")
    application = MembershipApplication.objects.get(applicant=applicant)

    # 2. Staff approve it in the admin.
    admin = new_page(locale="en-US")
    sign_in(admin, "staff@alliance.example", PASSWORD)
    admin.goto("/admin/members/membershipapplication/")
    admin.get_by_role("link", name=org_name).click()
    admin.get_by_role("link", name="Approve…").click()
    admin.locator("#id_tier").select_option(label="General")
    admin.locator("#id_reason").fill("Welcome to the alliance!")
    shoot(admin, "admin-approve")
    admin.get_by_role("button", name="Approve").click()
    expect(admin.locator(".messagelist .success")).to_contain_text(
        "is now an active member"
    )
    shoot(admin, "admin-approved")
    application.refresh_from_db()
    assert application.status == "approved"

    # 3. The applicant sees it on the dashboard and invites a colleague.
    page.goto("/dashboard/")
    expect(page.locator("#applications")).to_contain_text(t(language, "Approved"))
    shoot(page, "dashboard-approved")
    page.locator("#membership").get_by_role(
        "link", name=t(language, "Manage"), exact=True
    ).click()
    page.locator("#id_email").fill(colleague_email)
    page.locator("#id_role").select_option("technical_contact")
    page.get_by_role("button", name=t(language, "Send invitation")).click()
    expect(page.locator(".message-success")).to_contain_text(colleague_email)
    shoot(page, "manage-invited")

    # 4. The colleague opens the emailed link, signs up and accepts.
    link = emailed_link(r"/members/invitations/[^\s]+/", colleague_email)
    colleague = new_page(locale=locale)
    colleague.goto(link)
    shoot(colleague, "invitation")
    colleague.get_by_role("link", name=t(language, "Create an account")).click()
    expect(colleague.get_by_label(re.compile("^(Email|E-Mail)"))).to_have_value(
        colleague_email
    )
    colleague.get_by_label(re.compile(r"^(Password|Passwort):?$")).fill(
        "a long and unusual passphrase"
    )
    colleague.get_by_label(
        re.compile(r"^(Password \(again\)|Passwort \(Wiederholung\))")
    ).fill("a long and unusual passphrase")
    colleague.locator("main form button[type=submit]").click()
    accept = colleague.get_by_role(
        "button", name=t(language, "Accept and join %(name)s") % {"name": org_name}
    )
    expect(accept).to_be_visible()
    accept.click()
    expect(colleague.get_by_role("heading", name=org_name)).to_be_visible()
    expect(colleague.locator(".message-success")).to_be_visible()
    shoot(colleague, "colleague-joined")
    affiliation = Affiliation.objects.get(user__email=colleague_email)
    assert (affiliation.role, affiliation.status) == ("technical_contact", "active")

    # 5. Both see member-only pages.
    for person in (page, colleague):
        person.goto("/members/people/")
        expect(
            person.get_by_role("heading", name=t(language, "People directory"))
        ).to_be_visible()
    expect(colleague.get_by_text("Nora Founder")).to_be_visible()
    shoot(colleague, "people-directory")
    page.goto(f"/members/{application.organization.slug}/")
    expect(page.get_by_text(t(language, "Technical contact")).first).to_be_visible()
    shoot(page, "organization-page")
