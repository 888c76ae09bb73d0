"""Nobody follows or hears of what they may not see (issue 12).

The matrix: every followable type × visibility × kind of person → whether the
API lets them follow it, and whether a notification about it reaches them when
they followed it earlier (before they lost access)."""

import pytest
from django.core import mail

from alliance.focus_areas.models import FocusArea
from alliance.notifications.models import (
    Delivery,
    Notification,
    OutboxEmail,
    Subscription,
)
from alliance.notifications.services.activities import activity_fan_out, activity_record
from alliance.notifications.services.outbox import outbox_send
from alliance.notifications.services.preferences import notification_preferences_set
from alliance.working_groups.models import WorkingGroup, WorkingGroupMembership
from events.models import Event
from members.models import Organization
from projects.models import CatalogEntry
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.events.factories import EventFactory
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory

pytestmark = pytest.mark.django_db

PEOPLE = ("no_organization", "member", "lapsed_member", "former_group_member", "staff")


@pytest.fixture
def world():
    """The people of the matrix and the members-only group the former member left."""
    private_group = WorkingGroupFactory(visibility=WorkingGroup.Visibility.MEMBERS)
    lapsed_member = MemberFactory()
    lapsed_member.affiliations.update(
        organization=OrganizationFactory(status=Organization.Status.LAPSED)
    )
    former = MemberFactory()
    WorkingGroupMembershipFactory(
        group=private_group, user=former, status=WorkingGroupMembership.Status.LEFT
    )
    return {
        "group": private_group,
        "people": {
            "no_organization": UserFactory(),
            "member": MemberFactory(),
            "lapsed_member": lapsed_member,
            "former_group_member": former,
            "staff": UserFactory(is_staff=True),
        },
    }


EVERYONE = set(PEOPLE)
MEMBERS = {"member", "former_group_member", "staff"}
STAFF = {"staff"}


def _target(case: str, world):
    group = world["group"]
    return {
        "group-public": lambda: WorkingGroupFactory(),
        "group-members": lambda: group,
        "event-public": lambda: EventFactory(),
        "event-members": lambda: EventFactory(visibility=Event.Visibility.MEMBERS),
        "event-group": lambda: EventFactory(
            visibility=Event.Visibility.GROUP, working_group=group
        ),
        "event-draft": lambda: EventFactory(
            status=Event.Status.DRAFT, published_at=None
        ),
        "entry-vetted": lambda: VettedEntryFactory(),
        "entry-unvetted": lambda: CatalogEntryFactory(
            vetting_status=CatalogEntry.Vetting.IN_REVIEW
        ),
        "organization-active": lambda: OrganizationFactory(),
        "organization-lapsed": lambda: OrganizationFactory(
            status=Organization.Status.LAPSED
        ),
        "focus-area": lambda: FocusArea.objects.get(number=1),
    }[case]()


# case → (who may follow it, who hears of it when they followed it earlier)
MATRIX = {
    "group-public": (EVERYONE, EVERYONE),
    "group-members": (STAFF, STAFF),
    "event-public": (EVERYONE, EVERYONE),
    "event-members": (MEMBERS, MEMBERS),
    "event-group": (STAFF, STAFF),
    # Drafts cannot be followed, not even by staff; staff may hear of them.
    "event-draft": (set(), STAFF),
    "entry-vetted": (EVERYONE, EVERYONE),
    "entry-unvetted": (MEMBERS, MEMBERS),
    "organization-active": (EVERYONE, EVERYONE),
    "organization-lapsed": (STAFF, STAFF),
    # Everyone may watch or mute a focus area (what is in it keeps its own
    # visibility: see the area rows below).
    "focus-area": (EVERYONE, EVERYONE),
}


def _label(target) -> str:
    return target._meta.label_lower


@pytest.mark.parametrize("case", sorted(MATRIX))
def test_follow_and_hear_only_what_you_may_see(case, world, api_client):
    target = _target(case, world)
    may_follow, hears = MATRIX[case]
    missing = {"target_type": _label(target), "target_id": 10**9, "state": "follow"}
    for name, person in world["people"].items():
        api_client.force_authenticate(person)
        response = api_client.post(
            "/api/v1/me/subscriptions/",
            {"target_type": _label(target), "target_id": target.pk, "state": "follow"},
        )
        if name in may_follow:
            assert response.status_code == 201, (case, name)
            assert response.json()["target_name"] == str(target)
        else:
            # Hidden looks exactly like missing: nothing is named.
            assert response.status_code == 404, (case, name)
            not_found = api_client.post("/api/v1/me/subscriptions/", missing)
            assert response.json() == not_found.json()
            assert str(target) not in response.content.decode()
    # Everyone followed it earlier (before they lost access, say); now it changes.
    for person in world["people"].values():
        Subscription.objects.update_or_create(
            user=person,
            target_type_id=_content_type_id(target),
            target_id=target.pk,
            defaults={"state": "follow"},
        )
    activity = activity_record(
        kind="event_changed",
        target=target,
        audience=target,
        context={"title": "Secret title", "url": "/"},
    )
    activity_fan_out(activity_id=activity.pk)
    heard = {
        name
        for name, person in world["people"].items()
        if Notification.objects.filter(recipient=person, activity=activity).exists()
    }
    assert heard == hears, case
    # Following ends for whoever may no longer see it.
    still = set(
        Subscription.objects.filter(target_id=target.pk).values_list(
            "user__email", flat=True
        )
    )
    for name, person in world["people"].items():
        assert (person.email in still) == (name in hears), (case, name)


# --- focus-area rows: everyone of the matrix watches the focus area; news from
# its working groups reaches only those who may see what it is about.


def _in_area(case: str, world):
    """Return (kind, target, audience) of news in a working group of area 1."""
    private_group = world["group"]
    public_group = WorkingGroupFactory()
    if case == "update-public-group":
        return (
            "group_update_posted",
            WorkingGroupUpdateFactory(group=public_group),
            public_group,
        )
    if case == "update-members-group":
        return (
            "group_update_posted",
            WorkingGroupUpdateFactory(group=private_group),
            private_group,
        )
    if case == "event-public":
        event = EventFactory(working_group=public_group)
        return "event_published", event, public_group
    if case == "event-members":
        event = EventFactory(
            working_group=public_group, visibility=Event.Visibility.MEMBERS
        )
        return "event_published", event, public_group
    if case == "event-group":
        event = EventFactory(
            working_group=private_group, visibility=Event.Visibility.GROUP
        )
        return "event_published", event, private_group
    if case == "entry-unvetted":
        entry = CatalogEntryFactory(
            working_group=public_group, vetting_status=CatalogEntry.Vetting.IN_REVIEW
        )
        return "catalog_entry_added", entry, public_group
    if case == "entry-vetted-about-the-entry":
        entry = VettedEntryFactory(working_group=public_group)
        return "entry_vetted", entry, entry
    raise AssertionError(case)


AREA_MATRIX = {
    "update-public-group": EVERYONE,
    "update-members-group": STAFF,
    "event-public": EVERYONE,
    "event-members": MEMBERS,
    "event-group": STAFF,
    "entry-unvetted": MEMBERS,
    "entry-vetted-about-the-entry": EVERYONE,
}


@pytest.mark.parametrize("case", sorted(AREA_MATRIX))
def test_watching_a_focus_area_brings_only_what_you_may_see(case, world):
    area = FocusArea.objects.get(number=1)
    assert world["group"].focus_area == area
    for person in world["people"].values():
        Subscription.objects.create(user=person, target=area, state="watch")
    kind, target, audience = _in_area(case, world)
    assert audience.focus_area == area or audience.working_group.focus_area == area
    activity = activity_record(
        kind=kind,
        target=target,
        audience=audience,
        context={"title": "Secret title", "name": "Secret title", "url": "/"},
    )
    activity_fan_out(activity_id=activity.pk)
    heard = {
        name
        for name, person in world["people"].items()
        if Notification.objects.filter(recipient=person, activity=activity).exists()
    }
    assert heard == AREA_MATRIX[case], case
    # By email at once, only to those who may see it.
    emailed = {
        name
        for name, person in world["people"].items()
        if OutboxEmail.objects.filter(user=person).exists()
    }
    assert emailed == AREA_MATRIX[case], case
    # Watching the area goes on for everyone: they may all see the area.
    assert Subscription.objects.filter(target_id=area.pk, state="watch").count() == 5


def _content_type_id(target) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(target).pk


def test_the_subscriptions_page_follow_path_refuses_hidden_things(client, world):
    person = world["people"]["member"]
    client.force_login(person)
    hidden = EventFactory(status=Event.Status.DRAFT, published_at=None)
    for target_id in (hidden.pk, 10**9):
        response = client.post(
            "/notifications/subscriptions/change/",
            {"type": "events.event", "id": target_id, "state": "follow"},
        )
        assert response.status_code == 404
    assert not Subscription.objects.filter(user=person).exists()


def test_a_non_member_following_a_public_group_hears_nothing_members_only(
    django_capture_on_commit_callbacks,
):
    """The exact path of the report: a self-signed-up account follows a public
    group; a members-only entry and a members-only event are created in it."""
    outsider, member = UserFactory(), MemberFactory()
    group = WorkingGroupFactory()
    for person in (outsider, member):
        Subscription.objects.create(user=person, target=group, state="follow")
    entry = CatalogEntryFactory(working_group=group, name="Unvetted red-team kit")
    event = EventFactory(
        working_group=group, visibility=Event.Visibility.MEMBERS, title="Closed call"
    )
    with django_capture_on_commit_callbacks(execute=True):
        activity_record(
            kind="catalog_entry_added",
            target=entry,
            audience=group,
            context={"name": entry.name, "url": entry.get_absolute_url()},
        )
        activity_record(
            kind="event_published",
            target=event,
            audience=group,
            context={"title": event.title, "url": event.get_absolute_url()},
        )
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert Notification.objects.filter(recipient=member).count() == 2
    assert all(outsider.email not in m.to for m in mail.outbox)
    # The outsider still follows the public group itself.
    assert Subscription.objects.filter(user=outsider, target_id=group.pk).exists()


def test_someone_who_leaves_between_fan_out_and_sending_gets_no_email(
    django_capture_on_commit_callbacks,
):
    group = WorkingGroupFactory(visibility=WorkingGroup.Visibility.MEMBERS)
    seat = WorkingGroupMembershipFactory(group=group)
    notification_preferences_set(
        user=seat.user,
        kinds={"group_update_posted": {"email": Delivery.IMMEDIATELY}},
    )
    update = WorkingGroupUpdateFactory(group=group, title="Private minutes")
    with django_capture_on_commit_callbacks(execute=False):
        activity = activity_record(
            kind="group_update_posted",
            target=update,
            audience=group,
            context={"title": update.title, "url": "/"},
        )
        activity_fan_out(activity_id=activity.pk)
    email = OutboxEmail.objects.get(user=seat.user)
    seat.status = WorkingGroupMembership.Status.LEFT
    seat.save()
    result = outbox_send(email_ids=[email.pk])
    assert result["withheld"] == 1
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED and not email.sent_at
    assert mail.outbox == []


def test_a_subscription_to_a_deleted_object_is_listed_and_removable(
    api_client, client, member
):
    group = WorkingGroupFactory(name="Gone group")
    subscription = Subscription.objects.create(
        user=member, target=group, state="follow"
    )
    group.delete()
    client.force_login(member)
    page = client.get("/notifications/subscriptions/")
    assert page.status_code == 200
    assert "Gone group" not in page.content.decode()
    api_client.force_authenticate(member)
    listed = api_client.get("/api/v1/me/subscriptions/").json()["results"]
    assert [(s["id"], s["target_name"]) for s in listed] == [(subscription.pk, "")]
    response = client.post(
        "/notifications/subscriptions/change/", {"subscription": subscription.pk}
    )
    assert response.status_code == 302
    assert not Subscription.objects.exists()


def test_the_api_never_names_a_target_the_person_may_no_longer_see(api_client, member):
    group = WorkingGroupFactory(visibility=WorkingGroup.Visibility.MEMBERS)
    seat = WorkingGroupMembershipFactory(group=group, user=member)
    Subscription.objects.create(user=member, target=group, state="follow")
    seat.status = WorkingGroupMembership.Status.LEFT
    seat.save()
    api_client.force_authenticate(member)
    response = api_client.get("/api/v1/me/subscriptions/")
    (row,) = response.json()["results"]
    assert row["target_name"] == ""
    assert group.name not in response.content.decode()
    subscription = Subscription.objects.get(user=member)
    assert (
        api_client.delete(f"/api/v1/me/subscriptions/{subscription.pk}/").status_code
        == 204
    )
