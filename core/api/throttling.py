"""DRF's throttles, keyed on the client as ``core.ratelimit.client_ip`` sees it (the one rule)."""

from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from core.ratelimit import client_ip


class ClientAnonRateThrottle(AnonRateThrottle):
    def get_ident(self, request):
        return client_ip(request)


class ClientUserRateThrottle(UserRateThrottle):
    def get_ident(self, request):  # (used for anonymous requests; signed-in users are keyed by id)
        return client_ip(request)
