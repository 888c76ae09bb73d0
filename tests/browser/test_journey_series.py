"""Issue 13 items 4 and 5 in the browser, at 390 and 1280 px, in English and
German: a weekly series is one item in the list; a member registers for all its
dates in one step (a full date waitlists them) and leaves them all in one step;
the organizer's form shows the fields of the chosen format; the attendee list
fits a phone."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, Registration
from events.services.events import event_create, event_publish
from tests.browser.conftest import PHONE, sign_in
from tests.events.factories import publisher
from tests.members.factories import PASSWORD, MemberFactory

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
WORDS = {
    "en": {
        "switch": "Switch",
        "item": "Every week · next on",
        "more": "12 more dates",
        "register_all": "Register for all dates",
        "registered": "Registered for 12 dates, waitlisted for 1 (full).",
        "every": "You are registered for every date",
        "leave": "Leave all dates…",
        "confirm_leave": "Yes, leave all dates",
        "left": "You have left the series: 13 registrations cancelled.",
        "venue": "Venue",
        "link": "Online link",
    },
    "de": {
        "switch": "Wechseln",
        "item": "Jede Woche · nächster Termin am",
        "more": "12 weitere Termine",
        "register_all": "An allen Terminen teilnehmen",
        "registered": "Angemeldet für 12 Termine, auf der Warteliste für 1 (voll).",
        "every": "Sie sind für alle Termine angemeldet",
        "leave": "Von allen Terminen abmelden …",
        "confirm_leave": "Ja, von allen Terminen abmelden",
        "left": "Sie haben die Reihe verlassen: 13 Anmeldungen storniert.",
        "venue": "Veranstaltungsort",
        "link": "Online-Link",
    },
}


def person_page(new_page, person, language):
    page = new_page(locale="de-DE" if language == "de" else "en-US")
    sign_in(page, person.email, PASSWORD)
    if language == "de":
        page.locator("#language-select").select_option("de")
        page.locator(".language-switcher button[type=submit]").click()
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", "de")
    return page


def weekly_series(organizer, title):
    start = (timezone.now() + datetime.timedelta(days=2)).astimezone(BERLIN)
    start = start.replace(hour=16, minute=0, second=0, microsecond=0)
    event = event_create(
        organizer=organizer,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        time_zone=BERLIN,
        kind="meeting",
        repeat="weekly",
    )
    event_publish(event=event, actor=organizer)
    return list(Event.objects.filter(series_id=event.series_id).order_by("starts_at"))


@pytest.mark.parametrize("language", ["en", "de"])
def test_series_once_in_the_list_register_all_and_leave_all(
    new_page, shoot, language, db
):
    words = WORDS[language]
    organizer = publisher(name="Olga Organizer")
    dates = weekly_series(organizer, f"Evaluation call ({language})")
    full = dates[2]
    Event.objects.filter(pk=full.pk).update(capacity=1)
    Registration.objects.create(event=full, user=MemberFactory(), status="confirmed")
    member = MemberFactory(name="Mia Member", timezone="Europe/Berlin")

    page = person_page(new_page, member, language)
    page.goto("/events/")
    item = page.locator("#event-list .event-item")
    expect(item).to_have_count(1)
    expect(item.locator(".event-series")).to_contain_text(words["item"])
    expect(item.locator(".event-series")).to_contain_text(words["more"])
    shoot(page, f"{language}-series-list-item")

    item.locator(".event-title").click()
    expect(page).to_have_url(
        f"{page.url.split('/events/')[0]}{dates[0].get_absolute_url()}"
    )
    expect(page.locator("#series-dates li")).to_have_count(12)
    shoot(page, f"{language}-series-panel")
    page.get_by_role("button", name=words["register_all"]).click()
    expect(page.get_by_text(words["registered"])).to_be_visible()
    expect(page.locator("#series-status")).to_have_text(words["every"])
    shoot(page, f"{language}-series-registered")
    assert Registration.objects.filter(user=member, status="confirmed").count() == 12
    assert Registration.objects.get(user=member, event=full).status == "waitlisted"

    page.get_by_role("button", name=words["leave"]).click()
    shoot(page, f"{language}-series-leave-confirm")
    page.get_by_role("button", name=words["confirm_leave"]).click()
    expect(page.get_by_text(words["left"])).to_be_visible()
    assert not Registration.objects.filter(
        user=member, status__in=["confirmed", "waitlisted"]
    ).exists()


@pytest.mark.parametrize("language", ["en", "de"])
def test_event_form_shows_the_fields_of_the_format(new_page, shoot, language, db):
    words = WORDS[language]
    organizer = publisher(name="Olga Organizer", timezone="Europe/Berlin")
    page = person_page(new_page, organizer, language)
    page.goto("/events/new/")
    page.fill("#id_title", "Hybrid summit")
    page.select_option("#id_format", "online")
    expect(page.get_by_label(words["link"])).to_be_visible()
    expect(page.locator("#id_venue")).to_be_hidden()
    page.select_option("#id_format", "in_person")
    expect(page.locator("#id_venue")).to_be_visible()
    expect(page.locator("#id_online_url")).to_be_hidden()
    page.fill("#id_venue", "CERN Globe")
    page.fill("#id_address", "Esplanade des Particules 1\n1211 Genève")
    page.fill("#id_time_zone", "Europe/Zurich")
    start = timezone.now() + datetime.timedelta(days=20)
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT10:00"))
    shoot(page, f"{language}-event-form")
    page.locator("#event-form button[type=submit]").click()
    page.wait_for_load_state()
    event = Event.objects.get(title="Hybrid summit")
    assert event.ends_at - event.starts_at == datetime.timedelta(hours=1)
    assert str(event.time_zone) == "Europe/Zurich"
    expect(page.locator("#map-link")).to_be_visible()
    shoot(page, f"{language}-event-page-links")

    for i in range(3):
        Registration.objects.create(
            event=event,
            user=MemberFactory(name=f"Attendee Number {i} With A Long Name"),
            status="confirmed" if i < 2 else "waitlisted",
        )
    page.set_viewport_size(PHONE)
    page.goto(f"/events/{event.slug}/attendees/")
    # Nothing wider than the phone: the table became one card per person.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    shoot(page, f"{language}-attendees")
