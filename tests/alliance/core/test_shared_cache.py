"""Shared caches with versioned keys (alliance.core.cache): each cached page shows
a write through its service at once, and an entry only some readers may see
never reaches the cache of readers who may not."""

import re

import pytest
from django.core.signals import request_finished, request_started
from django.db import transaction

from alliance.core.cache import (
    SharedFragment,
    bump,
    cache_versions,
    fragment_key,
    personal_value,
    shared_fragment,
    shared_fragment_at,
    shared_value,
)
from projects.services.entries import entry_update
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version_reads(monkeypatch) -> list[list[str]]:
    """The keys of each round trip that reads versions (``get_many``)."""
    from django.core.cache import caches

    cache = caches["default"]
    reads = []
    real_get_many = cache.get_many

    def get_many(keys, *args, **kwargs):
        reads.append(list(keys))
        return real_get_many(keys, *args, **kwargs)

    monkeypatch.setattr(cache, "get_many", get_many)
    return reads


@pytest.fixture
def cache_reads(monkeypatch):
    """Start recording the keys read from the shared cache one at a time
    (``get``): returns the list they are added to."""
    from django.core.cache import caches

    def start() -> list[str]:
        cache = caches["default"]
        reads = []
        real_get = cache.get
        monkeypatch.setattr(
            cache,
            "get",
            lambda key, *a, **k: reads.append(key) or real_get(key, *a, **k),
        )
        return reads

    return start


def test_a_bump_changes_the_version_now_and_again_on_commit(
    django_capture_on_commit_callbacks,
):
    first = cache_versions(["catalog", "events"])
    assert cache_versions(["catalog", "events"]) == first
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        transaction.atomic(),
    ):
        bump("catalog")
        during = cache_versions(["catalog", "events"])
    assert during != first
    assert during.split(".")[1] == first.split(".")[1]  # events untouched
    for callback in callbacks:
        callback()
    assert cache_versions(["catalog", "events"]) not in (first, during)


def test_a_request_reads_each_version_once_and_its_own_bumps(version_reads):
    reads = version_reads
    other_process = cache_versions(["catalog"])
    request_started.send(sender=None)
    try:
        first = cache_versions(["catalog", "events"])
        assert cache_versions(["catalog"]) == first.split(".")[0]
        assert (
            cache_versions(["events", "catalog"]).split(".")[1] == first.split(".")[0]
        )
        assert len(reads) == 2  # before the request, then once inside it
        bump("catalog")  # this request's own write
        assert cache_versions(["catalog"]) != first.split(".")[0]
        assert len(reads) == 2
    finally:
        request_finished.send(sender=None)
    # Outside a request (a task, a command) every call reads the cache.
    cache_versions(["catalog"])
    cache_versions(["catalog"])
    assert len(reads) == 4
    assert other_process != cache_versions(["catalog"])


def test_a_requests_first_read_takes_every_namespaces_version(version_reads):
    """A page's sections read different namespaces (the group page: groups,
    updates, events, catalog, organizations): one round trip for all of them."""
    reads = version_reads
    request_started.send(sender=None)
    try:
        cache_versions(["catalog"])
        cache_versions(["groups", "organizations"])
        cache_versions(["events", "updates", "focus_areas"])
    finally:
        request_finished.send(sender=None)
    assert len(reads) == 1
    assert {"catalog", "events", "groups", "organizations", "updates"} <= {
        key.rsplit(":", 1)[-1] for key in reads[0]
    }


def test_a_section_read_again_comes_from_this_process_until_a_bump(cache_reads):
    from alliance.core import cache as shared

    fragment = shared_fragment(("catalog",), audience="member", parts=("panel",))
    assert fragment.html is None
    fragment.store("<p>the catalog</p>")
    reads = cache_reads()
    again = shared_fragment(("catalog",), audience="member", parts=("panel",))
    assert again.html == "<p>the catalog</p>"
    assert fragment.key not in reads  # no round trip for the section
    # Another process's copy is read from the shared cache once, then kept.
    shared._fragment_copies.clear()
    assert shared_fragment_at(fragment.key).html == "<p>the catalog</p>"
    assert shared_fragment_at(fragment.key).html == "<p>the catalog</p>"
    assert reads.count(fragment.key) == 1
    # A write drops it at once, in every process: the key holds the version.
    bump("catalog")
    assert (
        shared_fragment(("catalog",), audience="member", parts=("panel",)).html is None
    )


def test_a_value_kept_in_the_process_is_read_without_a_round_trip_until_a_bump(
    cache_reads,
):
    computed = []

    def read(text):
        return shared_value(
            ("catalog",),
            audience="all",
            parts=("count",),
            compute=lambda: computed.append(text) or text,
            process=True,
        )

    assert read("first") == "first"
    reads = cache_reads()
    assert read("second") == "first"  # this process's copy
    assert not [key for key in reads if key.startswith("val")]  # no round trip
    assert computed == ["first"]
    # A write is seen at once: the key holds the namespace's version.
    bump("catalog")
    assert read("third") == "third"
    assert computed == ["first", "third"]


def test_a_persons_fact_is_read_from_the_process_until_a_bump(cache_reads):
    def read(value):
        return personal_value(
            ("groups",), person_id=7, parts=("chairs",), compute=lambda: value
        )

    assert read(frozenset({1})) == frozenset({1})
    reads = cache_reads()
    assert read(frozenset({2})) == frozenset({1})  # this process's copy
    assert not [key for key in reads if key.startswith("person")]
    bump("groups")
    assert read(frozenset({2})) == frozenset({2})
    assert read(frozenset({3})) == frozenset({2})


def test_a_process_copy_is_kept_for_a_while_only(monkeypatch):
    import time
    from types import SimpleNamespace

    from django.core.cache import caches

    from alliance.core import cache as shared

    fragment = shared_fragment(("catalog",), audience="member", parts=("panel",))
    fragment.store("<p>old</p>")
    caches["default"].set(fragment.key, "<p>from the shared cache</p>")
    assert shared_fragment_at(fragment.key).html == "<p>old</p>"  # the copy
    # Once the copy's time is past, the shared entry is read again.
    later = time.time() + shared._fragment_copies.seconds + 1
    monkeypatch.setattr(
        shared, "time", SimpleNamespace(time=lambda: later, monotonic=time.monotonic)
    )
    assert shared_fragment_at(fragment.key).html == "<p>from the shared cache</p>"


def test_a_deploy_that_changes_a_template_reads_nothing_the_one_before_shared(
    tmp_path, settings, monkeypatch
):
    from alliance.core import cache as shared

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    settings.BASE_DIR = tmp_path
    monkeypatch.setattr(shared, "_code", [])  # a process of the first deploy
    fragment = shared_fragment(("catalog",), audience="member", parts=("panel",))
    fragment.store("<p>one</p>")
    assert shared_fragment(("catalog",), audience="member", parts=("panel",)).html
    page.write_text("<p>two</p>")
    monkeypatch.setattr(shared, "_code", [])  # a process of the next one
    again = shared_fragment(("catalog",), audience="member", parts=("panel",))
    assert again.html is None


def test_keys_differ_by_audience_language_and_parts():
    from django.utils import translation

    key = fragment_key(["catalog"], audience="public", parts=("a",))
    assert fragment_key(["catalog"], audience="member", parts=("a",)) != key
    assert fragment_key(["catalog"], audience="public", parts=("b",)) != key
    with translation.override("de"):
        assert fragment_key(["catalog"], audience="public", parts=("a",)) != key
    assert fragment_key(["catalog"], audience="public", parts=("a",)) == key


def test_no_audience_caches_nothing():
    fragment = shared_fragment(["catalog"], audience=None, parts=("x",))
    fragment.store("<p>mine</p>")
    assert shared_fragment(["catalog"], audience=None, parts=("x",)).html is None
    stored = shared_fragment(["catalog"], audience="public", parts=("x",))
    assert isinstance(stored, SharedFragment) and stored.html is None


# --- the catalog (/projects/) -------------------------------------------------


def test_catalog_shows_an_edit_at_once(client, member):
    entry = VettedEntryFactory(name="Prompt Shield")
    client.force_login(member)
    assert "Prompt Shield" in client.get("/projects/").text
    assert "Prompt Shield" in client.get("/projects/").text  # from the cache
    entry_update(entry=entry, actor=member, name="Prompt Guard")
    page = client.get("/projects/").text
    assert "Prompt Guard" in page and "Prompt Shield" not in page


def test_catalog_shows_a_new_public_entry_to_visitors_at_once(client):
    VettedEntryFactory(name="Old Tool")
    assert "Old Tool" in client.get("/projects/").text
    VettedEntryFactory(name="New Tool")
    page = client.get("/projects/").text
    assert "New Tool" in page and "Old Tool" in page


def test_a_members_only_entry_never_reaches_the_public_catalog(client, member):
    VettedEntryFactory(name="Public Tool")
    CatalogEntryFactory(name="Unvetted Secret")  # members see every entry
    client.force_login(member)
    assert "Unvetted Secret" in client.get("/projects/").text
    assert "Unvetted Secret" in client.get("/projects/?q=").text
    client.logout()
    for path in ("/projects/", "/projects/?q="):
        page = client.get(path).text
        assert "Public Tool" in page
        assert "Unvetted Secret" not in page


# --- the member directory (/members/) -----------------------------------------


def test_directory_drops_an_organization_that_lapses_at_once(client):
    from members.services.organizations import organization_set_status
    from tests.members.factories import OrganizationFactory

    lapsing = OrganizationFactory(name="Lapsing Labs")
    OrganizationFactory(name="Staying Labs")
    assert "Lapsing Labs" in client.get("/members/").text
    organization_set_status(organization=lapsing, status="lapsed", reason="unpaid")
    page = client.get("/members/").text
    assert "Staying Labs" in page and "Lapsing Labs" not in page


def test_directory_contacts_never_reach_the_public_directory(client, member):
    from tests.members.factories import ContactFactory

    ContactFactory(name="Cora Contact")
    client.force_login(member)
    assert "Cora Contact" in client.get("/members/").text
    client.logout()
    page = client.get("/members/").text
    assert "Member organizations" in page and "Cora Contact" not in page


# --- the event list (/events/), signed out ------------------------------------


def test_event_list_shows_a_published_event_to_visitors_at_once(client):
    from events.services.events import event_publish
    from tests.events.factories import EventFactory, publisher

    EventFactory(title="Standing Call")
    draft = EventFactory(title="Fresh Workshop", status="draft", published_at=None)
    page = client.get("/events/").text
    assert "Standing Call" in page and "Fresh Workshop" not in page
    event_publish(event=draft, actor=publisher())
    assert "Fresh Workshop" in client.get("/events/").text
    # The home page's panel of upcoming events, for visitors, too.
    assert "Fresh Workshop" in client.get("/").text


def test_members_only_events_never_reach_the_visitors_list(client, member):
    from tests.events.factories import EventFactory

    EventFactory(title="Open Meetup")
    EventFactory(title="Members Briefing", visibility="members")
    client.force_login(member)
    assert "Members Briefing" in client.get("/events/").text
    assert "Members Briefing" in client.get("/").text
    client.logout()
    for path in ("/events/", "/"):
        page = client.get(path).text
        assert "Open Meetup" in page and "Members Briefing" not in page


# --- the home page's shared panels --------------------------------------------


def test_home_shows_a_new_member_organization_at_once(client, member):
    from members.services.organizations import organization_create

    client.force_login(member)
    assert "Newest members" in client.get("/").text
    organization_create(
        name="Brand New Institute", kind="company", country="DE", status="active"
    )
    assert "Brand New Institute" in client.get("/").text
    client.logout()
    assert "Brand New Institute" in client.get("/").text


def test_home_focus_areas_follow_a_rename(client):
    from alliance.focus_areas.models import FocusArea

    area = FocusArea.objects.get(number=1)
    assert area.name in client.get("/").text
    area.name = "Renamed Focus Area"
    area.save()
    assert "Renamed Focus Area" in client.get("/").text


# --- API lists: /api/v1/catalog/ and /api/v1/organizations/ -----------------------


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_api_catalog_shows_an_edit_at_once(api_client, member):
    entry = VettedEntryFactory(name="Prompt Shield")
    api_client.force_authenticate(member)
    assert "Prompt Shield" in _names(api_client.get("/api/v1/catalog/"))
    assert "Prompt Shield" in _names(api_client.get("/api/v1/catalog/"))
    entry_update(entry=entry, actor=member, name="Prompt Guard")
    assert _names(api_client.get("/api/v1/catalog/")) == ["Prompt Guard"]


def test_api_catalog_members_only_entries_never_reach_the_public(api_client, member):
    VettedEntryFactory(name="Public Tool")
    CatalogEntryFactory(name="Unvetted Secret")
    api_client.force_authenticate(member)
    assert "Unvetted Secret" in _names(api_client.get("/api/v1/catalog/"))
    api_client.force_authenticate(None)
    assert _names(api_client.get("/api/v1/catalog/")) == ["Public Tool"]


def test_api_organizations_follow_a_lapse_and_keep_details_to_members(
    api_client, member
):
    from members.services.organizations import organization_set_status
    from tests.members.factories import ContactFactory, OrganizationFactory

    lapsing = OrganizationFactory(name="Lapsing Labs")
    ContactFactory(name="Cora Contact")
    api_client.force_authenticate(member)
    answer = api_client.get("/api/v1/organizations/")
    assert "Lapsing Labs" in _names(answer) and "Cora Contact" in answer.text
    api_client.force_authenticate(None)
    answer = api_client.get("/api/v1/organizations/")
    assert "Lapsing Labs" in _names(answer) and "Cora Contact" not in answer.text
    organization_set_status(organization=lapsing, status="lapsed", reason="unpaid")
    assert "Lapsing Labs" not in _names(api_client.get("/api/v1/organizations/"))


# --- a working group's roster (/working-groups/<slug>/) ---------------------------


def test_roster_shows_a_new_member_at_once(client, member):
    from alliance.working_groups.services import working_group_join
    from tests.alliance.factories import (
        WorkingGroupFactory,
        WorkingGroupMembershipFactory,
    )
    from tests.members.factories import MemberFactory

    group = WorkingGroupFactory()
    WorkingGroupMembershipFactory(group=group, user__name="Early Bird")
    client.force_login(member)
    assert "Early Bird" in client.get(group.get_absolute_url()).text
    newcomer = MemberFactory(name="Nora Newcomer")
    working_group_join(group=group, user=newcomer)
    page = client.get(group.get_absolute_url()).text
    assert "Nora Newcomer" in page and "Early Bird" in page


def test_roster_names_kept_to_the_group_never_reach_outsiders(client, member):
    from tests.alliance.factories import (
        WorkingGroupFactory,
        WorkingGroupMembershipFactory,
    )

    group = WorkingGroupFactory()
    WorkingGroupMembershipFactory(
        group=group, user__name="Hana Hidden", user__directory_visibility="hidden"
    )
    WorkingGroupMembershipFactory(group=group, user=member)
    client.force_login(member)  # a member of the group sees every name
    assert "Hana Hidden" in client.get(group.get_absolute_url()).text
    client.logout()
    page = client.get(group.get_absolute_url()).text
    assert "A member who keeps their name private" in page
    assert "Hana Hidden" not in page


# --- shared panels: a focus area's page, a group's page ----------------------------


def test_catalog_panels_show_an_edit_at_once_and_keep_unvetted_to_members(
    client, member
):
    from alliance.focus_areas.models import FocusArea
    from tests.alliance.factories import WorkingGroupFactory

    area = FocusArea.objects.get(number=1)
    group = WorkingGroupFactory(focus_area=area)
    entry = VettedEntryFactory(
        name="Prompt Shield", focus_area=area, working_group=group
    )
    CatalogEntryFactory(name="Unvetted Secret", focus_area=area, working_group=group)
    pages = (area.get_absolute_url(), group.get_absolute_url())
    client.force_login(member)
    for path in pages:
        page = client.get(path).text
        assert "Prompt Shield" in page and "Unvetted Secret" in page
    entry_update(entry=entry, actor=member, name="Prompt Guard")
    for path in pages:
        assert "Prompt Guard" in client.get(path).text
    client.logout()
    for path in pages:
        page = client.get(path).text
        assert "Prompt Guard" in page and "Unvetted Secret" not in page


# --- /api/v1/working-groups/: shared page, the reader's status laid over it ----------


def test_api_working_groups_show_each_reader_their_own_status(api_client, member):
    from alliance.working_groups.services import working_group_join
    from tests.alliance.factories import WorkingGroupFactory
    from tests.members.factories import MemberFactory

    group = WorkingGroupFactory(name="Evaluation")
    other = MemberFactory()

    def status_of(person):
        api_client.force_authenticate(person)
        answer = api_client.get("/api/v1/working-groups/")
        assert answer.status_code == 200
        (row,) = [r for r in answer.json()["results"] if r["slug"] == group.slug]
        return row["my_status"], row["member_count"]

    assert status_of(member) == (None, 0)
    working_group_join(group=group, user=member)
    assert status_of(member) == ("active", 1)
    assert status_of(other) == (None, 1)  # the shared page, not member's
    assert status_of(None) == (None, 1)


# --- a hit proves the cache: fewer queries, and never another audience's entry -----
#
# The less privileged reader is signed in (a person without a member
# organization), so the shared fragment answers them, not the visitors' page
# cache (alliance.core.visitor_pages).


def _read(client, path) -> tuple[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_catalog_hit_for_members_and_no_members_entry_for_others(client, member):
    from tests.members.factories import UserFactory

    VettedEntryFactory(name="Public Tool")
    CatalogEntryFactory(name="Unvetted Secret")
    client.force_login(member)
    page, cold = _read(client, "/projects/?q=")
    again, warm = _read(client, "/projects/?q=")
    assert "Unvetted Secret" in page and "Unvetted Secret" in again
    assert warm < cold
    client.force_login(UserFactory())  # signed in, no member organization
    page, outsider = _read(client, "/projects/?q=")
    assert "Public Tool" in page and "Unvetted Secret" not in page
    assert outsider > warm  # built for its own audience, not the members' entry


def test_directory_hit_for_members_and_no_contacts_for_others(client, member):
    from tests.members.factories import ContactFactory, UserFactory

    ContactFactory(name="Cora Contact")
    client.force_login(member)
    page, cold = _read(client, "/members/")
    again, warm = _read(client, "/members/")
    assert "Cora Contact" in page and "Cora Contact" in again
    assert warm < cold
    client.force_login(UserFactory())
    page, outsider = _read(client, "/members/")
    assert "Member organizations" in page and "Cora Contact" not in page
    assert outsider > warm


@pytest.mark.parametrize("page", ["/members/", "/projects/?q=", "roster"])
def test_lists_without_times_are_shared_across_time_zones(client, member, page):
    """The directory, the catalog and a group's roster show no time: a member in
    another zone reads the entry one in UTC left; another language has its own."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from members.models import Organization
    from projects.models import CatalogEntry
    from tests.alliance.factories import WorkingGroupMembershipFactory
    from tests.members.factories import MemberFactory

    group = WorkingGroupMembershipFactory(user=member).group
    VettedEntryFactory(name="Public Tool")
    elsewhere = MemberFactory(timezone="America/New_York")
    german = MemberFactory(timezone="America/New_York", language="de")
    for person in (elsewhere, german):
        WorkingGroupMembershipFactory(user=person, group=group)
    member.timezone = "UTC"
    member.save()
    path = group.get_absolute_url() if page == "roster" else page

    def shown(html: str) -> str:  # on a group's page, its roster (not their box)
        return html.split('id="roster"')[1] if page == "roster" else html

    client.force_login(member)
    assert "Quietly Renamed" not in _read(client, path)[0]
    # Renamed without a signal (no bump): only a page built anew shows it.
    renamed = Concat(F("name"), Value(" Quietly Renamed"))
    Organization.objects.update(name=renamed)
    CatalogEntry.objects.update(name=renamed)
    client.force_login(elsewhere)
    assert "Quietly Renamed" not in shown(_read(client, path)[0])
    client.force_login(german)
    assert "Quietly Renamed" in shown(_read(client, path)[0])


def test_roster_read_by_the_group_first_keeps_hidden_names_from_outsiders(
    client, member
):
    from tests.alliance.factories import (
        WorkingGroupFactory,
        WorkingGroupMembershipFactory,
    )
    from tests.members.factories import MemberFactory

    group = WorkingGroupFactory()
    WorkingGroupMembershipFactory(
        group=group, user__name="Hana Hidden", user__directory_visibility="hidden"
    )
    WorkingGroupMembershipFactory(group=group, user=member)
    path = group.get_absolute_url()
    client.force_login(member)
    for _ in range(2):  # stored for the group's audience, then read from it
        assert "Hana Hidden" in _read(client, path)[0]
    client.force_login(MemberFactory())  # a member, not of this group
    page, _ = _read(client, path)
    assert "A member who keeps their name private" in page
    assert "Hana Hidden" not in page


# --- a working group's updates and open action items (/working-groups/<slug>/) -----


def _group_with_a_member(member, **group_fields):
    from tests.alliance.factories import (
        WorkingGroupFactory,
        WorkingGroupMembershipFactory,
    )

    group = WorkingGroupFactory(**group_fields)
    WorkingGroupMembershipFactory(group=group, user=member)
    return group


def test_group_updates_show_a_new_update_an_item_done_and_a_reply_at_once(
    client, member
):
    from alliance.conversation.services import reply_post
    from alliance.working_groups.services import (
        ActionItemInput,
        action_item_set_done,
        working_group_update_post,
    )

    group = _group_with_a_member(member)
    client.force_login(member)
    assert "No updates yet." in client.get(group.get_absolute_url()).text
    update = working_group_update_post(
        group=group,
        author=member,
        kind="minutes",
        title="Kick-off minutes",
        body="We met.",
        action_items=[ActionItemInput(text="Draft the charter", owner=member)],
    )
    item = update.action_items.get()
    page = client.get(group.get_absolute_url()).text
    assert "Kick-off minutes" in page and "Draft the charter" in page
    assert f'id="action-item-group-{item.pk}"' in page  # among the open items
    action_item_set_done(item=item)
    page = client.get(group.get_absolute_url()).text
    assert f'id="action-item-group-{item.pk}"' not in page  # done: not open
    assert "No open action items." in page
    assert "<del>Draft the charter</del>" in page  # done, under its update
    reply_post(update=update, author=member, body="Thanks for the notes.")
    assert "1 reply" in client.get(group.get_absolute_url()).text


def test_group_updates_of_a_members_only_group_never_reach_outsiders(client, member):
    from tests.alliance.factories import ActionItemFactory, WorkingGroupUpdateFactory
    from tests.members.factories import MemberFactory

    group = _group_with_a_member(member, visibility="members")
    WorkingGroupUpdateFactory(group=group, title="Confidential plan")
    ActionItemFactory(update__group=group, text="Secret task")
    client.force_login(member)  # a member reads first: the updates are cached
    page = client.get(group.get_absolute_url()).text
    assert "Confidential plan" in page and "Secret task" in page
    client.force_login(MemberFactory())  # a member of the alliance, not the group
    page = client.get(group.get_absolute_url()).text
    assert "visible to its members only" in page
    assert "Confidential plan" not in page and "Secret task" not in page
    client.logout()
    page = client.get(group.get_absolute_url()).text
    assert "Confidential plan" not in page and "Secret task" not in page


def test_group_updates_come_from_the_shared_cache(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance.core.cache import bump_all
    from tests.alliance.factories import ActionItemFactory, WorkingGroupUpdateFactory

    group = _group_with_a_member(member)
    WorkingGroupUpdateFactory(group=group, title="Roadmap")
    ActionItemFactory(update__group=group, text="Write the roadmap")
    client.force_login(member)
    bump_all()

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(group.get_absolute_url()).text
        assert "Roadmap" in page and "Write the roadmap" in page
        tables = ('FROM "alliance_workinggroupupdate"', 'FROM "alliance_actionitem"')
        return [q["sql"] for q in captured if any(t in q["sql"] for t in tables)]

    # The updates and their action items are read once, for every reader.
    assert len(queries()) == 2
    assert queries() == []


def test_group_updates_shared_html_shows_each_reader_only_their_own_forms(member):
    """The updates and open action items are rendered once for every reader;
    each sees the "Mark done" forms of the items they may complete (owner,
    the minutes' author, chairs), with their own CSRF token that works."""
    from django.test import Client

    from tests.alliance.factories import (
        ActionItemFactory,
        WorkingGroupMembershipFactory,
        WorkingGroupUpdateFactory,
    )

    group = _group_with_a_member(member)
    # A writer's text naming the stand-ins never receives a reader's token.
    minutes = WorkingGroupUpdateFactory(
        group=group,
        kind="minutes",
        title="June",
        body="[notes](https://evil.example/?csrfStandIn&nextStandIn)",
    )
    owner = WorkingGroupMembershipFactory(group=group).user
    mine = ActionItemFactory(update=minutes, owner=owner, text="Book the room")
    theirs = ActionItemFactory(update=minutes, owner=member, text="Send the notes")
    chair = WorkingGroupMembershipFactory(group=group, role="chair").user
    form_of = "/working-groups/action-items/{}/done/".format

    def page(person, query=""):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        html = client.get(group.get_absolute_url() + query).content.decode()
        assert "Book the room" in html and "Send the notes" in html
        return client, html

    _client, first = page(member)  # rendered now, shared from here on
    assert first.count(form_of(theirs.pk)) == 4  # on the update and in the list
    assert form_of(mine.pk) not in first
    client, html = page(owner, "?roster=1")
    assert html.count(form_of(mine.pk)) == 4 and form_of(theirs.pk) not in html
    assert 'value="csrfStandIn"' not in html and 'value="nextStandIn"' not in html
    assert "https://evil.example/?csrfStandIn&amp;nextStandIn" in html
    assert 'name="next" value="/working-groups/' in html and "?roster=1" in html
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        form_of(mine.pk),
        {"csrfmiddlewaretoken": token, "done": "1", "place": "group"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.done
    # The chair may complete every item; an outsider to the group sees none.
    _client, html = page(chair)
    assert form_of(theirs.pk) in html
    from tests.members.factories import MemberFactory

    _client, html = page(MemberFactory())
    assert "action-items/" not in html


# --- a working group's page: the group and its counts (/working-groups/<slug>/) -----


def test_group_page_shows_a_new_member_and_a_request_at_once(client, member):
    from alliance.working_groups.models import WorkingGroupMembership
    from alliance.working_groups.services import working_group_join
    from tests.members.factories import MemberFactory

    group = _group_with_a_member(member, join_policy="approval")
    group.memberships.filter(user=member).update(role=WorkingGroupMembership.Role.CHAIR)
    client.force_login(member)
    page = client.get(group.get_absolute_url()).text
    assert "1 member" in page and "0 requests waiting" in page
    working_group_join(group=group, user=MemberFactory())  # a request
    assert "1 request waiting" in client.get(group.get_absolute_url()).text
    group.join_policy = "open"
    group.save()
    working_group_join(group=group, user=MemberFactory())
    page = client.get(group.get_absolute_url()).text
    assert "2 members" in page and "This group is open" not in page


def test_group_page_read_by_its_chair_first_shows_others_only_their_own(client, member):
    from alliance.notifications.services.subscriptions import subscription_set
    from alliance.working_groups.models import WorkingGroupMembership
    from alliance.working_groups.services import working_group_join
    from tests.members.factories import MemberFactory

    group = _group_with_a_member(member, join_policy="approval")
    group.memberships.filter(user=member).update(role=WorkingGroupMembership.Role.CHAIR)
    working_group_join(group=group, user=MemberFactory())  # a request
    client.force_login(member)  # the chair reads first: the group is cached
    page = client.get(group.get_absolute_url()).text
    assert "1 request waiting" in page and "You are in this group since" in page
    follower = MemberFactory()
    subscription_set(user=follower, target=group, state="follow")
    client.force_login(follower)
    page = client.get(group.get_absolute_url()).text
    assert "request waiting" not in page and "You are in this group" not in page
    assert "Unfollow" in page and "Ask to join" in page
    client.force_login(MemberFactory())
    page = client.get(group.get_absolute_url()).text
    assert "Unfollow" not in page and "Ask to join" in page
    client.logout()
    page = client.get(group.get_absolute_url()).text
    assert "request waiting" not in page and "Sign in to join" in page


def test_group_page_reads_the_group_from_the_shared_cache(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from alliance.core.cache import bump_all
    from tests.members.factories import MemberFactory

    group = _group_with_a_member(member)
    bump_all()

    def reads(person):
        client.force_login(person)
        with CaptureQueriesContext(connection) as captured:
            page = client.get(group.get_absolute_url()).text
        assert group.name in page
        whole_group = 'WHERE "alliance_workinggroup"."slug" = '
        membership = 'SELECT "alliance_workinggroupmembership".'
        return (
            sum(whole_group in q["sql"] for q in captured),
            sum(q["sql"].startswith(membership) for q in captured),
        )

    assert reads(member)[0] == 1  # the first reader reads the group
    assert reads(member) == (0, 1)  # then only their membership (the roster
    outsider = MemberFactory()  # is cached); an outsider has none to read
    reads(outsider)  # (their audience's roster is read once)
    assert reads(outsider) == (0, 0)


def test_a_groups_heading_and_charter_are_shared_per_language_and_follow_writes(
    client, member
):
    """What every reader of a group's page sees alike (heading, charter, where
    the group talks) is rendered once per language; a write through the
    group's services shows at once."""
    from alliance.working_groups.models import WorkingGroup
    from alliance.working_groups.services import (
        working_group_mark_reviewed,
        working_group_set_status,
    )
    from tests.alliance.factories import WorkingGroupFactory
    from tests.members.factories import MemberFactory

    group = WorkingGroupFactory(charter="The first charter.")
    path = group.get_absolute_url()
    client.force_login(member)
    page = _read(client, path)[0]
    assert "The first charter." in page and "Charter last reviewed" not in page
    # Rewritten without a signal (no bump): only a page built anew shows it.
    WorkingGroup.objects.filter(pk=group.pk).update(charter="Quietly rewritten.")
    client.force_login(MemberFactory(timezone="America/New_York"))
    assert "The first charter." in _read(client, path)[0]
    client.force_login(MemberFactory(language="de"))
    page = _read(client, path)[0]
    assert "Quietly rewritten." in page and "Alle Arbeitsgruppen" in page
    working_group_set_status(group=group, status="archived")
    working_group_mark_reviewed(group=group)
    client.force_login(member)
    page = _read(client, path)[0]
    heading = page.split("<h1>")[1].split("</div>")[0]
    assert "Archived" in heading
    assert "Quietly rewritten." in page and "Charter last reviewed on" in page


def test_group_page_boxes_are_shared_by_state_with_each_readers_token(member):
    """The follow box, and the membership box of a reader without a
    membership, are rendered once for the readers in the same state: each gets
    their own CSRF token, which works, and the box that fits them."""
    from django.test import Client

    from alliance.working_groups.models import WorkingGroupMembership
    from tests.alliance.factories import WorkingGroupFactory
    from tests.members.factories import MemberFactory, UserFactory

    group = WorkingGroupFactory(join_policy="open")

    def page(person):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        html = client.get(group.get_absolute_url()).content.decode()
        assert 'value="csrfStandIn"' not in html
        # One token for all of the page's forms, shared boxes included.
        tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        assert len(tokens) == 1 and f'"X-CSRFToken": "{tokens.pop()}"' in html
        box = html.split('id="membership-box"')[1].split("</section>")[0]
        follow = html.split('id="follow-box"')[1].split("</div>")[0]
        return client, box, follow

    page(MemberFactory())  # rendered now, shared from here on
    client, box, follow = page(member)
    assert "This group is open: you join at once." in box and "Follow" in follow
    token = box.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    joined = client.post(
        f"{group.get_absolute_url()}join/", {"csrfmiddlewaretoken": token}
    )
    assert joined.status_code == 302
    assert WorkingGroupMembership.objects.filter(
        group=group, user=member, status="active"
    ).exists()
    # Now a member: their own box, and the follow box of a member.
    _client, box, follow = page(member)
    assert "You are in this group since" in box
    assert "Following as a member" in follow
    # Someone of no member organization is offered to observe.
    _client, box, follow = page(UserFactory())
    assert "Ask to observe" in box and "Following as a member" not in follow


def test_the_shared_follow_box_fits_each_followers_state(member):
    """Muted, following as a member, following while a request waits, or not
    following: each reader gets the follow box of their own state."""
    from django.test import Client

    from alliance.notifications.services.subscriptions import subscription_set
    from tests.alliance.factories import (
        WorkingGroupFactory,
        WorkingGroupMembershipFactory,
    )
    from tests.members.factories import MemberFactory

    group = WorkingGroupFactory(join_policy="approval")
    waiting = WorkingGroupMembershipFactory(group=group, status="pending").user
    subscription_set(user=waiting, target=group, state="follow")
    seated = WorkingGroupMembershipFactory(group=group).user
    muted = WorkingGroupMembershipFactory(group=group).user
    subscription_set(user=muted, target=group, state="mute")

    def follow_box(person):
        client = Client()
        client.force_login(person)
        html = client.get(group.get_absolute_url()).content.decode()
        return html.split('id="follow-box"')[1].split("</div>")[0]

    assert ">Follow<" in follow_box(member)
    assert "Following as a member" in follow_box(seated)
    box = follow_box(waiting)
    assert ">Following<" in box and "Unfollow" in box
    assert "Muted" in follow_box(muted)
    assert ">Follow<" in follow_box(MemberFactory())
