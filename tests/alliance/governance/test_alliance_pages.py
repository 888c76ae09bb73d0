"""Alliance ballots on the site: staff open one, a primary contact names a
delegate, the delegate votes for the organization with its tier's weight, and a
lapsed organization's contact is told why they cannot vote."""

from django.urls import reverse

from alliance.governance.models import Ballot, BallotDelegate, Vote
from tests.alliance.governance.conftest import primary_contact
from tests.alliance.governance.test_ballots import option
from tests.members.factories import AffiliationFactory, OrganizationFactory, UserFactory


def test_staff_open_an_alliance_ballot_and_a_delegate_votes(
    client, tiers, staff_user, lapsed_organization
):
    founding = OrganizationFactory(tier=tiers["founding"])
    contact = primary_contact(founding)
    delegate = UserFactory(name="Dana Delegate")
    AffiliationFactory(user=delegate, organization=founding)
    lapsed_contact = primary_contact(lapsed_organization)

    client.force_login(contact)
    assert client.get(reverse("alliance:ballot_create")).status_code == 403
    client.force_login(staff_user)
    answer = client.post(
        reverse("alliance:ballot_create"),
        {
            "question": "Elect the board?",
            "kind": "choice",
            "options": "Slate A\nSlate B",
            "quorum_percent": "40",
            "pass_rule": "two_thirds",
            "closes_at": "2099-01-01T10:00",
        },
    )
    assert answer.status_code == 302
    ballot = Ballot.objects.get()
    assert ballot.scope == Ballot.Scope.ALLIANCE

    client.force_login(lapsed_contact)
    page = client.get(ballot.get_absolute_url())
    assert page.status_code == 404  # not a member: alliance ballots are hidden

    client.force_login(contact)
    page = client.get(ballot.get_absolute_url())
    assert "(weight 3)" in page.text
    client.post(
        reverse("alliance:ballot_delegate", args=[ballot.pk]),
        {"organization": founding.pk, "delegate": delegate.pk},
    )
    assert BallotDelegate.objects.get(ballot=ballot).delegate == delegate

    client.force_login(delegate)
    answer = client.post(
        reverse("alliance:ballot_vote", args=[ballot.pk]),
        {"option": option(ballot, text="Slate B"), "organization": founding.pk},
    )
    assert answer.status_code == 302
    vote = Vote.objects.get(ballot=ballot)
    assert (vote.organization, vote.weight, vote.voter) == (founding, 3, delegate)


def test_a_lapsed_organizations_contact_who_is_a_member_elsewhere_is_told_why(
    client, tiers, staff_user, lapsed_organization
):
    import datetime as dt

    from django.utils import timezone

    from alliance.governance.services import ballot_open

    ballot = ballot_open(
        created_by=staff_user,
        question="Approve the budget?",
        closes_at=timezone.now() + dt.timedelta(days=1),
    )
    person = primary_contact(lapsed_organization)
    AffiliationFactory(user=person, organization=OrganizationFactory())  # a member
    client.force_login(person)
    answer = client.post(
        reverse("alliance:ballot_vote", args=[ballot.pk]),
        {"option": option(ballot, "yes")},
    )
    assert answer.status_code == 403
    assert "membership is not active, so it cannot vote." in answer.text
    assert not Vote.objects.exists()
