"""Reads behind an organization's own management page."""

from django.utils import timezone

from members.models import Affiliation, EmailDomain, Invitation, Organization
from members.selectors import organization_contact_limit


def organization_manage_overview(organization: Organization) -> dict:
    """Return the organization's pending and active people, open invitations,
    email domains and how many contact seats it uses of its tier's limit."""
    affiliations = list(
        Affiliation.objects.filter(
            organization=organization, status__in=Affiliation.OPEN_STATUSES
        )
        .select_related("user")
        .order_by("role", "user__name", "user__email")
    )
    invitations = list(
        Invitation.objects.filter(
            organization=organization,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )
    contact_seats = sum(
        1 for a in affiliations if a.role in Affiliation.CONTACT_ROLES
    ) + sum(1 for i in invitations if i.role in Affiliation.CONTACT_ROLES)
    return {
        "pending": [a for a in affiliations if a.status == Affiliation.Status.PENDING],
        "active": [a for a in affiliations if a.status == Affiliation.Status.ACTIVE],
        "invitations": invitations,
        "domains": list(
            EmailDomain.objects.filter(organization=organization).order_by("domain")
        ),
        "contact_seats": contact_seats,
        "contact_limit": organization_contact_limit(organization),
    }
