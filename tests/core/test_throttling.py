"""The API's throttles (``core.api.throttling``) count in fixed windows with ``core.ratelimit.count``, the
rule every limit of the site uses: over the limit a client gets 429 with the seconds to wait, another
client (or the next window) is not held back, and ``RATE_LIMITS_ENABLED=0`` (the public services' switch)
does not lift them."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from core import ratelimit
from core.api.throttling import ClientAnonRateThrottle, ClientUserRateThrottle

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_limits(monkeypatch):
    rates = {"user": "3/min", "anon": "2/min"}
    monkeypatch.setattr(ClientUserRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(ClientAnonRateThrottle, "THROTTLE_RATES", rates)


def _get(path, key=None, ip="10.0.0.1"):
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"} if key else {}
    return Client(REMOTE_ADDR=ip).get(path, **headers)


def test_a_user_over_the_limit_waits_and_another_user_does_not(country, low_limits, settings):
    settings.RATE_LIMITS_ENABLED = False  # lifts the public services' limits, not the API's
    district = Token.objects.create(user=country.users["district"])
    cec = Token.objects.create(user=country.users["cec"])
    answers = [_get("/api/v1/precincts/", district.key).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = _get("/api/v1/precincts/", district.key)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert _get("/api/v1/precincts/", cec.key).status_code == 200


def test_anonymous_callers_are_counted_by_address(country, low_limits):
    page = f"/api/v1/public/elections/{country.election.pk}/results/"
    assert [_get(page, ip="10.0.0.3").status_code for _ in range(3)] == [200, 200, 429]
    assert _get(page, ip="10.0.0.4").status_code == 200


def test_a_window_counts_from_one_and_the_next_starts_again():
    assert ratelimit.count("t", "k", 60, now=6000.0) == (1, 60.0)
    assert ratelimit.count("t", "k", 60, now=6059.5) == (2, 0.5)
    assert ratelimit.count("t", "k", 60, now=6060.0) == (1, 60.0)
