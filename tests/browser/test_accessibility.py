"""axe-core finds no serious or critical accessibility problem on the portal's main
pages, signed out and signed in, in English and in German.

One browser context per person and language: a visitor whose browser asks for the
language, and a member who signs in once (and picks German with the portal's own
language switch). The member is also a catalog reviewer, an event organizer, a
working-group chair and their organization's primary contact, so the pages only
such people may see are checked as the person who sees them. Forms are checked
after an empty or wrong submission (with their errors shown), the dashboard with
the account menu open, and the home page also at phone width with the menu open.

A check fails on axe's serious and critical violations, and on its serious and
critical "needs review" results too (e.g. aria-describedby naming an element
that is not on the page), except colour contrast that axe cannot measure: the
hero's white text on its #0b3d5c to #0f6e66 gradient, checked by hand (6.1:1 at
the lighter end).

Left out: the API docs page (/api/docs/) is drf-spectacular's Swagger UI, a
third-party single-page app the portal only serves; the Django admin likewise.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse

from alliance.conversation.services import reply_edit, reply_post
from alliance.working_groups.models import WorkingGroupMembership, WorkingGroupUpdate
from alliance.working_groups.services import (
    working_group_update_correct,
    working_group_update_post,
)
from events.models import Event
from members.models import Tier
from projects.models import CatalogEntry
from tests.alliance.factories import (
    ActionItemFactory,
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.alliance.notifications.test_pages import inbox
from tests.browser.conftest import DESKTOP, PHONE, sign_in
from tests.events.factories import EventFactory, RegistrationFactory
from tests.members.factories import PASSWORD, ContactFactory, OrganizationFactory
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory, member_of

FAILING_IMPACTS = ("serious", "critical")
BROWSER_LOCALE = {"en": "en-US", "de": "de-DE"}
# Started after the evaluation returns (axe.run does most of its work
# synchronously), so the visitor's and the member's pages are audited at the same
# time: each context has its own renderer process.
START_AXE = """() => {
  window.__axe = new Promise(resolve => setTimeout(resolve, 0))
    .then(() => axe.run(document, {resultTypes: ["violations", "incomplete"]}))
    .then(results => ({
      violations: results.violations, incomplete: results.incomplete
    }));
}"""


@dataclass
class Check:
    path: str
    action: Callable | None = None
    note: str = ""


def submit_empty(form: str) -> Callable:
    def act(page):
        # The browser's own checks would stop an empty form before the portal's.
        page.locator(f"main {form}").first.evaluate("form => form.noValidate = true")
        with page.expect_navigation():
            page.locator(f"main {form} [type=submit]").first.click()

    return act


def sign_in_wrongly(page):
    page.locator("main form input[name=login]").fill("nobody@example.org")
    page.locator("main form input[name=password]").fill("not the password")
    with page.expect_navigation():
        page.locator("main form [type=submit]").first.click()


def open_phone_menu(page):
    page.set_viewport_size(PHONE)
    page.locator(".nav-toggle").click()


def open_account_menu(page):
    page.locator(".user-menu summary").click()


@pytest.fixture
def portal():
    """A small alliance: two organizations, a group, catalog entries, events."""
    founding = Tier.objects.get(slug="founding")
    aurora = OrganizationFactory(name="Aurora Research", slug="aurora", tier=founding)
    borealis = OrganizationFactory(name="Borealis Labs", slug="borealis")
    member = ContactFactory(
        affiliation__organization=aurora, name="Mara Member", email="mara@aurora.org"
    )
    maintainer = member_of(borealis, name="Rui Maintainer", email="rui@bor.example")

    group = WorkingGroupFactory(name="Trust and Safety Evaluation", slug="safety")
    WorkingGroupMembershipFactory(
        group=group, user=member, role=WorkingGroupMembership.Role.CHAIR
    )
    WorkingGroupMembershipFactory(group=group, user=maintainer)
    minutes = WorkingGroupUpdateFactory(
        group=group, author=member, kind=WorkingGroupUpdate.Kind.MINUTES
    )
    ActionItemFactory(update=minutes, owner=member, text="Draft the charter")
    # The conversation under the minutes: a reply, an answer, an edit. All by
    # the member, so nothing lands in her next digest (the digest preview's
    # sandboxed frame is audited only when it has something to show).
    question = reply_post(
        update=minutes, author=member, body="Who drafts the **charter**?"
    )
    answer = reply_post(
        update=minutes,
        author=member,
        body="I do, @RuiMaintainer.",
        parent_id=question.pk,
    )
    reply_edit(reply=answer, body="I do, @RuiMaintainer: by Friday.")

    vetted = VettedEntryFactory(
        name="Prompt Shield", slug="prompt-shield", maintainers=[maintainer]
    )
    vetted.owners.set([borealis])
    in_review = CatalogEntryFactory(
        name="Bias Bench",
        slug="bias-bench",
        vetting_status=CatalogEntry.Vetting.IN_REVIEW,
        vetting_round=1,
        maintainers=[maintainer],
    )
    in_review.owners.set([borealis])

    event = EventFactory(title="Evaluation Workshop", slug="workshop", organizer=member)
    RegistrationFactory(event=event, user=maintainer)
    EventFactory(
        title="Hybrid Summit",
        slug="summit",
        format=Event.Format.HYBRID,
        venue="CERN, Geneva",
        organizer=maintainer,
    )
    # A meeting of the group (seen by its members only): its agenda, and its
    # minutes with attendance, corrected once (two versions).
    meeting = EventFactory(
        title="Monthly meeting",
        slug="monthly-meeting",
        kind=Event.Kind.MEETING,
        working_group=group,
        organizer=member,
        visibility=Event.Visibility.GROUP,
        agenda="1. **Charter** review\n2. Budget",
    )
    RegistrationFactory(event=meeting, user=maintainer)
    meeting_minutes = working_group_update_post(
        group=group,
        author=member,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title="Minutes of the monthly meeting",
        body="We met.",
        meeting_id=meeting.pk,
        attendees=[member, maintainer],
    )
    working_group_update_correct(
        update=meeting_minutes,
        editor=member,
        title=meeting_minutes.title,
        body="We met and reviewed the charter.",
    )
    inbox(member, 3)
    return {
        "member": member,
        "group": group,
        "organization": aurora,
        "vetted": vetted,
        "in_review": in_review,
        "event": event,
        "meeting": meeting,
        "minutes": meeting_minutes,
        "conversation": minutes,
        "answer": answer,
    }


def public_checks(p) -> list[Check]:
    return [
        Check(reverse("home")),
        Check(reverse("home"), open_phone_menu, "phone width, menu open"),
        Check(reverse("alliance:focus_area_list")),
        Check(p["group"].focus_area.get_absolute_url()),
        Check(reverse("alliance:working_group_list")),
        Check(p["group"].get_absolute_url()),
        Check(reverse("alliance:working_group_update_list", args=[p["group"].slug])),
        Check(p["conversation"].get_absolute_url()),
        Check(reverse("alliance:reply_versions", args=[p["answer"].pk])),
        Check(reverse("members:directory")),
        Check(p["organization"].get_absolute_url()),
        Check(reverse("members:join")),
        Check(reverse("projects:catalog")),
        Check(p["vetted"].get_absolute_url()),
        Check(reverse("events:event_list")),
        Check(reverse("events:event_calendar")),
        Check(p["event"].get_absolute_url()),
        Check(reverse("alliance:search") + "?q=evaluation"),
    ]


def visitor_checks(p) -> list[Check]:
    return [
        *public_checks(p),
        Check(reverse("account_login"), sign_in_wrongly, "wrong password"),
        Check(reverse("account_signup"), submit_empty("form"), "sent empty"),
        Check(reverse("account_reset_password")),
    ]


def member_checks(p) -> list[Check]:
    group, event = p["group"].slug, p["event"].slug
    return [
        Check(reverse("dashboard"), open_account_menu, "account menu open"),
        *public_checks(p),
        Check(
            reverse("alliance:working_group_update_create", args=[group]),
            submit_empty("form.update-form"),
            "sent empty",
        ),
        Check(reverse("alliance:working_group_manage", args=[group])),
        Check(p["meeting"].get_absolute_url()),
        Check(reverse("events:event_agenda", args=[p["meeting"].slug])),
        Check(
            reverse("alliance:working_group_update_create", args=[group])
            + f"?meeting={p['meeting'].pk}"
        ),
        Check(p["minutes"].get_absolute_url()),
        Check(
            reverse("alliance:working_group_update_edit", args=[group, p["minutes"].pk])
        ),
        Check(
            reverse(
                "alliance:working_group_update_versions",
                args=[group, p["minutes"].pk],
            )
        ),
        Check(reverse("members:people")),
        Check(reverse("members:organization_manage", args=[p["organization"].slug])),
        Check(
            reverse("members:apply"),
            submit_empty("form.application-form"),
            "sent empty",
        ),
        Check(
            reverse("projects:entry_create"),
            submit_empty("form.entry-form"),
            "sent empty",
        ),
        Check(reverse("projects:review_queue")),
        Check(p["in_review"].get_absolute_url()),
        Check(reverse("projects:entry_review", args=[p["in_review"].slug])),
        Check(reverse("events:event_create"), submit_empty("form"), "sent empty"),
        Check(reverse("events:my_events")),
        Check(reverse("events:event_edit", args=[event])),
        Check(reverse("events:attendees", args=[event])),
        Check(reverse("events:attendees_message", args=[event])),
        Check(reverse("alliance:ballot_list")),
        Check(reverse("alliance:digest_preview")),
        Check(reverse("alliance:notification_list")),
        Check(reverse("alliance:notification_preferences")),
        Check(reverse("alliance:subscription_list")),
        Check(reverse("members:profile")),
        Check(reverse("members:api_tokens")),
        Check(reverse("members:personal_data")),
        Check(reverse("members:account_close")),
        Check(reverse("account_email")),
        Check(reverse("account_change_password")),
        Check(reverse("mfa_index")),
        Check(reverse("usersessions_list")),
    ]


class Auditor:
    """Opens pages in one person's browser context and reports what axe finds."""

    def __init__(self, page, who: str, language: str):
        self.page, self.who, self.language = page, who, language
        page.add_init_script(script=AXE_SCRIPT)
        self.check: Check | None = None

    def start(self, check: Check) -> None:
        page = self.page
        if page.viewport_size != DESKTOP:
            page.set_viewport_size(DESKTOP)
        response = page.goto(check.path)
        assert response.ok, f"{self.who} {check.path}: HTTP {response.status}"
        if check.action:
            check.action(page)
        lang = page.locator("html").get_attribute("lang")
        assert lang == self.language, f"{check.path} is in {lang!r}"
        page.evaluate(START_AXE)
        self.check = check

    def findings(self) -> list[str]:
        if self.check is None:
            return []
        results = self.page.evaluate("() => window.__axe")
        where = f"[{self.language}] {self.who} {self.check.path}"
        if self.check.note:
            where += f" ({self.check.note})"
        self.check = None
        lines = [self._line(where, "", item) for item in results["violations"]]
        lines += [
            self._line(where, "needs review: ", item)
            for item in results["incomplete"]
            if item["id"] != "color-contrast"
        ]
        return [line for line in lines if line]

    @staticmethod
    def _line(where: str, kind: str, item: dict) -> str:
        if item["impact"] not in FAILING_IMPACTS:
            return ""
        targets = ", ".join(" ".join(node["target"]) for node in item["nodes"][:6])
        return (
            f"{where}: {kind}{item['id']} ({item['impact']}) at {targets}"
            f" — {item['help']}"
        )


@pytest.mark.parametrize("language", ["en", "de"])
def test_main_pages_have_no_serious_accessibility_problems(language, portal, new_page):
    visitor = Auditor(new_page(locale=BROWSER_LOCALE[language]), "visitor", language)
    member_page = new_page()
    sign_in(member_page, portal["member"].email, PASSWORD)
    if language != "en":
        member_page.locator("#language-select").select_option(language)
        with member_page.expect_navigation():
            member_page.get_by_role("button", name="Switch").click()
    # Tabs of the signed-in context share the member's pages.
    tabs = [member_page, member_page.context.new_page(), member_page.context.new_page()]
    checks = member_checks(portal)
    streams = [(visitor, visitor_checks(portal))] + [
        (Auditor(tab, "member", language), checks[i :: len(tabs)])
        for i, tab in enumerate(tabs)
    ]

    findings = []
    for round_checks in itertools.zip_longest(*(checks for _, checks in streams)):
        started = []
        for (auditor, _), check in zip(streams, round_checks, strict=True):
            if check:
                auditor.start(check)
                started.append(auditor)
        for auditor in started:
            findings += auditor.findings()

    assert not findings, "\n".join([f"{len(findings)} problems:", *findings])
