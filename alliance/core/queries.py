"""Counting related rows inside a query, for any app's selectors."""

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
