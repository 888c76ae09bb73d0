"""Reads of the portal's one search: every registered source
(``alliance.registries.search``), each filtered by what the reader may see.

A source answers with the matching rows of one kind, already limited to what the
person may see (so counts, results and highlights never reveal anything else).
Results of one kind are ranked by the source's rank; results of every kind
together are ranked by the same rank across kinds (one UNION of the kinds' ids
and ranks), and only the rows shown get their highlighted title and snippet.

Each kind's count and first ``TOP`` rows are read once per search (one query:
the count is a window over the matches) and, for a source that lets readers
share them (``alliance.registries.search``), kept in the shared cache for the
reader's audience, unless the person may see more of that kind than their
audience (then they are read for the person alone). Asking which kinds those are
is one query for every kind together.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, F, QuerySet, Value, Window
from django.db.models.functions import Cast
from django.utils.safestring import SafeString

from alliance.core.cache import SharedValue, personal_value, shared_values
from alliance.core.search import (
    search_highlight,
    search_plain,
    search_text_clean,
    search_words,
)
from alliance.registries.search import SearchSource, search_source, search_sources

GROUP_SIZE = 5
# Rows of each kind read with its count and shared: the first page of a kind on
# the search page (20) and in the API (25, its default page size).
TOP = 25
# Part of every shared key: a change to what is kept changes it.
_SHARED_FORMAT = "search-1"


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


def _detailed(source: SearchSource, user, text: str, *, total=False) -> QuerySet:
    """The kind's matches with what a result shows, best first (``total``: each
    row also carries the number of matches, ``search_total``)."""
    keys = {
        f"result_key{number}": Cast(F(key), CharField())
        for number, key in enumerate(source.url_keys)
    }
    if total:
        keys["search_total"] = Window(Count("pk"))
    return (
        _matches(source, user, text)
        .annotate(**keys)
        .order_by("-search_rank", "pk")
        .values("pk", "search_rank", "search_title", "search_snippet", *keys)
    )


@dataclass(frozen=True)
class KindResults:
    """How many results of a kind the person may see, and the best ``TOP``."""

    count: int
    rows: list[dict]


def _kind_read(source: SearchSource, user, text: str) -> KindResults:
    rows = list(_detailed(source, user, text, total=True)[:TOP])
    count = rows[0].pop("search_total") if rows else 0
    for row in rows[1:]:
        del row["search_total"]
    return KindResults(count=count, rows=rows)


def _personal_kinds_read(user) -> frozenset[str]:
    checks = {}
    for source in search_sources():
        if source.shared and source.personal is not None:
            for number, rows in enumerate(source.personal(user)):
                checks[f"personal_{number}_{source.kind}"] = Exists(rows)
    if not checks:
        return frozenset()
    row = ContentType.objects.order_by().annotate(**checks).values(*checks)[:1]
    found = row[0] if row else {}
    return frozenset(name.split("_", 2)[2] for name, value in found.items() if value)


def _personal_kinds(user) -> frozenset[str]:
    """Return the kinds of which the person may see more than their audience:
    one query for all of them, kept for the person until a write to what the
    sources read from (their seats, registrations, organizations change it)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return personal_value(
        search_namespaces(),
        person_id=user.pk,
        parts=(_SHARED_FORMAT, "personal"),
        compute=lambda: _personal_kinds_read(user),
    )


def search_namespaces() -> tuple[str, ...]:
    """Return the namespaces every shared source reads from."""
    return tuple(sorted({name for s in search_sources() for name in s.shared}))


def search_audience(user) -> str | None:
    """Return the reader's audience for the whole search (who finds exactly
    what they find, whatever the words), or None when something of theirs is
    among it or a source shares nothing."""
    sources = search_sources()
    if any(not source.shared for source in sources) or _personal_kinds(user):
        return None
    return "|".join(source.audience(user) for source in sources)


def _kinds_results(user, text: str, kinds: list[str]) -> dict[str, KindResults]:
    """Return each of ``kinds``' results for the person, from the shared cache
    where their audience shares them."""
    sources = [search_source(kind) for kind in kinds]
    personal = _personal_kinds(user)
    known = {}
    shared = []
    for source in sources:
        kind = source.kind
        if source.shared and kind not in personal:
            shared.append(
                SharedValue(
                    namespaces=source.shared,
                    audience=source.audience(user),
                    parts=(_SHARED_FORMAT, kind, text),
                    compute=lambda source=source: _kind_read(source, user, text),
                )
            )
        else:
            known[kind] = _kind_read(source, user, text)
    # The rows hold no language or time zone (labels and addresses are made
    # when the results are shown): one entry serves every reader of the audience.
    for entry, results in zip(shared, shared_values(shared, local=False), strict=True):
        known[entry.parts[1]] = results
    return {kind: known[kind] for kind in kinds}


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


class SearchRows:
    """Rows for a paginator: ``count`` of them, the first ones known, the rest
    read when a page asks for them."""

    def __init__(self, count: int, first: list, read):
        self._count = count
        self._first = first
        self._read = read

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start = index.start or 0
        stop = self._count if index.stop is None else min(index.stop, self._count)
        if stop <= len(self._first) or len(self._first) >= self._count:
            return self._first[start:stop]
        return list(self._read()[start:stop])


def search_results(*, user, text: str) -> dict[str, KindResults]:
    """Return each kind's count and best rows for the person."""
    kinds = [source.kind for source in search_sources()]
    return _kinds_results(user, search_text_clean(text), kinds)


def search_kind_results(
    *, user, text: str, kind: str, results: dict[str, KindResults] | None = None
) -> SearchRows:
    """Return one kind's matching rows for the person, best first (paginate it,
    then ``search_hits``), starting from ``search_results`` if already read."""
    source = search_source(kind)
    text = search_text_clean(text)
    if results is None or kind not in results:
        results = _kinds_results(user, text, [kind])
    return SearchRows(
        results[kind].count, results[kind].rows, lambda: _detailed(source, user, text)
    )


def search_grouped(*, user, text: str) -> list[SearchGroup]:
    """Return the best results of each kind that has any, with its count."""
    text = search_text_clean(text)
    sources = search_sources()
    results = _kinds_results(user, text, [source.kind for source in sources])
    return [
        SearchGroup(
            kind=source.kind,
            label=str(source.label),
            count=results[source.kind].count,
            hits=search_hits(source, results[source.kind].rows[:GROUP_SIZE], text),
        )
        for source in sources
        if results[source.kind].count
    ]


def _all_ranked_query(user, text: str) -> QuerySet:
    sources = search_sources()
    first, *others = [_ranked(source, user, text) for source in sources]
    return first.union(*others, all=True).order_by(
        "-result_rank", "result_kind", "result_id"
    )


def search_all_ranked(*, user, text: str) -> SearchRows:
    """Return every kind's matches for the person as (kind, id, rank) rows, best
    first across kinds (paginate it, then ``search_all_hits``). The first
    ``TOP`` come from each kind's best rows (no kind can place more than its
    own ``TOP`` among them); later pages are read with one UNION."""
    text = search_text_clean(text)
    kinds = [source.kind for source in search_sources()]
    results = _kinds_results(user, text, kinds)
    merged = sorted(
        (
            {
                "result_kind": kind,
                "result_id": row["pk"],
                "result_rank": row["search_rank"],
                "detail": row,
            }
            for kind in kinds
            for row in results[kind].rows
        ),
        key=lambda row: (-row["result_rank"], row["result_kind"], row["result_id"]),
    )[:TOP]
    total = sum(results[kind].count for kind in kinds)
    return SearchRows(total, merged, lambda: _all_ranked_query(user, text))


def search_all_hits(*, user, text: str, rows: Iterable[dict]) -> list[SearchHit]:
    """Return the results of ranked rows (from ``search_all_ranked``) in their
    order: rows that carry their details need no query, the others one query
    per kind among them."""
    text = search_text_clean(text)
    words = search_words(text)
    rows = list(rows)
    hits = {}
    by_kind: dict[str, list[int]] = {}
    for row in rows:
        key = (row["result_kind"], row["result_id"])
        if "detail" in row:
            hits[key] = _hit(search_source(row["result_kind"]), row["detail"], words)
        else:
            by_kind.setdefault(row["result_kind"], []).append(row["result_id"])
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
