"""Journey (b): a member finds a working group by its focus area and asks to join;
a chair (who reads the portal in German) approves; the member posts minutes with
an action item for the chair, who finds it on their dashboard and marks it done."""

import datetime
import re

from playwright.sync_api import expect

from alliance.focus_areas.models import FocusArea
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
)
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.browser.conftest import sign_in
from tests.members.factories import PASSWORD, MemberFactory

M = WorkingGroupMembership


def test_member_joins_by_request_posts_minutes_and_owner_sees_the_action_item(
    new_page, shoot
):
    group = WorkingGroupFactory(
        name="Multilingual Models",
        slug="multilingual-models",
        summary="Open models that work well beyond English.",
        focus_area=FocusArea.objects.get(number=2),
        join_policy=WorkingGroup.JoinPolicy.APPROVAL,
    )
    chair = MemberFactory(name="Charlotte Vorsitz", language="de")
    WorkingGroupMembershipFactory(group=group, user=chair, role=M.Role.CHAIR)
    member = MemberFactory(name="Max Member")

    # The member finds the group through its focus area and asks to join.
    page = new_page()
    sign_in(page, member.email, PASSWORD)
    page.get_by_role("link", name="Focus areas").first.click()
    page.get_by_role("link", name="Open foundation models").click()
    expect(page.get_by_role("heading", name="Open foundation models")).to_be_visible()
    shoot(page, "focus-area")
    page.get_by_role("link", name="Multilingual Models").click()
    expect(page.get_by_role("heading", name="Multilingual Models")).to_be_visible()
    page.get_by_label("Message to the chairs (optional)").fill(
        "I build evaluation sets for Slavic languages."
    )
    page.get_by_role("button", name="Ask to join").click()
    expect(page.locator("#membership-box [role=status]")).to_have_text(
        re.compile("Your request to join Multilingual Models was sent to its chairs")
    )
    expect(page.get_by_role("button", name="Withdraw the request")).to_be_visible()
    shoot(page, "request-sent")

    # The chair, in German, finds the request on the dashboard and approves it.
    chair_page = new_page(locale="de-DE")
    sign_in(chair_page, chair.email, PASSWORD)
    chair_page.goto("/dashboard/")
    expect(
        chair_page.get_by_role("heading", name="Meine Arbeitsgruppen")
    ).to_be_visible()
    chair_page.get_by_role("link", name="1 Anfrage wartet auf Sie").click()
    expect(chair_page.get_by_text("I build evaluation sets")).to_be_visible()
    chair_page.get_by_label("Anmerkung an die Person (optional)").fill(
        "Willkommen an Bord!"
    )
    shoot(chair_page, "chair-requests-de")
    chair_page.get_by_role("button", name="Annehmen").click()
    expect(chair_page.get_by_role("status")).to_have_text(
        "Max Member ist als stimmberechtigtes Mitglied beigetreten."
    )
    shoot(chair_page, "chair-approved-de")
    assert M.objects.get(user=member).status == M.Status.ACTIVE

    # The member is in, with a vote, and posts minutes with an action item.
    page.reload()
    expect(page.locator("#membership-box")).to_contain_text("Voting")
    expect(page.locator("#roster")).to_contain_text("Max Member")
    page.get_by_role("link", name="Post an update or minutes").click()
    page.get_by_label("Kind").select_option("minutes")
    page.get_by_label("Title").fill("Kick-off meeting")
    page.get_by_label("Text").fill("## Decisions\n\n- Start with Polish and Czech.")
    page.get_by_label("Meeting date").fill("2030-03-02")
    page.locator("#id_items-0-text").fill("Draft the evaluation plan")
    page.locator("#id_items-0-owner").select_option(label="Charlotte Vorsitz")
    due = datetime.date.today() + datetime.timedelta(days=14)
    page.locator("#id_items-0-due_date").fill(due.isoformat())
    shoot(page, "minutes-form")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_text("Your minutes are posted")).to_be_visible()
    expect(page.get_by_role("heading", name="Decisions")).to_be_visible()
    shoot(page, "minutes-posted")

    # The owner sees the action item on their dashboard (in German) and ticks it off.
    chair_page.goto("/dashboard/")
    items = chair_page.locator("#my-action-items")
    expect(items).to_contain_text("Draft the evaluation plan")
    expect(items).to_contain_text("Multilingual Models: Kick-off meeting")
    shoot(chair_page, "dashboard-action-item-de")
    chair_page.get_by_role("button", name=re.compile("^Erledigt")).click()
    expect(items.get_by_role("status")).to_have_text(
        "Erledigt: Draft the evaluation plan"
    )
    assert ActionItem.objects.get().done is True
    chair_page.goto(group.get_absolute_url())
    expect(chair_page.get_by_role("heading", name="Mitgliederliste")).to_be_visible()
    expect(chair_page.get_by_text("Keine offenen Aufgaben.")).to_be_visible()
    shoot(chair_page, "group-page-de")

    # The chair's bell tells of the request; the member's tells of the decision.
    page.goto("/notifications/")
    expect(
        page.get_by_role("button", name="Welcome to Multilingual Models", exact=True)
    ).to_be_visible()
