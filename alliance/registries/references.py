"""References: an app links to another app's objects by key without importing it
(an event lists the catalog entries it presents by their slugs); the app that owns
the objects resolves the keys. Apps register in their ``hooks.connect()``.
"""

from collections.abc import Callable, Iterable

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
