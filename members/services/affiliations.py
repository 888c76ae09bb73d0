"""Writes to affiliations: who belongs to which organization, in which role."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.core.memo import memo_forget
from alliance.notifications.services.activities import activity_record
from members.models import Affiliation, Invitation, Organization, User
from members.selectors import (
    PERSON_MEMOS,
    organization_contact_limit,
    organization_contacts,
)


def _forget_person_memos(affiliation: Affiliation) -> None:
    # Only a person already loaded with the affiliation can hold memos for this
    # request (the view's select_related); loading them just to forget would
    # cost a query.
    if Affiliation.user.is_cached(affiliation):
        memo_forget(affiliation.user, *PERSON_MEMOS)


def _contact_seats_taken(
    organization: Organization,
    *,
    exclude_affiliation: Affiliation | None = None,
    exclude_invitation: Invitation | None = None,
) -> int:
    affiliations = Affiliation.objects.filter(
        organization=organization,
        status__in=Affiliation.OPEN_STATUSES,
        role__in=Affiliation.CONTACT_ROLES,
    )
    if exclude_affiliation is not None:
        affiliations = affiliations.exclude(pk=exclude_affiliation.pk)
    invitations = Invitation.objects.filter(
        organization=organization,
        role__in=Affiliation.CONTACT_ROLES,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    )
    if exclude_invitation is not None:
        invitations = invitations.exclude(pk=exclude_invitation.pk)
    return affiliations.count() + invitations.count()


def contact_seat_check(
    *,
    organization: Organization,
    role: str,
    exclude_affiliation: Affiliation | None = None,
    exclude_invitation: Invitation | None = None,
) -> None:
    """Raise ValidationError when naming one more contact would pass the tier's
    limit (members are never limited)."""
    if role not in Affiliation.CONTACT_ROLES:
        return
    # Lock the organization so two contacts cannot take the last seat at once.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    limit = organization_contact_limit(organization)
    taken = _contact_seats_taken(
        organization,
        exclude_affiliation=exclude_affiliation,
        exclude_invitation=exclude_invitation,
    )
    if taken >= limit:
        raise ValidationError(
            {
                "role": _(
                    "%(name)s may name %(limit)s contacts and has %(taken)s "
                    "(including open invitations). Make someone a member or end "
                    "an affiliation first."
                )
                % {"name": organization.name, "limit": limit, "taken": taken}
            }
        )


def _keeps_a_primary_contact(affiliation: Affiliation) -> bool:
    if (
        affiliation.role != Affiliation.Role.PRIMARY_CONTACT
        or affiliation.status != Affiliation.Status.ACTIVE
    ):
        return True
    return (
        Affiliation.objects.filter(
            organization_id=affiliation.organization_id,
            role=Affiliation.Role.PRIMARY_CONTACT,
            status=Affiliation.Status.ACTIVE,
        )
        .exclude(pk=affiliation.pk)
        .exists()
    )


@transaction.atomic
def affiliation_create(
    *,
    user: User,
    organization: Organization,
    role: str = Affiliation.Role.MEMBER,
    status: str = Affiliation.Status.ACTIVE,
    source: str = Affiliation.Source.STAFF,
) -> Affiliation:
    """Affiliate the person with the organization, or update their open
    affiliation (a pending one becomes active when ``status`` is active)."""
    existing = (
        Affiliation.objects.select_for_update()
        .filter(user=user, organization=organization)
        .exclude(status=Affiliation.Status.ENDED)
        .first()
    )
    if existing is not None:
        changed = []
        if existing.role != role and existing.role not in Affiliation.CONTACT_ROLES:
            # A member may be promoted this way; a contact keeps their role.
            contact_seat_check(
                organization=organization, role=role, exclude_affiliation=existing
            )
            existing.role = role
            changed.append("role")
        if (
            status == Affiliation.Status.ACTIVE
            and existing.status == Affiliation.Status.PENDING
        ):
            existing.status = Affiliation.Status.ACTIVE
            existing.started_at = timezone.now()
            changed += ["status", "started_at"]
        if changed:
            existing.save(update_fields=changed)
            memo_forget(user, *PERSON_MEMOS)
        return existing
    contact_seat_check(organization=organization, role=role)
    memo_forget(user, *PERSON_MEMOS)
    return Affiliation.objects.create(
        user=user, organization=organization, role=role, status=status, source=source
    )


@transaction.atomic
def affiliation_approve(*, affiliation: Affiliation) -> Affiliation:
    """Accept a pending person into the organization."""
    if affiliation.status != Affiliation.Status.PENDING:
        raise ValidationError(_("Only a pending affiliation can be approved."))
    contact_seat_check(
        organization=affiliation.organization,
        role=affiliation.role,
        exclude_affiliation=affiliation,
    )
    affiliation.status = Affiliation.Status.ACTIVE
    affiliation.started_at = timezone.now()
    affiliation.save(update_fields=["status", "started_at"])
    _forget_person_memos(affiliation)
    return affiliation


@transaction.atomic
def affiliation_decline(*, affiliation: Affiliation) -> Affiliation:
    """Turn down a pending person."""
    if affiliation.status != Affiliation.Status.PENDING:
        raise ValidationError(_("Only a pending affiliation can be declined."))
    affiliation.status = Affiliation.Status.ENDED
    affiliation.ended_at = timezone.now()
    affiliation.save(update_fields=["status", "ended_at"])
    return affiliation


@transaction.atomic
def affiliation_change_role(*, affiliation: Affiliation, role: str) -> Affiliation:
    """Give the person another role, within the tier's contact limit."""
    if role not in Affiliation.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if affiliation.status == Affiliation.Status.ENDED:
        raise ValidationError(_("This affiliation has ended."))
    if role == affiliation.role:
        return affiliation
    if role in Affiliation.CONTACT_ROLES and affiliation.role not in (
        Affiliation.CONTACT_ROLES
    ):
        contact_seat_check(
            organization=affiliation.organization,
            role=role,
            exclude_affiliation=affiliation,
        )
    if not _keeps_a_primary_contact(affiliation):
        raise ValidationError(
            {
                "role": _(
                    "%(person)s is the only primary contact; make someone else "
                    "primary contact first."
                )
                % {"person": affiliation.user.public_name}
            }
        )
    affiliation.role = role
    affiliation.save(update_fields=["role"])
    _forget_person_memos(affiliation)
    return affiliation


@transaction.atomic
def affiliation_end(
    *, affiliation: Affiliation, allow_no_primary: bool = False
) -> Affiliation:
    """End the person's affiliation (they leave or are removed)."""
    if affiliation.status == Affiliation.Status.ENDED:
        return affiliation
    if not allow_no_primary and not _keeps_a_primary_contact(affiliation):
        raise ValidationError(
            _(
                "%(person)s is the only primary contact; make someone else primary "
                "contact first."
            )
            % {"person": affiliation.user.public_name}
        )
    affiliation.status = Affiliation.Status.ENDED
    affiliation.ended_at = timezone.now()
    affiliation.save(update_fields=["status", "ended_at"])
    _forget_person_memos(affiliation)
    return affiliation


@transaction.atomic
def affiliation_request(
    *,
    user: User,
    organization: Organization,
    source: str = Affiliation.Source.EMAIL_DOMAIN,
) -> Affiliation | None:
    """Affiliate the person as pending and ask the organization's contacts to
    approve; do nothing when they already have an open affiliation there."""
    if (
        Affiliation.objects.filter(user=user, organization=organization)
        .exclude(status=Affiliation.Status.ENDED)
        .exists()
    ):
        return None
    affiliation = Affiliation.objects.create(
        user=user,
        organization=organization,
        role=Affiliation.Role.MEMBER,
        status=Affiliation.Status.PENDING,
        source=source,
    )
    contacts = [a.user for a in organization_contacts(organization)]
    activity_record(
        kind="affiliation_requested",
        target=affiliation,
        actor=user,
        recipients=contacts,
        context={
            "person": user.public_name,
            "email": user.email,
            "organization": organization.name,
            "url": reverse(
                "members:organization_manage", kwargs={"slug": organization.slug}
            ),
        },
    )
    return affiliation
