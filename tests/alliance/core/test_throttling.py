"""API rate limits (issue 19: the per-request floor of an API request): the
same limits and sliding window as DRF's throttles, in one Redis round trip."""

import pytest
import redis

from alliance.core.api import throttling
from members.services import api_token_create
from tests.alliance.notifications.conftest import private_redis  # noqa: F401
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def redis_cache(settings, redis_url):
    """The portal's cache as in production (the tests' default is memory)."""
    from alliance.core import cache

    cache._down_until.pop(redis_url, None)
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "alliance.core.cache.ResilientRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"FALLBACK": "local"},
        },
    }


@pytest.fixture
def redis_calls(monkeypatch):
    calls = []
    original = redis.client.Redis.execute_command

    def counted(self, *args, **kwargs):
        calls.append(args[0])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(redis.client.Redis, "execute_command", counted)
    return calls


def _token_client(api_client):
    _token, raw = api_token_create(user=MemberFactory(), name="Script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api_client


def test_a_person_over_the_rate_is_refused_with_a_time_to_wait(api_client, monkeypatch):
    monkeypatch.setattr(throttling.UserRateThrottle, "rate", "3/min", raising=False)
    client = _token_client(api_client)
    assert [client.get("/api/v1/catalog/").status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/v1/catalog/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # A refused request is not counted, and another person has their own limit.
    other = _token_client(type(api_client)())
    assert other.get("/api/v1/catalog/").status_code == 200


def test_visitors_over_the_rate_are_refused(api_client, monkeypatch):
    monkeypatch.setattr(throttling.AnonRateThrottle, "rate", "2/min", raising=False)
    assert [api_client.get("/api/v1/catalog/").status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]


def test_the_window_slides(api_client, monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(throttling.UserRateThrottle, "rate", "2/min", raising=False)
    monkeypatch.setattr(throttling.UserRateThrottle, "timer", lambda self: clock[0])
    client = _token_client(api_client)
    assert client.get("/api/v1/catalog/").status_code == 200
    clock[0] += 30
    assert client.get("/api/v1/catalog/").status_code == 200
    assert client.get("/api/v1/catalog/").status_code == 429
    clock[0] += 30  # the first request left the window, the second has not
    assert client.get("/api/v1/catalog/").status_code == 200
    assert client.get("/api/v1/catalog/").status_code == 429


def test_a_throttled_token_request_costs_one_redis_round_trip_for_the_limit(
    api_client, redis_calls
):
    """A warm shared list: the rate limit (one) and the namespaces' versions
    (one); the entry is this process's copy (alliance.core.api.caching). DRF's
    own throttle read and wrote the caller's times (two)."""
    client = _token_client(api_client)
    client.get("/api/v1/catalog/")
    redis_calls.clear()
    assert client.get("/api/v1/catalog/").status_code == 200
    assert len(redis_calls) == 2 and "GET" not in redis_calls


def test_limits_keep_counting_in_the_process_while_redis_is_down(
    private_redis,  # noqa: F811
):
    from tests.alliance.core.test_cache import make

    cache = make(private_redis.url, "local")
    assert cache.rate_hit("k", now=100.0, window=60, limit=2)[0] is True
    private_redis.stop()
    hits = [cache.rate_hit("k", now=101.0 + n, window=60, limit=2) for n in range(3)]
    assert [allowed for allowed, _count, _oldest in hits] == [True, True, False]
    assert hits[-1] == (False, 2, 101.0)
    assert cache.redis_down()
