"""Issue 13 item 5: the event form in sections with help text, a searchable
time-zone box (common zones first, checked on the server), a default end, and
the fields of the chosen format."""

import datetime
import re
from html import unescape

import pytest

from events.models import Event
from tests.events.factories import publisher

BASE = {
    "title": "Tokyo meetup",
    "kind": "workshop",
    "visibility": "public",
    "starts_at": "2031-05-10T18:00",
    "time_zone": "Asia/Tokyo",
    "reminder_hours": ["24"],
}


@pytest.fixture
def organizer_client(client, db):
    client.force_login(publisher(timezone="Europe/Berlin"))
    return client


def test_the_form_is_in_sections_with_a_searchable_time_zone_box(organizer_client):
    html = unescape(organizer_client.get("/events/new/").content.decode())
    legends = re.findall(r'<fieldset class="form-section">\s*<legend>([^<]+)', html)
    assert legends == [
        "What",
        "Who organizes it and who may see it",
        "When",
        "Where",
        "Registration",
    ]
    box = re.search(r"<input[^>]*name=\"time_zone\"[^>]*>", html).group(0)
    assert 'value="Europe/Berlin"' in box  # the organizer's own zone
    assert 'list="id_time_zone_choices"' in box
    zones = re.findall(
        r'<option value="([^"]+)"></option>',
        re.search(r'<datalist id="id_time_zone_choices">(.*?)</datalist>', html).group(
            1
        ),
    )
    # Common zones first, then every other IANA zone once.
    assert zones[:3] == ["UTC", "Europe/London", "Europe/Berlin"]
    assert "Pacific/Chatham" in zones and len(zones) == len(set(zones)) > 400
    assert "Leave empty for one hour after the start." in html
    assert 'data-show-for="online hybrid"' in html
    assert 'data-show-for="in_person hybrid"' in html
    assert "js/events.js" in html


def test_a_made_up_time_zone_is_refused_on_the_server(organizer_client):
    response = organizer_client.post(
        "/events/new/", {**BASE, "format": "online", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "Unknown time zone; use an IANA name such as Europe/Berlin." in unescape(
        response.content.decode()
    )
    assert not Event.objects.exists()


def test_without_an_end_the_event_lasts_an_hour(organizer_client):
    response = organizer_client.post("/events/new/", {**BASE, "format": "online"})
    assert response.status_code == 302, response.content.decode()[-2000:]
    event = Event.objects.get()
    assert event.starts_at == datetime.datetime(2031, 5, 10, 9, 0, tzinfo=datetime.UTC)
    assert event.ends_at - event.starts_at == datetime.timedelta(hours=1)
    # Editing with the end cleared: again an hour after the (new) start.
    response = organizer_client.post(
        f"/events/{event.slug}/edit/",
        {**BASE, "format": "online", "starts_at": "2031-05-10T19:00", "ends_at": ""},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    event.refresh_from_db()
    assert event.ends_at == datetime.datetime(2031, 5, 10, 11, 0, tzinfo=datetime.UTC)


def test_each_format_keeps_only_its_own_fields(organizer_client):
    place = {"venue": "Shibuya hall", "address": "1-1 Dogenzaka"}
    link = {"online_url": "https://meet.example.org/room"}
    organizer_client.post("/events/new/", {**BASE, "format": "online", **place, **link})
    online = Event.objects.get()
    assert (online.venue, online.address, online.online_url) == (
        "",
        "",
        "https://meet.example.org/room",
    )
    organizer_client.post(
        "/events/new/",
        {**BASE, "title": "In the room", "format": "in_person", **place, **link},
    )
    in_person = Event.objects.get(title="In the room")
    assert (in_person.venue, in_person.online_url) == ("Shibuya hall", "")
    # In person without a place: refused, on the field, nothing saved.
    response = organizer_client.post(
        "/events/new/", {**BASE, "title": "Nowhere", "format": "in_person"}
    )
    assert "Say where the event takes place (venue or address)." in unescape(
        response.content.decode()
    )
    assert not Event.objects.filter(title="Nowhere").exists()


def test_the_api_creates_an_event_without_an_end(api_client, db):
    organizer = publisher()
    api_client.force_authenticate(organizer)
    response = api_client.post(
        "/api/v1/events/",
        {
            "title": "Quick sync",
            "starts_at": "2031-05-10T09:00:00Z",
            "time_zone": "Europe/Berlin",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["ends_at"].startswith("2031-05-10T10:00:00")
