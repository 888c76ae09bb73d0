"""The catalog's pages as people use them."""

import pytest
from django.contrib.messages import get_messages

from alliance.notifications.models import Subscription
from alliance.notifications.selectors import follower_ids, subscription_state
from projects.models import CatalogEntry, Contribution
from projects.services.entries import entry_create
from tests.alliance.factories import WorkingGroupFactory
from tests.projects.conftest import approve
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory, member_of


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_public_sees_the_vetted_catalog_and_members_everything(client, member, db):
    VettedEntryFactory(name="Vetted Guard")
    CatalogEntryFactory(name="Draft Probe")
    CatalogEntryFactory(name="Old Probe", lifecycle="archived")
    page = client.get("/projects/").content.decode()
    assert "Vetted Guard" in page and "Draft Probe" not in page
    assert "1 entry" in page
    client.force_login(member)
    page = client.get("/projects/").content.decode()
    assert "Vetted Guard" in page and "Draft Probe" in page
    assert "Old Probe" not in page  # archived only when asked for
    assert "Old Probe" in client.get("/projects/?lifecycle=archived").content.decode()


def test_filters_and_search_narrow_the_page(member_client, db):
    VettedEntryFactory(name="Audio Bench", kind="benchmark", modalities=["audio"])
    VettedEntryFactory(name="Text Guard", kind="tool", languages=["de"])
    page = member_client.get("/projects/?kind=benchmark").content.decode()
    assert "Audio Bench" in page and "Text Guard" not in page
    page = member_client.get("/projects/?language=deu").content.decode()
    assert "Text Guard" in page and "Audio Bench" not in page
    page = member_client.get("/projects/?q=guard").content.decode()
    assert "Text Guard" in page and "Audio Bench" not in page
    # The language drop-down offers the languages in use, by name.
    assert '<option value="de">German</option>' in page


def test_a_wrong_filter_is_explained_not_a_500(member_client, db):
    VettedEntryFactory(name="Text Guard")
    response = member_client.get("/projects/?language=elvish&kind=spaceship&page=x")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Some filters were not applied" in page
    assert "“elvish” is not an ISO 639 language code" in page
    assert "Text Guard" in page


def test_submit_then_vet_through_the_pages(
    client, maintainer, owner_org, focus_area, reviewer_factory
):
    client.force_login(maintainer)
    form = client.get("/projects/new/").content.decode()
    assert "Submit to the catalog" in form and owner_org.name in form
    response = client.post(
        "/projects/new/",
        {
            "kind": "tool",
            "name": "Jailbreak Detector",
            "summary": "Detects jailbreak prompts.",
            "description": "# Hello\n<script>alert(1)</script>",
            "focus_area": focus_area.pk,
            "owners": [owner_org.pk],
            "license": "MIT",
            "modalities": ["text"],
            "languages": "en",
            "tags": "jailbreak",
        },
    )
    entry = CatalogEntry.objects.get()
    assert response["Location"] == entry.get_absolute_url()
    assert "Submit it for vetting" in _messages(response)[-1]
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "Submit for vetting" in page

    response = client.post(f"/projects/{entry.slug}/submit/")
    assert "Submitted for vetting" in _messages(response)[-1]

    for _ in range(2):
        reviewer, organization = reviewer_factory()
        client.force_login(reviewer)
        form = client.get(f"/projects/{entry.slug}/review/").content.decode()
        assert "The license is clear" in form
        response = client.post(
            f"/projects/{entry.slug}/review/",
            {"verdict": "approve", "license_clear": "on", "findings": "Fine."},
        )
        assert response.status_code == 302
    assert "now vetted" in _messages(response)[-1]
    entry.refresh_from_db()
    assert entry.is_vetted
    client.logout()
    page = client.get("/projects/").content.decode()
    assert "Jailbreak Detector" in page and "Vetted" in page
    page = client.get(entry.get_absolute_url()).content.decode()
    assert "Approved on" in page
    assert page.count('class="review card"') == 2


def test_review_form_explains_what_is_missing(client, submitted_tool, reviewer_factory):
    reviewer, _ = reviewer_factory()
    client.force_login(reviewer)
    response = client.post(
        f"/projects/{submitted_tool.slug}/review/", {"verdict": "reject"}
    )
    assert response.status_code == 200
    assert "Say what must change, or why you reject the entry." in (
        response.content.decode()
    )
    assert submitted_tool.reviews.count() == 0


def test_an_owners_approval_is_marked_as_not_counting(
    client, submitted_tool, owner_org
):
    colleague = member_of(owner_org)
    client.force_login(colleague)
    response = client.post(
        f"/projects/{submitted_tool.slug}/review/", {"verdict": "approve"}
    )
    assert "does not count toward vetting" in _messages(response)[-1]
    page = client.get(submitted_tool.get_absolute_url()).content.decode()
    assert "This approval does not count toward vetting" in page
    assert "0 of 2 organizations approved" in page


def test_follow_and_unfollow_in_place(client, member, db):
    entry = VettedEntryFactory()
    client.force_login(member)
    url = f"/projects/{entry.slug}/follow/"
    response = client.post(url, {"state": "follow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="follow-box"' in response.content.decode()
    assert "Following" in response.content.decode()
    assert subscription_state(user=member, target=entry) == "follow"
    assert member.pk in follower_ids(entry)
    response = client.post(url, {"state": ""}, HTTP_HX_REQUEST="true")
    assert ">Follow<" in response.content.decode()
    assert not Subscription.objects.exists()


def test_join_and_leave_the_team_in_place(client, member, tool, maintainer):
    client.force_login(member)
    url = f"/projects/{tool.slug}/join/"
    response = client.post(url, {"action": "join"}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.startswith('<section id="team"')
    assert member.public_name in fragment and "Leave the team" in fragment
    assert member.pk in follower_ids(tool)  # contributors follow implicitly
    response = client.post(url, {"action": "leave"}, HTTP_HX_REQUEST="true")
    assert "Join as contributor" in response.content.decode()
    # The last maintainer cannot leave.
    client.force_login(maintainer)
    response = client.post(url, {"action": "leave"}, HTTP_HX_REQUEST="true")
    assert "You are the last maintainer" in response.content.decode()
    assert Contribution.objects.filter(entry=tool, user=maintainer).exists()


def test_maintainers_manage_the_team(client, tool, maintainer, member):
    contribution = Contribution.objects.create(entry=tool, user=member)
    client.force_login(maintainer)
    url = f"/projects/{tool.slug}/team/"
    response = client.post(
        url, {"contribution": contribution.pk, "action": "maintainer"}
    )
    assert "role changed to “Maintainer”" in _messages(response)[-1]
    own = Contribution.objects.get(entry=tool, user=maintainer)
    client.post(url, {"contribution": own.pk, "action": "remove"})
    contribution.refresh_from_db()
    client.force_login(member)
    client.post(url, {"contribution": own.pk, "action": "remove"})
    assert not Contribution.objects.filter(pk=own.pk).exists()
    assert client.post(url, {"contribution": "x'; --"}).status_code == 404
    last = client.post(url, {"contribution": contribution.pk, "action": "contributor"})
    assert "at least one maintainer" in _messages(last)[-1]


def test_project_lifecycle_from_proposed_to_archived(client, maintainer, focus_area):
    project = entry_create(
        author=maintainer, kind="project", name="Joint Harness", summary="Shared.",
        focus_area=focus_area,
    )  # fmt: skip
    client.force_login(maintainer)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Mark as Active" in page
    client.post(f"/projects/{project.slug}/lifecycle/", {"lifecycle": "active"})
    response = client.post(
        f"/projects/{project.slug}/lifecycle/", {"lifecycle": "proposed"}
    )
    assert "cannot become" in _messages(response)[-1]
    client.post(f"/projects/{project.slug}/lifecycle/", {"lifecycle": "archived"})
    project.refresh_from_db()
    assert project.lifecycle == "archived"
    assert list(
        project.status_changes.order_by("created_at").values_list(
            "new_value", flat=True
        )
    ) == ["proposed", "active", "archived"]


def test_edits_are_kept_and_substance_changes_since_vetting_show(
    client, submitted_tool, maintainer, reviewer_factory
):
    for _ in range(2):
        reviewer, organization = reviewer_factory()
        approve(submitted_tool, reviewer, organization)
    client.force_login(maintainer)
    form = client.get(f"/projects/{submitted_tool.slug}/edit/").content.decode()
    assert "This entry is vetted" in form and 'value="MIT"' in form
    response = client.post(
        f"/projects/{submitted_tool.slug}/edit/",
        {
            "kind": "tool",
            "name": "Safety Scanner",
            "summary": "Scans prompts for attacks.",
            "description": "Now also scans images.",
            "focus_area": submitted_tool.focus_area_id,
            "license": "Apache-2.0",
            "languages": "en",
            # Preselected by the form; every entry keeps an owner.
            "owners": [o.pk for o in submitted_tool.owners.all()],
        },
    )
    assert "changed since it was vetted" in _messages(response)[-1]
    page = client.get(submitted_tool.get_absolute_url()).content.decode()
    assert "Changed since it was vetted" in page
    assert "description, license" in page
    history = client.get(f"/projects/{submitted_tool.slug}/history/").content.decode()
    assert "Now also scans images." in history
    assert maintainer.public_name in history
    assert "after vetting" in history


def test_panels_on_focus_area_group_and_dashboard(
    client, maintainer, submitted_tool, reviewer_factory
):
    group = WorkingGroupFactory(name="Evaluation Group")
    VettedEntryFactory(name="Grouped Bench", working_group=group)
    page = client.get("/focus-areas/benchmarks-evaluation/").content.decode()
    assert "Grouped Bench" in page and "Safety Scanner" not in page
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Grouped Bench" in page
    client.force_login(maintainer)
    page = client.get("/dashboard/").content.decode()
    assert "My catalog entries" in page and "Safety Scanner" in page
    reviewer, _ = reviewer_factory()
    client.force_login(reviewer)
    page = client.get("/dashboard/").content.decode()
    assert "My review queue" in page and "Safety Scanner" in page


@pytest.mark.parametrize("slug", ["new", "review-queue"])
def test_reserved_words_never_become_slugs(maintainer, focus_area, slug):
    entry = entry_create(
        author=maintainer, kind="tool", name=slug.replace("-", " "), summary="x",
        focus_area=focus_area,
    )  # fmt: skip
    assert entry.slug == f"{slug}-entry"


def test_pages_in_german(client, member, submitted_tool):
    member.language = "de"
    member.save()
    client.force_login(member)
    page = client.get("/projects/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "In Prüfung" in page
    page = client.get(
        submitted_tool.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de"
    ).content.decode()
    assert "Prüfung" in page and "Englisch" in page


def test_organization_page_lists_what_it_owns_and_works_on(client, db):
    from tests.members.factories import OrganizationFactory

    lab, other = OrganizationFactory(name="Example Lab"), OrganizationFactory()
    VettedEntryFactory(name="Owned Benchmark", owners=[lab])
    VettedEntryFactory(name="Shared Tool", maintainers=[member_of(lab)])
    VettedEntryFactory(name="Someone Else's Model", owners=[other])
    CatalogEntryFactory(name="Unvetted Draft", owners=[lab])
    page = client.get(lab.get_absolute_url()).content.decode()
    assert "Owned Benchmark" in page and "Shared Tool" in page
    assert "Someone Else's Model" not in page
    # The public sees only the vetted catalog, on this page too.
    assert "Unvetted Draft" not in page
