"""A staff member runs the alliance from the staff console: the staff home says
what needs a person, they approve an application, lapse an organization through
the confirmation page (its people lose member access; the page names the votes
that end) and read the weekly report; in English and German, with screenshots
at phone and 1280 px widths."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from playwright.sync_api import expect

from members.models import MembershipApplication, Organization
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.browser.conftest import sign_in
from tests.members.factories import (
    PASSWORD,
    ApplicationFactory,
    ContactFactory,
    MemberFactory,
    UserFactory,
)


def t(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize("language", ["en", "de"])
def test_staff_approve_lapse_and_read_the_report(
    new_page, shoot, transactional_db, language
):
    locale = {"en": "en-US", "de": "de-DE"}[language]
    UserFactory(
        email="staff@alliance.example", name="Sam Staff", is_staff=True,
        is_superuser=True, language=language,
    )  # fmt: skip
    application = ApplicationFactory(organization_name=f"Nimbus Labs {language}")
    contact = ContactFactory(name="Clara Contact")
    lab = contact.affiliations.get().organization
    lab.name = f"Lapsing Lab {language}"
    lab.save()
    member = MemberFactory(
        name="Max Member",
        email=f"max-{language}@lab.example",
        affiliation__organization=lab,
        language=language,
    )
    WorkingGroupMembershipFactory(
        group=WorkingGroupFactory(name="Evaluation Methods"),
        user=member,
        organization=lab,
    )

    # The member still sees the members-only people directory.
    people = new_page(locale=locale)
    sign_in(people, member.email, PASSWORD)
    people.goto("/members/people/")
    expect(people.get_by_text("Clara Contact")).to_be_visible()

    # 1. The staff home says what needs a person now.
    staff = new_page(locale=locale)
    sign_in(staff, "staff@alliance.example", PASSWORD)
    staff.goto("/admin/")
    waiting = staff.locator('[data-key="applications_waiting"]')
    expect(waiting.locator(".count")).to_have_text("1")
    expect(
        staff.get_by_role("heading", name=t(language, "Mail and notifications"))
    ).to_be_visible()
    shoot(staff, "staff-home")

    # 2. Approve the application from there.
    waiting.get_by_role("link").click()
    staff.get_by_role("link", name=application.organization_name).click()
    staff.get_by_role("link", name=t(language, "Approve…")).click()
    staff.locator("#id_reason").fill("Welcome!")
    staff.get_by_role("button", name=t(language, "Approve")).click()
    expect(staff.locator(".messagelist .success")).to_be_visible()
    shoot(staff, "application-approved")
    application.refresh_from_db()
    assert application.status == MembershipApplication.Status.APPROVED

    # 3. Lapse an organization: the page shows what will happen first.
    staff.goto(f"/admin/members/organization/{lab.pk}/change/")
    staff.get_by_role("link", name=t(language, "Mark as lapsed…")).click()
    losing = staff.locator(".people-losing-access")
    expect(losing).to_contain_text("Max Member")
    expect(losing).to_contain_text("Clara Contact")
    with translation.override(language):
        seat = gettext("%(person)s in %(group)s (%(role)s, vote ends)") % {
            "person": "Max Member",
            "group": "Evaluation Methods",
            "role": gettext("Member"),
        }
        done = ngettext(
            "%(count)d organization is now lapsed.",
            "%(count)d organizations are now lapsed.",
            1,
        ) % {"count": 1}
    expect(staff.locator(".effect-working_group_seats")).to_contain_text(seat)
    shoot(staff, "lapse-confirmation")
    lab.refresh_from_db()
    assert lab.status == Organization.Status.ACTIVE  # nothing yet
    staff.locator("#id_reason").fill("Membership fee unpaid since March")
    staff.locator(".submit-row input[type=submit]").click()
    expect(staff.locator(".messagelist .success")).to_have_text(done)
    expect(staff.locator("#result_list")).to_contain_text(lab.name)
    shoot(staff, "lapsed")
    lab.refresh_from_db()
    assert lab.status == Organization.Status.LAPSED
    assert lab.history.first().history_change_reason.startswith("Membership fee")

    # Its people lose member access.
    people.goto("/members/people/")
    expect(people.get_by_text("Clara Contact")).to_have_count(0)
    shoot(people, "member-after-lapse")

    # 4. The weekly report opens on this week so far.
    staff.goto("/admin/")
    staff.get_by_role("link", name=t(language, "Weekly report")).first.click()
    expect(
        staff.get_by_role("heading", name=t(language, "Twelve-week trend"))
    ).to_be_visible()
    expect(staff.locator("#section-applications")).to_be_visible()
    shoot(staff, "weekly-report")


def test_the_organization_list_shows_every_column_at_1280_px(
    new_page, transactional_db
):
    UserFactory(
        email="staff@alliance.example", is_staff=True, is_superuser=True
    )  # fmt: skip
    ContactFactory(name="Clara Contact")
    staff = new_page(locale="en-US", viewport={"width": 1280, "height": 900})
    sign_in(staff, "staff@alliance.example", PASSWORD)
    staff.goto("/admin/members/organization/")
    for column in ("renewal_due", "people", "contacts", "pending"):
        box = staff.locator(f"#result_list th.column-{column}").bounding_box()
        assert box and box["x"] + box["width"] <= 1280, column
