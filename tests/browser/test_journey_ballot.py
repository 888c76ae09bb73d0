"""A member with a voting seat votes in a working-group ballot on a phone, in
German: finds it on the dashboard, votes, changes the vote, then reads the
result once the ballot has closed."""

import datetime as dt
import re

from django.utils import timezone
from playwright.sync_api import expect

from alliance.governance.models import Ballot, Vote
from alliance.governance.services import ballot_open
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.browser.conftest import PHONE, sign_in
from tests.members.factories import PASSWORD, MemberFactory


def test_a_member_votes_on_a_phone_in_german(new_page, shoot):
    group = WorkingGroupFactory(name="Sichere Modelle", slug="sichere-modelle")
    chair = MemberFactory(name="Charlotte Vorsitz", language="de")
    WorkingGroupMembershipFactory(group=group, user=chair, role="chair", voting=False)
    member = MemberFactory(name="Mia Mitglied", language="de")
    WorkingGroupMembershipFactory(group=group, user=member, voting=True)
    for _ in range(2):
        WorkingGroupMembershipFactory(group=group, voting=True)
    ballot = ballot_open(
        created_by=chair,
        group=group,
        question="Nehmen wir die Charta in der Fassung vom Juni an?",
        description="Die Charta regelt **Ziele** und Arbeitsweise der Gruppe.",
        closes_at=timezone.now() + dt.timedelta(days=3),
        quorum_percent=30,
    )

    page = new_page(locale="de-DE", viewport=PHONE, timezone_id="Europe/Berlin")
    sign_in(page, member.email, PASSWORD)
    page.goto("/dashboard/")
    panel = page.locator("#my-ballots")
    expect(panel.get_by_role("heading")).to_have_text(
        "Abstimmungen, die auf Ihre Stimme warten"
    )
    shoot(page, "dashboard")
    panel.get_by_role("link", name=ballot.question).click()
    expect(page.get_by_role("heading", name=ballot.question)).to_be_visible()
    shoot(page, "ballot")

    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Stimme abgeben").click()
    expect(page.get_by_text("Ihre Stimme ist erfasst.")).to_be_visible()
    expect(page.get_by_label("Ja")).to_be_checked()
    shoot(page, "voted")
    page.get_by_label("Nein").check()
    page.get_by_role("button", name="Stimme ändern").click()
    expect(page.get_by_label("Nein")).to_be_checked()
    vote = Vote.objects.get(ballot=ballot)
    assert (vote.voter, vote.option.key) == (member, "no")

    # The ballot closes; the first reader after the close sees the result.
    past = timezone.now() - dt.timedelta(minutes=1)
    Ballot.objects.filter(pk=ballot.pk).update(
        opens_at=past - dt.timedelta(days=1), closes_at=past
    )
    page.reload()
    result = page.locator("#result")
    expect(result).to_contain_text("Der Antrag wurde nicht angenommen.")
    expect(result).to_contain_text("Quorum erreicht")
    expect(page.locator("#vote")).to_contain_text(
        re.compile("Diese Abstimmung ist abgeschlossen.")
    )
    shoot(page, "result")
    page.goto("/dashboard/")
    expect(page.locator("#my-ballots")).to_have_count(0)
