"""The event list (/events/, /api/v1/events/) shared per audience (visitors,
members, staff) with the person's own seats laid over it: a write through a
service shows at once, nobody sees an event or a seat of someone else's, and a
warm read runs fewer queries than a cold one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.core.cache import bump_all
from events.models import Event
from events.services.events import event_publish, event_update
from events.services.registrations import registration_cancel, registration_create
from events.services.series import series_register
from tests.alliance.factories import WorkingGroupMembershipFactory
from tests.events.factories import EventFactory, publisher
from tests.members.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

SEAT = "You have a seat"


@pytest.fixture
def world(db):
    """A public, a members-only, a group-only event and a draft, and people of
    every audience."""
    chair = WorkingGroupMembershipFactory(role="chair")
    group = chair.group
    group_member = WorkingGroupMembershipFactory(group=group).user
    return {
        "public": EventFactory(title="Open Meetup", capacity=10),
        "members": EventFactory(title="Members Briefing", visibility="members"),
        "group": EventFactory(
            title="Group Call", visibility="group", working_group=group
        ),
        "draft": EventFactory(
            title="Drafty Plans",
            status="draft",
            published_at=None,
            organizer=chair.user,
        ),
        "chair": chair.user,
        "group_member": group_member,
        "member": MemberFactory(),
        "other_member": MemberFactory(),
        "outsider": UserFactory(),
    }


def _page(client, user, path="/events/"):
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


# --- the selectors: an audience's list is within each of its readers' lists --


def test_each_reader_sees_their_audiences_list_and_only_their_own_beyond(
    world, staff_user
):
    from django.contrib.auth.models import AnonymousUser

    from events.selectors import (
        event_list_audience,
        event_list_beyond_audience,
        event_list_for_audience,
        event_list_visible_to,
    )

    readers = [None, world["outsider"], world["member"], world["group_member"]]
    readers += [world["chair"], staff_user]
    for reader in readers:
        reader = reader or AnonymousUser()
        audience = event_list_audience(reader)
        shared = set(event_list_for_audience(audience, when="all"))
        beyond = set(event_list_beyond_audience(reader, when="all"))
        assert shared | beyond == set(event_list_visible_to(reader)), reader
        assert not shared & beyond
    assert event_list_audience(world["outsider"]) == "public"
    assert set(event_list_beyond_audience(world["group_member"], when="all")) == {
        world["group"]
    }
    # The chair: their group's event and their draft.
    assert set(event_list_beyond_audience(world["chair"], when="all")) == {
        world["group"],
        world["draft"],
    }


# --- the page ------------------------------------------------------------------


def test_a_privileged_readers_list_never_reaches_a_less_privileged_one(
    client, world, staff_user
):
    # Staff first (every event, drafts too), then a group member (their own
    # list), then a member, a signed-in outsider and a visitor.
    staff_page = _page(client, staff_user)
    assert "Drafty Plans" in staff_page and "Group Call" in staff_page
    group_page = _page(client, world["group_member"])
    assert "Group Call" in group_page and "Drafty Plans" not in group_page
    member_page = _page(client, world["member"])
    assert "Members Briefing" in member_page
    assert "Group Call" not in member_page and "Drafty Plans" not in member_page
    for reader in (world["outsider"], None):
        page = _page(client, reader)
        assert "Open Meetup" in page
        for hidden in ("Members Briefing", "Group Call", "Drafty Plans"):
            assert hidden not in page
    # Someone outside registered for a members-only event (they still see it),
    # then another outsider, from the same shared list: not theirs.
    from tests.events.factories import RegistrationFactory

    RegistrationFactory(event=world["members"], user=world["outsider"])
    assert "Members Briefing" in _page(client, world["outsider"])
    assert "Members Briefing" not in _page(client, UserFactory())
    # And the way back: a visitor's cached list does not hide the member's.
    assert "Members Briefing" in _page(client, world["member"])
    assert "Drafty Plans" in _page(client, world["chair"])


def test_one_persons_seat_is_never_laid_over_anothers_list(client, world):
    registration_create(event=world["public"], user=world["member"])
    mine = _page(client, world["member"])
    assert SEAT in mine
    # The same cached list, for another member: no seat of theirs, the seat
    # count as everyone sees it.
    other = _page(client, world["other_member"])
    assert SEAT not in other and "9 seats left" in other
    assert SEAT not in _page(client, world["outsider"])
    assert SEAT not in _page(client, None)


def test_a_registration_and_an_edit_show_at_once(client, world):
    member = world["member"]
    before = _page(client, member)
    assert SEAT not in before and "10 seats left" in before
    registration = registration_create(event=world["public"], user=member)
    after = _page(client, member)
    assert SEAT in after and "9 seats left" not in after
    assert "9 seats left" in _page(client, world["other_member"])
    registration_cancel(registration=registration, actor=member)
    assert SEAT not in _page(client, member)
    event_update(event=world["public"], actor=world["chair"], title="Renamed Meetup")
    assert "Renamed Meetup" in _page(client, member)
    assert "Renamed Meetup" in _page(client, None)
    draft = world["draft"]
    event_publish(event=draft, actor=publisher())
    assert "Drafty Plans" in _page(client, world["outsider"])


def test_a_series_registration_is_laid_over_the_shared_list(client, world):
    from tests.events.test_series_registration import make_weekly

    first = make_weekly(title="Weekly Sync")
    _page(client, world["other_member"])  # the list cached for members
    series_register(series=first.series, user=world["member"])
    assert "You are registered for every date" in _page(client, world["member"])
    page = _page(client, world["other_member"])
    assert "Weekly Sync" in page and "You are registered for every date" not in page


def test_a_groups_members_share_one_list_with_its_group_only_events(client, world):
    """Who sees events beyond their audience's (a group's group-only call)
    reads the list shared by those who see the same ones, with their own seat
    laid over; nobody else reaches it."""
    group_member = world["group_member"]
    second = WorkingGroupMembershipFactory(group=world["group"].working_group).user
    registration_create(event=world["group"], user=group_member)
    mine = _page(client, group_member)
    assert "Group Call" in mine and SEAT in mine
    # The second member reads the same list: no query of events but their own.
    client.force_login(second)
    client.get("/events/")
    warm = _queries_of(client, "/events/", "Group Call")
    assert not [sql for sql in warm if '"events_event"."uid"' in sql], warm
    assert SEAT not in _page(client, second)
    # The chair sees the call and their draft: another list.
    chair_page = _page(client, world["chair"])
    assert "Group Call" in chair_page and "Drafty Plans" in chair_page
    assert "Drafty Plans" not in _page(client, second)
    # Members outside the group, outsiders and visitors never see the call.
    for reader in (world["member"], world["outsider"], None):
        assert "Group Call" not in _page(client, reader)
    # A new group-only event shows at once to the group's members.
    EventFactory(
        title="Second Call",
        visibility="group",
        working_group=world["group"].working_group,
    )
    assert "Second Call" in _page(client, second)
    assert "Second Call" not in _page(client, world["member"])


def test_who_sees_many_events_beyond_their_audiences_gets_a_list_of_their_own(
    client, world, monkeypatch
):
    import events.views

    monkeypatch.setattr(events.views, "BEYOND_SHARED", 0)
    registration_create(event=world["group"], user=world["group_member"])
    mine = _page(client, world["group_member"])
    assert "Group Call" in mine and SEAT in mine
    assert "Group Call" not in _page(client, world["member"])


def test_the_filters_are_shared_by_readers_of_one_date_whatever_their_zone(
    client, world
):
    """The filters (every working group, the months from today's) are the same
    for readers on the same date: one in a zone of UTC's date reads the entry
    a reader in UTC left; another language has its own."""
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from alliance.working_groups.models import WorkingGroup

    member = world["member"]
    member.timezone = "UTC"
    member.save()
    assert "Quietly Renamed" not in _page(client, member)
    # Renamed without a signal (no bump): only filters built anew show it.
    WorkingGroup.objects.update(name=Concat(F("name"), Value(" Quietly Renamed")))
    assert "Quietly Renamed" not in _page(
        client,
        MemberFactory(timezone="Africa/Abidjan"),  # UTC's date, always
    )
    assert "Quietly Renamed" in _page(client, MemberFactory(language="de"))


def test_the_lists_events_are_read_once_for_every_zone_and_shown_in_each(client, world):
    """The page of events an audience sees is read once, whatever the reader's
    language and zone; each zone's list shows the times in that zone."""
    member = world["member"]
    member.timezone = "UTC"
    member.save()
    in_tokyo = MemberFactory(timezone="Asia/Tokyo")
    assert "UTC" in _page(client, member)
    # Renamed without a signal (no bump): only a page read anew shows it.
    Event.objects.update(title="Quietly Renamed")
    elsewhere = _page(client, in_tokyo)
    assert "Open Meetup" in elsewhere and "Quietly Renamed" not in elsewhere
    assert "JST" in elsewhere
    bump_all()
    assert "Quietly Renamed" in _page(client, member)


def _queries_of(client, path, expect):
    """The SQL of one request (read at once: the next request clears the log)."""
    with CaptureQueriesContext(connection) as captured:
        assert expect in client.get(path).content.decode()
    return [query["sql"] for query in captured.captured_queries]


def test_a_warm_list_runs_fewer_queries_than_a_cold_one(client, world):
    member = world["member"]
    registration_create(event=world["public"], user=member)
    client.force_login(member)
    client.get("/events/")  # the session
    bump_all()
    cold = _queries_of(client, "/events/", SEAT)
    # Warmed by another member: the same shared list, this member's seat on it.
    client.force_login(world["other_member"])
    client.get("/events/")
    client.force_login(member)
    warm = _queries_of(client, "/events/", SEAT)
    assert len(warm) <= len(cold) - 3, (cold, warm)
    # No seat counts read (the person's own query may count their unread
    # notifications, a fact read with them).
    assert not any("COUNT(" in sql and '"events_' in sql for sql in warm), warm


# --- the API -------------------------------------------------------------------

SECRET = "meet.example.org/secret-room"


def _api(api_client, user, path="/api/v1/events/"):
    api_client.force_authenticate(user)
    response = api_client.get(path)
    assert response.status_code == 200, response.content
    return {item["title"]: item for item in response.json()["results"]}


def test_api_a_privileged_callers_list_never_reaches_a_less_privileged_one(
    api_client, world, staff_user
):
    registration_create(event=world["public"], user=world["member"])
    staff = _api(api_client, staff_user)
    assert {"Drafty Plans", "Group Call"} <= set(staff)
    assert SECRET in staff["Members Briefing"]["online_url"]
    mine = _api(api_client, world["member"])
    assert mine["Open Meetup"]["my_registration"] == {
        "status": "confirmed",
        "position": None,
    }
    assert SECRET in mine["Open Meetup"]["online_url"]
    # Another member, from the list the first one warmed: no seat, no link.
    other = _api(api_client, world["other_member"])
    assert set(other) == {"Open Meetup", "Members Briefing"}
    assert other["Open Meetup"]["my_registration"] is None
    assert other["Open Meetup"]["online_url"] is None
    assert other["Open Meetup"]["confirmed_count"] == 1
    # The chair organizes the draft and manages their group's call: their own
    # list, with the links of what they manage.
    chair = _api(api_client, world["chair"])
    assert SECRET in chair["Group Call"]["online_url"]
    assert SECRET in chair["Drafty Plans"]["online_url"]
    assert chair["Open Meetup"]["online_url"] is None
    outsider = _api(api_client, world["outsider"])
    assert set(outsider) == {"Open Meetup"}
    api_client.force_authenticate(None)
    visitor = api_client.get("/api/v1/events/").json()["results"]
    assert [item["title"] for item in visitor] == ["Open Meetup"]
    assert SECRET not in str(visitor)


def test_api_an_organizer_sees_their_public_events_link_from_the_shared_list(
    api_client, world
):
    organizer = world["public"].organizer  # a member, the event's organizer
    _api(api_client, world["other_member"])  # warmed by someone else
    assert SECRET in _api(api_client, organizer)["Open Meetup"]["online_url"]
    assert _api(api_client, world["other_member"])["Open Meetup"]["online_url"] is None


def test_api_a_registration_and_an_edit_show_at_once(api_client, world):
    member = world["member"]
    assert _api(api_client, member)["Open Meetup"]["my_registration"] is None
    registration = registration_create(event=world["public"], user=member)
    listed = _api(api_client, member)["Open Meetup"]
    assert listed["my_registration"]["status"] == "confirmed"
    assert listed["confirmed_count"] == 1
    registration_cancel(registration=registration, actor=member)
    listed = _api(api_client, member)["Open Meetup"]
    assert listed["my_registration"] is None and listed["confirmed_count"] == 0
    event_update(event=world["public"], actor=world["chair"], title="Renamed Meetup")
    assert "Renamed Meetup" in _api(api_client, world["other_member"])


def test_api_a_warm_list_runs_fewer_queries_than_a_cold_one(api_client, world):
    member = world["member"]
    registration_create(event=world["public"], user=member)
    api_client.force_authenticate(member)
    bump_all()
    with CaptureQueriesContext(connection) as captured:
        assert api_client.get("/api/v1/events/").status_code == 200
    cold = len(captured)
    api_client.force_authenticate(world["other_member"])
    api_client.get("/api/v1/events/")
    api_client.force_authenticate(member)
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get("/api/v1/events/")
    warm = len(captured)
    assert response.json()["results"][0]["my_registration"]["status"] == "confirmed"
    assert warm <= cold - 3, (cold, warm)


def test_api_a_caller_with_nothing_of_their_own_gets_the_kept_answer_without_a_query(
    api_client, world
):
    registration_create(event=world["public"], user=world["other_member"])
    expected = _api(api_client, world["other_member"])
    member = world["member"]
    first = _api(api_client, member)  # what they have of their own: kept
    with CaptureQueriesContext(connection) as captured:
        response = api_client.get("/api/v1/events/", HTTP_ACCEPT_ENCODING="gzip")
    assert [query["sql"] for query in captured.captured_queries] == []
    assert response["Content-Encoding"] == "gzip"
    assert _api(api_client, member) == first
    # The same as the member with a seat reads, but for their seat and link.
    expected["Open Meetup"]["my_registration"] = None
    expected["Open Meetup"]["online_url"] = None
    assert first == expected


def test_api_a_new_chair_sees_their_groups_links_at_once(api_client, world):
    group = world["group"].working_group
    EventFactory(title="Open Group Meetup", working_group=group)
    member = world["member"]
    assert _api(api_client, member)["Open Group Meetup"]["online_url"] is None
    WorkingGroupMembershipFactory(group=group, user=member, role="chair")
    listed = _api(api_client, member)
    assert SECRET in listed["Open Group Meetup"]["online_url"]
    assert listed["Open Meetup"]["online_url"] is None
    assert (
        _api(api_client, world["other_member"])["Open Group Meetup"]["online_url"]
        is None
    )


# --- the home page's and a focus area's panel of upcoming events --------------


def test_panels_lay_each_persons_seat_over_the_audiences_events(client, world):
    from alliance.focus_areas.models import FocusArea

    area = FocusArea.objects.order_by("number").first()
    Event.objects.filter(pk=world["public"].pk).update(focus_area=area)
    bump_all()  # update() sends no signal
    paths = ("/", area.get_absolute_url())
    for path in paths:  # warmed by another member
        assert SEAT not in _page(client, world["other_member"], path)
    registration_create(event=world["public"], user=world["member"])
    for path in paths:
        assert SEAT in _page(client, world["member"], path)
        page = _page(client, world["other_member"], path)
        assert "Open Meetup" in page and SEAT not in page


def test_home_panel_keeps_each_audiences_events_apart(client, world, staff_user):
    assert "Drafty Plans" in _page(client, staff_user, "/")
    assert "Group Call" in _page(client, world["group_member"], "/")
    member = _page(client, world["member"], "/")
    assert "Members Briefing" in member
    assert "Drafty Plans" not in member and "Group Call" not in member
    outsider = _page(client, world["outsider"], "/")
    assert "Open Meetup" in outsider and "Members Briefing" not in outsider
    event_update(event=world["public"], actor=world["chair"], title="Renamed Meetup")
    assert "Renamed Meetup" in _page(client, world["member"], "/")


def test_a_warm_home_panel_reads_no_list_of_events(client, world):
    registration_create(event=world["public"], user=world["member"])
    _page(client, world["other_member"], "/")  # the members' panel cached
    client.force_login(world["member"])
    client.get("/")
    warm = _queries_of(client, "/", SEAT)
    # One query for the person's own (their seats, whether they see more);
    # no read of the events themselves.
    assert not [sql for sql in warm if '"events_event"."uid"' in sql], warm


def _event_queries(client, path, expect):
    """The queries of one request that read events or their seats."""
    return [
        sql
        for sql in _queries_of(client, path, expect)
        if '"events_' in sql
        and "events_calendartoken" not in sql
        and '"django_session"' not in sql
    ]


def test_a_warm_home_panel_runs_no_events_query_for_a_reader_with_nothing_of_their_own(
    client, world
):
    _page(client, world["other_member"], "/")  # the members' panel cached
    client.force_login(world["member"])
    client.get("/")  # what they have of their own: nothing, kept for them
    assert _event_queries(client, "/", "Members Briefing") == []
    # Their first seat shows at once (the seat drops what was kept for them).
    registration_create(event=world["public"], user=world["member"])
    assert SEAT in _page(client, world["member"], "/")
    # Joining the group shows its group-only event at once.
    WorkingGroupMembershipFactory(
        group=world["group"].working_group, user=world["member"]
    )
    assert "Group Call" in _page(client, world["member"], "/")


# --- a working group's page: its next meeting and the events after it --------


@pytest.fixture
def group_world(world):
    """The group of ``world`` with a members-only meeting first, then a public
    event, after the group-only call; the chair's draft in the group."""
    from tests.events.factories import in_days

    group = world["group"].working_group
    Event.objects.filter(pk=world["draft"].pk).update(working_group=group)
    EventFactory(
        title="Members Meeting",
        visibility="members",
        working_group=group,
        starts_at=in_days(2),
    )
    EventFactory(title="Open Group Meetup", working_group=group, starts_at=in_days(3))
    bump_all()  # update() sends no signal
    return {**world, "group_page": group.get_absolute_url()}


def test_group_panel_never_shows_an_event_to_someone_who_may_not_see_it(
    client, group_world, staff_user
):
    world, path = group_world, group_world["group_page"]
    staff = _page(client, staff_user, path)
    assert "Drafty Plans" in staff and "Group Call" in staff
    chair = _page(client, world["chair"], path)
    assert "Drafty Plans" in chair and "Group Call" in chair
    group_member = _page(client, world["group_member"], path)
    assert "Group Call" in group_member and "Members Meeting" in group_member
    assert "Drafty Plans" not in group_member
    # A member outside the group, after the group's members warmed the panel:
    # the members-only meeting, never the group-only call or the draft.
    member = _page(client, world["member"], path)
    assert "Members Meeting" in member and "Open Group Meetup" in member
    assert "Group Call" not in member and "Drafty Plans" not in member
    for reader in (world["outsider"], None):
        page = _page(client, reader, path)
        assert "Open Group Meetup" in page
        for hidden in ("Members Meeting", "Group Call", "Drafty Plans"):
            assert hidden not in page
    # And the way back: what the outsider warmed hides nothing from a member
    # of the group.
    assert "Group Call" in _page(client, world["group_member"], path)


def test_group_panel_shows_a_write_at_once(client, group_world):
    world, path = group_world, group_world["group_page"]
    member = world["group_member"]
    assert SEAT not in _page(client, member, path)
    _page(client, world["other_member"], path)  # warmed by another member
    registration = registration_create(
        event=Event.objects.get(title="Open Group Meetup"), user=member
    )
    assert SEAT in _page(client, member, path)
    assert SEAT not in _page(client, world["other_member"], path)
    registration_cancel(registration=registration, actor=member)
    assert SEAT not in _page(client, member, path)
    event_update(event=world["group"], actor=world["chair"], title="Renamed Call")
    assert "Renamed Call" in _page(client, member, path)
    # Leaving the group hides its group-only call at once; a new member sees it.
    from alliance.working_groups.services import working_group_leave

    working_group_leave(group=world["group"].working_group, user=member)
    assert "Renamed Call" not in _page(client, member, path)
    WorkingGroupMembershipFactory(
        group=world["group"].working_group, user=world["member"]
    )
    assert "Renamed Call" in _page(client, world["member"], path)


def test_a_warm_group_panel_reads_no_events_for_a_reader_with_nothing_of_their_own(
    client, group_world
):
    path = group_world["group_page"]
    _page(client, group_world["other_member"], path)  # the members' panel cached
    client.force_login(group_world["member"])
    client.get(path)
    assert _event_queries(client, path, "Members Meeting") == []


def test_panels_rendered_once_lay_a_series_registration_over_and_show_no_marks(
    client, world
):
    from tests.events.test_series_registration import make_weekly

    first = make_weekly(title="Weekly Sync")
    _page(client, world["other_member"], "/")  # the members' panel rendered
    series_register(series=first.series, user=world["member"])
    page = _page(client, world["member"], "/")
    assert "Weekly Sync" in page and "You are registered for every date" in page
    other = _page(client, world["other_member"], "/")
    assert "Weekly Sync" in other and "You are registered for every date" not in other
    assert "<!--mine" not in page + other and "<!--/mine" not in page + other
