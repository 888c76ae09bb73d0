"""Every write to people and their accounts."""

import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from members.models import ApiToken, User

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
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=list(fields))
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


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """Return the active token for a raw key and note its use, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=api_token_hash(raw), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Write at most once a minute per token so busy scripts do not hammer the row.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
