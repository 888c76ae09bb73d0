"""Search sources: what the portal's one search (``alliance.search``) looks in.

Each app registers a source per kind of result in its ``hooks.connect()``
(``search_source_register``) with a read from its selectors:

- ``search(user, text)``: the objects the person may see that match ``text``, as
  ``alliance.core.search.search_match`` returns them (``search_rank``,
  ``search_title``, ``search_snippet``), built on the same visibility rules as the
  app's pages, so nobody finds, counts or reads a highlight of what they may not
  see;
- ``url_keys``: up to two fields (or annotations) of those rows that make the
  result's address, and ``url(*keys)`` that turns them into it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class SearchSource:
    kind: str
    label: str  # plural, lazily translated: "Organizations"
    search: Callable[[object, str], models.QuerySet]
    url_keys: tuple[str, ...]
    url: Callable[..., str]
    order: int


_sources: dict[str, SearchSource] = {}


def search_source_register(
    kind: str,
    *,
    label,
    search: Callable[[object, str], models.QuerySet],
    url_keys: tuple[str, ...],
    url: Callable[..., str],
    order: int,
) -> None:
    """Declare a kind of search result (see the module's docstring)."""
    if not 1 <= len(url_keys) <= 2:
        raise ValueError("A search source names one or two url_keys.")
    _sources[kind] = SearchSource(kind, label, search, tuple(url_keys), url, order)


def search_sources() -> list[SearchSource]:
    """Return the registered sources in their order."""
    return sorted(_sources.values(), key=lambda source: source.order)


def search_source(kind: str) -> SearchSource | None:
    """Return the source of ``kind``, or None."""
    return _sources.get(kind)
