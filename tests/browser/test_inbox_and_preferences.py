"""The inbox and the notification preferences as a member reads them, in English
and German, at 390 and 1280 px (screenshots in test-artifacts/screenshots/)."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from alliance.focus_areas.models import FocusArea
from alliance.notifications.models import Activity, Notification
from alliance.notifications.services.activities import notification_render
from tests.alliance.factories import WorkingGroupFactory
from tests.browser.conftest import sign_in
from tests.members.factories import PASSWORD, MemberFactory

ORGANIZATIONS = [
    "CERN",
    "Universität Heidelberg",
    "Fraunhofer-Institut für Intelligente Analyse",
    "Mila",
    "Hugging Face",
    "ETH Zürich",
]


def fill_inbox(person):
    """A week of a member's inbox: six organizations joined, news in a group,
    a changed event and an action item, as the portal renders them."""
    group = WorkingGroupFactory(name="Safety Evaluation")
    now = timezone.now()
    items = [
        ("organization_joined", {"name": name, "url": "/members/"}, i * 47)
        for i, name in enumerate(ORGANIZATIONS)
    ]
    items += [
        (
            "group_update_posted",
            {
                "author": "Ada Lovelace",
                "group": group.name,
                "title": "Red-teaming results for Q4",
                "url": group.get_absolute_url(),
            },
            20,
        ),
        (
            "action_item_assigned",
            {
                "author": "Grace Hopper",
                "group": group.name,
                "title": "Meeting of 1 December",
                "text": "Draft the evaluation checklist for open-weight models.",
                "due": "2026-12-12",
                "url": "/dashboard/",
            },
            180,
        ),
        (
            "event_changed",
            {
                "title": "Trust & Safety Summit",
                "venue": "Geneva",
                "url": "/events/",
                "changed": ["venue"],
            },
            60 * 30,
        ),
    ]
    for kind, context, minutes in items:
        activity = Activity.objects.create(kind=kind, target=group, context=context)
        title, body = notification_render(activity=activity, recipient=person)
        when = now - dt.timedelta(minutes=minutes)
        Notification.objects.create(
            recipient=person,
            activity=activity,
            kind=kind,
            title=title,
            body=body,
            url=context["url"],
            created_at=when,
            shown_at=when,
        )
    return group


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_inbox_reads_well_in_both_languages(new_page, shoot, language):
    person = MemberFactory(language=language, timezone="Europe/Berlin")
    fill_inbox(person)
    page = new_page(locale="de-DE" if language == "de" else "en-US")
    sign_in(page, person.email, PASSWORD)
    page.goto("/notifications/")
    bundle = page.locator(".notification-bundle")
    expect(bundle).to_have_count(1)
    heading = (
        "6 Organisationen beigetreten" if language == "de" else "6 organizations joined"
    )
    expect(bundle.locator("summary")).to_contain_text(heading)
    # Closed, the bundle hides its six; opened, it shows them.
    expect(bundle.locator(".notification").first).to_be_hidden()
    bundle.locator("summary").click()
    expect(bundle.locator(".notification")).to_have_count(6)
    expect(bundle.locator(".notification").first).to_be_visible()
    # Excerpts end on a sentence, never on the words that led to a link.
    bodies = page.locator(".notification-body").all_inner_texts()
    assert bodies and not any(body.rstrip().endswith(":") for body in bodies)
    shoot(page, f"inbox-{language}")

    mark_all = "Alle als gelesen markieren" if language == "de" else "Mark all read"
    page.get_by_role("button", name=mark_all).click()
    expect(page.locator("#inbox-status")).to_contain_text(
        "9 Benachrichtigungen" if language == "de" else "Marked 9 notifications read."
    )
    expect(page.locator(".notification.unread")).to_have_count(0)
    expect(page.locator("#unread-count")).to_have_count(0)
    assert page.url.endswith("/notifications/")  # in place, no page load


@pytest.mark.parametrize("language", ["en", "de"])
def test_preferences_at_a_glance_in_both_languages(new_page, shoot, language):
    from alliance.notifications.models import Subscription
    from tests.alliance.factories import WorkingGroupMembershipFactory
    from tests.browser.conftest import PHONE

    de = language == "de"
    person = MemberFactory(language=language, timezone="Europe/Berlin")
    safety = fill_inbox(person)
    WorkingGroupMembershipFactory(user=person, group=safety)
    WorkingGroupMembershipFactory(
        user=person, group=WorkingGroupFactory(name="Open Models and Datasets")
    )
    Notification.objects.filter(recipient=person).update(
        delivery_email="digest", shown_at=None
    )
    # The groups are in the first focus area, which the person muted.
    areas = list(FocusArea.objects.order_by("number"))
    Subscription.objects.create(user=person, target=areas[0], state="mute")
    with translation.override(language):
        area_names = [str(area) for area in areas]
    watching, muted = ("Beobachten", "Stummgeschaltet") if de else ("Watching", "Muted")
    page = new_page(locale="de-DE" if de else "en-US", viewport=PHONE)
    sign_in(page, person.email, PASSWORD)
    page.goto("/notifications/preferences/")
    # One compact row per focus area, as the things followed.
    expect(page.locator(".area-levels > li")).to_have_count(6)
    expect(
        page.get_by_role("radiogroup", name=area_names[0], exact=True).get_by_role(
            "radio", name=muted
        )
    ).to_be_checked()
    page.get_by_role("radiogroup", name=area_names[1], exact=True).get_by_role(
        "radio", name=watching
    ).check()
    # The groups in the muted area read Muted, and say where that comes from.
    open_models = page.get_by_role(
        "radiogroup", name=re.compile("Open Models and Datasets")
    )
    expect(open_models.get_by_role("radio", name=muted)).to_be_checked()
    expect(page.locator(".level-inherited").first).to_contain_text(area_names[0])
    # Save stays in reach on a phone without scrolling to the end.
    save = page.get_by_role(
        "button", name="Einstellungen speichern" if de else "Save preferences"
    )
    expect(save).to_be_in_viewport()
    # The per-kind table is folded away.
    expect(page.locator(".preferences-table").first).to_be_hidden()
    radios = page.get_by_role(
        "radiogroup", name=re.compile("Safety Evaluation")
    ).get_by_role("radio", name=watching)
    radios.check()
    shoot(page, f"preferences-{language}")
    # On a phone the folded table opens (nothing covers its summary).
    page.locator(".kind-table > summary").click()
    expect(page.locator(".preferences-table").first).to_be_visible()
    save.click()
    expect(
        page.get_by_text(
            "Ihre Benachrichtigungseinstellungen sind gespeichert."
            if de
            else "Your notification preferences are saved."
        )
    ).to_be_visible()
    assert {
        (s.target_type.model, s.target_id, s.state)
        for s in Subscription.objects.filter(user=person)
    } == {
        ("focusarea", areas[0].pk, "mute"),
        ("focusarea", areas[1].pk, "watch"),
        ("workinggroup", safety.pk, "watch"),
    }

    page.get_by_role(
        "link",
        name="Vorschau meiner nächsten Zusammenfassung"
        if de
        else "Preview my next digest",
    ).click()
    expect(page.locator("#digest-subject")).to_contain_text(
        "Zusammenfassung" if de else "digest"
    )
    frame = page.frame_locator(".digest-preview-frame")
    expect(frame.get_by_text("Red-teaming results for Q4").first).to_be_visible()
    shoot(page, f"digest-preview-{language}")

    # The focus area's page has the same levels as a control.
    page.goto(areas[2].get_absolute_url())
    box = page.locator("#area-level")
    expect(box.get_by_role("button", name="Normal")).to_have_attribute(
        "aria-pressed", "true"
    )
    box.get_by_role("button", name=muted).click()
    expect(box.get_by_role("button", name=muted)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(box.get_by_role("status")).to_contain_text(
        "stummgeschaltet" if de else "You muted"
    )
    shoot(page, f"focus-area-level-{language}")
    assert Subscription.objects.filter(
        user=person, target_id=areas[2].pk, state="mute"
    ).exists()
