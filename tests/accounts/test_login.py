import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.scope import scope_for
from core.models import AuditEvent
from tests import factories as f
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-Battery-9"


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():06d}"


def test_official_must_pass_totp_before_any_page(country):
    user = country.users["cec"]
    device = f.totp_device(user)
    client = Client()
    response = client.post("/accounts/login/", {"username": "cec", "password": PASSWORD})
    assert response.status_code == 302
    # the password alone opens nothing
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/2fa/")
    assert client.get("/api/v1/regions/").status_code == 403
    # a wrong code is refused with a message
    response = client.post("/accounts/2fa/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert response.status_code == 200
    assert "wrong" in response.content.decode().lower() or "xato" in response.content.decode().lower()
    # failures are throttled by django-otp (exponential back-off); reset it as time passing would
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    # the right code lets the official in
    response = client.post("/accounts/2fa/?next=/dashboard/", {"token": _code(device), "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200


def test_first_login_enrols_an_authenticator(country):
    client = Client()
    client.post("/accounts/login/", {"username": "district", "password": PASSWORD})
    response = client.get("/accounts/2fa/")
    assert response.status_code == 200
    assert b"<svg" in response.content  # QR code of the otpauth:// URL
    device = TOTPDevice.objects.get(user=country.users["district"], confirmed=False)
    response = client.post("/accounts/2fa/", {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(action="accounts.totp.confirm", object_id=str(country.users["district"].pk)).exists()


def test_non_official_logs_in_with_password_only(country):
    client = Client()
    client.post("/accounts/login/", {"username": "party", "password": PASSWORD})
    assert client.get("/api/v1/me/").json()["username"] == "party"


def test_lockout_after_repeated_failures(country, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "party", "password": "wrong-password"})
    response = client.post("/accounts/login/", {"username": "party", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert b"Too many failed attempts" in response.content or response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused(country):
    response = Client().post("/accounts/login/", {"username": "party", "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session


def test_password_validation_is_strong():

    for weak in ["password123", "12345678901234", "short1!"]:
        with pytest.raises(ValidationError):
            validate_password(weak)
    validate_password("Saylov-Komissiya-2026!")


def test_scope_of_each_role(country):
    c = country
    assert scope_for(c.users["cec"]).everything
    assert scope_for(c.users["admin"]).everything
    assert scope_for(c.users["region"]).region_ids == {c.regions["A"].pk}
    assert scope_for(c.users["district"]).district_ids == {c.districts["A1"].pk}
    assert scope_for(c.users["precinct"]).precinct_ids == {c.precincts["A1-1"].pk}
    for role in ["party", "observer", "journalist"]:
        assert scope_for(c.users[role]).is_empty


def test_api_token_requires_verified_session(country):
    client = Client()
    client.post("/accounts/login/", {"username": "cec", "password": PASSWORD})
    assert client.post("/api/v1/auth/token/").status_code == 403

    token = verified_client(country.users["cec"]).post("/api/v1/auth/token/").json()["token"]
    response = Client().get("/api/v1/regions/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    assert response.json()["count"] == 2
