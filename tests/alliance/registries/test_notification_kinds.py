"""Notification kinds are declared once, in a registry (issue 12, item 1): a kind
an app (here: this test) registers shows in the preferences under its heading,
its predicate decides who hears of it, its own templates render, and a kind
nobody registered is refused before anything is written."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from alliance.notifications.models import Activity, Delivery, Notification, OutboxEmail
from alliance.notifications.selectors import outbox_email_still_allowed
from alliance.notifications.services.activities import (
    activity_fan_out,
    activity_record,
)
from alliance.notifications.services.preferences import (
    default_choice,
    kind_groups,
    notification_preferences_set,
)
from alliance.registries.notification_kinds import (
    NotificationKindUnknown,
    notification_group_register,
    notification_group_unregister,
    notification_kind,
    notification_kind_groups,
    notification_kind_register,
    notification_kind_unregister,
)
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

# Who the test kind lets hear of its target: people whose name starts with
# "Ok" (decided per batch, as an app's selector would, in one query).
ALLOWED_PREFIX = "Ok"


def _viewer_ids(target, user_ids):
    from members.models import User

    return User.objects.filter(
        pk__in=user_ids, name__startswith=ALLOWED_PREFIX
    ).values_list("pk", flat=True)


@pytest.fixture
def poll_kind(settings, tmp_path):
    """A kind (and its heading) that exists only in this test, with its own
    templates in a folder of its own."""
    folder = tmp_path / "polls"
    folder.mkdir()
    (folder / "poll_closed_subject.txt").write_text(
        "{% load i18n %}{% translate 'Poll closed' %}: {{ ctx.title }}"
    )
    (folder / "poll_closed.txt").write_text(
        "The poll {{ ctx.title }} closed with {{ ctx.votes }} votes.\n"
        "{{ site_url }}{{ ctx.url }}"
    )
    (folder / "poll_closed.html").write_text(
        '{% extends "alliance/notifications/_email.html" %}'
        "{% block body %}<p>The poll <strong>{{ ctx.title }}</strong> closed "
        "with {{ ctx.votes }} votes.</p>{% endblock %}"
        "{% block action_url %}{{ site_url }}{{ ctx.url }}{% endblock %}"
    )
    templates = [dict(engine) for engine in settings.TEMPLATES]
    templates[0]["DIRS"] = [*templates[0].get("DIRS", []), str(tmp_path)]
    settings.TEMPLATES = templates
    notification_group_register("polls", label="Polls and votes", order=15)
    kind = notification_kind_register(
        "poll_closed",
        app="tests",
        label="Poll closed",
        group="polls",
        email="immediately",
        template="polls/poll_closed",
        viewer_ids=_viewer_ids,
    )
    yield kind
    notification_kind_unregister("poll_closed")
    notification_group_unregister("polls")


def _close_poll(target, recipients, **context):
    return activity_record(
        kind="poll_closed",
        target=target,
        recipients=recipients,
        context={"title": "Logo vote", "votes": 12, "url": "/polls/1/", **context},
    )


def test_a_kind_registered_outside_alliance_shows_in_the_preferences_under_its_group(
    poll_kind, client
):
    person = UserFactory()
    assert ("polls", "Polls and votes", ["poll_closed"]) in kind_groups()
    headings = [group.key for group, _kinds in notification_kind_groups()]
    # Ordered by the headings' order: after membership (10), before groups (20).
    assert headings.index("membership") < headings.index("polls")
    assert headings.index("polls") < headings.index("working_groups")
    assert default_choice("poll_closed").email == Delivery.IMMEDIATELY
    client.force_login(person)
    html = client.get("/notifications/preferences/").content.decode()
    assert "Polls and votes" in html and "Poll closed" in html
    assert html.index("Polls and votes") < html.index("Poll closed")
    assert 'name="email__poll_closed"' in html
    data = {"digest_frequency": "daily", "digest_hour": "7", "digest_weekday": "0"}
    for _group, kinds in notification_kind_groups():
        for kind in kinds:
            data[f"email__{kind.key}"] = kind.email
            data[f"inbox__{kind.key}"] = kind.inbox
    data["email__poll_closed"] = Delivery.OFF
    response = client.post("/notifications/preferences/", data, follow=True)
    assert "Your notification preferences are saved." in response.content.decode()
    assert person.notification_preferences.get(kind="poll_closed").email == "off"


def test_the_kinds_predicate_filters_recipients_and_its_templates_render(
    poll_kind, django_capture_on_commit_callbacks
):
    allowed = UserFactory(name="Okay", language="de")
    refused = UserFactory(name="Nope")
    with django_capture_on_commit_callbacks(execute=True):
        activity = _close_poll(allowed, [allowed, refused])
    assert list(
        Notification.objects.filter(activity=activity).values_list(
            "recipient", flat=True
        )
    ) == [allowed.pk]
    [message] = mail.outbox
    assert message.to == [allowed.email]
    # The kind's own templates, rendered in the reader's language.
    with translation.override("de"):
        assert message.subject.endswith(
            f"{translation.gettext('Poll closed')}: Logo vote"
        )
    assert "The poll Logo vote closed with 12 votes." in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>Logo vote</strong> closed with 12 votes." in html
    assert 'href="http' in html and '/polls/1/"' in html
    assert "&lt;p&gt;" not in html
    notification = Notification.objects.get(activity=activity)
    assert notification.title.endswith("Logo vote")
    assert notification.get_kind_display() == "Poll closed"


def test_the_send_step_asks_the_kinds_predicate_again(
    poll_kind, django_capture_on_commit_callbacks
):
    person = UserFactory(name="Okay")
    with django_capture_on_commit_callbacks(execute=False):
        activity = _close_poll(person, [person])
    activity_fan_out(activity_id=activity.pk)
    email = OutboxEmail.objects.get()
    assert outbox_email_still_allowed(email)
    person.name = "Nope"  # no longer one the kind lets hear of it
    person.save(update_fields=["name"])
    assert not outbox_email_still_allowed(email)


def test_a_per_person_predicate_filters_too(django_capture_on_commit_callbacks):
    notification_group_register("polls", label="Polls and votes", order=15)
    notification_kind_register(
        "poll_opened",
        app="tests",
        label="Poll opened",
        group="polls",
        may_see=lambda person, target: person.language == "de",
    )
    try:
        german, english = UserFactory(language="de"), UserFactory(language="en")
        with django_capture_on_commit_callbacks(execute=True):
            activity = activity_record(
                kind="poll_opened", target=german, recipients=[german, english]
            )
        assert list(
            Notification.objects.filter(activity=activity).values_list(
                "recipient", flat=True
            )
        ) == [german.pk]
    finally:
        notification_kind_unregister("poll_opened")
        notification_group_unregister("polls")


def test_an_unknown_kind_is_refused_at_once_and_writes_nothing():
    person = UserFactory()
    with pytest.raises(NotificationKindUnknown, match="poll_typo"):
        activity_record(kind="poll_typo", target=person, recipients=[person])
    assert not Activity.objects.exists()
    with pytest.raises(NotificationKindUnknown):
        notification_kind("poll_typo")


def test_a_kind_with_bad_defaults_or_under_an_unknown_heading_is_refused():
    with pytest.raises(ValueError):
        notification_kind_register(
            "poll_bad", app="tests", label="x", group="polls", email="sometimes"
        )
    with pytest.raises(ValueError):  # another app's key
        notification_kind_register(
            "event_published", app="tests", label="x", group="events"
        )
    notification_kind_register("poll_lost", app="tests", label="x", group="nowhere")
    try:
        with pytest.raises(NotificationKindUnknown, match="nowhere"):
            notification_kind_groups()
    finally:
        notification_kind_unregister("poll_lost")


def test_every_app_declares_its_kinds_with_their_stored_values():
    kinds = {
        kind.key: kind for _group, kinds in notification_kind_groups() for kind in kinds
    }
    assert {
        "application_submitted": "members",
        "organization_joined": "members",
        "group_minutes_posted": "working_groups",
        "catalog_entry_added": "projects",
        "event_reminder": "events",
        "event_message": "events",
        "ballot_opened": "governance",
        "ballot_reminder": "governance",
        "ballot_result": "governance",
    }.items() <= {key: kind.app for key, kind in kinds.items()}.items()
    # Each kind's email is rendered and parsed in both languages by
    # tests/alliance/notifications/test_email_html.py (parametrized by the registry).
    # News waits for the digest by default; what asks something of the person
    # now (a reminder, a mention, an organizer's message) is sent at once.
    digest_by_default = {key for key, kind in kinds.items() if kind.email == "digest"}
    assert {
        "organization_joined",
        "group_update_posted",
        "group_minutes_posted",
        "catalog_entry_added",
        "entry_vetted",
        "review_posted",
        "event_published",
        "reply",
    } <= digest_by_default
    assert (
        not {
            "event_reminder",
            "event_message",
            "ballot_reminder",
            "mention",
        }
        & digest_by_default
    )
    # The inbox bundles news of these kinds under the heading each declares.
    with translation.override("de"):
        assert {
            key: kinds[key].bundle_heading % {"count": 6} for key in digest_by_default
        }["organization_joined"] == "6 Organisationen beigetreten"
    assert all(kinds[key].bundle_heading for key in digest_by_default)
    # No kind without a sender: member invitations go to an address that has
    # no account yet (members' email_queue), a group's are "group_invitation".
    assert "invitation" not in kinds
    assert "group_invitation" in kinds


def test_a_kind_declares_its_bundle_heading_for_the_inbox():
    import datetime as dt

    from django.utils import timezone

    # (Under another name, so makemessages leaves this test's text alone.)
    from django.utils.translation import ngettext_lazy as plural

    from alliance.notifications.selectors import notification_bundles

    notification_group_register("polls", label="Polls and votes", order=15)
    notification_kind_register(
        "poll_closed",
        app="tests",
        label="Poll closed",
        group="polls",
        email="digest",
        bundle_heading=plural(
            "%(count)s poll closed", "%(count)s polls closed", "count"
        ),
    )
    try:
        now = timezone.now()
        items = [
            Notification(kind="poll_closed", created_at=now - dt.timedelta(minutes=i))
            for i in range(3)
        ]
        (entry,) = notification_bundles(
            items, bundle_kinds=["poll_closed"], kind_labels={}, now=now
        )
        assert entry.heading == "3 polls closed"
    finally:
        notification_kind_unregister("poll_closed")
        notification_group_unregister("polls")


def test_fan_out_queries_stay_constant_with_visibility_and_the_kinds_predicate(
    poll_kind, django_capture_on_commit_callbacks
):
    """2 and 15 recipients of a members-only group's news, in one batch, with the
    audience's and target's visibility and the kind's predicate all asked."""
    counts = {}
    for n in (2, 15):
        group = WorkingGroupFactory(visibility="members")
        people = [
            WorkingGroupMembershipFactory(
                group=group, user=UserFactory(name=f"Ok{i}")
            ).user
            for i in range(n)
        ]
        outsider = UserFactory(name="Okay")  # not a member: never hears of it
        for person in [*people, outsider]:
            notification_preferences_set(
                user=person, kinds={"poll_closed": {"email": Delivery.IMMEDIATELY}}
            )
        with django_capture_on_commit_callbacks(execute=False):
            activity = activity_record(
                kind="poll_closed",
                target=group,
                audience=group,
                recipients=[outsider],
                context={"title": "Logo vote", "votes": 3, "url": "/polls/1/"},
            )
        with CaptureQueriesContext(connection) as queries:
            notified = activity_fan_out(activity_id=activity.pk, batch_size=100)
        counts[n] = len(queries)
        assert notified == n
        assert not Notification.objects.filter(recipient=outsider).exists()
    assert counts[2] == counts[15]
