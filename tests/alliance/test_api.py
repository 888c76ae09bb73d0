"""API plumbing: focus areas, /me/, one error format, the schema and docs."""

from django.core.management import call_command

from tests.members.factories import UserFactory


def test_focus_areas_list_both_languages(api_client, db):
    response = api_client.get("/api/v1/focus-areas/")
    assert response.status_code == 200
    areas = response.json()
    assert [a["number"] for a in areas] == [1, 2, 3, 4, 5, 6]
    assert areas[1]["translations"]["en"]["name"] == "Open foundation models"
    assert areas[1]["translations"]["de"]["name"] == "Offene Grundmodelle"


def test_focus_area_names_follow_the_request_language(api_client, db):
    response = api_client.get(
        "/api/v1/focus-areas/hardware-acceleration/", HTTP_ACCEPT_LANGUAGE="de"
    )
    assert response.json()["name"] == "Hardware-Beschleunigung"


def test_me_requires_authentication_in_the_error_format(api_client, db):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json() == {
        "errors": {"detail": ["Authentication credentials were not provided."]}
    }


def test_me_returns_the_caller_with_affiliations(api_client, member):
    api_client.force_authenticate(member)
    body = api_client.get("/api/v1/me/").json()
    assert body["email"] == member.email
    assert body["affiliations"][0]["status"] == "active"


def test_me_patch_validates_fields(api_client, db):
    person = UserFactory()
    api_client.force_authenticate(person)
    response = api_client.patch(
        "/api/v1/me/", {"timezone": "Nowhere/Atlantis", "language": "fr"}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"timezone", "language"}
    person.refresh_from_db()
    assert str(person.timezone) == "UTC"

    response = api_client.patch(
        "/api/v1/me/", {"timezone": "Europe/Berlin", "display_name": "Ada"}
    )
    assert response.status_code == 200
    assert response.json()["timezone"] == "Europe/Berlin"


def test_me_refuses_the_pseudo_time_zone_localtime(api_client, db):
    # Issue 17, item 18: accepted before, as a name in available_timezones().
    person = UserFactory()
    api_client.force_authenticate(person)
    response = api_client.patch("/api/v1/me/", {"timezone": "localtime"})
    assert response.status_code == 400
    assert response.json()["errors"]["timezone"] == [
        "Unknown time zone; use an IANA name such as Europe/Berlin."
    ]
    person.refresh_from_db()
    assert str(person.timezone) == "UTC"


def test_me_refuses_bidirectional_overrides_in_names(api_client, db):
    # Issue 17, item 20: a display name could read as someone else's.
    person = UserFactory(display_name="Ada")
    api_client.force_authenticate(person)
    response = api_client.patch(
        "/api/v1/me/", {"display_name": "\u202enimdA", "name": "Ada\u2066 L"}
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"display_name", "name"}
    person.refresh_from_db()
    assert person.display_name == "Ada"


def test_me_refuses_fields_a_caller_must_not_set(api_client, db):
    person = UserFactory()
    api_client.force_authenticate(person)
    api_client.patch("/api/v1/me/", {"is_staff": True, "email": "x@evil.example"})
    person.refresh_from_db()
    assert person.is_staff is False
    assert person.email != "x@evil.example"


def test_schema_validates_and_docs_are_served_locally(client, db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/v1/focus-areas/" in out.read_text()
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower()
    assert client.get("/api/schema/").status_code == 200
