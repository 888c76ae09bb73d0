"""Visibility: who may see an object, declared once by the app that owns it, so
following, notifications, digests and emails apply the app's own rules without
importing it.

An app registers each model whose objects people follow or hear of
(``visibility_register`` in its ``hooks.connect()``) with two reads from its
selectors:

- ``visible_to(user)``: a queryset of the objects the person may see (the same
  one its pages use); ``visible_get`` and ``visible_pks`` filter it, so a missing
  object and a hidden one give the same answer.
- ``viewer_ids(obj, user_ids)``: which of these people may see ``obj``, in a
  constant number of queries (the fan-out asks it per batch of a thousand).

A model nobody registered is treated as addressed only to the people a service
names directly: ``viewer_ids`` keeps them all.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q


@dataclass(frozen=True)
class Visibility:
    visible_to: Callable[[object], models.QuerySet]
    viewer_ids: Callable[[models.Model, set[int]], Iterable[int]]


_visibility: dict[str, Visibility] = {}


def visibility_register(
    model: type[models.Model],
    *,
    visible_to: Callable[[object], models.QuerySet],
    viewer_ids: Callable[[models.Model, set[int]], Iterable[int]],
) -> None:
    """Declare who may see objects of ``model`` (see the module's docstring)."""
    _visibility[model._meta.label_lower] = Visibility(visible_to, viewer_ids)


def visibility_registered(model_or_label) -> bool:
    """Return whether the app that owns the model declared who may see it."""
    return _label(model_or_label) in _visibility


def _label(model_or_label) -> str:
    if isinstance(model_or_label, str):
        return model_or_label.lower()
    return model_or_label._meta.label_lower


def visible_get(model_or_label, *, user, pk) -> models.Model | None:
    """Return the object if it exists and the person may see it, else None (the
    same answer for both, so nobody learns that a hidden object exists)."""
    rules = _visibility.get(_label(model_or_label))
    if rules is None:
        return None
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return rules.visible_to(user).filter(pk=pk).first()


def visible_pks(model_or_label, *, user, pks: Iterable[int]) -> set[int]:
    """Return which of ``pks`` the person may see (one query)."""
    rules = _visibility.get(_label(model_or_label))
    pks = set(pks)
    if rules is None or not pks:
        return set()
    return set(
        rules.visible_to(user)
        .filter(pk__in=pks)
        .order_by()
        .values_list("pk", flat=True)
    )


def visible_keys(
    user, keys: Iterable[tuple[int | None, int | None]]
) -> set[tuple[int | None, int | None]]:
    """Return which of ``keys`` (content type id, object id; a generic foreign
    key's two columns, None for no object) point at what ``visible_q`` keeps:
    an object that exists and the person may see, one of a model nobody
    registered, or no object. One query per registered model among them (the
    batch form of ``visible_q``, for a few rows read already: building the
    condition for every registered model costs more than these queries)."""
    from django.contrib.contenttypes.models import ContentType

    by_type: dict[int, set] = {}
    kept = set()
    for type_id, object_id in set(keys):
        if type_id is None:
            kept.add((type_id, object_id))
        else:
            by_type.setdefault(type_id, set()).add(object_id)
    for type_id, object_ids in by_type.items():
        content_type = ContentType.objects.get_for_id(type_id)
        label = f"{content_type.app_label}.{content_type.model}"
        if label in _visibility:
            object_ids = visible_pks(label, user=user, pks=object_ids)
        kept |= {(type_id, object_id) for object_id in object_ids}
    return kept


def viewer_ids(obj: models.Model | None, user_ids: Iterable[int]) -> set[int]:
    """Return which of the people may see ``obj`` (all of them for an object of a
    model nobody registered, or for no object)."""
    user_ids = set(user_ids)
    if obj is None or not user_ids:
        return user_ids
    rules = _visibility.get(obj._meta.label_lower)
    if rules is None:
        return user_ids
    return set(rules.viewer_ids(obj, user_ids)) & user_ids


def visible_q(user, *, type_field: str, id_field: str) -> Q:
    """Return a condition on rows that point at an object by content type and id
    (a generic foreign key, e.g. ``activity__target_type``/``activity__target_id``):
    true where the object exists and the person may see it, or where it is of a
    model nobody registered (or no object at all). One subquery per registered
    model and no query of its own, so filtering a list by it keeps its query
    count."""
    condition = Q(**{f"{type_field}__isnull": True})
    unregistered = Q()
    for label, rules in sorted(_visibility.items()):
        app_label, model = label.split(".")
        of_model = Q(
            **{f"{type_field}__app_label": app_label, f"{type_field}__model": model}
        )
        condition |= of_model & Q(
            **{f"{id_field}__in": rules.visible_to(user).order_by().values("pk")}
        )
        unregistered &= ~of_model
    return condition | unregistered
