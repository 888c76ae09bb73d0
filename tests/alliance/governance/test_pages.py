"""The ballot pages, API and admin as each person meets them: who may vote and
what the others are told, hidden groups' ballots not found, and a secret
ballot's choices nowhere (pages, API, admin, history, data export)."""

import pytest
from django.urls import reverse

from alliance.governance.models import Ballot, BallotDelegate, Vote
from alliance.governance.services import (
    ballot_cancel,
    ballot_close,
    ballot_vote_cast,
)
from alliance.registries.personal_data import personal_data_collect
from tests.alliance.factories import WorkingGroupFactory
from tests.alliance.governance.conftest import (
    close_now,
    open_ballot,
    primary_contact,
    seat_holder,
)
from tests.alliance.governance.test_ballots import option
from tests.members.factories import (
    AffiliationFactory,
    MemberFactory,
    OrganizationFactory,
    UserFactory,
)


def vote_url(ballot):
    return reverse("alliance:ballot_vote", args=[ballot.pk])


def test_a_seat_holder_votes_on_the_page_and_changes_the_vote(
    client, group, chair, seats
):
    ballot = open_ballot(created_by=chair, group=group)
    client.force_login(seats[0])
    page = client.get(ballot.get_absolute_url())
    assert page.status_code == 200
    assert "Your voting seat for" in page.text
    answer = client.post(vote_url(ballot), {"option": option(ballot, "no")})
    assert answer.status_code == 302
    page = client.get(ballot.get_absolute_url())
    assert "Your vote is recorded" in page.text
    assert "You have voted." in page.text
    client.post(vote_url(ballot), {"option": option(ballot, "yes")})
    vote = Vote.objects.get(ballot=ballot)
    assert vote.option_id == option(ballot, "yes")


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        (
            "non_seat_holder",
            403,
            "Only the holders of the group’s voting seats may vote.",
        ),
        (
            "other_group_member",
            403,
            "Only the holders of the group’s voting seats may vote.",
        ),
    ],
)
def test_people_without_a_seat_are_refused_with_a_clear_message(
    client, group, chair, seats, who, status, message
):
    ballot = open_ballot(created_by=chair, group=group)
    if who == "non_seat_holder":
        person = MemberFactory()
    else:
        person = seat_holder(WorkingGroupFactory())
    client.force_login(person)
    page = client.get(ballot.get_absolute_url())
    assert message in page.text
    assert "Cast the vote" not in page.text
    answer = client.post(vote_url(ballot), {"option": option(ballot, "yes")})
    assert answer.status_code == status
    assert message in answer.text
    assert not Vote.objects.exists()


def test_a_signed_out_visitor_is_told_to_sign_in(client, group, chair, seats):
    ballot = open_ballot(created_by=chair, group=group)
    page = client.get(ballot.get_absolute_url())
    assert page.status_code == 200
    assert "Sign in to vote." in page.text
    answer = client.post(vote_url(ballot), {"option": option(ballot, "yes")})
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]
    api = client.post(
        f"/api/v1/ballots/{ballot.pk}/vote/", {"option": option(ballot, "yes")}
    )
    assert api.status_code in (401, 403)
    assert not Vote.objects.exists()


def test_a_hidden_groups_ballots_are_not_found(client, chair):
    hidden = WorkingGroupFactory(visibility="members")
    holder = seat_holder(hidden)
    ballot = open_ballot(created_by=holder, group=hidden)
    outsider = MemberFactory()
    client.force_login(outsider)
    for url in (
        ballot.get_absolute_url(),
        f"/api/v1/ballots/{ballot.pk}/",
        f"/api/v1/ballots/{ballot.pk}/voters/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(vote_url(ballot), {"option": 1}).status_code == 404
    listed = client.get("/api/v1/ballots/").json()
    assert ballot.pk not in [b["id"] for b in listed["results"]]
    assert ballot.question not in client.get(reverse("alliance:ballot_list")).text
    client.force_login(holder)
    assert client.get(ballot.get_absolute_url()).status_code == 200


def test_only_chairs_open_a_groups_ballot(client, group, chair, seats):
    url = reverse("alliance:ballot_create_for_group", args=[group.slug])
    client.force_login(seats[0])
    refused = client.get(url)
    assert refused.status_code == 403
    client.force_login(chair)
    answer = client.post(
        url,
        {
            "question": "Adopt the benchmark definition?",
            "description": "",
            "kind": "yes_no",
            "options": "",
            "quorum_percent": "50",
            "pass_rule": "simple",
            "opens_at": "",
            "closes_at": "2000-01-01T10:00",
        },
    )
    assert answer.status_code == 200
    assert "The closing time must be in the future." in answer.text
    assert not Ballot.objects.exists()
    answer = client.post(
        url,
        {
            "question": "Adopt the benchmark definition?",
            "kind": "yes_no",
            "quorum_percent": "50",
            "pass_rule": "simple",
            "closes_at": "2099-01-01T10:00",
        },
    )
    ballot = Ballot.objects.get()
    assert answer.status_code == 302
    assert ballot.group == group and ballot.created_by == chair
    page = client.get(group.get_absolute_url())
    assert "Adopt the benchmark definition?" in page.text


def test_the_group_page_shows_a_ballot_once_opened_and_not_once_cancelled(
    client, group, chair, seats
):
    client.force_login(seats[0])
    # Read first while the group has no ballot: which groups have one is kept.
    assert "Elect the chair?" not in client.get(group.get_absolute_url()).text
    ballot = open_ballot(created_by=chair, group=group, question="Elect the chair?")
    assert "Elect the chair?" in client.get(group.get_absolute_url()).text
    ballot_cancel(ballot=ballot)
    assert "Elect the chair?" not in client.get(group.get_absolute_url()).text


def test_the_dashboard_lists_ballots_waiting_for_the_vote(client, group, chair, seats):
    ballot = open_ballot(created_by=chair, group=group, question="Elect the chair?")
    client.force_login(seats[0])
    assert "Elect the chair?" in client.get("/dashboard/").text
    ballot_vote_cast(ballot=ballot, user=seats[0], option_id=option(ballot, "yes"))
    assert "Elect the chair?" not in client.get("/dashboard/").text


def test_a_result_is_computed_on_first_view_when_the_job_is_late(
    client, group, chair, seats
):
    ballot = open_ballot(created_by=chair, group=group, quorum_percent=20)
    ballot_vote_cast(ballot=ballot, user=seats[0], option_id=option(ballot, "yes"))
    close_now(ballot)
    page = client.get(ballot.get_absolute_url())
    assert "The proposal passed." in page.text
    assert "Quorum reached" in page.text
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.CLOSED


def test_secret_choices_are_nowhere(client, group, chair, seats, staff_user):
    ballot = open_ballot(
        created_by=chair, group=group, secret=True, question="Secret question?"
    )
    ballot_vote_cast(ballot=ballot, user=seats[0], option_id=option(ballot, "abstain"))

    def assert_hidden():
        client.force_login(seats[1])
        page = client.get(ballot.get_absolute_url()).text
        assert seats[0].public_name in page  # who voted is shown
        assert "Abstain</strong>" not in page
        voters = client.get(f"/api/v1/ballots/{ballot.pk}/voters/").json()
        assert [v["option"] for v in voters] == [None]
        client.force_login(staff_user)
        change = client.get(
            reverse("admin:alliance_ballot_change", args=[ballot.pk])
        ).text
        assert "id_votes-0-option" not in change and "choice" not in change.lower()
        history = client.get(reverse("admin:alliance_ballot_history", args=[ballot.pk]))
        assert history.status_code == 200
        for row in Vote.history.filter(ballot_id=ballot.pk).values():
            assert "option_id" not in row
        exported = personal_data_collect(seats[0])["ballots"]["votes"]
        assert exported[0]["choice"] is None

    assert_hidden()
    close_now(ballot)
    ballot_close(ballot_id=ballot.pk)
    assert_hidden()
    # The tally shows one abstention, never whose.
    ballot.refresh_from_db()
    assert {row["key"]: row["weight"] for row in ballot.result["options"]} == {
        "yes": 0,
        "no": 0,
        "abstain": 1,
    }
    # Staff are refused the choice too.
    voters = client.get(f"/api/v1/ballots/{ballot.pk}/voters/").json()
    assert [row["option"] for row in voters] == [None]


def test_an_open_ballot_shows_choices_once_counted(client, group, chair, seats):
    ballot = open_ballot(created_by=chair, group=group, quorum_percent=10)
    ballot_vote_cast(ballot=ballot, user=seats[0], option_id=option(ballot, "no"))
    client.force_login(seats[1])
    assert "No</strong>" not in client.get(ballot.get_absolute_url()).text
    close_now(ballot)
    ballot_close(ballot_id=ballot.pk)
    assert "No</strong>" in client.get(ballot.get_absolute_url()).text
    voters = client.get(f"/api/v1/ballots/{ballot.pk}/voters/").json()
    assert voters[0]["option"] == option(ballot, "no")


def test_admin_actions_call_the_services(client, group, chair, seats, staff_user):
    open_now = open_ballot(created_by=chair, group=group, question="Still open?")
    client.force_login(staff_user)
    url = reverse("admin:alliance_ballot_changelist")
    answer = client.post(
        url,
        {"action": "close_due", "_selected_action": [open_now.pk]},
        follow=True,
    )
    assert "not past its closing time" in answer.text
    answer = client.post(
        url, {"action": "cancel", "_selected_action": [open_now.pk]}, follow=True
    )
    assert "1 ballot cancelled." in answer.text
    open_now.refresh_from_db()
    assert open_now.status == Ballot.Status.CANCELLED


def test_api_opens_votes_and_refuses(client, group, chair, seats):
    client.force_login(seats[0])
    refused = client.post(
        "/api/v1/ballots/",
        {"group": group.slug, "question": "Q?", "closes_at": "2099-01-01T10:00Z"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert "chairs" in refused.json()["errors"]["detail"][0]
    client.force_login(chair)
    bad = client.post(
        "/api/v1/ballots/",
        {"group": group.slug, "question": "Q?", "closes_at": "2000-01-01T10:00Z"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "closes_at" in bad.json()["errors"]
    created = client.post(
        "/api/v1/ballots/",
        {
            "group": group.slug,
            "question": "Which logo?",
            "kind": "choice",
            "options": ["Round", "Square"],
            "closes_at": "2099-01-01T10:00Z",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert [o["label"] for o in body["options"]] == ["Round", "Square", "Abstain"]
    client.force_login(seats[0])
    voted = client.post(
        f"/api/v1/ballots/{body['id']}/vote/",
        {"option": body["options"][1]["id"]},
        content_type="application/json",
    )
    assert voted.status_code == 200, voted.json()
    client.force_login(UserFactory())
    refused = client.post(
        f"/api/v1/ballots/{body['id']}/vote/",
        {"option": body["options"][1]["id"]},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert "voting seats" in refused.json()["errors"]["detail"][0]


def test_api_names_a_delegate_who_then_votes(client, tiers):
    staff = UserFactory(is_staff=True)
    organization = OrganizationFactory(tier=tiers["general"])
    contact = primary_contact(organization)
    colleague = UserFactory(name="Cleo Colleague")
    AffiliationFactory(user=colleague, organization=organization)
    outsider = UserFactory()
    ballot = open_ballot(created_by=staff, question="Approve the policy?")
    url = f"/api/v1/ballots/{ballot.pk}/delegate/"
    body = {"organization": organization.pk, "delegate": colleague.pk}

    assert client.post(url, body, content_type="application/json").status_code in (
        401,
        403,
    )
    client.force_login(colleague)
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 403
    assert "primary contact" in refused.json()["errors"]["detail"][0]

    client.force_login(contact)
    stranger = client.post(
        url,
        {"organization": organization.pk, "delegate": outsider.pk},
        content_type="application/json",
    )
    assert stranger.status_code == 400
    assert "delegate" in stranger.json()["errors"]
    assert not BallotDelegate.objects.exists()

    named = client.post(url, body, content_type="application/json")
    assert named.status_code == 200, named.json()
    assert named.json() == {
        "organization": organization.name,
        "delegate": "Cleo Colleague",
        "named_by": contact.public_name,
    }
    client.force_login(colleague)
    voted = client.post(
        f"/api/v1/ballots/{ballot.pk}/vote/",
        {"option": option(ballot, "yes")},
        content_type="application/json",
    )
    assert voted.status_code == 200, voted.json()
    assert Vote.objects.get(ballot=ballot).voter == colleague
