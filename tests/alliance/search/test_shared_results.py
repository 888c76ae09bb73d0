"""The search's answers shared by readers of one audience (issue 16's bench row).

A reader's results of a kind are read once and kept for everyone who may see
exactly the same: those tests read as one person first and another after, in
both orders, and check that the second sees what they may see and nothing more;
that a second reader's search reads no matches from the database; and that a
write shows in the next search.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.working_groups.models import WorkingGroup
from events.models import Event
from members.models import Affiliation, Organization
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupUpdateFactory
from tests.alliance.search.test_search import EVERY, VISIBLE, WORD, api, world
from tests.events.factories import EventFactory
from tests.members.factories import AffiliationFactory, MemberFactory, UserFactory

__all__ = ["world"]  # the fixture, shared with test_search


@pytest.fixture
def readers(world):
    staff = UserFactory(is_staff=True, name="Stella Staff")
    return {**world, "staff": staff, "anonymous": None}


def _titles(api_client, who, readers, **params) -> set[str]:
    api_client.force_authenticate(readers[who])
    body = api(api_client, WORD, page_size=25, **params)
    titles = {result["title"] for result in body["results"]}
    assert body["count"] == len(titles)
    return titles


# Staff find everyone the directory lists for members (hidden people are hidden
# from staff's search too; the admin finds them).
SEES = {**VISIBLE, "staff": EVERY - {f"{WORD} Hiddenperson"}}


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("insider", "outsider"),  # a members-only group's minutes
        ("outsider", "insider"),
        ("outsider", "anonymous"),  # members' events, entries, people
        ("anonymous", "outsider"),
        ("staff", "outsider"),  # drafts, hidden people, applicants
        ("staff", "anonymous"),
    ],
)
def test_what_one_reader_found_is_never_shown_to_another_who_may_not_see_it(
    first, then, api_client, client, readers
):
    assert _titles(api_client, first, readers) == SEES[first]
    assert _titles(api_client, then, readers) == SEES[then]
    # The page reads the same shared results.
    if readers[then] is not None:
        client.force_login(readers[then])
    html = client.get("/search/", {"q": WORD}).content.decode()
    assert f"{len(SEES[then])} results for" in html


def _search_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/search/", {"q": WORD}).content.decode()
    matching = [q for q in captured.captured_queries if "search_title" in q["sql"]]
    return len(matching), html


def test_a_second_member_reads_the_results_the_first_one_left(client, world):
    # (Made first: a new member changes what the organizations and people show.)
    second = MemberFactory(name="Second Member")
    client.force_login(world["outsider"])
    first_reads, first_html = _search_queries(client)
    assert first_reads == 7  # one per kind: its count and best rows together
    client.force_login(second)
    second_reads, second_html = _search_queries(client)
    assert second_reads == 0
    assert f"{len(VISIBLE['outsider'])} results for" in second_html
    # The member of the members-only group reads the kinds that group shows
    # (its updates and their replies) for themselves, the rest from the cache.
    client.force_login(world["insider"])
    insider_reads, insider_html = _search_queries(client)
    assert insider_reads == 2
    assert f"{len(VISIBLE['insider'])} results for" in insider_html


def test_a_write_shows_in_the_next_search(client, api_client, world):
    client.force_login(world["outsider"])
    _search_queries(client)
    group = WorkingGroupFactory(name="Later Group")
    WorkingGroupUpdateFactory(group=group, title=f"{WORD} fresh news")
    EventFactory(title=f"{WORD} fresh meetup")
    api_client.force_authenticate(world["outsider"])
    titles = {r["title"] for r in api(api_client, WORD, page_size=25)["results"]}
    assert {f"{WORD} fresh news", f"{WORD} fresh meetup"} <= titles
    # A group that turns members-only takes its updates out of the shared answer.
    open_group = WorkingGroup.objects.get(name=f"{WORD} Open Group")
    open_group.visibility = WorkingGroup.Visibility.MEMBERS
    open_group.save()
    titles = {r["title"] for r in api(api_client, WORD, page_size=25)["results"]}
    assert f"{WORD} open news" not in titles


@pytest.mark.parametrize("organizer_first", [True, False])
def test_an_organizers_draft_is_theirs_alone(organizer_first, api_client, readers):
    organizer = readers["outsider"]
    EventFactory(
        title=f"{WORD} my draft", status=Event.Status.DRAFT, organizer=organizer
    )
    other = MemberFactory(name="Other Member")
    order = [organizer, other] if organizer_first else [other, organizer]
    seen = {}
    for person in order:
        api_client.force_authenticate(person)
        seen[person] = {
            r["title"] for r in api(api_client, WORD, kind="events")["results"]
        }
    assert f"{WORD} my draft" in seen[organizer]
    assert f"{WORD} my draft" not in seen[other]


@pytest.mark.parametrize("applicant_first", [True, False])
def test_ones_own_organization_in_another_state_is_theirs_alone(
    applicant_first, api_client, world
):
    applicant = Organization.objects.get(name=f"{WORD} Applicant Corp")
    own = AffiliationFactory(
        organization=applicant, status=Affiliation.Status.ACTIVE
    ).user
    other = MemberFactory(name="Other Member")
    order = [own, other] if applicant_first else [other, own]
    seen = {}
    for person in order:
        api_client.force_authenticate(person)
        seen[person] = {
            r["title"] for r in api(api_client, WORD, kind="organizations")["results"]
        }
    assert f"{WORD} Applicant Corp" in seen[own]
    assert f"{WORD} Applicant Corp" not in seen[other]
