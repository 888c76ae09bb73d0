"""Audiences: who implicitly follows an object (a group's members, an event's
registrants, an entry's maintainers); notifications about the object reach them,
and the "my subscriptions" page lists what a person follows that way.

Apps register their models in their ``hooks.connect()``. A model may name the
foreign key to what its objects belong to (``within``: a group's focus area, an
event's working group), or several in order (a catalog entry's working group,
else its focus area): the first one set is what the object belongs to. A level
a person set there (watching, normal, muted) applies to the object unless they
set one on the object itself (the most specific wins: thing > group > focus
area > default).
"""

from collections.abc import Callable, Iterable

from django.db import models

from alliance.registries.visibility import visibility_register

_audiences: dict[str, Callable[[models.Model], Iterable[int]]] = {}
_followed_by: dict[str, Callable] = {}
_within: dict[str, tuple[str, ...]] = {}
# How far up "belongs to" goes (thing → group → focus area); a guard, not a rule.
_CHAIN_DEPTH = 4


def audience_register(
    model: type[models.Model],
    *,
    member_ids: Callable[[models.Model], Iterable[int]],
    visible_to: Callable[[object], models.QuerySet],
    viewer_ids: Callable[[models.Model, set[int]], Iterable[int]],
    followed_by: Callable | None = None,
    within: str | tuple[str, ...] | None = None,
) -> None:
    """Declare who implicitly follows objects of ``model`` (returns user ids),
    who may see them (``visible_to`` and ``viewer_ids``, see
    ``alliance.registries.visibility``: nobody follows or hears of what they may
    not see) and, optionally, which of them a person follows that way
    (``followed_by(user)`` returns a queryset; the "my subscriptions" page lists
    them) and, optionally, ``within``: the name of the foreign key to what its
    objects belong to, whose levels they inherit, or a tuple of names whose
    first one set on an object wins (see the module's docstring)."""
    visibility_register(model, visible_to=visible_to, viewer_ids=viewer_ids)
    _audiences[model._meta.label_lower] = member_ids
    if followed_by is not None:
        _followed_by[model._meta.label_lower] = followed_by
    if within is not None:
        fields = (within,) if isinstance(within, str) else tuple(within)
        for field_name in fields:
            model._meta.get_field(field_name)  # a misspelt field fails at start-up
        _within[model._meta.label_lower] = fields
    else:
        _within.pop(model._meta.label_lower, None)


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


def audience_chain(obj: models.Model | None) -> list[models.Model]:
    """Return ``obj`` and what it belongs to, most specific first (an entry,
    its working group, the group's focus area; an entry without a group, its
    focus area); a query per step not yet loaded."""
    if obj is None:
        return []
    chain = [obj]
    while len(chain) <= _CHAIN_DEPTH:
        obj = _belongs_to(obj)
        if obj is None:
            break
        chain.append(obj)
    return chain


def _belongs_to(obj: models.Model) -> models.Model | None:
    """Return the first of ``obj``'s ``within`` foreign keys that is set (the
    later ones are not loaded), or None."""
    for field_name in _within.get(obj._meta.label_lower, ()):
        parent = getattr(obj, field_name)
        if parent is not None:
            return parent
    return None


def audience_chains(objects: Iterable[models.Model]) -> dict[tuple, list]:
    """Return ``audience_chain`` of each object, keyed by ``(label, pk)``: a
    query per step up and model of what they belong to, whatever their number
    and type (an entry's focus area and a group's come in one query)."""
    chains = {}
    step = []
    for obj in objects:
        chains[(obj._meta.label_lower, obj.pk)] = chain = [obj]
        step.append((chain, obj))
    while step:
        step = _chains_step(step)
    return chains


def _chains_step(step: list[tuple[list, models.Model]]) -> list:
    """Add to each chain what its last object belongs to (the first of its
    ``within`` foreign keys that is set), reading those not loaded yet in one
    query per model; return the chains that went up a step."""
    ups, missing = [], {}
    for chain, obj in step:
        if len(chain) > _CHAIN_DEPTH:
            continue
        for field_name in _within.get(obj._meta.label_lower, ()):
            field = obj._meta.get_field(field_name)
            key = getattr(obj, field.attname)
            if key is not None:
                ups.append((chain, obj, field, key))
                if not field.is_cached(obj):
                    missing.setdefault(field.related_model, set()).add(key)
                break
    loaded = {
        (model, parent.pk): parent
        for model, keys in missing.items()
        for parent in model._base_manager.filter(pk__in=keys)
    }
    taken = []
    for chain, obj, field, key in ups:
        if not field.is_cached(obj):
            parent = loaded.get((field.related_model, key))
            if parent is None:
                continue  # deleted since it was read: the chain ends here
            field.set_cached_value(obj, parent)
        parent = getattr(obj, field.name)
        chain.append(parent)
        taken.append((chain, parent))
    return taken
