"""Invitations: a contact invites a colleague by email with a signed link that
works once and expires after seven days."""

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alliance.notifications.services.activities import email_queue
from members.models import Affiliation, Invitation, Organization, User
from members.selectors import user_has_verified_email
from members.services.affiliations import affiliation_create, contact_seat_check

INVITATION_SALT = "members.invitation"
INVITATION_VALID_FOR = datetime.timedelta(days=7)


def invitation_token(invitation: Invitation) -> str:
    """Return the signed token of the invitation's link."""
    return signing.TimestampSigner(salt=INVITATION_SALT).sign_object(
        {"i": invitation.pk}
    )


def invitation_url(invitation: Invitation) -> str:
    """Return the path of the invitation's link."""
    return reverse(
        "members:invitation_accept", kwargs={"token": invitation_token(invitation)}
    )


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """Return the open invitation a token names; raise ValidationError saying why
    the link no longer works (invalid, expired, used or withdrawn)."""
    try:
        data = signing.TimestampSigner(salt=INVITATION_SALT).unsign_object(
            token, max_age=INVITATION_VALID_FOR
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _(
                "This invitation link has expired: links work for 7 days. Ask the "
                "person who invited you to send a new one."
            ),
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This invitation link is not valid. Check that you copied all of it."),
            code="invalid",
        ) from None
    invitations = Invitation.objects.select_related("organization", "invited_by")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=data.get("i")).first()
    if invitation is None:
        raise ValidationError(_("This invitation no longer exists."), code="invalid")
    if invitation.accepted_at is not None:
        raise ValidationError(
            _(
                "This invitation has already been used. Sign in to see your "
                "organization on your dashboard."
            ),
            code="used",
        )
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("This invitation was withdrawn by %(organization)s.")
            % {"organization": invitation.organization.name},
            code="revoked",
        )
    if invitation.expires_at <= timezone.now():
        raise ValidationError(
            _(
                "This invitation link has expired: links work for 7 days. Ask the "
                "person who invited you to send a new one."
            ),
            code="expired",
        )
    return invitation


@transaction.atomic
def invitation_create(
    *,
    organization: Organization,
    email: str,
    role: str = Affiliation.Role.MEMBER,
    invited_by: User,
    language: str | None = None,
) -> Invitation:
    """Invite someone by email to join the organization; an earlier open
    invitation to the same address is replaced."""
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid email address.")}) from None
    if role not in Affiliation.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    if organization.status in (
        Organization.Status.FORMER,
        Organization.Status.SUSPENDED,
    ):
        raise ValidationError(
            _("%(name)s cannot invite people while it is %(status)s.")
            % {"name": organization.name, "status": organization.get_status_display()}
        )
    already = Affiliation.objects.filter(
        organization=organization,
        status=Affiliation.Status.ACTIVE,
        user__emailaddress__email__iexact=email,
        user__emailaddress__verified=True,
    ).exists()
    if already:
        raise ValidationError(
            {
                "email": _("%(email)s already belongs to %(name)s.")
                % {"email": email, "name": organization.name}
            }
        )
    now = timezone.now()
    Invitation.objects.filter(
        organization=organization,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).update(revoked_at=now)
    contact_seat_check(organization=organization, role=role)
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    email_queue(
        to=email,
        template="members/email/invitation",
        context={
            "organization": organization.name,
            "inviter": invited_by.public_name,
            "role": Affiliation.Role(role).label,
            "url": invitation_url(invitation),
            "expires_at": invitation.expires_at,
        },
        language=language,
        time_zone=str(invited_by.timezone),
        key=f"invitation-{invitation.pk}",
    )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user: User) -> Affiliation:
    """Accept the invitation as the signed-in person, who must hold the invited
    address; the link cannot be used again."""
    invitation = invitation_for_token(token, lock=True)
    if not user_has_verified_email(user, invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to %(email)s. Sign in with that address, "
                "or add and verify it under Email addresses, then open the link "
                "again."
            )
            % {"email": invitation.email},
            code="wrong_person",
        )
    # Used first, so its own contact seat is not counted twice below.
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return affiliation_create(
        user=user,
        organization=invitation.organization,
        role=invitation.role,
        status=Affiliation.Status.ACTIVE,
        source=Affiliation.Source.INVITATION,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that has not been accepted."""
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
