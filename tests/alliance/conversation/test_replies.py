"""The conversation under working-group updates: posting, threads, editing with
history, deleting, mentions, who hears of it and who may see it (page, API,
notification, email, search), and a reply by email end to end."""

import base64
import datetime as dt
from email.message import EmailMessage

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alliance.conversation.models import Reply, ReplyVersion
from alliance.conversation.services import (
    email_reply_text,
    reply_address,
    reply_delete,
    reply_edit,
    reply_post,
)
from alliance.notifications.models import Notification
from alliance.notifications.services.subscriptions import subscription_set
from alliance.working_groups.models import (
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from alliance.working_groups.services import working_group_update_post
from tests.alliance.factories import (
    WorkingGroupFactory,
    WorkingGroupMembershipFactory,
    WorkingGroupUpdateFactory,
)
from tests.members.factories import MemberFactory, UserFactory

DOMAIN = "reply.alliance.test"
SECRET = "inbound-secret"  # noqa: S105
OTHER_UPDATES_REPLY = "You can only answer a reply of this update."


@pytest.fixture
def reply_settings(settings):
    settings.REPLY_EMAIL_DOMAIN = DOMAIN
    settings.INBOUND_EMAIL_SECRET = SECRET
    return settings


def _member(group, **kwargs):
    role = kwargs.pop("role", WorkingGroupMembership.Role.MEMBER)
    person = MemberFactory(**kwargs)
    WorkingGroupMembershipFactory(group=group, user=person, role=role)
    return person


@pytest.fixture
def private_group(db):
    return WorkingGroupFactory(visibility=WorkingGroup.Visibility.MEMBERS)


@pytest.fixture
def thread(private_group):
    """A members-only group with an author, a member and an update."""
    author = _member(private_group, name="Ada Lovelace", display_name="")
    member = _member(private_group, name="Grace Hopper", display_name="")
    update = WorkingGroupUpdateFactory(
        group=private_group, author=author, title="Evaluation plan"
    )
    return {
        "group": private_group,
        "author": author,
        "member": member,
        "update": update,
    }


def _kinds(person, kind):
    return list(
        Notification.objects.filter(recipient=person, kind=kind).values_list(
            "title", flat=True
        )
    )


# --- lifecycle ------------------------------------------------------------------


def test_post_answer_edit_delete_keeps_the_thread_readable(thread):
    update, author, member = thread["update"], thread["author"], thread["member"]
    first = reply_post(update=update, author=member, body="I agree with **this**.")
    answer = reply_post(
        update=update, author=author, body="Thanks!", parent_id=first.pk
    )
    deeper = reply_post(
        update=update, author=member, body="Welcome.", parent_id=answer.pk
    )
    # One level: every reply in the thread belongs to the thread's first reply.
    assert answer.thread_id == first.pk and deeper.thread_id == first.pk
    assert deeper.parent_id == answer.pk

    reply_edit(reply=first, body="I agree with **all** of this.")
    reply_edit(reply=first, body="I agree.")
    versions = list(ReplyVersion.objects.filter(reply=first).order_by("written_at"))
    assert [v.body for v in versions] == [
        "I agree with **this**.",
        "I agree with **all** of this.",
    ]
    first.refresh_from_db()
    assert first.edited_at is not None and first.body == "I agree."

    reply_delete(reply=first, by=member)
    first.refresh_from_db()
    assert first.is_deleted and first.body == ""
    assert not ReplyVersion.objects.filter(reply=first).exists()
    assert Reply.objects.filter(update=update).count() == 3


def test_bad_input_writes_nothing(thread):
    update, member = thread["update"], thread["member"]
    with pytest.raises(ValidationError):
        reply_post(update=update, author=member, body="   ")
    with pytest.raises(ValidationError):
        reply_post(update=update, author=member, body="x" * 20_001)
    other = reply_post(
        update=WorkingGroupUpdateFactory(group=thread["group"]),
        author=member,
        body="elsewhere",
    )
    with pytest.raises(ValidationError) as refused:
        reply_post(update=update, author=member, body="hi", parent_id=other.pk)
    assert refused.value.message_dict == {"parent": [OTHER_UPDATES_REPLY]}
    assert not Reply.objects.filter(update=update).exists()


# --- the page -------------------------------------------------------------------


def test_page_posts_in_place_and_shows_history_and_tombstone(client, thread):
    update, author, member = thread["update"], thread["author"], thread["member"]
    client.force_login(member)
    url = reverse("alliance:reply_create", args=[update.pk])
    response = client.post(
        url, {"body": "First thoughts, @AdaLovelace?"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="replies"' in html and "First thoughts" in html
    assert "Your reply is posted" in html
    assert "<html" not in html  # a fragment, swapped in place
    reply = Reply.objects.get(update=update)

    response = client.post(
        reverse("alliance:reply_edit", args=[reply.pk]),
        {"body": "Second thoughts"},
        HTTP_HX_REQUEST="true",
    )
    assert "Second thoughts" in response.content.decode()
    assert "edited" in response.content.decode()
    versions = client.get(reverse("alliance:reply_versions", args=[reply.pk]))
    assert "First thoughts" in versions.content.decode()

    # The author of the update answers; the chair-less author of the reply deletes it.
    client.force_login(author)
    client.post(
        url, {"body": "My answer stays", "parent": reply.pk}, HTTP_HX_REQUEST="true"
    )
    client.force_login(member)
    response = client.post(
        reverse("alliance:reply_delete", args=[reply.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "This reply was deleted." in html
    assert "in reply to a deleted reply" in html
    page = client.get(update.get_absolute_url()).content.decode()
    assert "My answer stays" in page and "Second thoughts" not in page


def test_without_htmx_the_page_redirects_with_a_message(client, thread):
    client.force_login(thread["member"])
    response = client.post(
        reverse("alliance:reply_create", args=[thread["update"].pk]),
        {"body": "Plain form"},
        follow=True,
    )
    assert "Your reply is posted" in response.content.decode()
    response = client.post(
        reverse("alliance:reply_create", args=[thread["update"].pk]),
        {"body": ""},
        follow=True,
    )
    assert "Your reply was not posted" in response.content.decode()
    assert Reply.objects.count() == 1


@pytest.mark.parametrize("htmx", [True, False])
def test_the_page_refuses_an_answer_to_a_reply_of_another_update(client, thread, htmx):
    other = reply_post(
        update=WorkingGroupUpdateFactory(group=thread["group"]),
        author=thread["author"],
        body="elsewhere",
    )
    client.force_login(thread["member"])
    response = client.post(
        reverse("alliance:reply_create", args=[thread["update"].pk]),
        {"body": "An answer", "parent": other.pk},
        follow=not htmx,
        **({"HTTP_HX_REQUEST": "true"} if htmx else {}),
    )
    assert f"Your reply was not posted: {OTHER_UPDATES_REPLY}" in (
        response.content.decode()
    )
    assert not Reply.objects.filter(update=thread["update"]).exists()


def test_only_author_edits_and_author_or_chair_deletes(client, thread):
    reply = reply_post(update=thread["update"], author=thread["member"], body="Mine")
    other = _member(thread["group"])
    client.force_login(other)
    assert (
        client.post(
            reverse("alliance:reply_edit", args=[reply.pk]), {"body": "x"}
        ).status_code
        == 403
    )
    assert (
        client.post(reverse("alliance:reply_delete", args=[reply.pk])).status_code
        == 403
    )
    chair = _member(thread["group"], role=WorkingGroupMembership.Role.CHAIR)
    client.force_login(chair)
    assert (
        client.post(reverse("alliance:reply_edit", args=[reply.pk])).status_code == 403
    )
    client.post(reverse("alliance:reply_delete", args=[reply.pk]))
    reply.refresh_from_db()
    assert reply.is_deleted and reply.deleted_by == chair


def test_group_page_counts_replies(client, thread):
    update = thread["update"]
    reply_post(update=update, author=thread["member"], body="one")
    gone = reply_post(update=update, author=thread["member"], body="two")
    reply_delete(reply=gone, by=thread["member"])
    client.force_login(thread["member"])
    html = client.get(thread["group"].get_absolute_url()).content.decode()
    assert "1 reply" in html


# --- visibility -----------------------------------------------------------------


def test_a_non_member_never_sees_replies_of_a_members_only_update(
    client, api_client, thread, reply_settings, django_capture_on_commit_callbacks
):
    update = thread["update"]
    outsider = MemberFactory()
    subscription_set(user=outsider, target=update, state="follow")  # stale follow
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_post(
            update=update,
            author=thread["member"],
            body="Secret sauce @AdaLovelace",
        )
    client.force_login(outsider)
    assert client.get(update.get_absolute_url()).status_code == 403
    link = reverse("alliance:reply_link", args=[reply.pk])
    assert client.get(link).status_code == 404
    assert (
        client.get(reverse("alliance:reply_versions", args=[reply.pk])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("alliance:reply_create", args=[update.pk]), {"body": "hi"}
        ).status_code
        == 404
    )
    api_client.force_authenticate(outsider)
    assert api_client.get(f"/api/v1/updates/{update.pk}/replies/").status_code == 404
    search = client.get("/search/", {"q": "sauce"}).content.decode()
    assert "Secret sauce" not in search
    api_search = api_client.get("/api/v1/search/", {"q": "sauce"}).content.decode()
    assert "Secret sauce" not in api_search
    assert not Notification.objects.filter(recipient=outsider).exists()
    assert not any(outsider.email in m.to for m in mail.outbox)
    # The author of the update, a member, hears of it; found by search too.
    assert _kinds(thread["author"], "mention")
    client.force_login(thread["author"])
    assert "Secret" in client.get("/search/", {"q": "sauce"}).content.decode()


# --- notifications --------------------------------------------------------------


def test_followers_hear_of_replies_muters_of_the_group_do_not(
    thread, django_capture_on_commit_callbacks
):
    update, author, member = thread["update"], thread["author"], thread["member"]
    follower = _member(thread["group"])
    subscription_set(user=follower, target=update, state="follow")
    muter = _member(thread["group"])
    subscription_set(user=muter, target=update, state="follow")
    subscription_set(user=muter, target=thread["group"], state="mute")
    bystander = _member(thread["group"])
    with django_capture_on_commit_callbacks(execute=True):
        reply_post(update=update, author=member, body="A reply")
    assert _kinds(author, "reply")  # the update's author follows it
    assert _kinds(follower, "reply")
    assert not _kinds(muter, "reply")
    assert not _kinds(bystander, "reply")
    assert not _kinds(member, "reply")  # never the one who wrote it


def test_a_mention_notifies_the_person_at_once_by_email(
    thread, reply_settings, django_capture_on_commit_callbacks
):
    update, member = thread["update"], thread["member"]
    outsider = MemberFactory(name="Alan Turing", display_name="")  # not in the group
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_post(
            update=update, author=member, body="@adalovelace and @AlanTuring, look"
        )
    assert list(reply.mentioned.all()) == [thread["author"]]
    assert _kinds(thread["author"], "mention") == [
        "Grace Hopper mentioned you: Evaluation plan"
    ]
    assert not _kinds(thread["author"], "reply")  # told once, of the mention
    assert not Notification.objects.filter(recipient=outsider).exists()
    sent = [m for m in mail.outbox if thread["author"].email in m.to]
    assert len(sent) == 1
    assert sent[0].extra_headers["Reply-To"].startswith("reply+")
    assert sent[0].extra_headers["Reply-To"].endswith(f"@{DOMAIN}")


def test_a_reply_address_goes_only_to_those_who_may_reply(
    db, reply_settings, django_capture_on_commit_callbacks
):
    """A public group's update reaches followers from outside the group by
    email; they may read it but not reply, so their email carries no Reply-To
    (an answer sent to it would be refused)."""
    group = WorkingGroupFactory()  # public
    chair = _member(group, role=WorkingGroupMembership.Role.CHAIR)
    member = _member(group)
    follower = MemberFactory()  # an alliance member outside the group
    for person in (member, follower):
        subscription_set(user=person, target=group, state="watch")
    with django_capture_on_commit_callbacks(execute=True):
        update = working_group_update_post(
            group=group,
            author=chair,
            kind=WorkingGroupUpdate.Kind.NEWS,
            title="Open roadmap",
            body="Comments welcome.",
        )
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent[member.email].extra_headers["Reply-To"].startswith("reply+")
    assert "Reply-To" not in sent[follower.email].extra_headers
    # Nor on the email of a reply to it, whose text invites only those who
    # may answer to answer by email.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply_post(update=update, author=chair, body="A first answer")
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent[member.email].extra_headers["Reply-To"].startswith("reply+")
    assert "Reply-To" not in sent[follower.email].extra_headers
    invitation = "You can answer by replying to this email."
    assert invitation in sent[member.email].body
    assert invitation in sent[member.email].alternatives[0][0]
    assert invitation not in sent[follower.email].body
    assert invitation not in sent[follower.email].alternatives[0][0]


def test_editing_in_a_mention_notifies_only_the_new_person(
    thread, django_capture_on_commit_callbacks
):
    update, member, author = thread["update"], thread["member"], thread["author"]
    third = _member(thread["group"], name="Katherine Johnson", display_name="")
    reply = reply_post(update=update, author=member, body="cc @AdaLovelace")
    with django_capture_on_commit_callbacks(execute=True):
        reply_edit(reply=reply, body="cc @AdaLovelace @KatherineJohnson")
    assert len(_kinds(third, "mention")) == 1
    assert len(_kinds(author, "mention")) == 0  # she was told before the commit ran


# --- reply by email ---------------------------------------------------------------


def _inbound(client, *, to, sender, text, secret=SECRET):
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: Evaluation plan"
    message.set_content(text)
    auth = base64.b64encode(f"provider:{secret}".encode()).decode()
    return client.post(
        reverse("alliance:inbound_email"),
        data=message.as_bytes(),
        content_type="message/rfc822",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


QUOTED = (
    "Sounds good, count me in.\n\n"
    "-- \nGrace Hopper\nCompiler Lab\n\n"
    "On Mon, 1 Jun 2026 at 10:00, AI Alliance Portal wrote:\n"
    "> Ada Lovelace replied to Evaluation plan\n"
)


def test_a_reply_by_email_end_to_end(
    client, thread, reply_settings, django_capture_on_commit_callbacks
):
    update, author, member = thread["update"], thread["author"], thread["member"]
    # The notification email of a reply carries the member's own reply address.
    with django_capture_on_commit_callbacks(execute=True):
        first = reply_post(update=update, author=author, body="@GraceHopper, thoughts?")
    sent = [m for m in mail.outbox if member.email in m.to][-1]
    address = sent.extra_headers["Reply-To"]
    response = _inbound(client, to=address, sender=member.email, text=QUOTED)
    assert response.status_code == 201
    reply = Reply.objects.get(via_email=True)
    assert reply.author == member and reply.parent == first
    assert reply.body == "Sounds good, count me in."
    client.force_login(author)
    page = client.get(update.get_absolute_url()).content.decode()
    assert "Sounds good, count me in." in page and "Compiler Lab" not in page


def test_an_emailed_answer_to_a_reply_deleted_since_answers_the_update(
    client, thread, reply_settings
):
    update, author, member = thread["update"], thread["author"], thread["member"]
    first = reply_post(update=update, author=author, body="Soon withdrawn")
    address = reply_address(user_id=member.pk, update_id=update.pk, parent_id=first.pk)
    reply_delete(reply=first, by=author)
    response = _inbound(client, to=address, sender=member.email, text="Still my view")
    assert response.status_code == 201
    reply = Reply.objects.get(via_email=True)
    assert reply.parent is None and reply.body == "Still my view"


@pytest.mark.parametrize("case", ["forged", "expired", "other_sender", "non_member"])
def test_a_bad_reply_address_is_refused_and_nothing_posted(
    client, thread, reply_settings, case
):
    update, member = thread["update"], thread["member"]
    address = reply_address(user_id=member.pk, update_id=update.pk)
    sender = member.email
    if case == "forged":
        token = address.split("+", 1)[1].split("@")[0]
        address = f"reply+{token[:-3]}abc@{DOMAIN}"
    elif case == "other_sender":
        sender = "someone@elsewhere.example"
    elif case == "non_member":
        WorkingGroupMembership.objects.filter(user=member).update(
            status=WorkingGroupMembership.Status.LEFT
        )
    later = timezone.now() + dt.timedelta(days=31 if case == "expired" else 0)
    with time_machine.travel(later, tick=False):
        response = _inbound(client, to=address, sender=sender, text="Hello")
    assert response.status_code == 403
    assert not Reply.objects.exists()


def test_the_inbound_endpoint_wants_its_password(client, thread, reply_settings):
    address = reply_address(user_id=thread["member"].pk, update_id=thread["update"].pk)
    response = _inbound(
        client, to=address, sender=thread["member"].email, text="Hi", secret="wrong"
    )
    assert response.status_code == 401
    assert not Reply.objects.exists()


def test_quoted_text_and_signatures_are_stripped():
    assert email_reply_text("Ja, gerne.\n\nAm 1. Juni schrieb Ada <a@b.c>:\n> x") == (
        "Ja, gerne."
    )
    assert email_reply_text("Yes\n> quoted\nstill mine\nSent from my phone") == (
        "Yes\nstill mine"
    )
    assert email_reply_text("Top\n-----Original Message-----\nFrom: x") == "Top"


# --- API ------------------------------------------------------------------------


def test_api_lists_and_creates_replies(api_client, thread):
    update, member = thread["update"], thread["member"]
    api_client.force_authenticate(member)
    url = f"/api/v1/updates/{update.pk}/replies/"
    response = api_client.post(url, {"body": "Via the API"}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["body"] == "Via the API" and created["author"] == "Grace Hopper"
    response = api_client.post(
        url, {"body": "Answer", "parent": created["id"]}, format="json"
    )
    assert response.json()["thread"] == created["id"]
    assert api_client.post(url, {"body": ""}, format="json").status_code == 400
    elsewhere = reply_post(
        update=WorkingGroupUpdateFactory(group=thread["group"]),
        author=member,
        body="elsewhere",
    )
    response = api_client.post(
        url, {"body": "x", "parent": elsewhere.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"parent": [OTHER_UPDATES_REPLY]}}
    assert (
        api_client.post(url, {"body": "x", "author": 1}, format="json").status_code
        == 400
    )
    listed = api_client.get(url).json()
    assert [r["body"] for r in listed["results"]] == ["Via the API", "Answer"]
    outsider = UserFactory()
    api_client.force_authenticate(outsider)
    assert api_client.get(url).status_code == 404


def test_a_deleted_reply_leaves_the_inbox_of_those_it_mentioned(
    client, thread, django_capture_on_commit_callbacks
):
    update, member, author = thread["update"], thread["member"], thread["author"]
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_post(
            update=update, author=member, body="@AdaLovelace an unkind remark"
        )
    client.force_login(author)
    assert "an unkind remark" in client.get("/notifications/").content.decode()
    reply_delete(reply=reply, by=member)
    inbox = client.get("/notifications/").content.decode()
    assert "an unkind remark" not in inbox
    # Nor does search find it.
    assert "an unkind remark" not in client.get("/search/?q=unkind").content.decode()
