"""Preferences in one glance (issue 12 item 7): a level per followed thing
(watching, normal, muted) and what each means for delivery; the per-kind table
folded; the digest preview is exactly what the digest run sends; the digest
lists each piece of news once."""

import datetime as dt
import re

import pytest
from django.core import mail

from alliance.notifications.models import (
    Activity,
    Delivery,
    Digest,
    Notification,
    NotificationPreference,
    NotificationSettings,
    OutboxEmail,
    Subscription,
)
from alliance.notifications.services.digests import digest_preview, digest_run
from alliance.notifications.services.subscriptions import subscription_set
from tests.alliance.factories import (
    ActionItemFactory,
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
)
from tests.alliance.notifications.test_digests import NOW, make_due, waiting_news
from tests.alliance.notifications.test_fan_out import group_with, prefer, publish
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- levels → delivery -------------------------------------------------------------


def test_watching_normal_and_muted_decide_how_news_arrives(
    django_capture_on_commit_callbacks,
):
    group, (watcher, normal, muted) = group_with(3)
    for person in (watcher, normal, muted):
        prefer(person, "event_published", email=Delivery.DIGEST)
    subscription_set(user=watcher, target=group, state=Subscription.State.WATCH)
    subscription_set(user=muted, target=group, state=Subscription.State.MUTE)
    with django_capture_on_commit_callbacks(execute=True):
        publish(group)
    # Watching: by email at once, whatever the kind's choice says.
    assert [m.to for m in mail.outbox] == [[watcher.email]]
    watched = Notification.objects.get(recipient=watcher)
    assert watched.delivery_email == Delivery.IMMEDIATELY and watched.shown_at
    # Normal: as chosen for the kind (here: the digest).
    assert Notification.objects.get(recipient=normal).delivery_email == Delivery.DIGEST
    # Muted: nothing.
    assert not Notification.objects.filter(recipient=muted).exists()


def test_watching_something_one_does_not_belong_to_brings_its_news(
    django_capture_on_commit_callbacks,
):
    group = WorkingGroupFactory()
    outsider = UserFactory()
    subscription_set(user=outsider, target=group, state=Subscription.State.WATCH)
    with django_capture_on_commit_callbacks(execute=True):
        publish(group)
    assert [m.to for m in mail.outbox] == [[outsider.email]]


# --- the preferences page ------------------------------------------------------------


def level_field(membership):
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(membership.group)
    return f"level__{ct.pk}__{membership.group.pk}"


def preferences_post(member_client, **extra):
    page = member_client.get("/notifications/preferences/")
    form = page.context["form"]
    data = {
        name: form[name].value() if form[name].value() is not None else ""
        for name in form.fields
    }
    data.update(extra)
    return member_client.post("/notifications/preferences/", data)


def test_the_page_shows_a_level_per_followed_thing_and_saves_it(member_client, member):
    membership = WorkingGroupMembershipFactory(user=member)
    html = member_client.get("/notifications/preferences/").content.decode()
    name = level_field(membership)
    assert f'name="{name}" value="normal"' in html and "checked" in html
    assert "Every activity, by email at once." in html
    response = preferences_post(member_client, **{name: "watch"})
    assert response.status_code == 302
    assert Subscription.objects.get(user=member).state == "watch"
    # Back to normal on a group one belongs to: no explicit row is left.
    preferences_post(member_client, **{name: "normal"})
    assert not Subscription.objects.filter(user=member).exists()
    preferences_post(member_client, **{name: "mute"})
    assert Subscription.objects.get(user=member).state == "mute"


def test_an_explicit_follow_reads_normal_and_stays_a_follow(member_client, member):
    group = WorkingGroupFactory()
    subscription_set(user=member, target=group, state="follow")
    html = member_client.get("/notifications/preferences/").content.decode()
    assert group.name in html
    preferences_post(member_client)  # nothing changed
    assert Subscription.objects.get(user=member).state == "follow"


def test_a_bad_level_saves_nothing(member_client, member):
    membership = WorkingGroupMembershipFactory(user=member)
    response = preferences_post(
        member_client,
        **{level_field(membership): "loud", "digest_frequency": "daily"},
    )
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Subscription.objects.filter(user=member).exists()
    assert not NotificationSettings.objects.filter(
        user=member, digest_frequency="daily"
    ).exists()


def test_the_per_kind_table_is_folded_and_save_is_always_in_reach(member_client):
    html = member_client.get("/notifications/preferences/").content.decode()
    details = html.split('<details class="kind-table">', 1)[1].split("</details>")[0]
    assert "Working group update: Email" in details
    assert '<div class="sticky-actions">' in html
    assert 'href="/notifications/preferences/digest-preview/"' in html


# --- the digest preview ---------------------------------------------------------------


def test_the_preview_is_exactly_what_the_digest_sends_and_changes_nothing(
    django_capture_on_commit_callbacks,
):
    reader = UserFactory(name="Ada Reader", language="de", timezone="Europe/Berlin")
    make_due([reader])
    waiting_news([reader], title="Protokoll vom 12. Juni")
    ActionItemFactory(owner=reader, text="Den Prüfplan entwerfen")
    preview = digest_preview(user=reader, now=NOW)
    assert Digest.objects.count() == 0 and OutboxEmail.objects.count() == 0
    assert not Notification.objects.filter(digest__isnull=False).exists()
    assert Notification.objects.get(recipient=reader).shown_at is None
    email = preview["email"]
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=NOW)
    sent = OutboxEmail.objects.get(user=reader)

    def same(text):
        # The unsubscribe link is signed afresh (with its time) for each email.
        return re.sub(r"/unsubscribe/[^/\s\"<]+/", "/unsubscribe/TOKEN/", text)

    assert "/unsubscribe/" in sent.body_text and "/unsubscribe/" in sent.body_html
    assert (email.subject, same(email.body_text), same(email.body_html)) == (
        sent.subject,
        same(sent.body_text),
        same(sent.body_html),
    )
    assert "Protokoll vom 12. Juni" in email.body_text
    assert "Den Prüfplan entwerfen" in email.body_text


def test_the_preview_pages_show_the_digest_and_frame_its_html_safely(client):
    reader = UserFactory()
    NotificationSettings.objects.create(user=reader, last_digest_at=NOW)
    waiting_news([reader], title="Minutes of 12 June")
    client.force_login(reader)
    page = client.get("/notifications/preferences/digest-preview/")
    html = page.content.decode()
    assert "Your weekly digest: 1 new item" in html
    assert "Minutes of 12 June" in html  # the text version
    assert 'src="/notifications/preferences/digest-preview/email/"' in html
    frame = client.get("/notifications/preferences/digest-preview/email/")
    assert frame.status_code == 200 and "Minutes of 12 June" in frame.content.decode()
    policy = frame["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert not Digest.objects.exists() and not OutboxEmail.objects.exists()


def test_the_preview_says_when_nothing_would_be_sent(client):
    reader = UserFactory()
    client.force_login(reader)
    html = client.get("/notifications/preferences/digest-preview/").content.decode()
    assert "no digest would be sent now" in html
    frame = client.get("/notifications/preferences/digest-preview/email/")
    assert frame.status_code == 404


def test_the_preview_is_only_for_the_signed_in_person(client):
    response = client.get("/notifications/preferences/digest-preview/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- no repeated sections ------------------------------------------------------------


def test_new_organizations_are_listed_once_in_their_section(
    django_capture_on_commit_callbacks,
):
    reader = UserFactory()
    make_due([reader])
    activity = Activity.objects.create(
        kind="organization_joined",
        target=reader,
        context={"name": "Example Research Lab", "url": "/members/example/"},
        created_at=NOW - dt.timedelta(days=2),
    )
    Notification.objects.create(
        recipient=reader,
        activity=activity,
        kind="organization_joined",
        title="Example Research Lab joined the AI Alliance",
        url="/members/example/",
        created_at=NOW - dt.timedelta(days=2),
        delivery_email=Delivery.DIGEST,
        delivery_inbox=Delivery.DIGEST,
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=NOW)
    (message,) = mail.outbox
    assert message.body.count("Example Research Lab") == 1
    assert "== New member organizations ==" in message.body
    assert "== Membership ==" not in message.body
    html = message.alternatives[0][0]
    assert html.count("Example Research Lab") == 1


def test_an_assigned_action_item_is_listed_once(django_capture_on_commit_callbacks):
    owner = UserFactory()
    make_due([owner])
    item = ActionItemFactory(owner=owner, text="Draft the evaluation plan")
    activity = Activity.objects.create(
        kind="action_item_assigned",
        target=item.update.group,
        context={"url": "/x/"},
        created_at=NOW - dt.timedelta(days=1),
    )
    Notification.objects.create(
        recipient=owner,
        activity=activity,
        kind="action_item_assigned",
        title="New action item for you in the group",
        url="/x/",
        created_at=NOW - dt.timedelta(days=1),
        delivery_email=Delivery.DIGEST,
        delivery_inbox=Delivery.IMMEDIATELY,
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=NOW)
    (message,) = mail.outbox  # the assignment is news: the digest goes out
    assert "Draft the evaluation plan" in message.body
    assert "New action item for you" not in message.body


def test_who_turned_new_organizations_off_gets_no_such_section(
    django_capture_on_commit_callbacks,
):
    reader = UserFactory()
    make_due([reader])
    NotificationPreference.objects.create(
        user=reader, kind="organization_joined", email=Delivery.OFF, inbox="off"
    )
    waiting_news([reader], title="Minutes of 12 June")
    Activity.objects.create(
        kind="organization_joined",
        target=reader,
        context={"name": "Example Research Lab", "url": "/members/example/"},
        created_at=NOW - dt.timedelta(days=2),
    )
    with django_capture_on_commit_callbacks(execute=True):
        digest_run(now=NOW)
    (message,) = mail.outbox
    assert "Minutes of 12 June" in message.body
    assert "Example Research Lab" not in message.body
