"""Membership applications: draft → submitted → under review → approved,
rejected or withdrawn. Staff decide; approval makes the organization a member."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.notifications.services.activities import activity_record
from members.models import (
    Affiliation,
    MembershipApplication,
    Organization,
    Tier,
    User,
)
from members.services.affiliations import affiliation_create
from members.services.organizations import organization_activate, organization_create

Status = MembershipApplication.Status
APPLICATION_FIELDS = (
    "organization_name",
    "kind",
    "country",
    "website",
    "description",
    "contribution",
)


def _context(application: MembershipApplication, **extra) -> dict:
    return {
        "organization": application.organization_name,
        "applicant": application.applicant.public_name,
        "url": reverse("members:application_detail", kwargs={"pk": application.pk}),
        **extra,
    }


def _staff() -> list[User]:
    return list(User.objects.filter(is_staff=True, is_active=True))


def _already_member(name: str) -> Organization | None:
    return Organization.objects.filter(
        name__iexact=name.strip(), status=Organization.Status.ACTIVE
    ).first()


@transaction.atomic
def application_save(
    *,
    applicant: User,
    application: MembershipApplication | None = None,
    focus_areas=(),
    accept_code_of_conduct: bool = False,
    accept_antitrust_policy: bool = False,
    submit: bool = False,
    **fields,
) -> MembershipApplication:
    """Create or change the applicant's draft; submit it when ``submit``."""
    unknown = set(fields) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValueError(f"Not application fields: {', '.join(sorted(unknown))}")
    if application is None:
        # One open application per person: concurrent submits of the same form
        # queue on the person's row, so the second sees the first and is told.
        User.objects.select_for_update().filter(pk=applicant.pk).first()
        if MembershipApplication.objects.filter(
            applicant=applicant, status__in=MembershipApplication.OPEN_STATUSES
        ).exists():
            raise ValidationError(
                _(
                    "You already have an open application; change or withdraw it "
                    "from your dashboard."
                )
            )
        application = MembershipApplication(applicant=applicant)
    elif application.status != Status.DRAFT:
        raise ValidationError(
            _("This application was submitted and can no longer be changed.")
        )
    for name, value in fields.items():
        setattr(application, name, value.strip() if isinstance(value, str) else value)
    now = timezone.now()
    application.accepted_code_of_conduct_at = now if accept_code_of_conduct else None
    application.accepted_antitrust_policy_at = now if accept_antitrust_policy else None
    # A draft may still be incomplete; application_submit insists on the rest.
    application.full_clean(
        exclude=[
            name
            for name in ("organization_name", "kind", "country")
            if not getattr(application, name)
        ]
    )
    application.save()
    application.focus_areas.set(focus_areas)
    if submit:
        application_submit(application=application)
    return application


@transaction.atomic
def application_submit(*, application: MembershipApplication) -> MembershipApplication:
    """Send a complete draft to staff for review."""
    if application.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    errors: dict[str, list[str]] = {}
    required = {
        "organization_name": _("Name the organization."),
        "kind": _("Say what kind of organization it is."),
        "country": _("Choose the country of its headquarters."),
        "contribution": _("Say how the organization will contribute."),
    }
    for field, message in required.items():
        if not getattr(application, field):
            errors[field] = [message]
    if not application.focus_areas.exists():
        errors["focus_areas"] = [_("Pick at least one focus area.")]
    if application.accepted_code_of_conduct_at is None:
        errors["accept_code_of_conduct"] = [
            _("Accept the code of conduct to submit the application.")
        ]
    if application.accepted_antitrust_policy_at is None:
        errors["accept_antitrust_policy"] = [
            _("Accept the antitrust policy to submit the application.")
        ]
    member = application.organization_name and _already_member(
        application.organization_name
    )
    if member:
        errors["organization_name"] = [
            _(
                "%(name)s is already a member. Ask one of its contacts to invite "
                "you instead."
            )
            % {"name": member.name}
        ]
    if errors:
        raise ValidationError(errors)
    application.status = Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    activity_record(
        kind="application_submitted",
        target=application,
        actor=application.applicant,
        recipients=_staff(),
        context=_context(
            application,
            url=reverse(
                "admin:members_membershipapplication_change", args=[application.pk]
            ),
        ),
    )
    return application


@transaction.atomic
def application_review_start(
    *, application: MembershipApplication, reviewer: User
) -> MembershipApplication:
    """Mark a submitted application as being reviewed by staff."""
    if application.status != Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted application can be taken into review.")
        )
    application.status = Status.UNDER_REVIEW
    application.decided_by = reviewer
    application.save(update_fields=["status", "decided_by", "updated_at"])
    return application


def _organization_for(application: MembershipApplication, tier: Tier | None):
    existing = Organization.objects.filter(
        name__iexact=application.organization_name
    ).first()
    if existing is not None and existing.status == Organization.Status.ACTIVE:
        raise ValidationError(
            _(
                "%(name)s is already an active member; reject this application and "
                "affiliate the applicant with it instead."
            )
            % {"name": existing.name}
        )
    if existing is None:
        existing = organization_create(
            name=application.organization_name,
            kind=application.kind,
            country=application.country.code,
            website=application.website,
            description=application.description,
        )
    existing.focus_areas.add(*application.focus_areas.all())
    return organization_activate(organization=existing, tier=tier)


def _decide(application, *, status, decided_by, reason, kind, **context) -> None:
    """Record staff's decision and tell the applicant."""
    application.status = status
    application.decided_at = timezone.now()
    application.decided_by = decided_by
    application.decision_reason = reason.strip()
    application.save()
    activity_record(
        kind=kind,
        target=application,
        actor=decided_by,
        recipients=[application.applicant],
        context=_context(application, reason=application.decision_reason, **context),
    )


@transaction.atomic
def application_approve(
    *,
    application: MembershipApplication,
    decided_by: User,
    tier: Tier | None = None,
    reason: str = "",
) -> MembershipApplication:
    """Approve the application: create or activate the organization, make the
    applicant its primary contact and tell them."""
    application = MembershipApplication.objects.select_for_update().get(
        pk=application.pk
    )
    if application.status not in MembershipApplication.AWAITING_DECISION:
        raise ValidationError(
            _(
                "This application is %(status)s; only a submitted application can be "
                "approved."
            )
            % {"status": application.get_status_display()}
        )
    organization = _organization_for(application, tier)
    affiliation_create(
        user=application.applicant,
        organization=organization,
        role=Affiliation.Role.PRIMARY_CONTACT,
        status=Affiliation.Status.ACTIVE,
        source=Affiliation.Source.APPLICATION,
    )
    application.organization = organization
    _decide(
        application,
        status=Status.APPROVED,
        decided_by=decided_by,
        reason=reason,
        kind="application_approved",
        organization_url=organization.get_absolute_url(),
    )
    activity_record(
        kind="organization_joined",
        target=organization,
        actor=decided_by,
        context={"name": organization.name, "url": organization.get_absolute_url()},
    )
    return application


@transaction.atomic
def application_reject(
    *, application: MembershipApplication, decided_by: User, reason: str
) -> MembershipApplication:
    """Reject the application with a reason the applicant reads."""
    application = MembershipApplication.objects.select_for_update().get(
        pk=application.pk
    )
    if not reason or not reason.strip():
        raise ValidationError(
            {"decision_reason": _("Give a reason: the applicant will read it.")}
        )
    if application.status not in MembershipApplication.AWAITING_DECISION:
        raise ValidationError(
            _(
                "This application is %(status)s; only a submitted application can be "
                "rejected."
            )
            % {"status": application.get_status_display()}
        )
    _decide(
        application,
        status=Status.REJECTED,
        decided_by=decided_by,
        reason=reason,
        kind="application_rejected",
    )
    return application


@transaction.atomic
def application_withdraw(
    *, application: MembershipApplication
) -> MembershipApplication:
    """Withdraw an application that has not been decided yet."""
    if application.status not in MembershipApplication.OPEN_STATUSES:
        raise ValidationError(
            _("This application is %(status)s and can no longer be withdrawn.")
            % {"status": application.get_status_display()}
        )
    application.status = Status.WITHDRAWN
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at", "updated_at"])
    return application
