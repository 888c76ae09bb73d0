"""Reads of the portal's one search: every registered source
(``alliance.registries.search``), each filtered by what the reader may see.

A source answers with the matching rows of one kind, already limited to what the
person may see (so counts, results and highlights never reveal anything else).
Results of one kind are ranked by the source's rank; results of every kind
together are ranked by the same rank across kinds (one UNION of the kinds' ids
and ranks), and only the rows shown get their highlighted title and snippet.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import CharField, F, QuerySet, Value
from django.db.models.functions import Cast
from django.utils.safestring import SafeString

from alliance.core.search import (
    search_highlight,
    search_plain,
    search_text_clean,
    search_words,
)
from alliance.registries.search import SearchSource, search_source, search_sources

GROUP_SIZE = 5


@dataclass(frozen=True)
class SearchHit:
    kind: str
    label: str
    url: str
    title: str
    snippet: str
    title_html: SafeString
    snippet_html: SafeString
    rank: float


@dataclass(frozen=True)
class SearchGroup:
    kind: str
    label: str
    count: int
    hits: list[SearchHit]


def search_kinds() -> list[tuple[str, str]]:
    """Return the kinds of result, (kind, label), in the order pages show them."""
    return [(source.kind, source.label) for source in search_sources()]


def _matches(source: SearchSource, user, text: str) -> QuerySet:
    # A source's rows with the prefetching of its pages dropped: a search reads
    # only the columns it shows.
    return source.search(user, text).prefetch_related(None).select_related(None)


def _ranked(source: SearchSource, user, text: str) -> QuerySet:
    """The kind's matches as (kind, id, rank) rows, for counting and for the
    UNION of every kind."""
    return (
        _matches(source, user, text)
        .annotate(
            result_kind=Value(source.kind, output_field=CharField()),
            result_id=F("pk"),
            result_rank=F("search_rank"),
        )
        .order_by()
        .values("result_kind", "result_id", "result_rank")
    )


def _detailed(source: SearchSource, user, text: str) -> QuerySet:
    """The kind's matches with what a result shows, best first."""
    keys = {
        f"result_key{number}": Cast(F(key), CharField())
        for number, key in enumerate(source.url_keys)
    }
    return (
        _matches(source, user, text)
        .annotate(**keys)
        .order_by("-search_rank", "pk")
        .values("pk", "search_rank", "search_title", "search_snippet", *keys)
    )


def _hit(source: SearchSource, row: dict, words: list[str]) -> SearchHit:
    keys = [row[f"result_key{number}"] for number in range(len(source.url_keys))]
    return SearchHit(
        kind=source.kind,
        label=str(source.label),
        url=source.url(*keys),
        title=search_plain(row["search_title"]),
        snippet=search_plain(row["search_snippet"]),
        title_html=search_highlight(row["search_title"], words),
        snippet_html=search_highlight(row["search_snippet"], words),
        rank=float(row["search_rank"] or 0),
    )


def search_hits(source: SearchSource, rows: Iterable[dict], text: str) -> list:
    """Turn a source's detailed rows into results (escaped, highlighted)."""
    words = search_words(text)
    return [_hit(source, row, words) for row in rows]


def search_kind_results(*, user, text: str, kind: str) -> QuerySet:
    """Return one kind's matching rows for the person, best first (slice or
    paginate it, then ``search_hits``)."""
    source = search_source(kind)
    return _detailed(source, user, search_text_clean(text))


def search_counts(*, user, text: str) -> dict[str, int]:
    """Return how many results of each kind the person may see (one query per
    kind)."""
    text = search_text_clean(text)
    return {
        source.kind: _matches(source, user, text).count() for source in search_sources()
    }


def search_grouped(*, user, text: str) -> list[SearchGroup]:
    """Return the best results of each kind that has any, with its count (two
    queries per kind)."""
    text = search_text_clean(text)
    groups = []
    for source in search_sources():
        count = _matches(source, user, text).count()
        if not count:
            continue
        rows = _detailed(source, user, text)[:GROUP_SIZE]
        groups.append(
            SearchGroup(
                kind=source.kind,
                label=str(source.label),
                count=count,
                hits=search_hits(source, rows, text),
            )
        )
    return groups


def search_all_ranked(*, user, text: str) -> QuerySet:
    """Return every kind's matches for the person as (kind, id, rank) rows, best
    first across kinds (one UNION; slice or paginate it, then
    ``search_all_hits``)."""
    text = search_text_clean(text)
    sources = search_sources()
    first, *others = [_ranked(source, user, text) for source in sources]
    return first.union(*others, all=True).order_by(
        "-result_rank", "result_kind", "result_id"
    )


def search_all_hits(*, user, text: str, rows: Iterable[dict]) -> list[SearchHit]:
    """Return the results of ranked rows (from ``search_all_ranked``) in their
    order: one query per kind among them."""
    text = search_text_clean(text)
    rows = list(rows)
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        by_kind.setdefault(row["result_kind"], []).append(row["result_id"])
    hits = {}
    for kind, ids in by_kind.items():
        source = search_source(kind)
        details = list(_detailed(source, user, text).filter(pk__in=ids))
        for row, hit in zip(details, search_hits(source, details, text), strict=True):
            hits[(kind, row["pk"])] = hit
    return [
        hits[(row["result_kind"], row["result_id"])]
        for row in rows
        if (row["result_kind"], row["result_id"]) in hits
    ]
