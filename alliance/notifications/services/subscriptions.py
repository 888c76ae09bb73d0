"""Following and muting."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext_lazy

from alliance.notifications.models import Subscription


@transaction.atomic
def subscription_set(*, user, target: models.Model, state: str | None) -> None:
    """Follow or mute ``target`` for the person; ``state=None`` returns to the
    default (following only what they belong to)."""
    target_type = ContentType.objects.get_for_model(target)
    if state is None:
        Subscription.objects.filter(
            user=user, target_type=target_type, target_id=target.pk
        ).delete()
        return
    Subscription.objects.update_or_create(
        user=user,
        target_type=target_type,
        target_id=target.pk,
        defaults={"state": state},
    )


# The levels a person chooses (the preferences page, a focus area's control):
# watching, normal or muted; what each stored state reads as (no row, or an
# explicit follow, is Normal); the state each level keeps (Normal on what the
# person belongs to keeps none, see subscription_levels_set).
LEVEL_CHOICES = [
    ("watch", gettext_lazy("Watching")),
    ("normal", gettext_lazy("Normal")),
    ("mute", gettext_lazy("Muted")),
]
LEVELS = tuple(level for level, _label in LEVEL_CHOICES)
_LEVEL_OF_STATE = {
    Subscription.State.WATCH: "watch",
    Subscription.State.FOLLOW: "normal",
    Subscription.State.MUTE: "mute",
}
_STATE_OF_LEVEL = {level: state for state, level in _LEVEL_OF_STATE.items()}


def subscription_level_of(state: str | None) -> str:
    """Return the level (watching, normal, muted) a stored state reads as."""
    return _LEVEL_OF_STATE.get(state, "normal")


@transaction.atomic
def subscription_levels_set(*, user, levels: list[tuple[models.Model, str, bool]]):
    """Set the person's level for each ``(target, level, implicit)``: watching,
    normal or muted. Normal on what they belong to (implicit) is the default,
    so no row; on what they follow explicitly it stays a follow. Return how
    many changed. Two queries, whatever the number of levels; an unknown level
    raises ``ValueError`` before anything is written."""
    gone = models.Q()
    kept = []
    for target, level, implicit in levels:
        if level not in LEVELS:
            raise ValueError(level)
        state = None if implicit and level == "normal" else _STATE_OF_LEVEL[level]
        target_type = ContentType.objects.get_for_model(target)
        if state is None:
            gone |= models.Q(target_type=target_type, target_id=target.pk)
        else:
            kept.append(
                Subscription(
                    user=user, target_type=target_type, target_id=target.pk, state=state
                )
            )
    if gone:
        Subscription.objects.filter(gone, user=user).delete()
    if kept:
        Subscription.objects.bulk_create(
            kept,
            update_conflicts=True,
            unique_fields=["user", "target_type", "target_id"],
            update_fields=["state"],
        )
    return len(levels)


@transaction.atomic
def subscription_delete(*, user, subscription_id: int) -> int:
    """Remove one of the person's explicit choices by its id, also when what it
    was about was deleted or is hidden from them now; return how many went."""
    deleted, _by_model = Subscription.objects.filter(
        user=user, pk=subscription_id
    ).delete()
    return deleted


@transaction.atomic
def subscriptions_end_unseen(*, target: models.Model, user_ids) -> int:
    """End the explicit follows of ``target`` by people who may no longer see it
    (they left its group, their organization lapsed, its visibility changed)."""
    user_ids = list(user_ids)
    if not user_ids:
        return 0
    deleted, _by_model = Subscription.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        state__in=[Subscription.State.FOLLOW, Subscription.State.WATCH],
        user_id__in=user_ids,
    ).delete()
    return deleted
