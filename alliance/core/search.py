"""Full-text search, written once for every app's search source (see
``alliance.registries.search``).

On PostgreSQL each searched table holds a ``tsvector`` document: a stored
generated column ``search_document`` (added by the app's migration with
``search_document_add``, so the database keeps it current on every write; nothing
rebuilds it later) or, for the catalog, the service-kept ``search_vector``. The
document holds each field in English AND German stemming, because no model knows
the language its text is written in (``User.language`` is the person's choice of
interface, not of their bio), plus the title words unstemmed (the ``simple``
configuration) so names match as they are typed. Titles weigh A, summaries B,
bodies C. A query matches when its English, German or prefix form matches
(``websearch_to_tsquery`` in both languages, every word as a prefix ``word:*``);
its rank is the best of the three ranks, so text in either language ranks by the
stemming that fits it. The matched words are highlighted by ``ts_headline`` with
the configuration that ranked better, between control characters that
``search_highlight`` turns into ``<mark>`` after escaping everything else.

On SQLite (the embedded default) a row matches when every word of the query is
contained in one of its fields (``icontains``); titles that contain the words rank
first, and the words are highlighted in Python.
"""

import re
from functools import reduce
from operator import and_, or_

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, migrations
from django.db.models import (
    Case,
    CharField,
    Expression,
    F,
    FloatField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Cast, Greatest, Substr
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

QUERY_MAX_LENGTH = 200
QUERY_MAX_WORDS = 8
DOCUMENT_COLUMN = "search_document"
SNIPPET_WORDS = 30
# ts_headline marks the matches with these; nothing a person writes keeps them
# (search_highlight drops strays), and they are never sent as HTML.
START, STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+")
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")


def search_text_clean(text) -> str:
    """Return the query as searched: single spaces, no control characters, at most
    ``QUERY_MAX_LENGTH`` characters."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(text or ""))
    return " ".join(text.split())[:QUERY_MAX_LENGTH]


def search_words(text) -> list[str]:
    """Return the words of the query (letters and digits), lower case."""
    return _WORD.findall(search_text_clean(text).lower())[:QUERY_MAX_WORDS]


# --- the document (migrations) ------------------------------------------------


def _joined(columns) -> str:
    return " || ' ' || ".join(f"coalesce({column}::text, '')" for column in columns)


def search_document_sql(*, a, b=(), c=()) -> str:
    """Return the SQL of a search document over a table's columns: titles ``a``
    (unstemmed, English and German), summaries ``b`` and bodies ``c`` (English and
    German). Column names are trusted code, never input."""
    parts = [f"setweight(to_tsvector('simple', {_joined(a)}), 'A')"]
    for weight, columns in (("A", a), ("B", b), ("C", c)):
        if columns:
            parts += [
                f"setweight(to_tsvector('{config}', {_joined(columns)}), '{weight}')"
                for config in ("english", "german")
            ]
    return " || ".join(parts)


def _document_create(schema_editor, table: str, expression: str) -> None:
    schema_editor.execute(
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {DOCUMENT_COLUMN} "
        f"tsvector GENERATED ALWAYS AS ({expression}) STORED"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {table}_search_gin "
        f"ON {table} USING gin ({DOCUMENT_COLUMN})"
    )


def _document_drop(schema_editor, table: str) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_gin")
    schema_editor.execute(
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS {DOCUMENT_COLUMN}"
    )


def search_document_add(table: str, *, a, b=(), c=()) -> migrations.RunPython:
    """Return a migration operation that adds the table's ``search_document``
    (a stored generated column the database keeps current) and its GIN index, on
    PostgreSQL only; SQLite searches with icontains. The SQL is fixed when the
    migration is written: a change of fields needs a new migration
    (``search_document_change``)."""
    expression = search_document_sql(a=a, b=b, c=c)

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _document_create(schema_editor, table, expression)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            _document_drop(schema_editor, table)

    return migrations.RunPython(forwards, backwards, elidable=False)


def search_document_change(
    table: str, *, before: dict, after: dict
) -> migrations.RunPython:
    """Return a migration operation that builds the table's ``search_document``
    from other fields: ``before`` and ``after`` are ``search_document_sql``'s
    arguments (``{"a": [...], "b": [...]}``); a column may be an SQL expression
    over the table's columns (trusted code). The column and its index are
    dropped and added again (PostgreSQL computes every row anew); backwards
    restores ``before``."""
    old, new = search_document_sql(**before), search_document_sql(**after)

    def rebuild(expression):
        def operation(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                _document_drop(schema_editor, table)
                _document_create(schema_editor, table, expression)

        return operation

    return migrations.RunPython(rebuild(new), rebuild(old), elidable=False)


# --- the query ------------------------------------------------------------------


def _document(queryset: QuerySet) -> Expression:
    # The table's name (from the model) and a constant: no input reaches the SQL.
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    column = f"{table}.{DOCUMENT_COLUMN}"
    return RawSQL(column, [], output_field=SearchVectorField())  # noqa: S611


def search_document_with(queryset: QuerySet, *titles: str) -> Expression:
    """Return the table's stored document with more title fields (matched as
    typed, weight A) computed for each row as it is searched: no index serves
    them, so only for a search that is rare or over a small table (staff finding
    people by their full name, which the stored document leaves out)."""
    return CombinedExpression(
        _document(queryset),
        "||",
        SearchVector(*titles, config="simple", weight="A"),
        output_field=SearchVectorField(),
    )


def _expression(value) -> Expression:
    return F(value) if isinstance(value, str) else value


def search_match(
    queryset: QuerySet,
    text: str,
    *,
    title,
    snippet,
    fields: tuple[str, ...],
    document=None,
) -> QuerySet:
    """Return the rows of ``queryset`` that match ``text``, each with
    ``search_rank`` (higher is better), ``search_title`` and ``search_snippet``
    (the matched words between the markers ``search_highlight`` understands).

    ``title`` and ``snippet`` are field names or expressions; ``fields`` are the
    fields SQLite looks for the words in; ``document`` is the row's search
    document (default: the table's generated ``search_document``).
    """
    words = search_words(text)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _match_postgresql(
            queryset,
            search_text_clean(text),
            words,
            title=_expression(title),
            snippet=_expression(snippet),
            document=document if document is not None else _document(queryset),
        )
    return _match_words(
        queryset,
        words,
        title=_expression(title),
        snippet=_expression(snippet),
        fields=fields,
    )


def _headline(expression, query, config: str, **options) -> SearchHeadline:
    return SearchHeadline(
        Cast(expression, TextField()),
        query,
        config=config,
        start_sel=START,
        stop_sel=STOP,
        **options,
    )


def _match_postgresql(queryset, text, words, *, title, snippet, document):
    english = SearchQuery(text, config="english", search_type="websearch")
    german = SearchQuery(text, config="german", search_type="websearch")
    prefix = SearchQuery(
        " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
    )
    queryset = queryset.alias(_search_document=document).filter(
        _search_document=english | german | prefix
    )
    queryset = queryset.alias(
        _rank_en=SearchRank(F("_search_document"), english),
        _rank_de=SearchRank(F("_search_document"), german),
        _rank_prefix=SearchRank(F("_search_document"), prefix),
    )
    german_fits = Q(_rank_de__gt=F("_rank_en"))
    snippet_options = {
        "max_words": SNIPPET_WORDS,
        "min_words": 12,
        "max_fragments": 2,
        "fragment_delimiter": " … ",
    }
    return queryset.annotate(
        search_rank=Greatest(
            "_rank_en", "_rank_de", "_rank_prefix", output_field=FloatField()
        ),
        search_title=Case(
            When(
                german_fits,
                then=_headline(title, german | prefix, "german", highlight_all=True),
            ),
            default=_headline(title, english | prefix, "english", highlight_all=True),
            output_field=TextField(),
        ),
        search_snippet=Case(
            When(
                german_fits,
                then=_headline(snippet, german | prefix, "german", **snippet_options),
            ),
            default=_headline(snippet, english | prefix, "english", **snippet_options),
            output_field=TextField(),
        ),
    )


def _match_words(queryset, words, *, title, snippet, fields):
    each_word = [
        reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields))
        for word in words
    ]
    queryset = queryset.alias(_search_title=Cast(title, CharField())).filter(
        reduce(and_, each_word)
    )
    in_title = [
        Case(
            When(_search_title__icontains=word, then=Value(1.0)),
            default=Value(0.1),
            output_field=FloatField(),
        )
        for word in words
    ]
    return queryset.annotate(
        search_rank=reduce(lambda x, y: x + y, in_title),
        search_title=F("_search_title"),
        search_snippet=Substr(Cast(snippet, TextField()), 1, 300),
    )


# --- the highlight -----------------------------------------------------------------


def search_highlight(text: str | None, words=()) -> SafeString:
    """Return the title or snippet as HTML: everything escaped, the matched words
    in ``<mark>``. PostgreSQL's markers are used when present; otherwise (SQLite)
    the query's ``words`` are marked wherever they occur."""
    text = text or ""
    if START not in text and words:
        pattern = "|".join(re.escape(word) for word in sorted(words, key=len)[::-1])
        text = re.sub(
            f"({pattern})",
            lambda m: f"{START}{m.group(1)}{STOP}",
            text.replace(START, "").replace(STOP, ""),
            flags=re.IGNORECASE,
        )
    parts = []
    position = 0
    for match in _MARKED.finditer(text):
        parts.append(escape(_plain(text[position : match.start()])))
        parts.append(f"<mark>{escape(match.group(1))}</mark>")
        position = match.end()
    parts.append(escape(_plain(text[position:])))
    return mark_safe("".join(parts).strip())  # every piece of text is escaped


_MARKUP = re.compile(r"(?:^|(?<=\s))(?:#{1,6}|>|[-*+]|\d+\.)\s|\*\*|__|`")


def _plain(text: str) -> str:
    """Drop the markers, the commonest Markdown markup and line breaks: a
    snippet is one line of text."""
    text = _MARKUP.sub(" ", text.replace(START, "").replace(STOP, ""))
    lead = " " if text[:1].isspace() else ""
    trail = " " if text[-1:].isspace() else ""
    return f"{lead}{' '.join(text.split())}{trail}" if text.strip() else lead


def search_plain(text: str | None) -> str:
    """Return the title or snippet without the highlight markers (plain text)."""
    return _plain(text or "").strip()
