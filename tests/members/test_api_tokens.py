"""Personal API tokens: create in the settings, use from a script, revoke."""

import re

from members.models import ApiToken


def test_token_create_use_and_revoke(client, api_client, user):
    client.force_login(user)
    page = client.post("/members/me/api-tokens/", {"name": "Nightly sync"})
    assert page.status_code == 200
    raw = re.search(rb'id="new-token">([^<]+)<', page.content).group(1).decode()
    assert raw.startswith("alp_")

    token = ApiToken.objects.get(user=user)
    assert token.name == "Nightly sync"
    assert raw not in (token.key_hash, token.prefix)  # only a hash is stored

    # The list shows the token again, but never its key.
    listing = client.get("/members/me/api-tokens/")
    assert b"Nightly sync" in listing.content
    assert raw.encode() not in listing.content

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["email"] == user.email

    response = client.post(f"/members/me/api-tokens/{token.pk}/revoke/", follow=True)
    assert b"revoked" in response.content
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "revoked" in response.json()["errors"]["detail"][0]


def test_someone_elses_token_cannot_be_revoked(client, user, member):
    from members.services import api_token_create

    token, _raw = api_token_create(user=member, name="Theirs")
    client.force_login(user)
    response = client.post(f"/members/me/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.is_active


def test_a_made_up_token_gets_401(api_client, db):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer alp_not-a-real-token")
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert set(response.json()) == {"errors"}


def test_a_password_change_ends_every_token(client, api_client, user):
    """Issue 17 item 14: whoever held a token keeps no way in after the owner
    changes the password (page, reset or admin alike: any set_password)."""
    from members.services import api_token_create
    from tests.members.factories import PASSWORD

    _token, raw = api_token_create(user=user, name="Old laptop")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/me/").status_code == 200

    client.force_login(user)
    new = "a different horse battery staple"
    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302

    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert "revoked" in response.json()["errors"]["detail"][0]
    listing = client.get("/members/me/api-tokens/")
    assert b"Revoked" in listing.content
    assert b"Changing or resetting your password ends all your tokens" in (
        listing.content
    )


def test_the_token_list_shows_when_each_token_was_last_used(client, api_client, user):
    from members.services import api_token_create

    token, raw = api_token_create(user=user, name="Nightly sync")
    client.force_login(user)
    unused = client.get("/members/me/api-tokens/").content.decode()
    assert re.search(r"Nightly sync</td>.*?<td>–</td>", unused, re.S)

    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    api_client.get("/api/v1/me/")
    token.refresh_from_db()
    assert token.last_used_at is not None
    used = client.get("/members/me/api-tokens/").content.decode()
    assert not re.search(r"Nightly sync</td>.*?<td>–</td>", used, re.S)


def test_token_callers_get_their_language_and_time_zone(api_client, db):
    """Issue 17 item 22: the person's language and zone apply to token callers,
    though DRF signs the token in after the middleware has run."""
    import datetime

    from django.utils import timezone

    from members.services import api_token_create
    from tests.members.factories import ApplicationFactory, MemberFactory

    person = MemberFactory(language="de", timezone="Asia/Tokyo")
    _token, raw = api_token_create(user=person, name="Skript")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = api_client.post("/api/v1/applications/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["kind"] == [
        "Dieses Feld ist zwingend erforderlich."
    ]
    assert response["Content-Language"] == "de"

    ApplicationFactory(applicant=person)
    response = api_client.get("/api/v1/applications/")
    created = response.json()["results"][0]["created_at"]
    assert datetime.datetime.fromisoformat(created).utcoffset() == (
        datetime.timedelta(hours=9)
    )
    assert timezone.get_current_timezone_name() == "UTC"  # not left behind


def _token_queries(api_client, path) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = api_client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_a_token_request_reads_the_token_and_its_person_with_facts_in_one_query(
    api_client, db
):
    """Issue 19: a token's person is loaded as a session's is (``person_get``):
    whether they belong to a member organization comes in the query that reads
    the token, so an API list answered from the shared cache asks nothing else."""
    from members.services import api_token_create
    from tests.members.factories import MemberFactory

    person = MemberFactory()
    _token, raw = api_token_create(user=person, name="Script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    api_client.get("/api/v1/catalog/")  # warm the shared list
    queries = _token_queries(api_client, "/api/v1/catalog/")
    assert len(queries) == 1
    assert "members_apitoken" in queries[0]
    assert "members_affiliation" in queries[0]


def test_a_token_request_still_sees_a_lapsed_membership_at_once(api_client, db):
    """The facts read with the token are the person's now: the catalog's
    unvetted entries are hidden from a token whose organization lapsed."""
    from members.models import Organization
    from members.services import api_token_create
    from members.services.organizations import organization_set_status
    from projects.models import CatalogEntry
    from tests.members.factories import MemberFactory
    from tests.projects.factories import CatalogEntryFactory

    person = MemberFactory()
    CatalogEntryFactory(
        name="Unvetted probe", vetting_status=CatalogEntry.Vetting.NOT_SUBMITTED
    )
    _token, raw = api_token_create(user=person, name="Script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    names = [
        row["name"] for row in api_client.get("/api/v1/catalog/").json()["results"]
    ]
    assert "Unvetted probe" in names
    organization_set_status(
        organization=person.affiliations.get().organization,
        status=Organization.Status.LAPSED,
        actor=None,
    )
    names = [
        row["name"] for row in api_client.get("/api/v1/catalog/").json()["results"]
    ]
    assert "Unvetted probe" not in names


def test_a_token_of_a_deactivated_person_is_refused_on_the_next_request(
    api_client, user
):
    from members.services import api_token_create

    _token, raw = api_token_create(user=user, name="Script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/me/").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert api_client.get("/api/v1/me/").status_code == 401


def test_a_token_request_compiles_no_query_once_the_process_has_served_one(
    api_client, db, monkeypatch
):
    """Issue 19: the query that loads a token's person with their facts is
    compiled once per process (building and compiling it cost more than the
    rest of a cached API answer); a warm shared list then compiles nothing."""
    from django.db.models.sql.compiler import SQLCompiler

    from members.services import api_token_create
    from tests.members.factories import MemberFactory

    first, second = MemberFactory(), MemberFactory()
    raws = [api_token_create(user=p, name="Script")[1] for p in (first, second)]
    for raw in raws:
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert api_client.get("/api/v1/catalog/").status_code == 200
    compiled = []
    original = SQLCompiler.as_sql
    monkeypatch.setattr(
        SQLCompiler,
        "as_sql",
        lambda self, *a, **k: compiled.append(1) or original(self, *a, **k),
    )
    for raw in raws:
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        response = api_client.get("/api/v1/catalog/")
        assert response.status_code == 200
    assert compiled == []


def test_a_warm_token_request_builds_no_facts_expression(api_client, db, monkeypatch):
    """Issue 19: the facts' expressions are built when the person's query is
    compiled, not on every request (only their keys are asked)."""
    from alliance.registries import person_facts
    from members.services import api_token_create
    from tests.members.factories import MemberFactory

    built = []
    facts = {
        key: (
            lambda expression=expression: built.append(1) or expression(),
            convert,
        )
        for key, (expression, convert) in person_facts._facts.items()
    }
    monkeypatch.setattr(person_facts, "_facts", facts)
    _token, raw = api_token_create(user=MemberFactory(), name="Script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api_client.get("/api/v1/catalog/").status_code == 200
    built.clear()
    assert api_client.get("/api/v1/catalog/").status_code == 200
    assert built == []


def test_a_token_read_with_its_person_keeps_its_own_fields(api_client, user):
    from django.utils import timezone

    from members.selectors import api_token_person_get
    from members.services import api_token_create, api_token_hash

    stored, raw = api_token_create(user=user, name="Nightly sync")
    ApiToken.objects.filter(pk=stored.pk).update(last_used_at=stored.created_at)
    token = api_token_person_get(api_token_hash(raw))
    assert (token.pk, token.name, token.prefix) == (
        stored.pk,
        "Nightly sync",
        stored.prefix,
    )
    assert token.created_at == token.last_used_at == stored.created_at
    assert timezone.is_aware(token.created_at)
    assert token.user == user and token.user.email == user.email
    assert not token._state.adding and not token.user._state.adding
