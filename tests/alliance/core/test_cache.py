"""The Redis cache a dead or hung Redis cannot break (alliance.core.cache), on a
redis-server of the test's own that it stops or pauses (issue 18, item 1)."""

import os
import signal
import time

import pytest

from alliance.core import cache as resilient
from alliance.core.cache import ResilientRedisCache
from tests.alliance.notifications.conftest import private_redis  # noqa: F401


def make(url: str, fallback: str) -> ResilientRedisCache:
    resilient._down_until.pop(url, None)
    resilient._missed.pop(url, None)
    return ResilientRedisCache(
        url,
        {
            "KEY_PREFIX": "t",
            "OPTIONS": {
                "FALLBACK": fallback,
                "SOCKET_TIMEOUT": 0.3,
                "RETRY_AFTER": 0.5,
            },
        },
    )


def test_rate_limit_counters_keep_counting_in_the_process_while_redis_is_down(
    private_redis,  # noqa: F811
):
    cache = make(private_redis.url, "local")
    private_redis.stop()
    # allauth's limits take a lock with add() and keep a history with get/set.
    assert cache.add("lock", True, 10) is True
    assert cache.add("lock", True, 10) is False
    cache.set("history", [1, 2], 60)
    assert cache.get("history") == [1, 2]
    assert cache.add("count", 0) is True
    assert cache.incr("count") == 1
    assert cache.redis_down()


def test_a_session_key_redis_missed_is_deleted_once_it_answers_again(
    private_redis,  # noqa: F811
):
    """A session ended during the outage must not come back from Redis's copy."""
    cache = make(private_redis.url, "none")
    cache.set("session-a", {"user": 7}, 3600)
    os.kill(private_redis.proc.pid, signal.SIGSTOP)  # hung: the copy stays in Redis
    try:
        started = time.monotonic()
        assert cache.get("other") is None  # waits the socket timeout once
        first = time.monotonic() - started
        started = time.monotonic()
        # Signing out meanwhile: the delete never reaches Redis, it is remembered.
        assert cache.delete("session-a") is False
        assert cache.get("session-a") is None
        second = time.monotonic() - started
    finally:
        os.kill(private_redis.proc.pid, signal.SIGCONT)
    assert first < 1.0 and second < 0.1, (first, second)
    time.sleep(0.6)  # RETRY_AFTER
    assert cache.get("other") is None  # Redis answers; the missed keys go
    assert not resilient._missed.get(private_redis.url)
    assert cache.get("session-a") is None, "an ended session came back"


@pytest.mark.parametrize("fallback", ["local", "none"])
def test_every_operation_answers_without_redis(private_redis, fallback):  # noqa: F811
    cache = make(private_redis.url, fallback)
    private_redis.stop()
    cache.set_many({"a": 1, "b": 2})
    cache.get_many(["a", "b"])
    cache.touch("a")
    cache.has_key("a")
    cache.delete_many(["a", "b"])
    cache.get_or_set("c", 3)
    cache.clear()
