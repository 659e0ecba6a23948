"""DRF's throttles, keyed on the client as ``core.ratelimit.client_ip`` sees it and counted by
``core.ratelimit.count`` (the one rule: fixed windows in the shared Redis, one round trip a request).

DRF's own throttles keep each client's history of request times in the cache, read and written again on
every request (two round trips and a list of up to the limit's size); a fixed window counts the same
limit with one INCR.  A client may make up to twice the limit across a window's edge, as everywhere else
the site limits.
"""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from core import ratelimit
from core.ratelimit import client_ip


class _WindowThrottle:
    """``allow_request`` and ``wait`` of a DRF ``SimpleRateThrottle``, over ``core.ratelimit.count``."""

    left: float = 0.0

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        counted, self.left = ratelimit.count(f"api-{self.scope}", self.key, self.duration)
        return counted <= self.num_requests

    def wait(self) -> float:
        return self.left


class ClientAnonRateThrottle(_WindowThrottle, AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class ClientUserRateThrottle(_WindowThrottle, UserRateThrottle):
    def get_ident(self, request):  # (used for anonymous requests; signed-in users are keyed by id)
        return client_ip(request)
