"""API tokens (``core.api.authentication.TokenAuthentication``, one query compiled once): a token names its
user and the user's area, as DRF's own check would; a wrong token, or one of an inactive user, is refused
(403, as DRF answers when session authentication comes first, with the reason)."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def _get(path, key):
    return Client().get(path, HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_a_token_acts_as_its_user_in_their_area(country):
    district = Token.objects.create(user=country.users["district"])
    cec = Token.objects.create(user=country.users["cec"])
    mine = {p["id"] for p in _get("/api/v1/precincts/", district.key).json()["results"]}
    assert mine == {country.precincts["A1-1"].pk, country.precincts["A1-2"].pk}
    assert _get("/api/v1/precincts/", cec.key).json()["count"] == len(country.precincts)


def test_a_wrong_token_is_refused(country):
    Token.objects.create(user=country.users["cec"])
    response = _get("/api/v1/precincts/", "0" * 40)
    assert response.status_code == 403
    assert response.json()["detail"] == "Invalid token."
    assert _get("/api/v1/precincts/", "' OR 1=1 --").status_code == 403


def test_the_token_of_an_inactive_user_is_refused(country):
    user = country.users["cec"]
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save()
    response = _get("/api/v1/precincts/", token.key)
    assert response.status_code == 403
    assert response.json()["detail"] == "User inactive or deleted."
    uzbek = Client().get("/api/v1/precincts/", HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="uz")
    assert uzbek.json()["detail"] == "Foydalanuvchi faol emas yoki oʻchirilgan."  # in the reader's language
