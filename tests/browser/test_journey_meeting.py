"""A chair takes a working-group meeting from agenda to minutes on a phone, in
German: drafts the agenda (which carries the group's open action item), a
member reads it on the meeting's page; after the meeting the chair posts the
minutes from the meeting's page with the attendance taken from the
registrations and an action item, then corrects them and reads the versions."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from alliance.working_groups.models import WorkingGroupUpdate
from alliance.working_groups.services import ActionItemInput, working_group_update_post
from events.models import Event
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.browser.conftest import PHONE, sign_in
from tests.events.factories import EventFactory, RegistrationFactory, in_days
from tests.members.factories import PASSWORD, MemberFactory


def test_a_chair_takes_a_meeting_from_agenda_to_minutes(new_page, shoot):
    group = WorkingGroupFactory(name="Sichere Modelle", slug="sichere-modelle")
    chair = MemberFactory(name="Charlotte Vorsitz", language="de")
    WorkingGroupMembershipFactory(group=group, user=chair, role="chair", voting=False)
    member = MemberFactory(name="Mia Mitglied", language="de")
    WorkingGroupMembershipFactory(group=group, user=member, voting=True)
    working_group_update_post(
        group=group,
        author=chair,
        kind="minutes",
        title="Protokoll Mai",
        body="Wir haben getagt.",
        action_items=[ActionItemInput(text="Charta-Entwurf schreiben", owner=member)],
    )
    meeting = EventFactory(
        title="Monatliche Sitzung",
        slug="monatliche-sitzung",
        kind=Event.Kind.MEETING,
        working_group=group,
        organizer=chair,
        visibility=Event.Visibility.GROUP,
        starts_at=in_days(7, hour=14),
        ends_at=in_days(7, hour=15),
    )
    RegistrationFactory(event=meeting, user=member)
    RegistrationFactory(event=meeting, user=chair)

    page = new_page(locale="de-DE", viewport=PHONE, timezone_id="Europe/Berlin")
    sign_in(page, chair.email, PASSWORD)
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Tagesordnung entwerfen").click()
    page.get_by_role("textbox", name="Tagesordnung").fill(
        "1. **Charta** prüfen\n2. Haushalt"
    )
    shoot(page, "agenda-form")
    page.get_by_role("button", name="Tagesordnung speichern").click()
    expect(page.get_by_text("Die Tagesordnung ist gespeichert.")).to_be_visible()
    agenda = page.locator("#agenda")
    expect(agenda.locator("strong", has_text="Charta")).to_be_visible()
    expect(agenda).to_contain_text("Charta-Entwurf schreiben")
    shoot(page, "agenda")

    # The meeting takes place.
    start = timezone.now() - dt.timedelta(hours=2)
    Event.objects.filter(pk=meeting.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    page.reload()
    expect(page.get_by_role("link", name="Tagesordnung bearbeiten")).to_have_count(0)
    page.get_by_role("link", name="Protokoll veröffentlichen").click()
    expect(page.get_by_text("Protokoll der Sitzung")).to_be_visible()
    expect(page.get_by_label("Mia Mitglied")).to_be_checked()
    expect(page.get_by_label("Charlotte Vorsitz")).to_be_checked()
    page.locator("#id_body").fill("Wir haben die Charta geprüft.")
    page.locator("#id_items-0-text").fill("Charta veröffentlichen")
    page.locator("#id_items-0-owner").select_option(label="Mia Mitglied")
    shoot(page, "minutes-form")
    page.get_by_role("button", name="Veröffentlichen", exact=True).click()
    expect(page.get_by_text("Ihr Protokoll ist veröffentlicht")).to_be_visible()
    expect(page.get_by_text("Anwesenheit (2 Personen):")).to_be_visible()
    shoot(page, "minutes")

    page.get_by_role("link", name="Korrigieren").click()
    page.locator("#id_body").fill("Wir haben die Charta geprüft und angenommen.")
    page.get_by_role("button", name="Korrektur speichern").click()
    expect(page.get_by_text("Ihre Korrektur ist gespeichert")).to_be_visible()
    page.get_by_role("link", name="Alle Fassungen").click()
    expect(page.locator("#version-2")).to_contain_text("angenommen")
    expect(page.locator("#version-1")).to_contain_text("Wir haben die Charta geprüft.")
    shoot(page, "versions")
    minutes = WorkingGroupUpdate.objects.get(meeting=meeting)
    assert minutes.versions.count() == 2
    assert minutes.action_items.get().owner == member
