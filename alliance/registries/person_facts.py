"""Person facts: what (nearly) every page asks about the person signed in, read
in the same query that loads them for the request.

An app registers a fact in its ``hooks.connect()`` (``person_fact_register``)
with a key (named after the app, like a memo key) and an expression over the
person's row (``OuterRef("pk")`` is the person), usually an ``Exists`` (kept as
a bool), or a small value with ``convert=`` saying how to keep it. The
query that loads the person is compiled once per process, so an expression
must take no parameter that changes between requests (no ``timezone.now()``
value: use ``django.db.models.functions.Now()``). The members app loads the
person with every fact and keeps each as a memo under its key
(``alliance.core.memo``), so the app reads it with ``memo_get`` and asks
the database itself when the memo is missing (a service that forgot it after
a change). An API token's person is loaded with the facts too
(``members.selectors.api_token_person_get``).
"""

from collections.abc import Callable

_facts: dict[str, tuple[Callable[[], object], Callable[[object], object]]] = {}


def person_fact_register(
    key: str, expression: Callable[[], object], *, convert=bool
) -> None:
    """Declare a fact read with the person (see the module's docstring):
    ``convert`` turns the value the database gives into the memo kept."""
    _facts[key] = (expression, convert)


def person_facts() -> dict[str, object]:
    """Return the facts' expressions by key."""
    return {key: expression() for key, (expression, _convert) in _facts.items()}


def person_fact_keys() -> tuple[str, ...]:
    """Return the facts' keys, in the order of ``person_facts()`` (without
    building their expressions: asked on every request)."""
    return tuple(_facts)


def person_fact_convert(key: str, value):
    """Return the fact ``key``'s value as it is kept (a bool unless registered
    otherwise)."""
    fact = _facts.get(key)
    return bool(value) if fact is None else fact[1](value)
