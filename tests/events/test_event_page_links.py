"""Issue 13 item 5: the event page links out to the map and to Google Calendar
and Outlook, built from the event's UTC times and correctly encoded."""

import datetime
import zoneinfo
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.events.factories import EventFactory

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


class _ById(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.found[attrs["id"]] = attrs


def links(client, event):
    parser = _ById()
    parser.feed(client.get(event.get_absolute_url()).content.decode())
    return {
        name: parser.found.get(name)
        for name in ("map-link", "add-to-google", "add-to-outlook", "add-to-calendar")
    }


@pytest.mark.django_db
def test_in_person_event_links_to_the_map_and_to_web_calendars(client):
    event = EventFactory(
        title="Red teaming & evals: Q&A",
        description="We compare **safety benchmarks** & share notes.",
        format="in_person",
        venue="CERN Globe",
        address="Esplanade des Particules 1\n1211 Genève",
        starts_at=datetime.datetime(2030, 7, 1, 10, 0, tzinfo=TOKYO),
        ends_at=datetime.datetime(2030, 7, 1, 12, 30, tzinfo=TOKYO),
        time_zone=TOKYO,
    )
    found = links(client, event)
    map_url = urlsplit(found["map-link"]["href"])
    assert (map_url.scheme, map_url.netloc, map_url.path) == (
        "https",
        "www.openstreetmap.org",
        "/search",
    )
    assert parse_qs(map_url.query) == {
        "query": ["CERN Globe, Esplanade des Particules 1, 1211 Genève"]
    }
    assert "%20" in map_url.query and "+" not in map_url.query

    google = urlsplit(found["add-to-google"]["href"])
    assert google.netloc == "calendar.google.com"
    query = parse_qs(google.query)
    # 10:00 in Tokyo is 01:00 UTC.
    assert query["dates"] == ["20300701T010000Z/20300701T033000Z"]
    assert query["text"] == ["Red teaming & evals: Q&A"]
    assert query["location"] == ["CERN Globe, Esplanade des Particules 1, 1211 Genève"]
    # The description as plain text (no Markdown stars), then the event's page.
    assert query["details"][0].startswith("We compare safety benchmarks & share notes.")
    assert query["details"][0].endswith(event.get_absolute_url())

    outlook = urlsplit(found["add-to-outlook"]["href"])
    query = parse_qs(outlook.query)
    assert query["startdt"] == ["2030-07-01T01:00:00Z"]
    assert query["enddt"] == ["2030-07-01T03:30:00Z"]
    assert query["subject"] == ["Red teaming & evals: Q&A"]
    assert query["rru"] == ["addevent"]
    # Still beside the .ics download.
    assert found["add-to-calendar"] is not None


@pytest.mark.django_db
def test_online_event_has_no_map_and_never_puts_its_link_in_web_calendar_links(
    client,
):
    event = EventFactory(format="online", online_url="https://meet.example.org/r")
    from events.models import Registration
    from tests.members.factories import MemberFactory

    member = MemberFactory()
    Registration.objects.create(event=event, user=member, status="confirmed")
    client.force_login(member)
    page = unescape(client.get(event.get_absolute_url()).content.decode())
    found = links(client, event)
    assert found["map-link"] is None
    assert "meet.example.org" in page  # shown to the confirmed attendee…
    for name in ("add-to-google", "add-to-outlook"):
        assert "meet.example.org" not in found[name]["href"]  # …never sent out
