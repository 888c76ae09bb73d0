"""Per-request memos: an answer kept on the object it is about, so a page that asks
the same question several times (panels, permissions, templates) asks the
database once.

A memo lives as long as its object. Keep them only on ``request`` and on the
person signed in for it (``request.user``), which Django builds anew for every
request: a memo there holds for one request and is gone with it. Memoize facts
that this request does not change by itself (the person's organizations, the
groups they chair), as a list, set, dict or bool, never as a queryset. A service
that changes such a fact calls ``memo_forget`` on the objects it was given, so the
rest of the request reads it again; other copies of the same person (another
request) keep theirs until their request ends.

Keys are named after the app that owns the answer (``"members.organizations"``).
"""

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

_ATTRIBUTE = "_alliance_memos"


def _memos(obj) -> dict:
    # getattr/setattr rather than __dict__, so a lazy request.user passes the memo
    # on to the person it wraps.
    memos = getattr(obj, _ATTRIBUTE, None)
    if memos is None:
        memos = {}
        setattr(obj, _ATTRIBUTE, memos)
    return memos


def memoize(obj, key: str, compute: Callable[[], T]) -> T:
    """Return the memo ``key`` kept on ``obj``, computing and keeping it first."""
    memos = _memos(obj)
    if key not in memos:
        memos[key] = compute()
    return memos[key]


def memo_keep(obj, key: str, value) -> None:
    """Keep ``value`` as the memo ``key`` on ``obj`` (a fact read with it)."""
    _memos(obj)[key] = value


_MISSING = object()


def memo_get(obj, key: str, default=None):
    """Return the memo ``key`` kept on ``obj``, or ``default``."""
    value = (getattr(obj, _ATTRIBUTE, None) or {}).get(key, _MISSING)
    return default if value is _MISSING else value


def memo_forget(obj, *keys: str) -> None:
    """Drop the memos ``keys`` kept on ``obj`` (every memo when no key is given)."""
    memos = getattr(obj, _ATTRIBUTE, None)
    if not memos:
        return
    if not keys:
        memos.clear()
    for key in keys:
        memos.pop(key, None)
