"""DRF's anonymous and per-person rate throttles with the same limits and the
same sliding window, in one cache round trip instead of two.

DRF's ``SimpleRateThrottle`` reads the request times kept for the caller and
writes them back (two round trips, and two requests at once may both pass on
the same history). With the portal's Redis cache
(``alliance.core.cache.ResilientRedisCache.rate_hit``) the check and the count
are one atomic script; with any other cache (the embedded default) they are
DRF's own."""

from rest_framework import throttling


class _OneRoundTrip:
    # A sorted set of times, not DRF's pickled list: its own keys.
    cache_format = "rate_%(scope)s_%(ident)s"

    def allow_request(self, request, view):
        rate_hit = getattr(self.cache, "rate_hit", None)
        if rate_hit is None or self.rate is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        allowed, count, oldest = rate_hit(
            self.key, now=self.now, window=self.duration, limit=self.num_requests
        )
        # DRF's wait() (the Retry-After header) reads only how many requests the
        # window holds and the oldest one's time.
        self.history = [oldest] * count if oldest is not None else []
        return allowed


class AnonRateThrottle(_OneRoundTrip, throttling.AnonRateThrottle):
    """Callers who are not signed in, by address (``anon`` rate)."""


class UserRateThrottle(_OneRoundTrip, throttling.UserRateThrottle):
    """Signed-in callers, by person (``user`` rate)."""
