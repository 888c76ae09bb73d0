"""Counting related rows inside a query, and queries compiled once per process,
for any app's selectors."""

from dataclasses import dataclass

from django.db import connections
from django.db.models import Count, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, *, distinct: str | None = None) -> Coalesce:
    """Return an annotation counting ``rows`` (filtered on ``OuterRef``s), 0 when
    there are none: a subquery, so it is computed only for the rows fetched and
    never multiplies them as a join would. With ``distinct``, count the different
    non-null values of that field instead (e.g. the organizations of a roster)."""
    counted = (
        rows.order_by()
        .annotate(_all=Value(1))
        .values("_all")
        .annotate(n=Count(distinct, distinct=True) if distinct else Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class CompiledQuery:
    """A read every request runs whose shape never changes, only some values
    (an id, a hash): built and compiled with the ORM once per process, which
    costs more than running it, and then sent with the request's values on a
    cursor the server prepares it on (``alliance.core.postgresql``).

    ``CompiledQuery.of(queryset, stand_ins)`` compiles ``queryset`` built with
    stand-in values (each found among the query's parameters, and no other
    value equal to one); ``rows(**values)``, given a value for each, runs it
    with the request's values in their places and returns the rows as the
    queryset's compiler would (its columns' converters applied), with
    ``names`` the selected columns."""

    query: object  # the compiled query (for its converters' compiler)
    db: str
    sql: str
    params: tuple
    at: dict  # each stand-in's name -> where its value goes among the parameters
    names: tuple[str, ...]
    converters: dict

    @classmethod
    def of(cls, queryset: QuerySet, stand_ins: dict) -> "CompiledQuery":
        compiler = queryset.query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        at = {
            name: tuple(n for n, param in enumerate(params) if param == value)
            for name, value in stand_ins.items()
        }
        missing = [name for name, places in at.items() if not places]
        if missing:
            raise ValueError(f"stand-ins not among the query's parameters: {missing}")
        selected = [expression for expression, _sql, _alias in compiler.select]
        return cls(
            query=queryset.query,
            db=queryset.db,
            sql=sql,
            params=tuple(params),
            at=at,
            names=tuple(
                alias or expression.target.attname
                for expression, _sql, alias in compiler.select
            ),
            converters=compiler.get_converters(selected),
        )

    def rows(self, **values) -> list[tuple]:
        if values.keys() != self.at.keys():
            # A stand-in left in place would be sent as a value.
            raise ValueError(f"give a value for each of {sorted(self.at)}")
        params = list(self.params)
        for name, value in values.items():
            for n in self.at[name]:
                params[n] = value
        connection = connections[self.db]
        # Prepared on PostgreSQL once the connection has run it a few times:
        # planning it may cost more than running it.
        cursor = getattr(connection, "prepared_cursor", connection.cursor)()
        with cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if self.converters:
            compiler = self.query.get_compiler(self.db)
            rows = list(compiler.apply_converters(rows, self.converters))
        return rows
