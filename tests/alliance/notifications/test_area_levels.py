"""A level per focus area (issue 12 item 7): watching, normal or muted on an area
applies to its working groups and their updates, events and catalog entries,
unless the person set a level on the group or the thing (the most specific
wins: thing > group > focus area > default). Shown on the preferences page and
as a control on the area's page; the fan-out keeps its constant queries."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance.focus_areas.models import FocusArea
from alliance.notifications.models import (
    Activity,
    Delivery,
    Notification,
    Subscription,
)
from alliance.notifications.services.activities import activity_fan_out, activity_record
from alliance.notifications.services.subscriptions import subscription_set
from projects.services.entries import entry_create
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.alliance.notifications.test_fan_out import prefer
from tests.members.factories import MemberFactory, UserFactory
from tests.projects.factories import CatalogEntryFactory, VettedEntryFactory

pytestmark = pytest.mark.django_db


def area(number=1) -> FocusArea:
    return FocusArea.objects.get(number=number)


def post_update(group, **context):
    update = WorkingGroupUpdateFactory(group=group, title="Evaluation plan")
    return activity_record(
        kind="group_update_posted",
        target=update,
        audience=group,
        context={"title": update.title, "url": "/x/", **context},
    )


def heard(activity) -> set[int]:
    return set(
        Notification.objects.filter(activity=activity).values_list(
            "recipient_id", flat=True
        )
    )


# --- what a level on an area does ------------------------------------------------


def test_watching_an_area_brings_every_activity_of_its_groups_by_email(
    django_capture_on_commit_callbacks,
):
    watcher = UserFactory()
    subscription_set(user=watcher, target=area(1), state="watch")
    in_area = WorkingGroupFactory(focus_area=area(1))
    elsewhere = WorkingGroupFactory(focus_area=area(2))
    with django_capture_on_commit_callbacks(execute=True):
        inside = post_update(in_area)
        outside = post_update(elsewhere)
    assert heard(inside) == {watcher.pk}
    assert heard(outside) == set()
    # Watching: by email at once, although updates go to the digest by default.
    assert [m.to for m in mail.outbox] == [[watcher.email]]
    assert Notification.objects.get(recipient=watcher).delivery_email == (
        Delivery.IMMEDIATELY
    )


def test_muting_an_area_silences_the_groups_one_belongs_to(
    django_capture_on_commit_callbacks,
):
    group = WorkingGroupFactory(focus_area=area(1))
    muted, other = (WorkingGroupMembershipFactory(group=group).user for _ in "ab")
    subscription_set(user=muted, target=area(1), state="mute")
    with django_capture_on_commit_callbacks(execute=True):
        activity = post_update(group)
    assert heard(activity) == {other.pk}


@pytest.mark.parametrize(
    ("group_level", "hears", "by_email"),
    [
        # A level on the group comes before the area's.
        ("follow", True, False),
        ("watch", True, True),
        ("mute", False, False),
    ],
)
def test_a_level_on_the_group_wins_over_the_area(
    group_level, hears, by_email, django_capture_on_commit_callbacks
):
    group = WorkingGroupFactory(focus_area=area(1))
    person = WorkingGroupMembershipFactory(group=group).user
    area_level = "watch" if group_level == "mute" else "mute"
    subscription_set(user=person, target=area(1), state=area_level)
    subscription_set(user=person, target=group, state=group_level)
    with django_capture_on_commit_callbacks(execute=True):
        activity = post_update(group)
    assert (person.pk in heard(activity)) is hears
    assert bool(mail.outbox) is by_email


def test_thing_then_group_then_area_for_news_about_a_catalog_entry(
    django_capture_on_commit_callbacks,
):
    """entry_vetted is about the entry (its audience): the entry's level comes
    first, then its working group's, then the group's focus area's."""
    group = WorkingGroupFactory(focus_area=area(1))
    area_only, group_muted, entry_followed, nobody = (UserFactory() for _ in "abcd")
    for person in (area_only, group_muted, entry_followed):
        subscription_set(user=person, target=area(1), state="watch")
    subscription_set(user=group_muted, target=group, state="mute")
    subscription_set(user=entry_followed, target=group, state="mute")
    entry = VettedEntryFactory(working_group=group, focus_area=area(1))
    subscription_set(user=entry_followed, target=entry, state="follow")
    with django_capture_on_commit_callbacks(execute=True):
        activity = activity_record(
            kind="entry_vetted",
            target=entry,
            audience=entry,
            context={"name": entry.name, "url": entry.get_absolute_url()},
        )
    assert heard(activity) >= {area_only.pk, entry_followed.pk}
    assert group_muted.pk not in heard(activity)
    assert nobody.pk not in heard(activity)
    # The entry's follow is Normal: as chosen for the kind (the digest), while
    # the area's watcher gets it by email at once.
    assert [m.to for m in mail.outbox] == [[area_only.email]]


def test_fan_out_queries_stay_constant_with_area_watchers(
    django_capture_on_commit_callbacks,
):
    counts = {}
    for n in (3, 30):
        group = WorkingGroupFactory(focus_area=area(2))
        people = [WorkingGroupMembershipFactory(group=group).user for _ in range(n)]
        watchers = [UserFactory() for _ in range(n)]
        for person in watchers:
            subscription_set(user=person, target=area(2), state="watch")
        for person in people[: n // 3]:
            subscription_set(user=person, target=area(2), state="mute")
        prefer(people[-1], "group_update_posted", email=Delivery.IMMEDIATELY)
        with django_capture_on_commit_callbacks(execute=False):
            activity = post_update(group)
        with CaptureQueriesContext(connection) as queries:
            activity_fan_out(activity_id=activity.pk, batch_size=100)
        counts[n] = len(queries)
        assert len(heard(activity)) == n - n // 3 + n
        for person in watchers:
            subscription_set(user=person, target=area(2), state=None)
    assert counts[3] == counts[30]


# --- the preferences page ---------------------------------------------------------


def area_field(focus_area) -> str:
    ct = ContentType.objects.get_for_model(FocusArea)
    return f"area__{ct.pk}__{focus_area.pk}"


def group_field(group) -> str:
    ct = ContentType.objects.get_for_model(group)
    return f"level__{ct.pk}__{group.pk}"


def preferences_post(client, **extra):
    form = client.get("/notifications/preferences/").context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in form.fields
    }
    data.update(extra)
    return client.post("/notifications/preferences/", data, follow=True)


def test_the_preferences_page_has_a_row_per_focus_area_and_saves_it(
    member_client, member
):
    html = member_client.get("/notifications/preferences/").content.decode()
    section = html.split('class="plain-list level-list area-levels"')[1].split("</ul>")[
        0
    ]
    assert section.count("<li>") == FocusArea.objects.count() == 6
    assert area(1).name in section
    assert f'name="{area_field(area(1))}" value="normal"' in section
    response = preferences_post(member_client, **{area_field(area(1)): "watch"})
    assert "Your notification preferences are saved." in response.content.decode()
    assert Subscription.objects.get(user=member).state == "watch"
    page = response.content.decode()
    assert f'name="{area_field(area(1))}" value="watch" ' in page
    assert 'value="watch" required' not in page
    # Normal is the default on an area: no row is kept.
    preferences_post(member_client, **{area_field(area(1)): "normal"})
    assert not Subscription.objects.filter(user=member).exists()


def test_a_group_under_a_muted_area_reads_muted_and_normal_there_wins(
    member_client, member, django_capture_on_commit_callbacks
):
    group = WorkingGroupFactory(focus_area=area(1), name="Red-teaming methods")
    WorkingGroupMembershipFactory(group=group, user=member)
    preferences_post(member_client, **{area_field(area(1)): "mute"})
    page = member_client.get("/notifications/preferences/")
    field = page.context["form"][group_field(group)]
    assert field.value() == "mute"
    assert f"level set for “{area(1).name}”" in page.content.decode()
    # Normal on the group now keeps a level of its own, before the area's.
    preferences_post(member_client, **{group_field(group): "normal"})
    assert (
        Subscription.objects.get(
            user=member, target_type=ContentType.objects.get_for_model(group)
        ).state
        == "follow"
    )
    with django_capture_on_commit_callbacks(execute=True):
        activity = post_update(group)
    assert member.pk in heard(activity)


def test_area_levels_are_not_listed_again_among_followed_things(member_client, member):
    subscription_set(user=member, target=area(3), state="watch")
    form = member_client.get("/notifications/preferences/").context["form"]
    followed = [row["target"] for _name, row, *_rest in form.followed]
    assert not any(isinstance(target, FocusArea) for target in followed)
    assert form[area_field(area(3))].value() == "watch"


def test_the_preferences_page_reads_in_german(client):
    person = UserFactory(language="de")
    client.force_login(person)
    html = client.get("/notifications/preferences/", HTTP_ACCEPT_LANGUAGE="de")
    text = html.content.decode()
    assert "Schwerpunktbereiche" in text or "Schwerpunkte" in text
    assert "Beobachten" in text


# --- the control on the area's page -----------------------------------------------


def test_the_area_page_sets_the_level_and_says_so(member_client, member):
    url = area(2).get_absolute_url()
    page = member_client.get(url).content.decode()
    assert 'aria-pressed="true">Normal</button>' in page
    response = member_client.post(f"{url}level/", {"level": "watch"}, follow=True)
    text = response.content.decode()
    assert "every activity in its working groups reaches you by email" in text
    assert 'aria-pressed="true">Watching</button>' in text
    assert Subscription.objects.get(user=member).state == "watch"
    member_client.post(f"{url}level/", {"level": "normal"})
    assert not Subscription.objects.filter(user=member).exists()


def test_a_bad_level_writes_nothing_and_says_why(member_client, member):
    url = area(2).get_absolute_url()
    response = member_client.post(f"{url}level/", {"level": "loud"}, follow=True)
    assert "Choose Watching, Normal or Muted." in response.content.decode()
    assert not Subscription.objects.filter(user=member).exists()


def test_the_area_control_answers_htmx_with_the_box(member_client, member):
    url = area(2).get_absolute_url()
    response = member_client.post(
        f"{url}level/", {"level": "mute"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.startswith('<section id="area-level"')
    assert 'aria-pressed="true">Muted</button>' in html
    assert "You muted" in html


def test_signed_out_visitors_are_asked_to_sign_in(client):
    url = area(2).get_absolute_url()
    html = client.get(url).content.decode()
    assert f'href="/accounts/login/?next={url}">Sign in</a>' in html
    response = client.post(f"{url}level/", {"level": "watch"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Subscription.objects.exists()


def test_an_unknown_area_is_not_found(member_client):
    response = member_client.post(
        "/focus-areas/no-such-area/level/", {"level": "watch"}
    )
    assert response.status_code == 404


def test_several_levels_save_at_once_in_constant_queries(member_client, member):
    """Areas, groups and things changed in one save (the N+1 detector watches
    the request)."""
    groups = [WorkingGroupFactory(focus_area=area(1)) for _ in range(3)]
    for group in groups:
        WorkingGroupMembershipFactory(group=group, user=member)
    response = preferences_post(
        member_client,
        **{area_field(area(n)): "watch" for n in (2, 3, 4)},
        **{group_field(group): "mute" for group in groups},
    )
    assert "Your notification preferences are saved." in response.content.decode()
    states = sorted(Subscription.objects.filter(user=member).values_list("state"))
    assert states == [("mute",)] * 3 + [("watch",)] * 3


# --- a catalog entry without a working group: its focus area's level ---------------


@pytest.mark.parametrize(
    ("area_level", "hears", "by_email"),
    [("mute", False, False), (None, True, False), ("watch", True, True)],
)
def test_an_entry_without_a_group_takes_its_focus_areas_level(
    area_level, hears, by_email, django_capture_on_commit_callbacks
):
    """A maintainer hears of a review of her entry (its audience): muting the
    entry's focus area silences it when the entry has no working group,
    Normal leaves it as chosen for the kind (the digest), Watching brings it
    by email at once."""
    maintainer, reviewer = MemberFactory(), MemberFactory()
    entry = CatalogEntryFactory(focus_area=area(1), maintainers=[maintainer])
    subscription_set(user=maintainer, target=area(1), state=area_level)
    with django_capture_on_commit_callbacks(execute=True):
        activity = activity_record(
            kind="review_posted",
            target=entry,
            actor=reviewer,
            audience=entry,
            context={"name": entry.name, "url": entry.get_absolute_url()},
        )
    assert (maintainer.pk in heard(activity)) is hears
    assert [m.to for m in mail.outbox] == ([[maintainer.email]] if by_email else [])


def test_a_new_entry_without_a_group_reaches_who_watches_its_area_unless_muted(
    django_capture_on_commit_callbacks,
):
    author, watcher, muted, elsewhere = (MemberFactory() for _ in "abcd")
    subscription_set(user=watcher, target=area(1), state="watch")
    subscription_set(user=muted, target=area(1), state="mute")
    subscription_set(user=elsewhere, target=area(2), state="watch")
    with django_capture_on_commit_callbacks(execute=True):
        entry = entry_create(
            author=author,
            kind="tool",
            name="Prompt Scanner",
            summary="Scans prompts.",
            focus_area=area(1),
        )
    activity = Activity.objects.get(kind="catalog_entry_added", target_id=entry.pk)
    assert heard(activity) == {watcher.pk}
    assert [m.to for m in mail.outbox] == [[watcher.email]]


def test_entries_with_and_without_a_group_read_their_areas_level_on_the_page(
    member_client, member
):
    group = WorkingGroupFactory(focus_area=area(2))
    grouped = CatalogEntryFactory(
        focus_area=area(1), working_group=group, maintainers=[member]
    )
    loose = CatalogEntryFactory(focus_area=area(1), maintainers=[member])
    subscription_set(user=member, target=area(1), state="mute")
    subscription_set(user=member, target=area(2), state="watch")
    form = member_client.get("/notifications/preferences/").context["form"]
    # The group's area first; the entry's own area only when it has no group.
    assert form[group_field(grouped)].value() == "watch"
    assert form[group_field(loose)].value() == "mute"
