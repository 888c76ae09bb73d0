"""/api/v1/catalog/: list with filters and search, detail, create and update for
maintainers, reviews; fields a caller must not set change nothing; no 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from projects.models import CatalogEntry
from tests.conftest import on_postgres
from tests.members.factories import OrganizationFactory
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory, member_of

FORBIDDEN_FIELDS = {
    "slug": "chosen-by-caller",
    "vetting_status": "vetted",
    "lifecycle": "archived",
    "vetted_at": "2020-01-01T00:00:00Z",
    "vetting_expires_at": "2099-01-01T00:00:00Z",
    "vetting_round": 7,
    "created_by": 1,
    "status": "vetted",
}


def test_create_returns_the_entry_with_its_author_as_maintainer(
    api_client, maintainer, owner_org
):
    api_client.force_authenticate(maintainer)
    response = api_client.post(
        "/api/v1/catalog/",
        {
            "kind": "model",
            "name": "Tiny Multilingual",
            "summary": "A small model.",
            "description": "Trained on <script>alert(1)</script> **open** data.",
            "focus_area": "open-foundation-models",
            "owners": [owner_org.slug],
            "license": "apache-2.0",
            "languages": ["en", "deu"],
            "modalities": ["text"],
            "hardware": ["gpu"],
            "tags": ["LLM"],
            "card_url": "https://example.org/card",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["slug"] == "tiny-multilingual"
    assert body["license"] == "Apache-2.0"
    assert body["languages"] == ["en", "de"]
    assert body["vetting_status"] == "not_submitted"
    assert body["owners"] == [{"slug": owner_org.slug, "name": owner_org.name}]
    assert body["team"] == [
        {
            "name": maintainer.public_name,
            "role": "maintainer",
            "organization": owner_org.slug,
        }
    ]
    assert "<script>" not in body["description_html"]
    assert "<strong>open</strong>" in body["description_html"]
    assert body["url"].endswith("/projects/tiny-multilingual/")


def test_fields_a_caller_must_not_set_change_nothing(api_client, maintainer):
    api_client.force_authenticate(maintainer)
    response = api_client.post(
        "/api/v1/catalog/",
        {
            "kind": "tool",
            "name": "Sneaky Tool",
            "summary": "Tries to vet itself.",
            "focus_area": "benchmarks-evaluation",
            **FORBIDDEN_FIELDS,
        },
        format="json",
    )
    assert response.status_code == 201
    entry = CatalogEntry.objects.get()
    assert entry.slug == "sneaky-tool"
    assert entry.vetting_status == "not_submitted"
    assert entry.lifecycle == "active"
    assert entry.vetted_at is None and entry.vetting_round == 0
    assert entry.created_by == maintainer

    response = api_client.patch(
        f"/api/v1/catalog/{entry.slug}/", FORBIDDEN_FIELDS, format="json"
    )
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.slug, entry.vetting_status, entry.lifecycle) == (
        "sneaky-tool",
        "not_submitted",
        "active",
    )
    assert not entry.is_public


def test_name_with_a_bidirectional_override_is_refused(api_client, maintainer):
    # Issue 17, item 20.
    api_client.force_authenticate(maintainer)
    response = api_client.post(
        "/api/v1/catalog/",
        {
            "kind": "tool",
            "name": "Scanner\u202eexe.fdp",
            "summary": "Looks like a PDF.",
            "focus_area": "benchmarks-evaluation",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]
    assert not CatalogEntry.objects.exists()


def test_owners_one_does_not_belong_to_are_refused(api_client, maintainer, owner_org):
    stranger = OrganizationFactory(name="Stranger Corp")
    api_client.force_authenticate(maintainer)
    response = api_client.post(
        "/api/v1/catalog/",
        {
            "kind": "tool",
            "name": "Borrowed Fame",
            "summary": "Claims another owner.",
            "focus_area": "benchmarks-evaluation",
            "owners": [owner_org.slug, stranger.slug],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["owners"] == [
        "You can only name organizations you belong to as owners (not: Stranger Corp)."
    ]
    assert not CatalogEntry.objects.exists()


def test_maintainers_keep_owners_they_do_not_belong_to(api_client, maintainer, tool):
    partner = OrganizationFactory(name="Partner Lab")
    tool.owners.add(partner)
    api_client.force_authenticate(maintainer)
    response = api_client.patch(
        f"/api/v1/catalog/{tool.slug}/", {"owners": []}, format="json"
    )
    assert response.status_code == 200
    assert [o["slug"] for o in response.json()["owners"]] == [partner.slug]


def test_update_validates_and_keeps_the_entry_whole(api_client, maintainer, tool):
    api_client.force_authenticate(maintainer)
    response = api_client.patch(
        f"/api/v1/catalog/{tool.slug}/",
        {"summary": "New summary", "license": "Nope-1.0"},
        format="json",
    )
    assert response.status_code == 400
    tool.refresh_from_db()
    assert tool.summary == "Scans prompts for attacks."
    response = api_client.put(
        f"/api/v1/catalog/{tool.slug}/",
        {"kind": "tool", "name": "Safety Scanner 2", "summary": "Scans more."},
        format="json",
    )
    assert response.json()["errors"] == {"focus_area": ["This field is required."]}
    response = api_client.put(
        f"/api/v1/catalog/{tool.slug}/",
        {
            "kind": "tool",
            "name": "Safety Scanner 2",
            "summary": "Scans more.",
            "focus_area": "benchmarks-evaluation",
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Safety Scanner 2"
    assert response.json()["slug"] == tool.slug  # links keep working


def test_working_group_must_belong_to_the_focus_area(api_client, maintainer, tool):
    from tests.alliance.factories import WorkingGroupFactory

    group = WorkingGroupFactory()  # focus area 1
    api_client.force_authenticate(maintainer)
    response = api_client.patch(
        f"/api/v1/catalog/{tool.slug}/",
        {"focus_area": "open-development", "working_group": group.slug},
        format="json",
    )
    assert response.status_code == 400
    assert (
        "belongs to another focus area"
        in (response.json()["errors"]["working_group"][0])
    )


def test_filters_and_search(api_client, member, django_assert_max_num_queries):
    VettedEntryFactory(
        name="Speech Meter",
        kind="benchmark",
        modalities=["audio"],
        languages=["sw"],
        license="MIT",
        hardware=["edge"],
        tags=["speech"],
    )
    VettedEntryFactory(name="Text Guard", kind="tool", description="Blocks jailbreaks.")
    CatalogEntryFactory(name="Old Thing", lifecycle="archived")
    api_client.force_authenticate(member)

    def names(query):
        response = api_client.get(f"/api/v1/catalog/?{query}")
        assert response.status_code == 200, response.json()
        return [e["name"] for e in response.json()["results"]]

    assert names("") == ["Speech Meter", "Text Guard"]
    assert names("kind=benchmark") == ["Speech Meter"]
    assert names("modality=audio") == ["Speech Meter"]
    assert names("language=swa") == ["Speech Meter"]
    assert names("license=mit") == ["Speech Meter"]
    assert names("hardware=edge") == ["Speech Meter"]
    assert names("tag=Speech") == ["Speech Meter"]
    assert names("status=vetted&focus_area=benchmarks-evaluation") == [
        "Speech Meter",
        "Text Guard",
    ]
    assert names("lifecycle=archived") == ["Old Thing"]
    assert names("q=guard") == ["Text Guard"]
    if on_postgres():
        # Full-text search finds words of the description, stemmed.
        from projects.services.entries import entry_search_refresh

        entry_search_refresh()
        assert names("q=jailbreak") == ["Text Guard"]


@pytest.mark.parametrize(
    "query",
    [
        "kind=spaceship",
        "language=klingon",
        "focus_area=nowhere",
        "status=maybe",
        "page=999",
        "page_size=abc",
        "q=" + "x" * 500,
        "q=%00",
        "q=' OR 1=1 --",
        "q=!!!&&&|||",
    ],
)
def test_odd_queries_get_clear_answers(api_client, db, query):
    response = api_client.get(f"/api/v1/catalog/?{query}")
    assert response.status_code in (200, 400, 404)
    assert "errors" in response.json() or "results" in response.json()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=st.dictionaries(
        st.sampled_from(
            ["kind", "name", "summary", "focus_area", "owners", "license",
             "languages", "modalities", "tags", "repository_url", "working_group"]
        ),
        st.one_of(
            st.none(), st.booleans(), st.integers(), st.text(max_size=50),
            st.lists(st.text(max_size=10), max_size=3),
            st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2),
        ),
    )
)  # fmt: skip
def test_no_body_makes_a_500(api_client, maintainer, body):
    api_client.force_authenticate(maintainer)
    response = api_client.post("/api/v1/catalog/", body, format="json")
    assert response.status_code in (201, 400), response.content


def test_a_body_that_is_not_json_gets_a_400(api_client, maintainer, tool):
    api_client.force_authenticate(maintainer)
    response = api_client.post(
        "/api/v1/catalog/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    response = api_client.post(
        f"/api/v1/catalog/{tool.slug}/reviews/", [1, 2], format="json"
    )
    assert response.status_code in (400, 403)


def test_reviewers_post_reviews_and_everyone_allowed_reads_them(
    api_client, submitted_tool, reviewer_factory
):
    reviewer, organization = reviewer_factory()
    other = OrganizationFactory()
    api_client.force_authenticate(reviewer)
    url = f"/api/v1/catalog/{submitted_tool.slug}/reviews/"
    refused = api_client.post(
        url, {"verdict": "approve", "organization": other.slug}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["organization"] == [
        "You can only review for your own organizations."
    ]
    response = api_client.post(
        url,
        {"verdict": "request_changes", "findings": "Add *docs*.", "counts": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organization"]["slug"] == organization.slug
    assert body["counts"] is False  # not an approval, whatever the caller said
    assert body["findings_html"].strip() == "<p>Add <em>docs</em>.</p>"
    again = api_client.post(url, {"verdict": "approve"}, format="json")
    assert again.status_code == 403  # changes requested: no longer reviewable

    colleague = member_of(organization)
    api_client.force_authenticate(colleague)
    listed = api_client.get(url).json()
    assert [r["verdict"] for r in listed] == ["request_changes"]


def test_schema_documents_the_catalog(client, db, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = out.read_text()
    assert "/api/v1/catalog/{slug}/reviews/" in schema
    assert "EntryInput" in schema


def test_a_slug_taken_just_before_the_check_goes_to_the_next_one(
    api_client, maintainer, monkeypatch
):
    """The other create may commit between choosing the slug and the model's
    uniqueness check (seen under load in the parallel test below): that is not
    the person's mistake (400), the entry takes the next free slug."""
    from projects.services import entries

    CatalogEntryFactory(name="Twin Tool", slug="twin-tool")
    chosen = iter(["twin-tool"])  # chosen before the other entry committed
    real = entries._unique_slug
    monkeypatch.setattr(
        entries, "_unique_slug", lambda name: next(chosen, None) or real(name)
    )
    api_client.force_authenticate(maintainer)
    response = api_client.post(
        "/api/v1/catalog/",
        {
            "kind": "tool",
            "name": "Twin Tool",
            "summary": "Made twice.",
            "focus_area": "open-foundation-models",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["slug"] == "twin-tool-2"


def test_parallel_creates_with_one_name_each_get_their_own_slug(
    transactional_db, maintainer
):
    """Issue 17 item 10: catalog entries created at the same moment with the
    same name clashed on the slug (500); each now takes the next free one."""
    from rest_framework.test import APIClient

    from projects.models import CatalogEntry
    from tests.conftest import need, on_postgres
    from tests.events.test_concurrency import run_together

    need(on_postgres(), "PostgreSQL (set DATABASE_URL)")
    body = {
        "kind": "tool",
        "name": "Twin Tool",
        "summary": "Made twice.",
        "focus_area": "open-foundation-models",
    }

    def create():
        client = APIClient()
        client.force_authenticate(maintainer)
        return client.post("/api/v1/catalog/", body, format="json").status_code

    assert run_together([create] * 4) == [201] * 4
    slugs = set(
        CatalogEntry.objects.filter(name="Twin Tool").values_list("slug", flat=True)
    )
    assert slugs == {"twin-tool", "twin-tool-2", "twin-tool-3", "twin-tool-4"}
