"""Who may do what with a meeting's agenda, minutes and their versions: only
chairs draft the agenda; only the author or a chair corrects minutes; nobody
outside a members-only group reads a group-only meeting's agenda, its minutes
or their versions, by page or API, nor the group's action items on a public
meeting's page."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alliance.working_groups.models import WorkingGroup
from alliance.working_groups.services import (
    ActionItemInput,
    working_group_update_correct,
    working_group_update_post,
)
from events.models import Event
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.alliance.governance.test_meeting_cycle import meeting_of
from tests.members.factories import MemberFactory


def agenda_url(meeting):
    return reverse("events:event_agenda", args=[meeting.slug])


def test_only_chairs_and_staff_draft_the_agenda(client, group, chair, seats):
    meeting = meeting_of(group, chair, agenda="Old agenda")
    # A member, and the meeting's organizer who is not (or no longer) a chair.
    organizer = seats[1]
    Event.objects.filter(pk=meeting.pk).update(organizer=organizer)
    for person in (seats[0], organizer):
        client.force_login(person)
        assert client.get(agenda_url(meeting)).status_code == 403
        assert client.post(agenda_url(meeting), {"agenda": "Mine"}).status_code == 403
        page = client.get(meeting.get_absolute_url())
        assert "Draft the agenda" not in page.text
        assert "Edit the agenda" not in page.text
    meeting.refresh_from_db()
    assert meeting.agenda == "Old agenda"
    client.force_login(chair)
    assert client.get(agenda_url(meeting)).status_code == 200


def test_post_the_minutes_is_offered_only_to_who_may_post_them(client, group, chair):
    """The meeting's organizer who is not (or no longer) in the group, or only
    observes it, gets no "Post the minutes" (the group's page would refuse
    them); a chair gets it, and the page it leads to opens."""
    meeting = meeting_of(group, chair)
    Event.objects.filter(pk=meeting.pk).update(visibility=Event.Visibility.PUBLIC)
    observer = WorkingGroupMembershipFactory(group=group, role="observer").user
    for organizer in (MemberFactory(), observer):
        Event.objects.filter(pk=meeting.pk).update(organizer=organizer)
        client.force_login(organizer)
        page = client.get(meeting.get_absolute_url())
        assert page.status_code == 200 and 'id="agenda"' in page.text
        assert 'id="post-minutes"' not in page.text
        create = reverse("alliance:working_group_update_create", args=[group.slug])
        assert client.get(f"{create}?meeting={meeting.pk}").status_code == 403
    client.force_login(chair)
    page = client.get(meeting.get_absolute_url())
    link = re.search(r'href="([^"]+)" id="post-minutes"', page.text)
    assert link is not None
    form = client.get(link.group(1).replace("&amp;", "&"))
    assert form.status_code == 200
    assert form.context["meeting"]["id"] == meeting.pk


def test_only_a_meeting_has_an_agenda(client, group, chair):
    workshop = meeting_of(group, chair)
    Event.objects.filter(pk=workshop.pk).update(kind=Event.Kind.WORKSHOP)
    client.force_login(chair)
    assert client.get(agenda_url(workshop)).status_code == 403
    page = client.get(workshop.get_absolute_url())
    assert 'id="agenda"' not in page.text


def test_outsiders_do_not_see_a_group_only_meeting(client, group, chair, seats):
    group.visibility = WorkingGroup.Visibility.MEMBERS
    group.save()
    meeting = meeting_of(group, chair, agenda="Secret **agenda**")
    minutes = working_group_update_post(
        group=group,
        author=chair,
        kind="minutes",
        title="Secret minutes",
        body="Text",
        meeting_id=meeting.pk,
        attendees=[seats[0]],
    )
    working_group_update_correct(
        update=minutes, editor=chair, title="Secret minutes", body="Corrected"
    )
    outsider = MemberFactory()
    client.force_login(outsider)
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/events/{meeting.slug}/").status_code == 404
    assert client.get(minutes.get_absolute_url()).status_code == 403
    versions = reverse(
        "alliance:working_group_update_versions", args=[group.slug, minutes.pk]
    )
    answer = client.get(versions)
    assert answer.status_code == 403
    assert "Corrected" not in answer.text
    assert client.get(agenda_url(meeting)).status_code == 404
    # Anonymous visitors are sent to sign in.
    client.logout()
    assert client.get(versions).status_code == 302
    # A member reads all of it, by page and API.
    client.force_login(seats[0])
    page = client.get(meeting.get_absolute_url())
    assert "Secret <strong>agenda</strong>" in page.text
    assert "Secret minutes" in page.text
    data = client.get(f"/api/v1/events/{meeting.slug}/").json()
    assert data["agenda"] == "Secret **agenda**"
    assert [m["title"] for m in data["minutes"]] == ["Secret minutes"]
    assert "Corrected" in client.get(versions).text


def test_a_public_meeting_of_a_members_only_group_keeps_its_items(
    client, group, chair, seats
):
    group.visibility = WorkingGroup.Visibility.MEMBERS
    group.save()
    working_group_update_post(
        group=group,
        author=chair,
        kind="minutes",
        title="Internal minutes",
        body="Text",
        action_items=[ActionItemInput(text="Internal task", owner=seats[0])],
    )
    meeting = meeting_of(group, chair, agenda="Open agenda")
    Event.objects.filter(pk=meeting.pk).update(visibility=Event.Visibility.PUBLIC)
    client.force_login(MemberFactory())
    page = client.get(meeting.get_absolute_url())
    assert "Open agenda" in page.text
    assert "Internal task" not in page.text
    data = client.get(f"/api/v1/events/{meeting.slug}/").json()
    assert data["minutes"] == []
    client.force_login(seats[1])
    assert "Internal task" in client.get(meeting.get_absolute_url()).text


def test_only_the_author_or_a_chair_corrects_minutes(client, group, chair, seats):
    minutes = working_group_update_post(
        group=group, author=seats[0], kind="minutes", title="Minutes", body="v1"
    )
    edit = reverse("alliance:working_group_update_edit", args=[group.slug, minutes.pk])
    client.force_login(seats[1])
    assert client.get(edit).status_code == 403
    answer = client.post(edit, {"title": "Minutes", "body": "hijacked"})
    assert answer.status_code == 403
    assert "Correct" not in client.get(minutes.get_absolute_url()).text
    minutes.refresh_from_db()
    assert minutes.body == "v1" and minutes.edited_at is None
    # The author may; the attendance is the chairs' to edit.
    client.force_login(seats[0])
    form = client.get(edit)
    assert form.status_code == 200
    assert "attendees" not in form.context["form"].fields
    client.post(edit, {"title": "Minutes", "body": "v2"})
    # A chair may, and sees the attendance.
    client.force_login(chair)
    assert "attendees" in client.get(edit).context["form"].fields
    client.post(edit, {"title": "Minutes", "body": "v3"})
    minutes.refresh_from_db()
    assert minutes.body == "v3"
    assert list(minutes.versions.values_list("number", "body")) == [
        (3, "v3"),
        (2, "v2"),
        (1, "v1"),
    ]
    # Nothing changed: a clear error, no new version.
    answer = client.post(edit, {"title": "Minutes", "body": "v3"})
    assert "Nothing changed" in answer.text
    assert minutes.versions.count() == 3


def test_attendance_lists_only_members_and_registrants(group, chair):
    meeting = meeting_of(group, chair)
    stranger = MemberFactory()
    with pytest.raises(ValidationError) as error:
        working_group_update_post(
            group=group,
            author=chair,
            kind="minutes",
            title="Minutes",
            body="Text",
            meeting_id=meeting.pk,
            attendees=[stranger],
        )
    assert "attendees" in error.value.message_dict
    other = meeting_of(WorkingGroupFactory(), chair)
    with pytest.raises(ValidationError) as error:
        working_group_update_post(
            group=group,
            author=chair,
            kind="minutes",
            title="Minutes",
            body="Text",
            meeting_id=other.pk,
        )
    assert "meeting" in error.value.message_dict


def test_public_minutes_name_only_what_the_reader_may_see(client, group, chair, seats):
    """A public group's minutes: an outsider reads them, but not the title of a
    group-only meeting, nor the name of an attendee hidden from the directory."""
    from tests.events.factories import RegistrationFactory

    meeting = meeting_of(group, chair, title="Closed-door meeting")
    hidden = seats[2]
    hidden.directory_visibility = "hidden"
    hidden.name = "Hilde Hidden"
    hidden.save()
    # A registrant from outside the group who keeps their name private.
    guest = MemberFactory(name="Gustav Guest", directory_visibility="hidden")
    RegistrationFactory(event=meeting, user=guest)
    minutes = working_group_update_post(
        group=group,
        author=chair,
        kind="minutes",
        title="Public minutes",
        body="Text",
        meeting_id=meeting.pk,
        attendees=[hidden, seats[0], guest],
    )
    client.force_login(MemberFactory())
    page = client.get(minutes.get_absolute_url())
    assert page.status_code == 200
    assert "Closed-door meeting" not in page.text
    assert "Hilde Hidden" not in page.text
    assert "a member who keeps their name private" in page.text
    assert seats[0].public_name in page.text
    [row] = client.get(f"/api/v1/working-groups/{group.slug}/updates/").json()[
        "results"
    ]
    assert row["meeting"] is None
    # The group's members see all of it.
    client.force_login(seats[1])
    page = client.get(minutes.get_absolute_url())
    assert "Closed-door meeting" in page.text and "Hilde Hidden" in page.text
    assert "Gustav Guest" not in page.text  # not a member of the group
    [row] = client.get(f"/api/v1/working-groups/{group.slug}/updates/").json()[
        "results"
    ]
    assert row["meeting"] == meeting.slug


def test_only_chairs_see_who_registered_when_posting_minutes(
    client, group, chair, seats
):
    from tests.events.factories import RegistrationFactory

    meeting = meeting_of(group, chair)
    guest = MemberFactory(name="Quiet Guest", directory_visibility="hidden")
    RegistrationFactory(event=meeting, user=guest)
    url = (
        reverse("alliance:working_group_update_create", args=[group.slug])
        + f"?meeting={meeting.pk}"
    )
    client.force_login(seats[0])  # a member: may post, not see the registrations
    page = client.get(url)
    assert page.status_code == 200
    assert "Quiet Guest" not in page.content.decode()
    client.force_login(chair)
    assert "Quiet Guest" in client.get(url).content.decode()
