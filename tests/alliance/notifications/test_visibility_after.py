"""Visibility after the fact (issue 12, item 2): what a person heard of while
they could see it leaves their inbox (the list, the bell's count, the API) and
their digest once they may no longer see it: they left the group, their
organization lapsed, the object's visibility changed, or it was deleted."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.notifications.models import Delivery, Notification, NotificationSettings
from alliance.notifications.selectors import notification_list
from alliance.notifications.services.activities import activity_record
from alliance.notifications.services.digests import digest_run
from alliance.notifications.services.preferences import notification_preferences_set
from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
from events.models import Event
from events.services.events import event_update
from members.models import Organization, User
from members.services.organizations import organization_set_status
from projects.models import CatalogEntry
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory, UserFactory
from tests.projects.factories import CatalogEntryFactory

pytestmark = pytest.mark.django_db

TITLE = "Zorblax"


def _left_group():
    """A member of a members-only group hears of its minutes, then leaves."""
    group = WorkingGroupFactory(visibility=WorkingGroup.Visibility.MEMBERS)
    seat = WorkingGroupMembershipFactory(group=group, user=MemberFactory())
    update = WorkingGroupUpdateFactory(group=group, title=TITLE)

    def change():
        seat.status = WorkingGroupMembership.Status.LEFT
        seat.save()

    return seat.user, "group_minutes_posted", update, group, change


def _organization_lapsed():
    """A member hears of an entry only members see; their organization lapses."""
    person = MemberFactory()
    entry = CatalogEntryFactory(vetting_status=CatalogEntry.Vetting.IN_REVIEW)

    def change():
        for organization in Organization.objects.filter(affiliations__user=person):
            organization_set_status(
                organization=organization, status=Organization.Status.LAPSED
            )

    return person, "catalog_entry_added", entry, None, change


def _visibility_changed():
    """Anyone hears of a public event; it becomes members-only."""
    person = UserFactory()
    event = EventFactory()

    def change():
        event_update(
            event=event, actor=event.organizer, visibility=Event.Visibility.MEMBERS
        )

    return person, "event_published", event, None, change


def _deleted():
    """A member hears of a group's news; the news is deleted."""
    group = WorkingGroupFactory()
    update = WorkingGroupUpdateFactory(group=group, title=TITLE)
    person = WorkingGroupMembershipFactory(group=group).user
    return person, "group_update_posted", update, group, update.delete


CASES = {
    "left the group": _left_group,
    "organization lapsed": _organization_lapsed,
    "visibility changed": _visibility_changed,
    "target deleted": _deleted,
}


def _hear_of(case, django_capture_on_commit_callbacks, *, delivery):
    person, kind, target, audience, change = CASES[case]()
    notification_preferences_set(
        user=person, kinds={kind: {"email": delivery, "inbox": delivery}}
    )
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(
            kind=kind,
            target=target,
            audience=audience,
            recipients=[person],
            context={"title": TITLE, "name": TITLE, "items": 0, "url": "/zq/"},
        )
    assert Notification.objects.filter(recipient=person).count() == 1
    return person, change


def _inbox_shows(client, api_client, person) -> tuple[bool, int, bool]:
    client.force_login(person)
    page = client.get("/notifications/").content.decode()
    # A fresh copy: answers memoized on the person object are per request.
    api_client.force_authenticate(User.objects.get(pk=person.pk))
    api = api_client.get("/api/v1/me/notifications/").json()["results"]
    bell = client.get("/notifications/").context["unread_notification_count"]
    return TITLE in page, bell, any(TITLE in row["title"] for row in api)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_inbox_forgets_what_the_person_may_no_longer_see(
    case, client, api_client, django_capture_on_commit_callbacks
):
    person, change = _hear_of(
        case, django_capture_on_commit_callbacks, delivery=Delivery.IMMEDIATELY
    )
    assert _inbox_shows(client, api_client, person) == (True, 1, True)
    notification = Notification.objects.get(recipient=person)
    change()
    assert _inbox_shows(client, api_client, person) == (False, 0, False)
    # Nor can it be opened by its address.
    assert client.get(f"/notifications/{notification.pk}/open/").status_code == 404


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_digest_leaves_out_what_the_person_may_no_longer_see(
    case, django_capture_on_commit_callbacks
):
    person, change = _hear_of(
        case, django_capture_on_commit_callbacks, delivery=Delivery.DIGEST
    )
    mail.outbox.clear()
    change()
    now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    NotificationSettings.objects.filter(user=person).update(
        next_digest_at=now - dt.timedelta(minutes=5),
        last_digest_at=now - dt.timedelta(days=7),
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=now)
    assert all(TITLE not in m.body for m in mail.outbox if m.to == [person.email])
    assert not notification_list(recipient=person).exists()


def test_the_digest_still_lists_what_the_person_may_see(
    django_capture_on_commit_callbacks,
):
    """The same path without the change: the digest has the item (so the test
    above fails if the digest stopped listing anything)."""
    person, _change = _hear_of(
        "left the group", django_capture_on_commit_callbacks, delivery=Delivery.DIGEST
    )
    mail.outbox.clear()
    now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
    NotificationSettings.objects.filter(user=person).update(
        next_digest_at=now - dt.timedelta(minutes=5),
        last_digest_at=now - dt.timedelta(days=7),
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=now)
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert TITLE in message.body


def test_the_inbox_filter_keeps_its_query_count_with_4_or_15_items(
    client, django_capture_on_commit_callbacks
):
    """Items about groups, updates, events and entries, some no longer visible:
    the inbox page and the API run the same number of queries for 4 and 15
    (each kind of object in both: the bell's count reads what it may show
    with a query per kind of object among them)."""
    counts = {}
    for n in (4, 15):
        person = MemberFactory()
        group = WorkingGroupFactory(visibility=WorkingGroup.Visibility.MEMBERS)
        seat = WorkingGroupMembershipFactory(group=group, user=person)
        notification_preferences_set(
            user=person,
            kinds={
                kind: {"email": Delivery.OFF, "inbox": Delivery.IMMEDIATELY}
                for kind in (
                    "group_minutes_posted",
                    "event_published",
                    "catalog_entry_added",
                )
            },
        )
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(n):
                target, kind = [
                    (WorkingGroupUpdateFactory(group=group), "group_minutes_posted"),
                    (EventFactory(), "event_published"),
                    (CatalogEntryFactory(), "catalog_entry_added"),
                ][i % 3]
                activity_record(
                    kind=kind,
                    target=target,
                    audience=group if kind == "group_minutes_posted" else None,
                    recipients=[person],
                    context={
                        "title": f"Item {i}",
                        "name": f"Item {i}",
                        "items": 0,
                        "url": "/zq/",
                    },
                )
        seat.status = WorkingGroupMembership.Status.LEFT
        seat.save()
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/notifications/").status_code == 200
            assert client.get("/api/v1/me/notifications/").status_code == 200
        counts[n] = len(queries)
        shown = notification_list(recipient=person).count()
        assert shown == n - len(range(0, n, 3))  # the minutes are gone
        # The bell counts what the inbox lists (all unread), read its own way.
        bell = client.get("/notifications/").context["unread_notification_count"]
        assert bell == shown
    assert counts[4] == counts[15]
