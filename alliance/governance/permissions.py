"""Who may open ballots, vote in them and name a delegate: plain predicates that
return a refusal the person can read (or None)."""

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from alliance.governance.models import Ballot
from alliance.governance.selectors import VotingRight
from alliance.working_groups.selectors import user_chairs_group
from members.selectors import (
    user_primary_contact_of_non_member,
    user_primary_contact_organizations,
)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_open_group_ballot(user, group) -> bool:
    """Return whether the person may open a ballot of the group: its chairs
    and staff, while the group is active."""
    if group.status != "active" or not _signed_in(user):
        return False
    return user.is_staff or user_chairs_group(user, group)


def can_open_alliance_ballot(user) -> bool:
    """Return whether the person may open a ballot of the member organizations."""
    return _signed_in(user) and user.is_staff


def ballot_vote_refusal(user, ballot: Ballot, rights: list[VotingRight]) -> str | None:
    """Return why the person may not vote in the ballot now, or None."""
    if not _signed_in(user):
        return _("Sign in to vote.")
    if ballot.status == Ballot.Status.CANCELLED:
        return _("This ballot was cancelled.")
    if ballot.phase == "scheduled":
        return _("Voting opens on %(when)s.") % {
            "when": date_format(localtime(ballot.opens_at), "DATETIME_FORMAT")
        }
    if not ballot.accepts_votes():
        return _("This ballot is closed.")
    if any(right.may_vote for right in rights):
        return None
    if rights:
        return _("The voting seats of your organization have all voted.")
    if ballot.scope == Ballot.Scope.GROUP:
        return _("Only the holders of the group’s voting seats may vote.")
    if user_primary_contact_of_non_member(user):
        return _("Your organization’s membership is not active, so it cannot vote.")
    return _(
        "Only the primary contact of an active member organization, or the "
        "delegate they name, may vote."
    )


def can_name_delegate(user, ballot: Ballot, organization) -> bool:
    """Return whether the person may name the organization's delegate for the
    ballot: one of its primary contacts, while the ballot is not over."""
    if ballot.scope != Ballot.Scope.ALLIANCE or ballot.status != Ballot.Status.OPEN:
        return False
    return any(
        o.pk == organization.pk for o in user_primary_contact_organizations(user)
    )
