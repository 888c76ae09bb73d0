"""Writes to organizations: create, edit, logo, activate, renew, change state."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from alliance.notifications.services.activities import activity_record
from members.logos import logo_reencode
from members.models import Organization, Tier
from members.selectors import organization_primary_contacts

MEMBERSHIP_TERM = datetime.timedelta(days=365)
EDITABLE_FIELDS = ("website", "description")


def organization_slug_for(name: str, *, exclude_pk: int | None = None) -> str:
    """Return a free slug for an organization's name."""
    base = slugify(name)[:190] or "organization"
    taken = set(
        Organization.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    ) | set(Organization.RESERVED_SLUGS)
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def default_tier_for(kind: str) -> Tier | None:
    """Return the tier an organization of this kind joins in unless staff choose."""
    slug = "general" if kind == Organization.Kind.COMPANY else "academic-non-profit"
    return (
        Tier.objects.filter(slug=slug).first() or Tier.objects.order_by("rank").last()
    )


@transaction.atomic
def organization_create(
    *,
    name: str,
    kind: str,
    country: str,
    website: str = "",
    description: str = "",
    tier: Tier | None = None,
    status: str = Organization.Status.APPLICANT,
    member_since: datetime.date | None = None,
    renewal_due: datetime.date | None = None,
    focus_areas=(),
    slug: str = "",
) -> Organization:
    """Create an organization (an applicant unless told otherwise)."""
    organization = Organization(
        name=name.strip(),
        slug=slug or organization_slug_for(name),
        kind=kind,
        country=country,
        website=website,
        description=description,
        tier=tier,
        status=status,
        member_since=member_since,
        renewal_due=renewal_due,
    )
    organization.full_clean()
    organization.save()
    if focus_areas:
        organization.focus_areas.set(focus_areas)
    return organization


@transaction.atomic
def organization_update(*, organization: Organization, **fields) -> Organization:
    """Change what the organization's contacts may edit: website and description."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(organization, name, value)
    organization.full_clean(exclude=["logo"])
    organization.save(update_fields=[*fields, "updated_at"])
    return organization


@transaction.atomic
def organization_logo_set(*, organization: Organization, logo) -> Organization:
    """Replace the organization's logo with the re-encoded upload (None removes it)."""
    old = organization.logo.name if organization.logo else ""
    if logo is None:
        organization.logo = ""
    else:
        encoded = logo_reencode(logo, slug=organization.slug)
        organization.logo.save(encoded.name, encoded, save=False)
    organization.save(update_fields=["logo", "updated_at"])
    if old:
        storage = organization.logo.storage
        transaction.on_commit(lambda: storage.delete(old))
    return organization


@transaction.atomic
def organization_activate(
    *,
    organization: Organization,
    tier: Tier | None = None,
    today: datetime.date | None = None,
) -> Organization:
    """Make the organization an active member with a tier and a renewal date a
    year ahead (unless one is already set in the future)."""
    today = today or timezone.localdate()
    if organization.status == Organization.Status.ACTIVE and tier is None:
        return organization
    organization.tier = tier or organization.tier or default_tier_for(organization.kind)
    organization.status = Organization.Status.ACTIVE
    organization.member_since = organization.member_since or today
    if organization.renewal_due is None or organization.renewal_due <= today:
        organization.renewal_due = today + MEMBERSHIP_TERM
    organization.save(
        update_fields=["tier", "status", "member_since", "renewal_due", "updated_at"]
    )
    return organization


@transaction.atomic
def organization_renew(
    *, organization: Organization, today: datetime.date | None = None
) -> Organization:
    """Extend the membership by a year from its renewal date (or from today when
    it has lapsed) and make it active again."""
    today = today or timezone.localdate()
    if organization.status == Organization.Status.FORMER:
        raise ValidationError(
            _("%(name)s is a former member; it must apply again.")
            % {"name": organization.name}
        )
    start = organization.renewal_due
    if start is None or start < today:
        start = today
    organization.renewal_due = start + MEMBERSHIP_TERM
    organization.status = Organization.Status.ACTIVE
    organization.member_since = organization.member_since or today
    organization.save(
        update_fields=["renewal_due", "status", "member_since", "updated_at"]
    )
    return organization


@transaction.atomic
def organization_set_status(
    *,
    organization: Organization,
    status: str,
    reason: str = "",
    actor=None,
) -> Organization:
    """Put the organization into another membership state (lapsed, suspended…).

    The reason is kept in the organization's history; when the organization
    leaves active membership its primary contacts are told, with the reason."""
    if status not in Organization.Status.values:
        raise ValidationError(_("Unknown status: %(status)s") % {"status": status})
    reason = reason.strip()
    organization._change_reason = reason[:100] or None  # simple_history's column
    if status == Organization.Status.ACTIVE:
        return organization_activate(organization=organization)
    was_active = organization.is_active_member
    organization.status = status
    organization.save(update_fields=["status", "updated_at"])
    if was_active:
        activity_record(
            kind="membership_lapsed",
            actor=actor,
            target=organization,
            recipients=organization_primary_contacts(organization),
            context={
                "name": organization.name,
                "status": status,
                "reason": reason,
                "url": organization.get_absolute_url(),
            },
        )
    return organization
