"""Verified email domains: people who sign up with an address in one are
affiliated with its organization as pending, and its contacts asked to approve."""

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Affiliation, EmailDomain, Organization, User
from members.services.affiliations import affiliation_request

# Addresses anyone can get say nothing about where a person works.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com",
        "yahoo.com", "icloud.com", "me.com", "aol.com", "proton.me",
        "protonmail.com", "gmx.de", "gmx.net", "web.de", "t-online.de",
        "mail.com", "yandex.com", "qq.com", "163.com",
    }
)  # fmt: skip


def email_domain_normalize(value: str) -> str:
    """Return the domain in its stored form (lower case, no @); raise
    ValidationError when it is not a domain a contact may add."""
    domain = value.strip().lower().lstrip("@").rstrip(".")
    try:
        DomainNameValidator(accept_idna=True)(domain)
    except ValidationError:
        raise ValidationError(
            {"domain": _("Enter a domain such as example.org (without a name or @).")}
        ) from None
    if domain in FREE_MAIL_DOMAINS:
        raise ValidationError(
            {
                "domain": _(
                    "%(domain)s is a public email service; add your organization's "
                    "own domain."
                )
                % {"domain": domain}
            }
        )
    return domain


def _domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def _contact_holds_address_in(organization: Organization, domain: str) -> User | None:
    address = (
        EmailAddress.objects.filter(
            verified=True,
            email__iendswith=f"@{domain}",
            user__affiliations__organization=organization,
            user__affiliations__status=Affiliation.Status.ACTIVE,
            user__affiliations__role__in=Affiliation.CONTACT_ROLES,
        )
        .select_related("user")
        .first()
    )
    return address.user if address else None


@transaction.atomic
def email_domain_verify(
    *, email_domain: EmailDomain, verified_by: User | None = None
) -> EmailDomain:
    """Mark the domain verified for its organization (one organization per domain)."""
    if email_domain.is_verified:
        return email_domain
    taken = (
        EmailDomain.objects.filter(
            domain=email_domain.domain, verified_at__isnull=False
        )
        .exclude(pk=email_domain.pk)
        .select_related("organization")
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "domain": _("%(domain)s is already verified for %(name)s.")
                % {"domain": email_domain.domain, "name": taken.organization.name}
            }
        )
    email_domain.verified_at = timezone.now()
    email_domain.verified_by = verified_by
    email_domain.save(update_fields=["verified_at", "verified_by"])
    return email_domain


@transaction.atomic
def email_domain_add(
    *, organization: Organization, domain: str, added_by: User | None = None
) -> EmailDomain:
    """Add a domain to the organization; it is verified at once when one of its
    contacts holds a verified address in it."""
    domain = email_domain_normalize(domain)
    if EmailDomain.objects.filter(organization=organization, domain=domain).exists():
        raise ValidationError(
            {
                "domain": _("%(domain)s is already listed for %(name)s.")
                % {"domain": domain, "name": organization.name}
            }
        )
    email_domain = EmailDomain.objects.create(
        organization=organization, domain=domain, added_by=added_by
    )
    holder = _contact_holds_address_in(organization, domain)
    if holder is not None:
        email_domain_verify(email_domain=email_domain, verified_by=holder)
    return email_domain


@transaction.atomic
def email_domain_remove(*, email_domain: EmailDomain) -> None:
    """Remove the domain; people already affiliated stay affiliated."""
    email_domain.delete()


@transaction.atomic
def affiliation_request_by_domain(*, user: User) -> list[Affiliation]:
    """Affiliate the person as pending with every active organization that
    verified the domain of one of their verified addresses."""
    domains = {
        _domain_of(email)
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }
    if not domains:
        return []
    organizations = Organization.objects.filter(
        status=Organization.Status.ACTIVE,
        email_domains__domain__in=domains,
        email_domains__verified_at__isnull=False,
    ).distinct()
    created = []
    for organization in organizations:
        affiliation = affiliation_request(user=user, organization=organization)
        if affiliation is not None:
            created.append(affiliation)
    return created


@transaction.atomic
def email_address_confirmed(*, user: User, email: str) -> list[Affiliation]:
    """React to a newly verified address: verify the pending domains of the
    organizations the person is a contact of, then affiliate by domain."""
    domain = _domain_of(email)
    pending = EmailDomain.objects.filter(
        domain=domain,
        verified_at__isnull=True,
        organization__affiliations__user=user,
        organization__affiliations__status=Affiliation.Status.ACTIVE,
        organization__affiliations__role__in=Affiliation.CONTACT_ROLES,
    ).distinct()
    for email_domain in pending:
        try:
            email_domain_verify(email_domain=email_domain, verified_by=user)
        except ValidationError:
            continue  # verified for another organization already; staff decide
    return affiliation_request_by_domain(user=user)
