"""A working group through a full cycle of its governance, as its people meet
it on the pages: the chair drafts a meeting's agenda (which carries the group's
open action items), members read it on the meeting's page and in the reminder,
the minutes are posted from the meeting with the attendance taken from the
registrations and action items for their owners' dashboards, corrected with
their versions kept; a ballot reaches quorum and passes and a decision cites
it; a secret ballot fails quorum; the next meeting's agenda carries what is
still open."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from alliance.governance.services import ballot_vote_cast, ballots_close_due
from alliance.notifications.models import Activity
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupUpdate,
    WorkingGroupUpdateVersion,
)
from alliance.working_groups.services import (
    ActionItemInput,
    action_item_set_done,
    working_group_update_post,
)
from events.models import Event
from events.services.reminders import event_reminder_send
from tests.alliance.governance.conftest import close_now, open_ballot
from tests.alliance.governance.test_ballots import option
from tests.events.factories import EventFactory, RegistrationFactory, in_days


def meeting_of(group, chair, *, days=7, **kwargs):
    kwargs.setdefault("title", "Monthly meeting")
    return EventFactory(
        kind=Event.Kind.MEETING,
        working_group=group,
        organizer=chair,
        visibility=Event.Visibility.GROUP,
        starts_at=in_days(days, hour=14),
        ends_at=in_days(days, hour=15),
        **kwargs,
    )


def move_into_the_past(event):
    start = timezone.now() - dt.timedelta(hours=2)
    Event.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    event.refresh_from_db()


def items_form(rows):
    data = {
        "items-TOTAL_FORMS": str(max(len(rows), 1)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
    }
    for n, (text, owner, due) in enumerate(rows):
        data[f"items-{n}-text"] = text
        data[f"items-{n}-owner"] = str(owner.pk)
        data[f"items-{n}-due_date"] = due
    return data


def test_a_group_goes_through_a_full_cycle(client, group, chair, seats):
    # Left over from an earlier meeting: one action item still open, one done.
    earlier = working_group_update_post(
        group=group,
        author=chair,
        kind="minutes",
        title="Minutes of May",
        body="We met.",
        action_items=[
            ActionItemInput(text="Draft the benchmark charter", owner=seats[1]),
            ActionItemInput(text="Book the room", owner=seats[2]),
        ],
    )
    done = earlier.action_items.get(text="Book the room")
    action_item_set_done(item=done)
    meeting = meeting_of(group, chair)
    for person in seats[:4]:
        RegistrationFactory(event=meeting, user=person)

    # 1. The chair drafts the agenda; Markdown is rendered and sanitized.
    client.force_login(chair)
    page = client.get(meeting.get_absolute_url())
    assert "Draft the agenda" in page.text
    answer = client.post(
        reverse("events:event_agenda", args=[meeting.slug]),
        {"agenda": "1. **Charter** review\n2. Budget <script>alert(1)</script>"},
        follow=True,
    )
    assert "The agenda is saved." in answer.text
    meeting.refresh_from_db()
    assert meeting.agenda_updated_at is not None

    # 2. A member sees it on the meeting's page, with the open action items.
    client.force_login(seats[0])
    page = client.get(meeting.get_absolute_url())
    assert "<strong>Charter</strong> review" in page.text
    assert "<script>alert(1)" not in page.text
    assert "Draft the benchmark charter" in page.text
    assert "Book the room" not in page.text  # done: not on the agenda
    assert "Edit the agenda" not in page.text  # not a chair
    assert "Post the minutes" not in page.text

    # ... and in the reminder a day before.
    sent = event_reminder_send(
        event_id=meeting.pk, now=meeting.starts_at - dt.timedelta(hours=23)
    )
    assert sent == 4
    reminder = Activity.objects.get(kind="event_reminder", target_id=meeting.pk)
    assert "**Charter** review" in reminder.context["agenda"]
    assert [i["text"] for i in reminder.context["action_items"]] == [
        "Draft the benchmark charter"
    ]

    # 3. The meeting takes place: the agenda no longer changes.
    move_into_the_past(meeting)
    client.force_login(chair)
    page = client.get(meeting.get_absolute_url())
    assert "Edit the agenda" not in page.text
    answer = client.post(
        reverse("events:event_agenda", args=[meeting.slug]), {"agenda": "Changed"}
    )
    assert "The meeting has started" in answer.text
    meeting.refresh_from_db()
    assert "Changed" not in meeting.agenda

    # 4. The chair posts the minutes from the meeting's page: attendance is
    # taken from the registrations and can be changed.
    assert "Post the minutes" in page.text
    create = reverse("alliance:working_group_update_create", args=[group.slug])
    form = client.get(f"{create}?meeting={meeting.pk}")
    assert "Minutes of the meeting" in form.text
    checked = form.context["form"]["attendees"].initial
    assert set(checked) == {p.pk for p in seats[:4]}
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    data = {
        "kind": "minutes",
        "title": "Minutes: Monthly meeting",
        "body": "We reviewed the charter.",
        "meeting": str(meeting.pk),
        "attendees": [str(p.pk) for p in seats[:3]] + [str(chair.pk)],
        **items_form([("Publish the benchmark", seats[0], due)]),
    }
    answer = client.post(create, data, follow=True)
    assert "Your minutes are posted" in answer.text
    minutes = WorkingGroupUpdate.objects.get(meeting=meeting)
    assert minutes.meeting_date == meeting.starts_at.date()
    assert set(minutes.attendees.values_list("pk", flat=True)) == {
        seats[0].pk,
        seats[1].pk,
        seats[2].pk,
        chair.pk,
    }
    assert "Monthly meeting" in answer.text  # the meeting, linked
    assert "Attendance (4 people)" in answer.text
    # The meeting's page lists its minutes.
    assert minutes.title in client.get(meeting.get_absolute_url()).text

    # 5. The action item's owner sees it on their dashboard.
    client.force_login(seats[0])
    dashboard = client.get(reverse("dashboard"))
    assert "Publish the benchmark" in dashboard.text

    # 6. The author corrects the minutes; every version is kept and shown.
    client.force_login(chair)
    edit = reverse("alliance:working_group_update_edit", args=[group.slug, minutes.pk])
    answer = client.post(
        edit,
        {
            "title": minutes.title,
            "body": "We reviewed and adopted the charter.",
            "attendees": [str(p.pk) for p in seats[:4]],
        },
        follow=True,
    )
    assert "Your correction is saved" in answer.text
    assert "edited" in answer.text
    assert "Attendance (4 people)" in answer.text  # the chair fixed it
    versions = WorkingGroupUpdateVersion.objects.filter(update=minutes)
    assert versions.count() == 2
    client.force_login(seats[3])
    history = client.get(
        reverse("alliance:working_group_update_versions", args=[group.slug, minutes.pk])
    )
    assert "Version 2" in history.text and "Version 1" in history.text
    assert "We reviewed the charter." in history.text
    assert "We reviewed and adopted the charter." in history.text
    assert chair.public_name in history.text

    # 7. A ballot reaches quorum and passes; a decision cites it.
    ballot = open_ballot(created_by=chair, group=group, quorum_percent=60)
    for person in seats[:4]:
        ballot_vote_cast(ballot=ballot, user=person, option_id=option(ballot, "yes"))
    close_now(ballot)
    assert ballots_close_due() == 1
    ballot.refresh_from_db()
    assert ballot.result["passed"] is True
    client.force_login(chair)
    page = client.get(ballot.get_absolute_url())
    assert "Record the decision" in page.text
    answer = client.post(
        create,
        {
            "kind": "decision",
            "title": "The charter is adopted",
            "body": "Adopted by ballot.",
            "ballot": str(ballot.pk),
            **items_form([]),
        },
        follow=True,
    )
    decision = WorkingGroupUpdate.objects.get(kind="decision")
    assert decision.ballot == ballot
    assert "Carried by the ballot" in answer.text
    assert "passed" in answer.text and "Quorum reached" in answer.text
    assert ballot.get_absolute_url() in answer.text
    page = client.get(ballot.get_absolute_url())
    assert "Decisions citing this ballot" in page.text
    assert decision.get_absolute_url() in page.text

    # 8. A secret ballot fails quorum; a decision citing it says so and shows
    # no voter's choice.
    secret = open_ballot(created_by=chair, group=group, quorum_percent=60, secret=True)
    ballot_vote_cast(ballot=secret, user=seats[0], option_id=option(secret, "no"))
    close_now(secret)
    ballots_close_due()
    secret.refresh_from_db()
    assert secret.result["quorum_reached"] is False
    assert secret.result["passed"] is False
    decision = working_group_update_post(
        group=group,
        author=chair,
        kind="decision",
        title="No budget decision",
        body="The ballot failed quorum.",
        ballot=secret,
    )
    page = client.get(decision.get_absolute_url())
    assert "did not pass" in page.text and "Quorum not reached" in page.text
    assert seats[0].public_name not in page.text

    # 9. The next meeting's agenda carries what is still open.
    action_item_set_done(
        item=earlier.action_items.get(text="Draft the benchmark charter")
    )
    following = meeting_of(group, chair, days=30, title="Next meeting")
    client.force_login(seats[1])
    page = client.get(following.get_absolute_url())
    assert "Publish the benchmark" in page.text
    assert "Draft the benchmark charter" not in page.text
    assert ActionItem.objects.filter(done=False).count() == 1


def test_a_decision_cites_only_a_closed_ballot_of_its_group(
    client, group, chair, seats
):
    from tests.alliance.factories import WorkingGroupFactory
    from tests.alliance.governance.conftest import seat_holder

    open_one = open_ballot(created_by=chair, group=group)
    other_group = WorkingGroupFactory()
    other_chair = seat_holder(other_group)
    other = open_ballot(created_by=other_chair, group=other_group)
    close_now(other)
    ballots_close_due()
    client.force_login(chair)
    create = reverse("alliance:working_group_update_create", args=[group.slug])
    for ballot in (open_one, other):
        answer = client.post(
            create,
            {
                "kind": "decision",
                "title": "A decision",
                "body": "Text.",
                "ballot": str(ballot.pk),
                **items_form([]),
            },
        )
        assert answer.status_code == 200  # the form again, with the error
        assert "Select a valid choice" in answer.text
    assert not WorkingGroupUpdate.objects.filter(kind="decision").exists()
    # News cannot cite a ballot either (the service refuses).
    close_now(open_one)
    ballots_close_due()
    answer = client.post(
        create,
        {
            "kind": "news",
            "title": "News",
            "body": "Text.",
            "ballot": str(open_one.pk),
            **items_form([]),
        },
    )
    assert "Only a decision cites a ballot." in answer.text
    assert not WorkingGroupUpdate.objects.exists()


def test_the_reminder_email_carries_the_agenda_and_open_items(
    group, chair, seats, django_capture_on_commit_callbacks
):
    import time_machine

    from events.tasks import event_reminders_send_due_task

    working_group_update_post(
        group=group,
        author=chair,
        kind="minutes",
        title="Minutes of May",
        body="We met.",
        action_items=[ActionItemInput(text="Draft the charter", owner=seats[1])],
    )
    meeting = meeting_of(
        group, chair, agenda="1. **Charter** review <script>alert(1)</script>"
    )
    RegistrationFactory(event=meeting, user=seats[0])
    mail.outbox.clear()
    with (
        time_machine.travel(meeting.starts_at - dt.timedelta(hours=23), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event_reminders_send_due_task.delay()
    [message] = [m for m in mail.outbox if seats[0].email in m.to]
    assert "**Charter** review" in message.body
    assert "Open action items:" in message.body
    assert "- Draft the charter (" in message.body
    [(html, _type)] = message.alternatives
    assert "<strong>Charter</strong> review" in html
    assert "<script>" not in html
    assert "Draft the charter" in html


def test_a_former_member_gets_the_reminder_without_the_groups_items(
    chair, seats, django_capture_on_commit_callbacks
):
    """A members-only group's items go out only when every recipient is still
    in the group: a registrant who left keeps the meeting, not the items."""
    import time_machine

    from alliance.working_groups.models import WorkingGroupMembership
    from events.tasks import event_reminders_send_due_task

    group = chair.group_memberships.get().group  # the fixtures' group
    WorkingGroup.objects.filter(pk=group.pk).update(
        visibility=WorkingGroup.Visibility.MEMBERS
    )
    working_group_update_post(
        group=group,
        author=chair,
        kind="minutes",
        title="Minutes of May",
        body="We met.",
        action_items=[ActionItemInput(text="Draft the charter", owner=seats[1])],
    )
    meeting = meeting_of(group, chair, agenda="1. Charter review")
    RegistrationFactory(event=meeting, user=seats[0])
    RegistrationFactory(event=meeting, user=seats[2])
    WorkingGroupMembership.objects.filter(group=group, user=seats[2]).update(
        status=WorkingGroupMembership.Status.LEFT
    )
    mail.outbox.clear()
    with (
        time_machine.travel(meeting.starts_at - dt.timedelta(hours=23), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        event_reminders_send_due_task.delay()
    [message] = [m for m in mail.outbox if seats[2].email in m.to]
    assert "Charter review" in message.body
    assert "Draft the charter" not in message.body
