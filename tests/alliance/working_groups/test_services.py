"""Joining, leaving, requests, invitations and the voting-seat cap."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from alliance.registries.personal_data import account_closed_run, personal_data_collect
from alliance.working_groups.models import (
    ActionItem,
    WorkingGroup,
    WorkingGroupMembership,
    WorkingGroupUpdate,
)
from alliance.working_groups.selectors import action_item_list_open
from alliance.working_groups.services import (
    ActionItemInput,
    action_item_set_done,
    working_group_invitation_respond,
    working_group_invite,
    working_group_join,
    working_group_leave,
    working_group_request_decide,
    working_group_set_role,
    working_group_update_post,
)
from members.models import Organization, Tier
from members.services.organizations import organization_set_status
from members.services.renewals import renewals_process
from tests.alliance.factories import WorkingGroupFactory, WorkingGroupMembershipFactory
from tests.alliance.working_groups.conftest import organization_member
from tests.members.factories import MemberFactory, OrganizationFactory, UserFactory

M = WorkingGroupMembership
P = WorkingGroup.JoinPolicy


def test_open_group_takes_a_member_at_once_with_a_vote(group):
    person = MemberFactory()
    membership = working_group_join(group=group, user=person)
    assert membership.status == M.Status.ACTIVE
    assert membership.role == M.Role.MEMBER
    assert membership.voting is True
    assert membership.organization == person.affiliations.get().organization


def test_voting_seats_are_capped_per_organization_by_tier(group):
    general = OrganizationFactory()  # the "general" tier: one seat per group
    first = working_group_join(group=group, user=organization_member(general))
    second = working_group_join(group=group, user=organization_member(general))
    assert first.voting is True
    assert second.voting is False
    assert second.non_voting_reason == M.NonVotingReason.SEAT_CAP
    # Another organization's seats are counted on their own.
    other = working_group_join(group=group, user=MemberFactory())
    assert other.voting is True


def test_founding_tier_has_two_voting_seats(group):
    founding = OrganizationFactory(tier=Tier.objects.get(slug="founding"))
    votes = [
        working_group_join(group=group, user=organization_member(founding)).voting
        for _ in range(3)
    ]
    assert votes == [True, True, False]


def test_a_lapse_ends_votes_and_reactivation_restores_them_within_the_cap(group):
    # Issue 17, item 3: people of a lapsed organization kept their votes.
    general = OrganizationFactory()  # one seat per group
    first = working_group_join(group=group, user=organization_member(general))
    second = working_group_join(group=group, user=organization_member(general))
    other = working_group_join(group=group, user=MemberFactory())
    organization_set_status(organization=general, status=Organization.Status.LAPSED)
    for seat in (first, second):
        seat.refresh_from_db()
        assert (seat.voting, seat.non_voting_reason) == (
            False,
            M.NonVotingReason.NO_ORGANIZATION,
        )
    other.refresh_from_db()
    assert other.voting is True
    organization_set_status(organization=general, status=Organization.Status.ACTIVE)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.voting is True  # the longest-serving, within the one seat
    assert (second.voting, second.non_voting_reason) == (
        False,
        M.NonVotingReason.SEAT_CAP,
    )
    # The nightly renewal run lapses an overdue membership the same way.
    Organization.objects.filter(pk=general.pk).update(
        renewal_due=datetime.date(2000, 1, 1)
    )
    renewals_process()
    first.refresh_from_db()
    assert first.voting is False


def test_a_tier_without_voting_seats_gives_no_vote(group):
    tier = Tier.objects.create(
        name="Supporter", slug="supporter", rank=9, voting_seats_per_group=0
    )
    membership = working_group_join(
        group=group, user=organization_member(OrganizationFactory(tier=tier))
    )
    assert membership.status == M.Status.ACTIVE
    assert (membership.voting, membership.non_voting_reason) == (False, "seat_cap")


def test_a_freed_voting_seat_passes_to_the_longest_waiting_member(group):
    organization = OrganizationFactory()
    voter = organization_member(organization)
    working_group_join(group=group, user=voter)
    waiting = working_group_join(group=group, user=organization_member(organization))
    later = working_group_join(group=group, user=organization_member(organization))
    working_group_leave(group=group, user=voter)
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert (waiting.voting, waiting.non_voting_reason) == (True, "")
    assert later.voting is False


def test_joiner_with_two_organizations_takes_the_one_with_a_free_seat(group):
    busy, free = OrganizationFactory(name="A busy org"), OrganizationFactory()
    working_group_join(group=group, user=organization_member(busy))
    person = organization_member(busy)
    from tests.members.factories import AffiliationFactory

    AffiliationFactory(user=person, organization=free)
    membership = working_group_join(group=group, user=person)
    assert membership.organization == free
    assert membership.voting is True


def test_joiner_cannot_claim_an_organization_they_do_not_belong_to(group):
    person = MemberFactory()
    with pytest.raises(ValidationError) as caught:
        working_group_join(group=group, user=person, organization=OrganizationFactory())
    assert "organization" in caught.value.message_dict
    assert not M.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    ("policy", "message"),
    [(P.CLOSED, "closed"), (P.INVITATION, "invitation only")],
)
def test_closed_and_invitation_groups_refuse_joins(db, policy, message):
    group = WorkingGroupFactory(join_policy=policy)
    with pytest.raises(ValidationError, match=message):
        working_group_join(group=group, user=MemberFactory())
    assert not M.objects.filter(group=group).exists()


def test_archived_group_refuses_joins(db):
    group = WorkingGroupFactory(status=WorkingGroup.Status.ARCHIVED)
    with pytest.raises(ValidationError, match="archived"):
        working_group_join(group=group, user=MemberFactory())


def test_people_of_a_lapsed_organization_cannot_join_as_members(group):
    lapsed = OrganizationFactory(status=Organization.Status.LAPSED)
    with pytest.raises(ValidationError, match="active member organization"):
        working_group_join(group=group, user=organization_member(lapsed))


def test_anyone_signed_in_may_ask_to_observe_and_a_chair_admits_them(group, chair):
    outsider = UserFactory()
    request = working_group_join(group=group, user=outsider, as_observer=True)
    assert (request.status, request.role) == (M.Status.PENDING, M.Role.OBSERVER)
    admitted = working_group_request_decide(
        membership=request, decided_by=chair, approve=True, note="Welcome"
    )
    assert admitted.status == M.Status.ACTIVE
    assert (admitted.voting, admitted.non_voting_reason) == (False, "observer")
    assert admitted.decided_by == chair


def test_approval_group_creates_a_request_and_approval_applies_the_cap(db):
    group = WorkingGroupFactory(join_policy=P.APPROVAL)
    chair = MemberFactory()
    WorkingGroupMembershipFactory(group=group, user=chair, role=M.Role.CHAIR)
    organization = OrganizationFactory()
    working_group_join(group=group, user=organization_member(organization))
    working_group_request_decide(
        membership=M.objects.get(group=group, status=M.Status.PENDING),
        decided_by=chair,
        approve=True,
    )
    second = working_group_join(group=group, user=organization_member(organization))
    assert second.status == M.Status.PENDING
    second = working_group_request_decide(
        membership=second, decided_by=chair, approve=True
    )
    assert second.status == M.Status.ACTIVE
    assert (second.voting, second.non_voting_reason) == (False, "seat_cap")


def test_a_request_is_decided_once(group, chair):
    request = working_group_join(
        group=group, user=MemberFactory(), as_observer=True, message="Hi"
    )
    working_group_request_decide(
        membership=request, decided_by=chair, approve=False, note="Not now"
    )
    request.refresh_from_db()
    assert (request.status, request.note) == (M.Status.DECLINED, "Not now")
    with pytest.raises(ValidationError, match="already been decided"):
        working_group_request_decide(membership=request, decided_by=chair, approve=True)


def test_approving_someone_whose_organization_lapsed_meanwhile_is_refused(db):
    group = WorkingGroupFactory(join_policy=P.APPROVAL)
    organization = OrganizationFactory()
    person = organization_member(organization)
    request = working_group_join(group=group, user=person)
    Organization.objects.filter(pk=organization.pk).update(
        status=Organization.Status.LAPSED
    )
    with pytest.raises(ValidationError, match="admit them as an observer"):
        working_group_request_decide(
            membership=request, decided_by=UserFactory(is_staff=True), approve=True
        )
    observer = working_group_request_decide(
        membership=request,
        decided_by=UserFactory(is_staff=True),
        approve=True,
        role=M.Role.OBSERVER,
    )
    assert (observer.status, observer.role) == (M.Status.ACTIVE, M.Role.OBSERVER)


def test_invitation_group_joins_only_through_an_invitation(chair):
    group = chair.group_memberships.get().group
    group.join_policy = P.INVITATION
    group.save()
    person = MemberFactory()
    invitation = working_group_invite(group=group, invited_by=chair, user=person)
    assert invitation.status == M.Status.INVITED
    # Clicking "join" with an open invitation accepts it.
    membership = working_group_join(group=group, user=person)
    assert membership.pk == invitation.pk
    assert (membership.status, membership.voting) == (M.Status.ACTIVE, True)


def test_inviting_a_non_member_as_member_is_refused_but_as_observer_works(group, chair):
    outsider = UserFactory()
    with pytest.raises(ValidationError, match="invite them as an observer"):
        working_group_invite(group=group, invited_by=chair, user=outsider)
    invitation = working_group_invite(
        group=group, invited_by=chair, user=outsider, role=M.Role.OBSERVER
    )
    declined = working_group_invitation_respond(membership=invitation, accept=False)
    assert declined.status == M.Status.DECLINED


def test_inviting_someone_already_in_the_group_says_so(group, chair):
    with pytest.raises(ValidationError, match="already in this group"):
        working_group_invite(group=group, invited_by=chair, user=chair)


def test_closed_group_takes_no_invitations(chair):
    group = chair.group_memberships.get().group
    WorkingGroup.objects.filter(pk=group.pk).update(join_policy=P.CLOSED)
    with pytest.raises(ValidationError, match="closed"):
        working_group_invite(group=group, invited_by=chair, user=MemberFactory())


def test_leave_withdraws_a_request_and_ends_a_membership(group):
    person = MemberFactory()
    membership = working_group_join(group=group, user=person)
    left = working_group_leave(group=group, user=person)
    assert left.pk == membership.pk
    assert left.status == M.Status.LEFT
    assert left.term_end is not None
    with pytest.raises(ValidationError, match="not in this working group"):
        working_group_leave(group=group, user=person)
    # Rejoining after leaving starts a new membership; the old one is kept.
    working_group_join(group=group, user=person)
    assert M.objects.filter(group=group, user=person).count() == 2


def test_joining_twice_is_refused(group):
    person = MemberFactory()
    working_group_join(group=group, user=person)
    with pytest.raises(ValidationError, match="already in this working group"):
        working_group_join(group=group, user=person)


def test_minutes_with_action_items_reach_the_owners_open_list(group, chair):
    member = MemberFactory()
    working_group_join(group=group, user=member)
    due = datetime.date(2030, 1, 31)
    update = working_group_update_post(
        group=group,
        author=chair,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title="March meeting",
        body="We met.",
        meeting_date=datetime.date(2030, 1, 10),
        action_items=[
            ActionItemInput(text="Write the draft", owner=member, due_date=due)
        ],
    )
    items = list(action_item_list_open(user=member))
    assert [(i.text, i.due_date, i.update) for i in items] == [
        ("Write the draft", due, update)
    ]
    action_item_set_done(item=items[0])
    assert list(action_item_list_open(user=member)) == []
    assert ActionItem.objects.get().done_at is not None


def test_update_post_refuses_bad_input_and_writes_nothing(group, chair):
    outsider = MemberFactory()
    with pytest.raises(ValidationError) as caught:
        working_group_update_post(
            group=group,
            author=chair,
            kind=WorkingGroupUpdate.Kind.NEWS,
            title=" ",
            body="",
            action_items=[ActionItemInput(text="x", owner=outsider)],
        )
    assert set(caught.value.message_dict) == {"title", "body", "action_items"}
    assert not WorkingGroupUpdate.objects.exists()
    assert not ActionItem.objects.exists()


def test_update_title_with_a_bidirectional_override_is_refused(group, chair):
    # Issue 17, item 20.
    with pytest.raises(ValidationError) as refused:
        working_group_update_post(
            group=group,
            author=chair,
            kind=WorkingGroupUpdate.Kind.NEWS,
            title="Decision \u202edevorppa",
            body="Text.",
        )
    assert "title" in refused.value.error_dict
    assert not WorkingGroupUpdate.objects.exists()


def test_closing_an_account_ends_memberships_and_passes_the_vote_on(group):
    organization = OrganizationFactory()
    leaver = organization_member(organization)
    working_group_join(group=group, user=leaver)
    successor = working_group_join(group=group, user=organization_member(organization))
    other = WorkingGroupFactory(join_policy=P.APPROVAL)
    working_group_join(group=other, user=leaver)
    account_closed_run(leaver)
    assert not M.objects.filter(user=leaver, status__in=M.OPEN_STATUSES).exists()
    successor.refresh_from_db()
    assert successor.voting is True


def test_personal_data_lists_memberships_updates_and_action_items(group, chair):
    working_group_update_post(
        group=group,
        author=chair,
        kind=WorkingGroupUpdate.Kind.MINUTES,
        title="Kick-off",
        body="Notes",
        action_items=[ActionItemInput(text="Book a room", owner=chair)],
    )
    data = personal_data_collect(chair)["working_groups"]
    assert data["memberships"][0]["group"] == group.name
    assert data["memberships"][0]["role"] == "chair"
    assert data["updates_posted"][0]["title"] == "Kick-off"
    assert data["action_items"][0]["text"] == "Book a room"


def test_an_observer_without_a_member_organization_cannot_become_a_member(group):
    outsider = WorkingGroupMembershipFactory(
        group=group,
        user=UserFactory(),
        organization=None,
        role=M.Role.OBSERVER,
        voting=False,
    )
    with pytest.raises(ValidationError, match="can only observe"):
        working_group_set_role(
            membership=outsider, role=M.Role.MEMBER, changed_by=UserFactory()
        )
    outsider.refresh_from_db()
    assert outsider.role == M.Role.OBSERVER


def test_a_chair_keeps_their_vote_and_an_unknown_role_is_refused(group):
    voter = WorkingGroupMembershipFactory(group=group, voting=True)
    staff = UserFactory(is_staff=True)
    chair = working_group_set_role(
        membership=voter, role=M.Role.CHAIR, changed_by=staff
    )
    assert (chair.role, chair.voting) == (M.Role.CHAIR, True)
    with pytest.raises(ValidationError):
        working_group_set_role(membership=voter, role="king", changed_by=staff)
