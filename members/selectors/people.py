"""Reads about one person: their part of "download everything about me" and
what the dashboard shows them about their membership."""

from allauth.account.models import EmailAddress
from django.db.models import Q

from alliance.core.memo import memoize
from members.models import (
    Affiliation,
    ApiToken,
    EmailDomain,
    Invitation,
    MembershipApplication,
    Organization,
    User,
)
from members.selectors import (
    CONTACT_ORGANIZATION_IDS,
    MEMBER_ORGANIZATIONS,
    user_affiliations,
    user_verified_addresses,
)


def _iso(value):
    return value.isoformat() if value else None


def _to_any_of(addresses) -> Q:
    """Invitations sent to any of the addresses, in any letter case."""
    condition = Q(pk__in=[])
    for address in addresses:
        condition |= Q(email__iexact=address)
    return condition


def user_personal_data(user: User) -> dict:
    """Return everything the members app holds about the person, as JSON data."""
    affiliations = Affiliation.objects.filter(user=user).select_related("organization")
    applications = MembershipApplication.objects.filter(
        applicant=user
    ).prefetch_related("focus_areas")
    addresses = user_verified_addresses(user)
    return {
        "profile": {
            "email": user.email,
            "name": user.name,
            "display_name": user.display_name,
            "bio": user.bio,
            "language": user.language,
            "timezone": str(user.timezone),
            "directory_visibility": user.directory_visibility,
            "show_email": user.show_email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "affiliations": [
            {
                "organization": a.organization.name,
                "role": a.role,
                "status": a.status,
                "source": a.source,
                "started_at": _iso(a.started_at),
                "ended_at": _iso(a.ended_at),
            }
            for a in affiliations
        ],
        "membership_applications": [
            {
                "organization_name": a.organization_name,
                "kind": a.kind,
                "country": a.country.code,
                "website": a.website,
                "description": a.description,
                "contribution": a.contribution,
                "focus_areas": [f.slug for f in a.focus_areas.all()],
                "status": a.status,
                "submitted_at": _iso(a.submitted_at),
                "decided_at": _iso(a.decided_at),
                "decision_reason": a.decision_reason,
            }
            for a in applications
        ],
        "invitations_received": [
            {
                "organization": i.organization.name,
                "role": i.role,
                "sent_at": _iso(i.created_at),
                "accepted_at": _iso(i.accepted_at),
            }
            for i in Invitation.objects.filter(_to_any_of(addresses)).select_related(
                "organization"
            )
        ],
        "invitations_sent": [
            {
                "organization": i.organization.name,
                "email": i.email,
                "role": i.role,
                "sent_at": _iso(i.created_at),
            }
            for i in Invitation.objects.filter(invited_by=user).select_related(
                "organization"
            )
        ],
        "email_domains_added": list(
            EmailDomain.objects.filter(added_by=user).values_list("domain", flat=True)
        ),
        "api_tokens": [
            {
                "name": t.name,
                "prefix": t.prefix,
                "created_at": _iso(t.created_at),
                "last_used_at": _iso(t.last_used_at),
                "revoked_at": _iso(t.revoked_at),
            }
            for t in ApiToken.objects.filter(user=user)
        ],
    }


def user_membership_overview(user: User) -> dict:
    """Return what the dashboard shows the person about their membership: their
    affiliations, their applications and, for contacts, who awaits approval."""
    affiliations = list(user_affiliations(user))
    # The same rule as user_contact_organization_ids, read off the list at hand
    # (and kept for the permission checks that follow on the page).
    contact_of = memoize(
        user,
        CONTACT_ORGANIZATION_IDS,
        lambda: {
            a.organization_id
            for a in affiliations
            if a.status == Affiliation.Status.ACTIVE
            and a.role in Affiliation.CONTACT_ROLES
            and a.organization.status != Organization.Status.FORMER
        },
    )
    # Also the person's active member organizations (user_member_organizations),
    # read off the same list, so the dashboard's other sections ask no more.
    memoize(
        user,
        MEMBER_ORGANIZATIONS,
        lambda: list(
            {
                a.organization_id: a.organization
                for a in affiliations
                if a.status == Affiliation.Status.ACTIVE
                and a.organization.status == Organization.Status.ACTIVE
            }.values()
        ),
    )
    pending = {}
    if contact_of:
        for affiliation in Affiliation.objects.filter(
            organization_id__in=contact_of, status=Affiliation.Status.PENDING
        ).select_related("organization"):
            pending.setdefault(affiliation.organization, 0)
            pending[affiliation.organization] += 1
    applications = list(
        MembershipApplication.objects.filter(applicant=user)
        .select_related("organization")
        .order_by("-created_at")[:5]
    )
    return {
        "affiliations": affiliations,
        "contact_of": contact_of,
        "pending_approvals": sorted(pending.items(), key=lambda item: item[0].name),
        "applications": applications,
    }
