"""Journey (d): a maintainer submits a tool, reviewers of two organizations vet it,
and it appears in the public catalog as vetted (key pages also in German)."""

import re

from playwright.sync_api import expect

from projects.models import CatalogEntry
from tests.browser.conftest import sign_in
from tests.members.factories import PASSWORD, OrganizationFactory
from tests.projects.factories import member_of


def test_a_tool_is_submitted_vetted_and_listed_publicly(new_page, shoot):
    owner = OrganizationFactory(name="Aurora Research")
    maintainer = member_of(owner, name="Mara Maintainer", email="mara@aurora.example")
    first = member_of(
        OrganizationFactory(name="Borealis Labs"),
        name="Rui Reviewer",
        email="rui@borealis.example",
    )
    second = member_of(
        OrganizationFactory(name="Cirrus Institut"),
        name="Greta Gutachterin",
        email="greta@cirrus.example",
        language="de",
    )

    # The maintainer submits a tool to the catalog and asks for vetting.
    page = new_page()
    sign_in(page, maintainer.email, PASSWORD)
    page.goto("/projects/")
    page.get_by_role("link", name="Submit to the catalog").first.click()
    expect(page.get_by_role("heading", name="Submit to the catalog")).to_be_visible()
    page.get_by_label("Kind").select_option(label="Tool")
    page.get_by_label("Name").fill("Prompt Shield")
    page.get_by_label("Summary").fill(
        "Blocks prompt injection before it reaches a model."
    )
    page.get_by_label("Description").fill("## Usage\n\nRun `shield scan`.")
    page.get_by_label("Focus area").select_option(label="Benchmarks and evaluation")
    page.get_by_label("Aurora Research").check()
    page.get_by_label("License").fill("apache 2")
    page.get_by_label("Text", exact=True).check()
    page.get_by_label("Languages").fill("en, deu")
    shoot(page, "submit-form")
    page.get_by_role("button", name="Add to the catalog").click()
    # A wrong license is explained on the form; nothing is saved yet.
    expect(
        page.get_by_text("“apache 2” is not an SPDX license identifier")
    ).to_be_visible()
    assert not CatalogEntry.objects.exists()
    page.get_by_label("License").fill("Apache-2.0")
    page.get_by_role("button", name="Add to the catalog").click()
    expect(page.get_by_role("heading", name="Prompt Shield")).to_be_visible()
    expect(page.get_by_text("“Prompt Shield” is in the catalog.")).to_be_visible()
    page.get_by_role("button", name="Submit for vetting").click()
    expect(page.get_by_text("Submitted for vetting.")).to_be_visible()
    expect(page.locator(".entry-tags").first).to_contain_text("In review")
    shoot(page, "entry-in-review")

    # The first reviewer finds it in the queue, follows it in place and approves.
    page = new_page()
    sign_in(page, first.email, PASSWORD)
    page.goto("/projects/review-queue/")
    row = page.get_by_role("row", name=re.compile("Prompt Shield"))
    expect(row).to_contain_text("0 of 2")
    shoot(page, "review-queue")
    row.get_by_role("link", name="Review").click()
    page.get_by_label("The license is clear").check()
    page.get_by_label("The documentation is adequate").check()
    page.get_by_label("A security contact is given").check()
    page.get_by_label("Findings").fill("License and docs are fine.")
    page.get_by_label("Approve").check()
    shoot(page, "review-form")
    page.get_by_role("button", name="Post review").click()
    expect(page.get_by_text("Your review is posted on the entry.")).to_be_visible()
    expect(page.get_by_text("1 of 2 organizations approved so far")).to_be_visible()
    page.get_by_role("button", name="Follow").click()
    expect(page.get_by_role("button", name=re.compile("^Following"))).to_be_visible()

    # The second reviewer, of another organization, works in German.
    page = new_page(locale="de-DE")
    sign_in(page, second.email, PASSWORD)
    page.goto("/projects/review-queue/")
    expect(page.get_by_role("heading", name="Begutachtungsliste")).to_be_visible()
    shoot(page, "review-queue-de")
    page.get_by_role("row", name=re.compile("Prompt Shield")).get_by_role(
        "link", name="Begutachten"
    ).click()
    page.get_by_label("Die Lizenz ist eindeutig").check()
    page.get_by_label("Belege aus Evaluierungen liegen vor").check()
    page.get_by_label("Befund").fill("Evaluierung nachvollziehbar.")
    page.get_by_label("Zustimmen").check()
    shoot(page, "review-form-de")
    page.get_by_role("button", name="Begutachtung veröffentlichen").click()
    expect(
        page.get_by_text("Mit Ihrer Zustimmung ist der Eintrag jetzt geprüft.")
    ).to_be_visible()
    shoot(page, "entry-vetted-de")

    # Anyone now finds it in the public catalog as vetted.
    page = new_page()
    page.goto("/projects/")
    card = page.locator(".entry-card", has_text="Prompt Shield")
    expect(card).to_contain_text("Vetted")
    shoot(page, "public-catalog")
    card.get_by_role("link", name="Prompt Shield").click()
    expect(page.get_by_text(re.compile("Approved on .* valid until"))).to_be_visible()
    expect(page.locator("article.review")).to_have_count(2)
    shoot(page, "public-entry")

    page = new_page(locale="de-DE")
    page.goto("/projects/?q=shield")
    expect(page.locator(".entry-card", has_text="Prompt Shield")).to_contain_text(
        "Geprüft"
    )
    shoot(page, "public-catalog-de")
    assert CatalogEntry.objects.get().is_public
