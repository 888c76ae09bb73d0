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
