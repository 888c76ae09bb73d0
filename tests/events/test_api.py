"""The events API: organizers write, callers cannot set what they must not."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from alliance.registries.references import _references, reference_register
from events.models import Event, Registration
from events.services.events import event_create, event_update
from events.services.registrations import registration_create
from members.services import api_token_create
from tests.alliance.factories import WorkingGroupMembershipFactory
from tests.events.factories import EventFactory, in_days, publisher
from tests.members.factories import MemberFactory, UserFactory


def authed(api_client, user):
    _token, raw = api_token_create(user=user, name="test")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api_client


def new_event_body(**extra):
    start = in_days(10, hour=9)
    return {
        "title": "Open Models Workshop",
        "description": "Hands-on **fine-tuning**.",
        "kind": "workshop",
        "format": "online",
        "online_url": "https://meet.example.org/open-models",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=3)).isoformat(),
        "time_zone": "Europe/Berlin",
        "capacity": 30,
        **extra,
    }


def test_organizer_creates_publishes_and_updates(api_client, db):
    organizer = publisher()
    api = authed(api_client, organizer)
    response = api.post("/api/v1/events/", new_event_body(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert body["organization"] == organizer.affiliations.get().organization.slug
    slug = body["slug"]
    assert api.post(f"/api/v1/events/{slug}/publish/").json()["status"] == "published"
    response = api.patch(
        f"/api/v1/events/{slug}/", {"capacity": 40, "venue": "Room A"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["capacity"] == 40
    assert response.json()["sequence"] == 2


@pytest.mark.parametrize(
    "forbidden",
    [
        {"status": "published"},
        {"organization": "some-other-org"},
        {"organizer": 1},
        {"sequence": 99},
        {"slug": "hijacked"},
        {"is_staff": True},
    ],
)
def test_fields_a_caller_must_not_set_are_refused(api_client, db, forbidden):
    organizer = publisher()
    api = authed(api_client, organizer)
    response = api.post("/api/v1/events/", new_event_body(**forbidden), format="json")
    assert response.status_code == 400
    field = next(iter(forbidden))
    assert response.json()["errors"][field] == ["This field cannot be set here."]
    assert not Event.objects.exists()

    event = EventFactory(organizer=organizer, status="draft")
    response = api.patch(f"/api/v1/events/{event.slug}/", forbidden, format="json")
    assert response.status_code == 400
    fresh = Event.objects.get(pk=event.pk)
    assert (fresh.status, fresh.slug, fresh.sequence) == ("draft", event.slug, 0)


def test_non_organizers_cannot_change_capacity_or_anything(api_client, db):
    event = EventFactory(capacity=5)
    api = authed(api_client, MemberFactory())
    response = api.patch(f"/api/v1/events/{event.slug}/", {"capacity": 500})
    assert response.status_code == 403
    assert api.post(f"/api/v1/events/{event.slug}/cancel/").status_code == 403
    event.refresh_from_db()
    assert (event.capacity, event.status) == (5, "published")


def test_registration_posting_status_changes_nothing(api_client, db):
    event = EventFactory(capacity=1)
    registration_create(event=event, user=MemberFactory())
    api = authed(api_client, MemberFactory())
    response = api.post(
        f"/api/v1/events/{event.slug}/registration/",
        {"status": "confirmed"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"status": ["This field cannot be set here."]}}
    assert Registration.objects.filter(event=event).count() == 1


def test_register_waitlist_and_cancel_through_the_api(api_client, db):
    event = EventFactory(capacity=1)
    first, second = MemberFactory.create_batch(2)
    url = f"/api/v1/events/{event.slug}/registration/"
    response = authed(api_client, first).post(url)
    assert (response.status_code, response.json()) == (
        201,
        {"status": "confirmed", "position": None},
    )
    assert authed(api_client, first).post(url).status_code == 200
    response = authed(api_client, second).post(url, {"show_on_list": True})
    assert response.json() == {"status": "waitlisted", "position": 1}
    assert authed(api_client, first).delete(url).status_code == 204
    assert authed(api_client, first).delete(url).status_code == 404
    detail = authed(api_client, second).get(f"/api/v1/events/{event.slug}/").json()
    assert detail["my_registration"] == {"status": "confirmed", "position": None}
    assert detail["online_url"] == "https://meet.example.org/secret-room"


def test_registration_errors_are_400_with_a_message(api_client, db):
    event = EventFactory(status="cancelled")
    response = authed(api_client, MemberFactory()).post(
        f"/api/v1/events/{event.slug}/registration/"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == [
        "This event has been cancelled."
    ]
    assert api_client.credentials() is None
    assert (
        api_client.post(f"/api/v1/events/{event.slug}/registration/").status_code == 401
    )


def test_attendees_for_organizers_only(api_client, db):
    event = EventFactory(capacity=1)
    seated = MemberFactory(show_email=True)
    registration_create(event=event, user=seated)
    registration_create(event=event, user=MemberFactory())
    url = f"/api/v1/events/{event.slug}/attendees/"
    assert authed(api_client, seated).get(url).status_code == 403
    rows = authed(api_client, event.organizer).get(url).json()["results"]
    assert [(r["status"], r["position"]) for r in rows] == [
        ("confirmed", None),
        ("waitlisted", 1),
    ]
    assert rows[0]["email"] == seated.email


def test_chairs_create_for_their_group_only(api_client, db):
    chair = WorkingGroupMembershipFactory(role="chair")
    other_group = WorkingGroupMembershipFactory().group
    person = chair.user
    person.affiliations.update(status="ended")  # no publishing through a tier
    api = authed(api_client, person)
    response = api.post(
        "/api/v1/events/",
        new_event_body(working_group=chair.group.slug, visibility="group"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["focus_area"] == chair.group.focus_area.slug
    response = api.post(
        "/api/v1/events/", new_event_body(working_group=other_group.slug), format="json"
    )
    assert response.status_code == 403
    response = api.post("/api/v1/events/", new_event_body(), format="json")
    assert response.status_code == 403


def test_people_without_rights_cannot_create(api_client, db):
    for person in (UserFactory(), MemberFactory()):  # the general tier may not
        response = authed(api_client, person).post(
            "/api/v1/events/", new_event_body(), format="json"
        )
        assert response.status_code == 403
    assert not Event.objects.exists()


def test_bad_input_gets_field_errors(api_client, db):
    api = authed(api_client, publisher())
    body = new_event_body(time_zone="Mars/Olympus", capacity=0)
    body["ends_at"] = body["starts_at"]
    response = api.post("/api/v1/events/", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"time_zone", "capacity"}
    response = api.post(
        "/api/v1/events/", new_event_body(ends_at=in_days(1).isoformat())
    )
    assert response.json()["errors"]["ends_at"] == ["The end must be after the start."]


def test_pseudo_time_zone_localtime_is_refused(api_client, db):
    # Issue 17, item 18: "localtime" is a file in the server's zoneinfo folder,
    # not a place; it was accepted because it is in available_timezones().
    organizer = publisher()
    api = authed(api_client, organizer)
    for zone in ("localtime", "Factory", "posixrules"):
        response = api.post(
            "/api/v1/events/", new_event_body(time_zone=zone), format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"]["time_zone"] == [
            "Unknown time zone; use an IANA name such as Europe/Berlin."
        ]
    assert not Event.objects.exists()
    slug = api.post("/api/v1/events/", new_event_body(), format="json").json()["slug"]
    response = api.patch(
        f"/api/v1/events/{slug}/", {"time_zone": "localtime"}, format="json"
    )
    assert response.status_code == 400
    assert str(Event.objects.get().time_zone) == "Europe/Berlin"
    with pytest.raises(ValidationError) as refused:
        event_update(event=Event.objects.get(), actor=organizer, time_zone="localtime")
    assert "time_zone" in refused.value.error_dict


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_title_with_a_bidirectional_control_is_refused(api_client, db, control):
    # Issue 17, item 20: "Safety\u202egnp.exe" reads as "Safetyexe.png".
    api = authed(api_client, publisher())
    response = api.post(
        "/api/v1/events/",
        new_event_body(title=f"Safety{control}gnp.exe"),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["title"] == [
        "Remove the invisible characters that change the direction of the text "
        "(U+202A–U+202E, U+2066–U+2069)."
    ]
    assert not Event.objects.exists()
    # Right-to-left marks, which Arabic and Hebrew need, stay allowed.
    response = api.post(
        "/api/v1/events/", new_event_body(title="ورشة\u200f 2031"), format="json"
    )
    assert response.status_code == 201


WINDOW_ERROR = ["Choose a date between 1970 and 2100."]


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("ends_at", {"ends_at": "9999-12-31T23:00:00Z"}),
        (
            "starts_at",
            {
                "starts_at": "9999-12-31T20:00:00Z",
                "ends_at": "9999-12-31T21:00:00Z",
                "time_zone": "Pacific/Kiritimati",
            },
        ),
        ("starts_at", {"starts_at": "1969-12-31T20:00:00Z"}),
        ("registration_closes_at", {"registration_closes_at": "2101-01-01T00:00:00Z"}),
        ("repeat_until", {"repeat": "weekly", "repeat_until": "9999-12-31"}),
    ],
)
def test_dates_outside_1970_to_2100_are_refused(api_client, db, field, extra):
    # Issue 17, item 1: an event ending in 9999 was accepted and then took /,
    # /events/ and the API down east of UTC; a start in 9999 in Kiritimati gave
    # a 500 right away.
    organizer = publisher(timezone="Pacific/Kiritimati")
    api = authed(api_client, organizer)
    response = api.post("/api/v1/events/", new_event_body(**extra), format="json")
    assert response.status_code == 400
    assert response.json()["errors"][field] == WINDOW_ERROR
    assert not Event.objects.exists()


def test_the_service_refuses_dates_outside_the_window(db):
    organizer = publisher()
    start = in_days(3)
    with pytest.raises(ValidationError) as refused:
        event_create(
            organizer=organizer,
            title="Far future",
            starts_at=start,
            ends_at=datetime.datetime(9999, 12, 31, 23, tzinfo=datetime.UTC),
            time_zone="UTC",
        )
    assert refused.value.message_dict == {"ends_at": WINDOW_ERROR}
    event = EventFactory(organizer=organizer)
    with pytest.raises(ValidationError) as refused:
        event_update(
            event=event,
            actor=organizer,
            starts_at=datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC),
        )
    assert refused.value.message_dict == {"starts_at": WINDOW_ERROR}
    event.refresh_from_db()
    assert event.starts_at.year == start.year


def test_list_filters(api_client, db):
    EventFactory(title="Hack night", kind="hackathon")
    EventFactory(title="Talk", kind="webinar")
    titles = [
        e["title"]
        for e in api_client.get("/api/v1/events/?kind=hackathon").json()["results"]
    ]
    assert titles == ["Hack night"]
    assert api_client.get("/api/v1/events/?month=2026-99").status_code == 400


@pytest.fixture
def catalog():
    def resolve(keys):
        known = {"llama-guard": "Llama Guard", "garak": "garak"}
        return {
            k: {"title": known[k], "url": f"/projects/catalog/{k}/"}
            for k in keys
            if k in known
        }

    reference_register(
        "catalog_entry",
        resolve=resolve,
        choices=lambda: [("llama-guard", "Llama Guard"), ("garak", "garak")],
    )
    yield
    _references.pop("catalog_entry", None)


def test_showcase_lists_catalog_entries_by_slug(api_client, db, catalog):
    api = authed(api_client, publisher())
    response = api.post(
        "/api/v1/events/",
        new_event_body(kind="showcase", showcase_entries=["garak", "nope"]),
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["showcase_entries"] == [
        "No catalog entry has the address “nope”."
    ]
    response = api.post(
        "/api/v1/events/",
        new_event_body(kind="showcase", showcase_entries=["llama-guard", "garak"]),
        format="json",
    )
    assert [e["title"] for e in response.json()["showcase_entries"]] == [
        "Llama Guard",
        "garak",
    ]
