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

A source may also let readers share the answer (``alliance.core.cache``): the
``shared`` namespaces its rows are read from (a write to them drops the shared
answers), ``audience(user)``, the visibility class the reader is in for this
kind ("public", "member", "staff", …), and ``personal(user)``, querysets of
what could make the person see more than their audience (a members-only group
they belong to, a draft they organize): if any of them has a row, the person's
search is read for them alone. The promise the source makes: two readers with
the same audience and no personal rows get exactly the same ``search`` answer.
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
    shared: tuple[str, ...] = ()
    audience: Callable[[object], str] | None = None
    personal: Callable[[object], list[models.QuerySet]] | None = None


_sources: dict[str, SearchSource] = {}


def search_source_register(
    kind: str,
    *,
    label,
    search: Callable[[object, str], models.QuerySet],
    url_keys: tuple[str, ...],
    url: Callable[..., str],
    order: int,
    shared: tuple[str, ...] = (),
    audience: Callable[[object], str] | None = None,
    personal: Callable[[object], list[models.QuerySet]] | None = None,
) -> None:
    """Declare a kind of search result (see the module's docstring)."""
    if not 1 <= len(url_keys) <= 2:
        raise ValueError("A search source names one or two url_keys.")
    if bool(shared) != (audience is not None):
        raise ValueError("A shared search source names its namespaces and audience.")
    _sources[kind] = SearchSource(
        kind, label, search, tuple(url_keys), url, order, tuple(shared), audience,
        personal,
    )  # fmt: skip


def search_sources() -> list[SearchSource]:
    """Return the registered sources in their order."""
    return sorted(_sources.values(), key=lambda source: source.order)


def search_source(kind: str) -> SearchSource | None:
    """Return the source of ``kind``, or None."""
    return _sources.get(kind)
