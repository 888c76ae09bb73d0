"""Per-request memos: computed once per object, forgotten on demand, and kept on
the person a lazy ``request.user`` wraps."""

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject

from alliance.core.memo import memo_forget, memoize


class Thing:
    pass


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return compute, calls


def test_a_memo_is_computed_once_per_object():
    compute, calls = counter()
    first, second = Thing(), Thing()
    assert memoize(first, "app.answer", compute) == 1
    assert memoize(first, "app.answer", compute) == 1
    assert memoize(second, "app.answer", compute) == 2
    assert len(calls) == 2


def test_falsy_answers_are_kept_too():
    compute_calls = []

    def nothing():
        compute_calls.append(1)
        return set()

    person = AnonymousUser()
    assert memoize(person, "app.ids", nothing) == set()
    assert memoize(person, "app.ids", nothing) == set()
    assert len(compute_calls) == 1


def test_forgetting_a_key_computes_it_again_and_leaves_the_others():
    compute, calls = counter()
    thing = Thing()
    memoize(thing, "app.one", compute)
    memoize(thing, "app.two", compute)
    memo_forget(thing, "app.one", "app.never-kept")
    assert memoize(thing, "app.one", compute) == 3
    assert memoize(thing, "app.two", compute) == 2
    memo_forget(thing)
    assert memoize(thing, "app.two", compute) == 4
    memo_forget(Thing())  # nothing kept: nothing to do


def test_a_lazy_request_user_keeps_the_memo_on_the_person():
    compute, _ = counter()
    person = Thing()
    lazy = SimpleLazyObject(lambda: person)
    assert memoize(lazy, "app.answer", compute) == 1
    assert memoize(person, "app.answer", compute) == 1
    memo_forget(lazy, "app.answer")
    assert memoize(person, "app.answer", compute) == 2
