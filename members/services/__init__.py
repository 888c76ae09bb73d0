"""Every write to people and their accounts; organizations, applications,
affiliations, invitations, domains and renewals live in the submodules."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from alliance.core.memo import memo_forget
from alliance.notifications.services.preferences import (
    notification_digest_reschedule,
)
from members.models import (
    Affiliation,
    ApiToken,
    Invitation,
    MembershipApplication,
    User,
)
from members.selectors import api_token_person_get, user_verified_addresses

PROFILE_FIELDS = (
    "name",
    "display_name",
    "bio",
    "timezone",
    "language",
    "directory_visibility",
    "show_email",
)


def api_token_hash(raw: str) -> str:
    """Return the stored form of a raw API token."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def user_update_profile(*, user: User, **fields) -> User:
    """Change the person's profile fields."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {', '.join(sorted(unknown))}")
    old_zone = str(user.timezone)
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
    if str(user.timezone) != old_zone:
        # The digest comes at the person's local hour, now in the new zone.
        notification_digest_reschedule(user=user)
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> User:
    """Remember the person's preferred language."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"Unsupported language: {language}")
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a named token for the person; return it with the raw key, shown once."""
    raw = settings.API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[: len(settings.API_TOKEN_PREFIX) + 6],
        key_hash=api_token_hash(raw),
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke the token so it no longer authenticates."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


@transaction.atomic
def account_email_queue(*, message, kind: str, language: str) -> list[int]:
    """Put an account email allauth rendered (an EmailMessage) in the outbox; a
    worker sends it after commit and retries it if the mail server refuses."""
    from alliance.notifications.services.emails import RenderedEmail
    from alliance.notifications.services.outbox import outbox_add, outbox_build

    html = next(
        (
            body
            for body, mime in getattr(message, "alternatives", [])
            if mime == "text/html"
        ),
        "",
    )
    rows = [
        outbox_build(
            key=f"account:{kind}:{uuid.uuid4().hex}",
            to=address,
            rendered=RenderedEmail(
                subject=message.subject,
                text=message.body,
                html=html,
                headers=dict(message.extra_headers),
            ),
            language=language,
        )
        for address in message.to
    ]
    return outbox_add(rows)


@transaction.atomic
def api_tokens_end(*, user: User) -> int:
    """Revoke every active token of the person (their password changed: whoever
    held the old one must not keep a way in); return how many ended."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """Return the active token for a raw key (its active person loaded with their
    facts, ``members.selectors.api_token_person_get``) and note its use, or None."""
    # One query: the token with its person and the facts every request asks.
    token = api_token_person_get(api_token_hash(raw))
    if token is None:
        return None
    now = timezone.now()
    # Write at most once a minute per token so busy scripts do not hammer the row.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def user_account_close(*, user: User) -> User:
    """Delete the person's account: end what they belong to, remove their
    addresses, tokens and sessions, and anonymize the row so what they wrote stays,
    attributed to a former member."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    from alliance.registries.personal_data import account_closed_run
    from members.services.affiliations import affiliation_end

    if user.closed_at is not None:
        return user
    now = timezone.now()
    for application in MembershipApplication.objects.filter(
        applicant=user, status__in=MembershipApplication.OPEN_STATUSES
    ):
        application.status = MembershipApplication.Status.WITHDRAWN
        application.decided_at = now
        application.save(update_fields=["status", "decided_at", "updated_at"])
    for affiliation in Affiliation.objects.filter(user=user).exclude(
        status=Affiliation.Status.ENDED
    ):
        affiliation_end(affiliation=affiliation, allow_no_primary=True)
    account_closed_run(user)

    # Only verified addresses: an address added without proof may be someone
    # else's, whose invitations must stay theirs to accept.
    addresses = user_verified_addresses(user)
    anonymous = f"closed-{user.pk}@users.invalid"
    for invitations in (Invitation.objects, Invitation.history):
        invitations.filter(email__in=addresses).update(email=anonymous)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    for session in UserSession.objects.filter(user=user):
        session.end()

    user.email = anonymous
    user.name = ""
    user.display_name = ""
    user.bio = ""
    user.show_email = False
    user.directory_visibility = User.DirectoryVisibility.HIDDEN
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.closed_at = now
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    memo_forget(user)
    return user
