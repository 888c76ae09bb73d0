"""Audiences: who implicitly follows an object (a group's members, an event's
registrants, an entry's maintainers); notifications about the object reach them,
and the "my subscriptions" page lists what a person follows that way.

Apps register their models in their ``hooks.connect()``.
"""

from collections.abc import Callable, Iterable

from django.db import models

from alliance.registries.visibility import visibility_register

_audiences: dict[str, Callable[[models.Model], Iterable[int]]] = {}
_followed_by: dict[str, Callable] = {}


def audience_register(
    model: type[models.Model],
    *,
    member_ids: Callable[[models.Model], Iterable[int]],
    visible_to: Callable[[object], models.QuerySet],
    viewer_ids: Callable[[models.Model, set[int]], Iterable[int]],
    followed_by: Callable | None = None,
) -> None:
    """Declare who implicitly follows objects of ``model`` (returns user ids),
    who may see them (``visible_to`` and ``viewer_ids``, see
    ``alliance.registries.visibility``: nobody follows or hears of what they may
    not see) and, optionally, which of them a person follows that way
    (``followed_by(user)`` returns a queryset; the "my subscriptions" page lists
    them)."""
    visibility_register(model, visible_to=visible_to, viewer_ids=viewer_ids)
    _audiences[model._meta.label_lower] = member_ids
    if followed_by is not None:
        _followed_by[model._meta.label_lower] = followed_by


def audience_models() -> list[str]:
    """Return the labels (``app.model``) of the models people can follow."""
    return sorted(_audiences)


def audience_followed_by(user) -> dict[str, list[models.Model]]:
    """Return, per model label, what the person follows by belonging to it."""
    return {
        label: list(followed_by(user))
        for label, followed_by in sorted(_followed_by.items())
    }


def audience_member_ids(audience: models.Model | None) -> set[int]:
    """Return the ids of the people who implicitly follow ``audience``."""
    if audience is None:
        return set()
    member_ids = _audiences.get(audience._meta.label_lower)
    return set(member_ids(audience)) if member_ids else set()
