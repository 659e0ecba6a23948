"""Fixed-window rate limits kept in the shared cache (Redis): one place for all of them."""

from __future__ import annotations

import functools
import time

import redis
from django.conf import settings
from django.core.cache import cache


def _parse(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[:1] or "m"]
    return int(count), seconds


@functools.cache
def _redis(location: str) -> redis.Redis:
    """One client per process for the shared cache's server (its pool survives a fork: redis-py opens new
    connections in the child)."""
    return redis.Redis.from_url(location)


def count(scope: str, key: str, seconds: int, *, now: float | None = None) -> tuple[int, float]:
    """Count one request for ``key`` in the current window of ``seconds``; returns the count so far in
    this window and the seconds until it ends.  One round trip: INCR, then EXPIRE (each window has its own
    key, so setting the expiry again on every hit only keeps it a little longer; EXPIRE NX would need
    Redis 7, and the embedded server is 6.2)."""
    now = time.time() if now is None else now
    window = int(now // seconds)
    cache_key = cache.make_key(f"rl:{scope}:{key}:{window}")
    pipe = _redis(settings.CACHES["default"]["LOCATION"]).pipeline(transaction=False)
    pipe.incr(cache_key)
    pipe.expire(cache_key, seconds + 1)
    counted, _expiry = pipe.execute()
    return int(counted), (window + 1) * seconds - now


def hit(scope: str, key: str, rate: str) -> bool:
    """Count one request for ``key``; False when the limit for this window is exceeded.

    ``RATE_LIMITS_ENABLED=0`` lifts these (the public services' limits); the API's throttles
    (``core.api.throttling``) count with ``count`` whatever it says."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return True
    limit, seconds = _parse(rate)
    counted, _left = count(scope, key, seconds)
    return counted <= limit


def client_ip(request) -> str:
    """The client's address: the one rule for rate limits, the login lockout (django-axes) and the audit log.

    Without ``BEHIND_PROXY`` it is ``REMOTE_ADDR`` and X-Forwarded-For is ignored (anyone can write
    it).  Behind ``PROXY_COUNT`` trusted proxies it is the address the outermost of them saw: the
    ``PROXY_COUNT``-th entry of X-Forwarded-For from the right (each proxy appends the address it
    received the request from), or the leftmost when the header has fewer entries.
    """
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = [a.strip() for a in request.headers.get("x-forwarded-for", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-min(max(getattr(settings, "PROXY_COUNT", 1), 1), len(forwarded))]
    return request.META.get("REMOTE_ADDR", "")
