"""Fixed-window rate limits kept in the shared cache (Redis): one place for all of them."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache


def _parse(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[:1] or "m"]
    return int(count), seconds


def hit(scope: str, key: str, rate: str) -> bool:
    """Count one request for ``key``; False when the limit for this window is exceeded."""
    if not getattr(settings, "RATE_LIMITS_ENABLED", True):
        return True
    limit, seconds = _parse(rate)
    window = int(time.time() // seconds)
    cache_key = f"rl:{scope}:{key}:{window}"
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.add(cache_key, 0, timeout=seconds + 1)
        count = cache.incr(cache_key)
    return count <= limit


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
