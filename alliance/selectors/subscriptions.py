"""Reads of who follows what."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from alliance.hooks import audience_member_ids
from alliance.models import Subscription


def subscription_state(*, user, target: models.Model) -> str | None:
    """Return the person's explicit choice for ``target`` (follow, mute or None)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Subscription.objects.filter(
            user=user,
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
        )
        .values_list("state", flat=True)
        .first()
    )


def follower_ids(target: models.Model | None) -> set[int]:
    """Return who hears about ``target``: its implicit audience and explicit
    followers, minus those who muted it."""
    if target is None:
        return set()
    rows = Subscription.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).values_list("user_id", "state")
    follows = {user_id for user_id, state in rows if state == Subscription.State.FOLLOW}
    mutes = {user_id for user_id, state in rows if state == Subscription.State.MUTE}
    return (audience_member_ids(target) | follows) - mutes
