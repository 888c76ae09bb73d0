"""Following and muting."""

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

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
        state=Subscription.State.FOLLOW,
        user_id__in=user_ids,
    ).delete()
    return deleted
