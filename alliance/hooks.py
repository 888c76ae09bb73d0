"""Hooks through which apps take part in alliance-wide flows without importing
each other (``projects`` and ``events`` never import one another, and
``alliance`` imports neither). Apps register in ``AppConfig.ready``.

- audiences: who implicitly follows an object (a group's members, an event's
  registrants, an entry's maintainers); notifications about the object reach them.
- personal data: each app's part of "download everything the portal holds about me".
- account closed: each app ends what a person leaves behind when they delete their
  account (memberships, registrations, …); what they wrote stays.
- references: link to another app's objects by key (an event's showcased catalog
  entries), resolved by the app that owns them.
"""

from collections.abc import Callable, Iterable

from django.db import models

_audiences: dict[str, Callable[[models.Model], Iterable[int]]] = {}
_followed_by: dict[str, Callable] = {}
_personal_data: dict[str, Callable] = {}
_account_closed: dict[str, Callable] = {}


def audience_register(
    model: type[models.Model],
    *,
    member_ids: Callable[[models.Model], Iterable[int]],
    followed_by: Callable | None = None,
) -> None:
    """Declare who implicitly follows objects of ``model`` (returns user ids) and,
    optionally, which of them a person follows that way (``followed_by(user)``
    returns a queryset; the "my subscriptions" page lists them)."""
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


def personal_data_register(section: str, exporter: Callable) -> None:
    """Add a section to a person's data export; ``exporter(user)`` returns
    JSON-serializable data."""
    _personal_data[section] = exporter


def personal_data_collect(user) -> dict:
    """Return every registered section of the person's data."""
    return {section: export(user) for section, export in sorted(_personal_data.items())}


def account_closed_register(name: str, handler: Callable) -> None:
    """Run ``handler(user)`` inside the transaction that closes a person's account."""
    _account_closed[name] = handler


def account_closed_run(user) -> None:
    """Let every app end what the person leaves behind."""
    for _name, handler in sorted(_account_closed.items()):
        handler(user)


# References: an app links to another app's objects by key without importing it
# (an event lists the catalog entries it presents by their slugs).
_references: dict[str, Callable[[list[str]], dict[str, dict]]] = {}
_reference_choices: dict[str, Callable[[], list[tuple[str, str]]]] = {}


def reference_register(
    kind: str,
    *,
    resolve: Callable[[list[str]], dict[str, dict]],
    choices: Callable[[], list[tuple[str, str]]] | None = None,
) -> None:
    """Provide objects of ``kind`` to other apps: ``resolve(keys)`` returns
    ``{key: {"title": ..., "url": ...}}`` for the keys that exist and are public;
    ``choices()`` returns ``[(key, title)]`` to pick from."""
    _references[kind] = resolve
    if choices is not None:
        _reference_choices[kind] = choices


def reference_available(kind: str) -> bool:
    """Return whether an installed app provides objects of ``kind``."""
    return kind in _references


def reference_resolve(kind: str, keys: Iterable[str]) -> dict[str, dict]:
    """Return title and url of each existing object of ``kind`` among ``keys``."""
    keys = [key for key in dict.fromkeys(keys) if key]
    resolve = _references.get(kind)
    if resolve is None or not keys:
        return {}
    return resolve(keys)


def reference_choices(kind: str) -> list[tuple[str, str]]:
    """Return ``[(key, title)]`` of the objects of ``kind`` one may link to."""
    choices = _reference_choices.get(kind)
    return list(choices()) if choices else []
