"""alliance.core.queries.CompiledQuery: a query compiled once with stand-in
values, run with each caller's values."""

import pytest
from django.db.models import Q

from alliance.core.queries import CompiledQuery
from members.models import User
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

STAND_IN = -1_999_999_901


def test_a_compiled_query_runs_with_each_callers_values_in_every_place():
    ada = UserFactory(name="Ada Lovelace")
    grace = UserFactory(name="Grace Hopper")
    compiled = CompiledQuery.of(
        # The stand-in twice: each place takes the caller's value.
        User.objects.filter(Q(pk=STAND_IN) | Q(pk=STAND_IN + 1, is_active=True))
        .filter(pk__gte=STAND_IN)
        .order_by("pk")
        .values("pk", "name"),
        {"first": STAND_IN, "second": STAND_IN + 1},
    )
    assert compiled.names == ("pk", "name")
    assert compiled.rows(first=ada.pk, second=-1) == [(ada.pk, "Ada Lovelace")]
    assert compiled.rows(first=grace.pk, second=-1) == [(grace.pk, "Grace Hopper")]
    assert compiled.rows(first=-1, second=-1) == []


def test_a_stand_in_missing_from_the_query_or_its_value_is_refused():
    with pytest.raises(ValueError, match="stand-ins not among"):
        CompiledQuery.of(User.objects.filter(pk=1).values("pk"), {"user": STAND_IN})
    compiled = CompiledQuery.of(
        User.objects.filter(pk=STAND_IN).values("pk"), {"user": STAND_IN}
    )
    with pytest.raises(ValueError, match="a value for each"):
        compiled.rows()
