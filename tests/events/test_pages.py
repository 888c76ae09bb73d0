"""Event pages: visibility, registering in place, organizing, query budgets."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from alliance.core.cache import bump_all
from events.models import Event, Registration
from events.services.registrations import registration_create
from members.models import Tier
from members.services.organizations import organization_set_status
from tests.alliance.factories import WorkingGroupMembershipFactory
from tests.events.factories import EventFactory, RegistrationFactory
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

SECRET = "meet.example.org/secret-room"


@pytest.fixture
def matrix(db):
    """A members-only and a group-only event, and people inside and outside."""
    chair = WorkingGroupMembershipFactory(role="chair")
    group = chair.group
    group_member = WorkingGroupMembershipFactory(group=group).user
    return {
        "members": EventFactory(title="Members-only summit", visibility="members"),
        "group": EventFactory(
            title="Group-only call", visibility="group", working_group=group
        ),
        "group_member": group_member,
        "member": MemberFactory(),
        "outsider": UserFactory(),
    }


@pytest.mark.parametrize(
    ("who", "sees_members", "sees_group"),
    [
        (None, False, False),
        ("outsider", False, False),
        ("member", True, False),
        ("group_member", True, True),
    ],
)
def test_visibility_matrix(client, matrix, who, sees_members, sees_group):
    if who:
        client.force_login(matrix[who])
    listing = client.get("/events/").content.decode()
    for key, visible in (("members", sees_members), ("group", sees_group)):
        event = matrix[key]
        assert (event.title in listing) is visible
        detail = client.get(event.get_absolute_url())
        # Signed out, a hidden event's page leads to sign in (issue 12).
        hidden = 404 if who else 302
        assert detail.status_code == (200 if visible else hidden)
        assert SECRET not in detail.content.decode()
        ics = client.get(f"/events/{event.slug}/calendar.ics")
        assert ics.status_code == (200 if visible else 404)
        api = client.get(f"/api/v1/events/{event.slug}/")
        assert api.status_code == (200 if visible else 404)
        assert SECRET not in api.content.decode()
    api_list = client.get("/api/v1/events/").content.decode()
    assert ("Members-only summit" in api_list) is sees_members
    assert ("Group-only call" in api_list) is sees_group


def test_online_link_only_for_confirmed_attendees(client, db):
    event = EventFactory(capacity=1)
    seated, waiting = MemberFactory.create_batch(2)
    registration_create(event=event, user=seated)
    registration_create(event=event, user=waiting)
    for person, visible in ((seated, True), (waiting, False), (event.organizer, True)):
        client.force_login(person)
        html = client.get(event.get_absolute_url()).content.decode()
        assert (SECRET in html) is visible
        api = client.get(f"/api/v1/events/{event.slug}/").json()
        assert (api["online_url"] == f"https://{SECRET}") is visible


def test_drafts_only_for_their_organizers(client, db):
    draft = EventFactory(status="draft", title="Secret draft")
    client.force_login(MemberFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Secret draft" not in client.get("/events/").content.decode()
    client.force_login(draft.organizer)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_staff_open_drafts_they_created_and_any_other(client, staff_user):
    # Issue 17, item 21: the staff condition was an empty Q(), which ``|`` drops,
    # so staff saw published events only, not even their own new draft.
    own = EventFactory(status="draft", title="Staff draft", organizer=staff_user)
    other = EventFactory(status="draft", title="Another draft")
    client.force_login(staff_user)
    for draft in (own, other):
        assert client.get(draft.get_absolute_url()).status_code == 200
        assert client.get(f"/api/v1/events/{draft.slug}/").status_code == 200
    upcoming = client.get("/events/").content.decode()
    assert "Staff draft" in upcoming
    assert "Another draft" in upcoming


def test_a_lapsed_organizations_chairs_and_organizers_lose_their_powers(client, db):
    # Issue 17, item 3: after the lapse they still opened members-only events,
    # read attendee emails and created and published members-only events.
    organization = OrganizationFactory(tier=Tier.objects.get(slug="founding"))
    organizer = MemberFactory(affiliation__organization=organization)
    chair = WorkingGroupMembershipFactory(
        role="chair", user=MemberFactory(affiliation__organization=organization)
    )
    own = EventFactory(organizer=organizer, visibility="members", title="Own event")
    RegistrationFactory(event=own, user=MemberFactory(email="attendee@example.org"))
    group_draft = EventFactory(
        status="draft",
        title="Group draft",
        visibility="group",
        working_group=chair.group,
    )
    pages = {
        organizer: [own.get_absolute_url(), f"/events/{own.slug}/attendees/"],
        chair.user: [group_draft.get_absolute_url(), f"/events/{own.slug}/"],
    }
    for person, paths in pages.items():
        client.force_login(person)
        assert client.get("/events/new/").status_code == 200
        for path in paths:
            assert client.get(path).status_code == 200, path
    organization_set_status(organization=organization, status="lapsed")
    for person, paths in pages.items():
        client.force_login(person)
        assert client.get("/events/new/").status_code == 403
        for path in paths:
            assert client.get(path).status_code in (403, 404), path
        api = client.get(f"/api/v1/events/{own.slug}/attendees/")
        assert "attendee@example.org" not in api.content.decode()
        assert "Group draft" not in client.get("/events/").content.decode()


def test_register_and_cancel_in_place_with_htmx(client, db):
    event = EventFactory(capacity=1)
    first, second = MemberFactory.create_batch(2)
    client.force_login(first)
    response = client.post(f"/events/{event.slug}/register/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section class="card registration-panel"')
    assert "Your seat is confirmed" in html
    assert SECRET not in html  # the panel has no link; the page shows it

    client.force_login(second)
    html = client.post(
        f"/events/{event.slug}/register/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "You are on the waitlist: position 1" in html

    client.force_login(first)
    html = client.post(
        f"/events/{event.slug}/registration/cancel/",
        {"confirm": "yes"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "Your registration is cancelled." in html
    assert Registration.objects.get(user=second, event=event).status == "confirmed"


def test_cancelling_a_seat_asks_first(client, db):
    event = EventFactory(capacity=1)
    seated, waiting = MemberFactory.create_batch(2)
    client.force_login(seated)
    client.post(f"/events/{event.slug}/register/")
    url = f"/events/{event.slug}/registration/cancel/"
    # The first click only asks, in place (htmx) or on its own page.
    html = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Give up your seat?" in html
    assert 'name="confirm" value="yes"' in html
    assert "Keep my seat" in html
    html = client.post(url).content.decode()
    assert "Give up your seat?" in html
    assert Registration.objects.get(user=seated).status == "confirmed"
    # Confirmed, the seat is given up.
    response = client.post(url, {"confirm": "yes"}, follow=True)
    assert "Your registration is cancelled." in response.content.decode()
    assert not Registration.objects.filter(
        user=seated, status__in=Registration.ACTIVE_STATUSES
    ).exists()


def test_a_waitlisted_person_leaves_the_waitlist(client, db):
    event = EventFactory(capacity=1)
    seated, waiting = MemberFactory.create_batch(2)
    for person in (seated, waiting):
        client.force_login(person)
        client.post(f"/events/{event.slug}/register/")
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Leave the waitlist</button>" in page
    assert "Cancel my registration" not in page
    url = f"/events/{event.slug}/registration/cancel/"
    html = client.post(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Leave the waitlist?" in html
    assert "Stay on the waitlist" in html
    html = client.post(url, {"confirm": "yes"}, HTTP_HX_REQUEST="true").content.decode()
    assert "You have left the waitlist." in html
    assert Registration.objects.get(user=seated).status == "confirmed"


def test_register_without_javascript_redirects_with_a_message(client, db):
    event = EventFactory()
    client.force_login(MemberFactory())
    response = client.post(
        f"/events/{event.slug}/register/", {"show_on_list": "on"}, follow=True
    )
    html = response.content.decode()
    assert "You are registered: your seat is confirmed." in html
    assert SECRET in html
    assert Registration.objects.get(event=event).show_on_list


def test_attendees_choose_whether_others_see_them(client, db):
    event = EventFactory()
    shy, open_ = MemberFactory.create_batch(2, name="Visible Person")
    shy.name = "Shy Person"
    shy.save()
    registration_create(event=event, user=shy)
    registration_create(event=event, user=open_, show_on_list=True)
    client.force_login(shy)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Visible Person" in html
    assert "Shy Person" not in html.split('id="public-attendees"')[1]
    client.post(
        f"/events/{event.slug}/registration/visibility/", {"show_on_list": "on"}
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Shy Person" in html.split('id="public-attendees"')[1]


def test_register_refused_anonymously_and_for_invisible_events(client, db):
    event = EventFactory(visibility="members")
    response = client.post(f"/events/{event.slug}/register/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.post(f"/events/{event.slug}/register/").status_code == 404
    assert not Registration.objects.exists()


def test_attendee_page_csv_and_attendance_for_organizers_only(client, db):
    event = EventFactory(capacity=1, title="=cmd|calc")
    seated = MemberFactory(name="Ada Seated")
    registration_create(event=event, user=seated)
    registration_create(event=event, user=MemberFactory(name="Wally Waiting"))
    client.force_login(seated)
    assert client.get(f"/events/{event.slug}/attendees/").status_code == 403
    assert client.get(f"/events/{event.slug}/attendees.csv").status_code == 403

    client.force_login(event.organizer)
    html = client.get(f"/events/{event.slug}/attendees/").content.decode()
    assert "Ada Seated" in html and "Waitlist #1" in html
    registration = Registration.objects.get(user=seated)
    client.post(
        f"/events/{event.slug}/attendees/",
        {"registration": registration.pk, "attended": "yes"},
    )
    registration.refresh_from_db()
    assert registration.attended is True
    rows = client.get(f"/events/{event.slug}/attendees.csv").content.decode()
    lines = rows.strip().splitlines()
    assert lines[0].startswith("Event,Name,Email,Organization,Status")
    assert lines[1].startswith("'=cmd|calc,Ada Seated,")
    assert lines[1].endswith(",yes")
    assert "Wally Waiting" in lines[2] and ",1," in lines[2]


def test_attendance_of_another_events_registration_is_refused(client, db):
    mine, other = EventFactory(), EventFactory()
    foreign = RegistrationFactory(event=other)
    client.force_login(mine.organizer)
    response = client.post(
        f"/events/{mine.slug}/attendees/",
        {"registration": foreign.pk, "attended": "yes"},
    )
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.attended is None


def test_event_page_in_viewer_and_event_time_zones(client, db):
    event = EventFactory(
        starts_at=datetime.datetime(2031, 6, 3, 14, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 6, 3, 15, 30, tzinfo=datetime.UTC),
    )
    client.force_login(MemberFactory(timezone="America/New_York"))
    html = client.get(event.get_absolute_url()).content.decode()
    when = html.split('id="event-when"')[1].split("</dd>")[0]
    local = html.split('id="event-when-local"')[1].split("</dd>")[0]
    assert "10 a.m." in when and "EDT" in when
    assert "4 p.m." in local and "CEST" in local


def osaka_workshop():
    osaka = "Asia/Tokyo"
    start = datetime.datetime(2031, 6, 4, 0, 0, tzinfo=ZoneInfo(osaka))
    return EventFactory(
        title="Osaka workshop",
        time_zone=osaka,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
    )


def test_visitor_without_a_known_zone_sees_the_events_own_zone_said_so(client, db):
    event = osaka_workshop()
    listing = client.get("/events/").content.decode()
    assert "Times are shown in each event’s own time zone." in listing
    assert "in your time zone" not in listing
    assert "June 4, 2031, midnight–3 a.m. JST" in listing
    page = client.get(event.get_absolute_url()).content.decode()
    assert "When (time at the event)" in page
    assert "midnight–3 a.m. JST" in page
    assert "your time" not in page
    # The same in German: no claim that UTC is the reader's zone.
    german = client.get("/events/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Ihrer Zeitzone" not in german


def test_visitor_sees_times_in_the_zone_their_browser_told(client, db):
    event = osaka_workshop()
    client.cookies["tz"] = "Europe/Berlin"
    listing = client.get("/events/").content.decode()
    assert "Times are shown in your browser’s time zone (Europe/Berlin)." in listing
    assert "June 3, 2031, 5 p.m.–8 p.m. CEST" in listing
    page = client.get(event.get_absolute_url()).content.decode()
    assert "When (your browser’s time zone)" in page
    assert "Local time at the event" in page


@pytest.mark.parametrize("cookie", ["localtime", "Mars/Olympus", "", "Factory"])
def test_a_visitor_zone_that_is_no_place_is_ignored(client, db, cookie):
    osaka_workshop()
    client.cookies["tz"] = cookie
    listing = client.get("/events/").content.decode()
    assert "Times are shown in each event’s own time zone." in listing


def test_a_utc_reader_sees_utc_once(client, db):
    event = EventFactory(
        starts_at=datetime.datetime(2031, 6, 3, 14, 0, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2031, 6, 3, 15, 0, tzinfo=datetime.UTC),
        time_zone="UTC",
    )
    client.force_login(MemberFactory(timezone="UTC"))
    page = client.get(event.get_absolute_url()).content.decode()
    assert "UTC UTC" not in page
    assert "UTC <span" not in page


def test_filters_and_bad_filter_input(client, db):
    group = WorkingGroupMembershipFactory().group
    EventFactory(title="Group hackathon", kind="hackathon", working_group=group)
    EventFactory(title="Plain webinar", kind="webinar", format="online")
    html = client.get("/events/?kind=hackathon").content.decode()
    assert "Group hackathon" in html and "Plain webinar" not in html
    html = client.get(f"/events/?group={group.slug}").content.decode()
    assert "Group hackathon" in html and "Plain webinar" not in html
    html = client.get("/events/?format=in_person").content.decode()
    assert "Group hackathon" not in html
    response = client.get("/events/?month=2026-13&kind=nonsense&page=abc")
    assert response.status_code == 200
    assert "Give the month as YYYY-MM" in response.content.decode()


def test_month_filter_and_calendar(client, db):
    start = timezone.now() + datetime.timedelta(days=40)
    EventFactory(title="Next month sprint", starts_at=start)
    month = timezone.localtime(start).strftime("%Y-%m")
    assert "Next month sprint" in client.get(f"/events/?month={month}").content.decode()
    html = client.get(f"/events/calendar/?month={month}").content.decode()
    assert "Next month sprint" in html
    assert client.get("/events/calendar/?month=garbage").status_code == 200


def test_past_events_tab(client, db):
    EventFactory(
        title="Last year summit",
        starts_at=timezone.now() - datetime.timedelta(days=300),
        ends_at=timezone.now() - datetime.timedelta(days=299),
    )
    assert "Last year summit" not in client.get("/events/").content.decode()
    assert "Last year summit" in client.get("/events/?when=past").content.decode()


# Each signed-in request also spends queries outside this app: the session, the
# person, allauth's session tracking (savepoint, read, update, release) and the
# unread-notification count in the header.
SIGNED_IN_OVERHEAD = 8


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize(
    "path", ["/events/", "/events/?when=past", "/events/calendar/", "/api/v1/events/"]
)
def test_event_lists_run_constant_queries(client, db, path, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = MemberFactory()
    group = WorkingGroupMembershipFactory(user=member).group
    if signed_in:
        client.force_login(member)
    sign = -1 if "past" in path else 1

    def make(count):
        now = timezone.now()
        events = Event.objects.bulk_create(
            [
                EventFactory.build(
                    slug=f"bulk-{count}-{i}",
                    organizer=member,
                    working_group=group if i % 3 == 0 else None,
                    visibility=("group", "members", "public")[i % 3],
                    capacity=5 if i % 2 else None,
                    starts_at=now + sign * datetime.timedelta(days=1 + i % 20, hours=i),
                    ends_at=now
                    + sign * datetime.timedelta(days=1 + i % 20, hours=i)
                    + datetime.timedelta(hours=1),
                )
                for i in range(count)
            ]
        )
        Registration.objects.bulk_create(
            [
                Registration(event=e, user=member, status="confirmed")
                for e in events[::4]
            ]
        )
        bump_all()  # bulk inserts send no signal (alliance.core.cache)

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200
        return len(captured), response.content.decode()

    client.get(path)  # warm the session
    make(10)
    few, html = count_queries()
    assert "Evaluation Workshop" in html or "evaluation-workshop" in html
    make(490)
    many, _html = count_queries()
    assert few == many
    assert many - (SIGNED_IN_OVERHEAD if signed_in else 0) <= 12


def test_create_requires_publishing_rights(client, db):
    client.force_login(UserFactory())
    assert client.get("/events/new/").status_code == 403
    client.force_login(MemberFactory())  # general tier: may not publish
    from members.models import Tier

    Tier.objects.filter(slug="general").update(may_publish_events=False)
    assert client.get("/events/new/").status_code == 403


def test_organizers_see_only_the_addresses_attendees_share(client, db):
    """Issue 17 item 13: the organizer's list, CSV and API showed every
    registrant's email, even of people who hide it; registration says what the
    organizers see, and they see an address only if its owner shows it."""
    event = EventFactory()
    private = MemberFactory(name="Pia Private", email="pia@private.example")
    sharing = MemberFactory(
        name="Sam Sharing", email="sam@sharing.example", show_email=True
    )
    client.force_login(private)
    panel = client.get(event.get_absolute_url()).content.decode()
    assert "They see your email address only if your profile shows it" in panel
    registration_create(event=event, user=private)
    registration_create(event=event, user=sharing)

    client.force_login(event.organizer)
    page = client.get(f"/events/{event.slug}/attendees/").content.decode()
    csv = client.get(f"/events/{event.slug}/attendees.csv").content.decode()
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(event.organizer)
    rows = api.get(f"/api/v1/events/{event.slug}/attendees/").json()["results"]
    for shown in (page, csv, str(rows)):
        assert "Pia Private" in shown
        assert "pia@private.example" not in shown
        assert "sam@sharing.example" in shown


def test_german_keeps_signing_in_and_registering_apart(client, db):
    # "Anmelden" is signing in; taking part in an event has its own words.
    event = EventFactory()
    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    html = page.content.decode()
    assert "Anmelden, um teilzunehmen" in html
    assert "Zum Anmelden einloggen" not in html
    client.force_login(MemberFactory(language="de"))
    html = client.get(event.get_absolute_url()).content.decode()
    button = html.split('id="register-button">')[1].split("<")[0]
    assert button == "Teilnehmen"
    assert ">Teilnahme</h2>" in html
