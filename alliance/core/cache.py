"""Redis as a cache the portal can lose: a dead or hung Redis never fails a
request, and costs at most one short socket timeout per process every few
seconds.

``ResilientRedisCache`` is Django's Redis cache with three changes:

- short socket and connect timeouts (``REDIS_SOCKET_TIMEOUT``), no retries;
- after a connection error or timeout, Redis counts as down for
  ``RETRY_AFTER`` seconds in the whole process, and no operation waits on it;
- while it is down, each operation is answered by the ``FALLBACK``:

  ``"local"`` (the default cache): this process's memory. Rate limits (DRF
  throttles, allauth's limits on sign-in, sign-up, password reset and codes) and
  the one-time use of TOTP codes keep working, counted per process: with N web
  processes a limit lets through at most N times its rate until Redis is back,
  and nobody is refused because the counter store is gone.

  ``"none"`` (the sessions' cache): a miss. ``cached_db`` sessions then read and
  write the database alone. A write or delete Redis did not get is remembered,
  and the key deleted once Redis answers again, so a session that ended during
  the outage does not come back from a stale Redis copy.
"""

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

try:  # redis is installed with the portal; the embedded defaults do not use it
    from redis.exceptions import ConnectionError as _RedisConnectionError
    from redis.exceptions import TimeoutError as _RedisTimeoutError

    REDIS_ERRORS = (_RedisConnectionError, _RedisTimeoutError, OSError)
except ImportError:  # pragma: no cover
    REDIS_ERRORS = (OSError,)

# location -> time.monotonic() until which Redis counts as down (whole process).
_down_until: dict[str, float] = {}
# location -> keys whose write or delete Redis missed (the "none" fallback).
_missed: dict[str, set] = {}
_missed_lock = threading.Lock()
MISSED_KEYS_KEPT = 10_000


def redis_ping(url: str, timeout: float = 1.0) -> None:
    """Ask the Redis server at ``url`` for PONG, raising if it does not answer
    within ``timeout`` seconds (for /health/'s broker check)."""
    import redis

    client = redis.Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    try:
        client.ping()
    finally:
        client.close()


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_after = float(options.pop("RETRY_AFTER", 5.0))
        fallback = options.pop("FALLBACK", "local")
        timeout = float(options.pop("SOCKET_TIMEOUT", 0.5))
        options.setdefault("socket_timeout", timeout)
        options.setdefault("socket_connect_timeout", timeout)
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = self._servers[0]
        self._fallback = None
        if fallback == "local":
            self._fallback = LocMemCache(
                f"redis-fallback:{self._location}",
                {
                    "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                    "VERSION": params.get("VERSION", 1),
                    "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                    "OPTIONS": {"MAX_ENTRIES": 10_000},
                },
            )
        elif fallback != "none":
            raise ValueError(f"FALLBACK must be 'local' or 'none', not {fallback!r}")

    # --- the breaker ------------------------------------------------------------

    def redis_down(self) -> bool:
        """Whether Redis counts as down in this process right now."""
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def redis_ping(self) -> None:
        """Ask Redis itself (not the fallback); raises when it does not answer."""
        self._cache.get_client(write=True).ping()

    def _went_down(self, exc: Exception) -> None:
        """Count Redis as down for ``retry_after`` seconds (this process)."""
        _down_until[self._location] = time.monotonic() + self.retry_after
        logger.warning(
            "Redis cache unreachable (%s: %s); answering without it for %.0f s",
            type(exc).__name__,
            exc,
            self.retry_after,
        )

    def _call(self, name: str, missed, args: tuple, kwargs: dict, remember=None):
        """Run ``name`` on Redis; when it is down, on the fallback, or answer
        ``missed`` (remembering the key ``remember`` for a later delete)."""
        if not self.redis_down():
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except REDIS_ERRORS as exc:
                self._went_down(exc)
            else:
                self._forget_missed()
                return result
        if self._fallback is not None:
            return getattr(self._fallback, name)(*args, **kwargs)
        if remember is not None:
            with _missed_lock:
                keys = _missed.setdefault(self._location, set())
                if len(keys) < MISSED_KEYS_KEPT:
                    keys.add((remember, kwargs.get("version")))
        return missed

    def _forget_missed(self) -> None:
        """Delete the keys Redis missed while it was down (sessions' cache)."""
        if not _missed.get(self._location):
            return
        with _missed_lock:
            keys = _missed.pop(self._location, set())
        for key, version in keys:
            try:
                super().delete(key, version=version)
            except REDIS_ERRORS:
                with _missed_lock:
                    _missed.setdefault(self._location, set()).add((key, version))
                return

    # --- every operation of Django's cache API -------------------------------------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, (key, value, timeout), {"version": version})

    def get(self, key, default=None, version=None):
        return self._call("get", default, (key, default), {"version": version})

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(
            "set", None, (key, value, timeout), {"version": version}, remember=key
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, (key, timeout), {"version": version})

    def delete(self, key, version=None):
        return self._call("delete", False, (key,), {"version": version}, remember=key)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, (keys,), {"version": version})

    def has_key(self, key, version=None):
        return self._call("has_key", False, (key,), {"version": version})

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", None, (key, delta), {"version": version})
        if result is None:
            raise ValueError(f"Key '{key}' not found (Redis is unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), (data, timeout), {"version": version})

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, (keys,), {"version": version})

    def clear(self):
        return self._call("clear", None, (), {})

    # --- rate limits ------------------------------------------------------------------

    def rate_hit(self, key, *, now: float, window: int, limit: int):
        """Count one request against a sliding-window limit of ``limit`` requests
        per ``window`` seconds kept under ``key``, in one round trip and atomically
        (a Lua script over a sorted set of request times). Return whether it is
        allowed (a refused request is not counted), how many requests the window
        holds and the oldest one's time (None when empty). While Redis is down,
        the local fallback counts as DRF's throttles do; with none, nobody is
        refused."""
        if not self.redis_down():
            try:
                client = self._cache.get_client(key, write=True)
                allowed, count, oldest = client.eval(
                    _RATE_SCRIPT,
                    1,
                    self.make_and_validate_key(key),
                    repr(now),
                    window,
                    limit,
                    f"{now!r}:{secrets.token_hex(4)}",
                )
            except REDIS_ERRORS as exc:
                self._went_down(exc)
            else:
                return bool(allowed), int(count), float(oldest) if oldest else None
        if self._fallback is None:
            return True, 0, None
        history = [t for t in self._fallback.get(key, []) if t > now - window]
        if len(history) < limit:
            history.insert(0, now)
            self._fallback.set(key, history, window)
            return True, len(history), history[-1]
        return False, len(history), history[-1]


# Drop the times that left the window (DRF drops those at or before now -
# window), count, add this request's time if there is room, keep the key for a
# window; answer allowed, count, oldest time (a string: Lua truncates numbers).
_RATE_SCRIPT = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('EXPIRE', KEYS[1], window)
  count = count + 1
  allowed = 1
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {allowed, count, oldest[2] or false}
"""


# --- versioned shared caches -------------------------------------------------------
#
# What many people see is cached under keys made of:
#
# - the *versions* of the namespaces it was read from ("catalog", "events", …). A
#   version is a random token kept in the default cache; ``bump(namespace)``
#   replaces it, so every entry made from the old state is never read again (it
#   expires on its own). A lost version (Redis flushed or restarted) comes back
#   as a new token, never as an old one, so no stale entry can come back either;
# - the language and time zone the page is rendered in;
# - the reader's *audience*: the visibility class the app's own selectors and
#   predicates put the reader in ("public", "member", "staff", …), never a
#   person's id. Two readers with the same audience must be allowed to see
#   exactly the same thing; whatever differs per person stays outside the cache;
# - the request's own parts (query string, page number, object id);
# - the code that builds it (``code_digest``): a deploy that changes a template,
#   a translation or a module starts with nothing shared by the code before.
#
# Writers bump: each app's ``hooks.connect()`` ties its models to the namespaces
# they feed (``cache_bump_on_write``), so every save and delete (services, admin,
# tasks) bumps them, and services that write with ``QuerySet.update()`` or
# ``bulk_create`` call ``bump`` themselves. A bump happens at once (the rest of
# the request reads the new state) and again after the transaction commits (a
# reader that cached the old state in between is dropped too).
#
# While Redis is down, each process keeps its own versions and entries (the
# "local" fallback): another process may show a page up to
# ``SHARED_FRAGMENT_TIMEOUT`` seconds old until Redis is back.

SHARED_FRAGMENT_TIMEOUT = 300
_VERSION_PREFIX = "cachever:"
_FRAGMENT_PREFIX = "frag:"


def _shared_cache():
    from django.core.cache import caches

    return caches["default"]


# What the shared entries are built by (``code_digest``): the project's code,
# templates and compiled translations.
_CODE_DIRS = ("alliance", "members", "projects", "events", "templates", "locale")
_CODE_SUFFIXES = (".py", ".html", ".txt", ".mo")
_code: list[str] = []


def code_digest() -> str:
    """A short digest of the files that build the shared entries, read once per
    process: every process of one deploy agrees on it, and another deploy's
    entries (built by other templates or code) are never read."""
    if not _code:
        import hashlib
        from pathlib import Path

        from django.conf import settings

        digest = hashlib.sha256()
        root = Path(settings.BASE_DIR)
        for name in _CODE_DIRS:
            for path in sorted((root / name).rglob("*")):
                if path.suffix in _CODE_SUFFIXES and path.is_file():
                    digest.update(str(path.relative_to(root)).encode())
                    digest.update(path.read_bytes())
        _code.append(digest.hexdigest()[:8])
    return _code[0]


def _new_token() -> str:
    import secrets

    return secrets.token_hex(6)


# A request reads each namespace's version once: the versions it read are kept
# for the rest of it (in this thread, from request_started to request_finished;
# a task or a command keeps none), and a bump in this process replaces them, so
# the request reads its own writes.
_request = threading.local()


def _request_versions() -> dict | None:
    return getattr(_request, "versions", None)


def _request_begins(**kwargs) -> None:
    _request.versions = {}


def _request_ends(**kwargs) -> None:
    _request.versions = None


def cache_versions(namespaces) -> str:
    """Return the current versions of ``namespaces`` as one string (one cache
    round trip at most, none for namespaces this request read already: its
    first read takes every namespace a model feeds; a namespace without a
    version gets a new one)."""
    known = _request_versions()
    in_request = known is not None
    if not in_request:
        known = {}
    missing = [name for name in namespaces if name not in known]
    if missing and in_request:
        # The request's first read takes every namespace's version at once: the
        # page's other sections ask other namespaces, in no more round trips.
        missing += sorted(_namespaces_known - set(known) - set(missing))
    if missing:
        cache = _shared_cache()
        found = cache.get_many([f"{_VERSION_PREFIX}{name}" for name in missing])
        for name in missing:
            key = f"{_VERSION_PREFIX}{name}"
            token = found.get(key)
            if token is None:
                token = _new_token()
                # add(): two first readers agree on the one token that was stored.
                if not cache.add(key, token, timeout=None):
                    token = cache.get(key) or token
            known[name] = token
    return ".".join(known[name] for name in namespaces)


def _bump_now(namespaces) -> None:
    cache = _shared_cache()
    tokens = {name: _new_token() for name in namespaces}
    cache.set_many(
        {f"{_VERSION_PREFIX}{name}": token for name, token in tokens.items()},
        timeout=None,
    )
    known = _request_versions()
    if known is not None:
        known.update(tokens)


def bump(*namespaces: str) -> None:
    """Drop every shared cache entry read from ``namespaces``: now, and once more
    when the current transaction commits."""
    from django.db import transaction

    if not namespaces:
        return
    _bump_now(namespaces)
    transaction.on_commit(lambda: _bump_now(namespaces))


_namespaces_known: set[str] = set()


def namespaces_all() -> tuple[str, ...]:
    """Return every namespace a model feeds (for a fact that may depend on any
    of them, say what a person may still see)."""
    return tuple(sorted(_namespaces_known))


def bump_all() -> None:
    """Bump every namespace a model feeds (after bulk writes that send no
    signal: seeding, imports, tests' bulk inserts)."""
    bump(*namespaces_all())


def cache_bump_on_write(
    model,
    *namespaces: str,
    unless_only=(),
    on_create: bool = True,
) -> None:
    """Bump ``namespaces`` after every save or delete of ``model`` (and changes to
    its many-to-many fields); called from the owning app's ``hooks.connect()``.
    A save of ``update_fields`` all within ``unless_only`` (say ``last_login``)
    bumps nothing; ``on_create=False``: a new row bumps nothing (it shows
    nowhere until another write links it)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    _namespaces_known.update(namespaces)

    def receiver(sender, **kwargs):
        fields = kwargs.get("update_fields")
        if fields and unless_only and set(fields) <= set(unless_only):
            return
        if kwargs.get("created") and not on_create:
            return
        bump(*namespaces)

    uid = f"cache_bump:{model._meta.label}:{','.join(namespaces)}"
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=uid + ":del")
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        m2m_changed.connect(
            receiver, sender=through, weak=False, dispatch_uid=f"{uid}:{field.name}"
        )


class SharedFragment:
    """One cache entry of HTML shared by every reader of one audience.

    ``html`` is the cached HTML, or ``None`` when the page must build it (the
    view then computes its expensive context; ``{% shared_fragment %}`` renders
    and stores it)."""

    def __init__(self, key: str | None, html: str | None = None):
        self.key = key
        self.html = html

    def store(self, html: str, timeout: int = SHARED_FRAGMENT_TIMEOUT) -> None:
        if self.key is not None:
            _shared_cache().set(self.key, html, timeout=timeout)
            _fragment_copies.keep(self.key, html)
            self.html = html


def fragment_key(
    namespaces, *, audience: str, parts=(), versions: str | None = None, local=True
) -> str:
    """The cache key of an entry read from ``namespaces`` for ``audience``
    (``versions``: those ``cache_versions(namespaces)`` returned, if already
    read; ``local=False``: the same entry whatever the language and time zone,
    for data that holds neither; ``local="language"``: one per language, for
    what shows no time)."""
    import hashlib

    from django.utils import timezone, translation

    varies = "\x1f".join(str(part) for part in parts)
    digest = hashlib.sha256(varies.encode()).hexdigest()[:24]
    return ":".join(
        [
            _FRAGMENT_PREFIX + code_digest() + ":" + "/".join(namespaces),
            versions if versions is not None else cache_versions(namespaces),
            (translation.get_language() or "") if local else "",
            timezone.get_current_timezone_name() if local is True else "",
            audience,
            digest,
        ]
    )


def shared_fragment(
    namespaces, *, audience: str | None, parts=(), local=True
) -> SharedFragment:
    """Look up the HTML shared by the readers of ``audience`` for ``parts``;
    ``audience=None`` caches nothing (the reader sees something of their own);
    ``local`` as in ``fragment_key``."""
    if audience is None:
        return SharedFragment(None)
    return shared_fragment_at(
        fragment_key(namespaces, audience=audience, parts=parts, local=local)
    )


def shared_fragment_at(key: str) -> SharedFragment:
    """Look up the entry under ``key`` (a ``fragment_key``): this process's
    copy of an HTML entry, or the shared one."""
    return SharedFragment(key, _fragment_copies.get(key))


def shared_value(
    namespaces,
    *,
    audience: str,
    parts=(),
    compute,
    timeout=None,
    local=True,
    process=False,
):
    """Return ``compute()`` cached for ``audience`` and ``parts`` until one of
    ``namespaces`` is bumped (for data an API or a page builds, not HTML);
    ``local`` as in ``fragment_key``. ``process=True``: also kept in this
    process (``_value_copies``), for a value read on every request of a busy
    page; the same object is then handed to each of the process's requests,
    so the caller must not change it (copy it first)."""
    key = "val" + fragment_key(namespaces, audience=audience, parts=parts, local=local)
    value = _value_copies.get(key) if process else _shared_cache().get(key)
    if value is None:
        value = compute()
        _shared_cache().set(key, value, timeout=timeout or SHARED_FRAGMENT_TIMEOUT)
        if process:
            _value_copies.keep(key, value)
    return value


class ProcessCopies:
    """The entries of one kind (``kind``) this process read lately from the
    shared cache or stored there, at most ``size``, oldest dropped first: an
    entry read again costs no round trip and no unpickling. Their keys hold
    the namespaces' versions, so a bump is seen at once. A copy is dropped once
    the entry is ``SHARED_FRAGMENT_TIMEOUT`` old (an entry with a ``stored_at``
    time, as the shared one expires) or ``seconds`` after this process kept it
    (one without: the shared entry may expire before, and a section that
    shows the time, as the upcoming events, is then at most that much older
    than a fresh one)."""

    def __init__(self, kind: type, size: int, *, seconds: float | None = None):
        self.kind = kind
        self.size = size
        self.seconds = seconds
        self._entries: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: str):
        """The entry under ``key``: this process's copy, or the shared one
        (None when there is none of this kind)."""
        kept = self._entries.get(key)
        if kept is None or time.time() > kept[0]:
            self._entries.pop(key, None)
            self.keep(key, _shared_cache().get(key))
            kept = self._entries.get(key)
            if kept is None or time.time() > kept[0]:  # none, or expired
                self._entries.pop(key, None)
                return None
        return kept[1]

    def keep(self, key: str, entry) -> None:
        """Keep ``entry`` (already stored under ``key``) in this process."""
        if entry is None or not isinstance(entry, self.kind):
            return
        if self.seconds is None:
            until = entry.stored_at + SHARED_FRAGMENT_TIMEOUT
        else:
            until = time.time() + self.seconds
        with self._lock:
            self._entries[key] = (until, entry)
            while len(self._entries) > self.size:
                del self._entries[next(iter(self._entries))]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


# The HTML sections (``shared_fragment_at``) this process read or stored lately.
_fragment_copies = ProcessCopies(str, 400, seconds=60)
# The values (``shared_value(process=True)``) this process read or stored lately.
_value_copies = ProcessCopies(object, 500, seconds=60)
# The facts about people (``personal_value``) this process read or stored lately.
_personal_copies = ProcessCopies(object, 5000, seconds=60)


@dataclass(frozen=True)
class SharedValue:
    """One entry of ``shared_values``: ``compute()`` cached for ``audience``
    and ``parts`` until one of ``namespaces`` is bumped."""

    namespaces: tuple[str, ...]
    audience: str
    parts: tuple
    compute: Callable[[], object]


def shared_values(entries: list[SharedValue], *, local=True, timeout=None) -> list:
    """Return the values of several shared entries, in their order, in at most
    three cache round trips (the namespaces' versions, the entries, and the
    entries computed now); ``local=False`` as in ``fragment_key``. None is not a
    value that can be kept: compute something else for "nothing"."""
    if not entries:
        return []
    names = sorted({name for entry in entries for name in entry.namespaces})
    tokens = dict(zip(names, cache_versions(names).split("."), strict=True))
    keys = [
        "vals"
        + fragment_key(
            entry.namespaces,
            audience=entry.audience,
            parts=entry.parts,
            versions=".".join(tokens[name] for name in entry.namespaces),
            local=local,
        )
        for entry in entries
    ]
    cache = _shared_cache()
    found = cache.get_many(keys)
    computed = {}
    values = []
    for key, entry in zip(keys, entries, strict=True):
        if key not in found and key not in computed:
            computed[key] = entry.compute()
        values.append(found[key] if key in found else computed[key])
    if computed:
        cache.set_many(computed, timeout=timeout or SHARED_FRAGMENT_TIMEOUT)
    return values


def personal_value(namespaces, *, person_id: int, parts=(), compute):
    """Return ``compute()`` kept for one person until one of ``namespaces`` is
    bumped: a fact about them that decides which shared entries they may read
    (say, whether they sit in a members-only group), never what a page shows.
    Keep it small; it is read on every request that asks it. Each process
    keeps the facts it read lately (``_personal_copies``): the same object is
    then handed to the person's next requests there, so callers must not
    change it."""
    key = "person" + fragment_key(
        namespaces, audience=f"person:{person_id}", parts=parts, local=False
    )
    value = _personal_copies.get(key)
    if value is None:
        value = compute()
        _shared_cache().set(key, value, timeout=SHARED_FRAGMENT_TIMEOUT)
        _personal_copies.keep(key, value)
    return value


def _connect_request_signals() -> None:
    from django.core.signals import request_finished, request_started

    request_started.connect(
        _request_begins, dispatch_uid="alliance.cache.versions.begin"
    )
    request_finished.connect(_request_ends, dispatch_uid="alliance.cache.versions.end")


_connect_request_signals()
