"""One rule for the client's address (core.ratelimit.client_ip): rate limits, the login lockout, the audit log."""

import pytest
from django.test import Client, RequestFactory
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.models import AuditEvent
from core.ratelimit import client_ip
from core.services import audit_record

PASSWORD = "Correct-Horse-Battery-9"


@pytest.mark.parametrize(
    "behind,count,forwarded,expected",
    [
        (False, 1, "6.6.6.6", "10.0.0.9"),  # not behind a proxy: the header is anyone's to write
        (True, 1, "6.6.6.6, 203.0.113.7", "203.0.113.7"),  # one proxy: the address it received from
        (True, 2, "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),  # two proxies
        (True, 3, "203.0.113.7", "203.0.113.7"),  # fewer entries than proxies: the leftmost, no error
        (True, 1, "", "10.0.0.9"),  # no header: the connection's address
    ],
)
def test_client_address(settings, behind, count, forwarded, expected):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = behind, count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
    # the API's throttles key on the same address (DRF's own reading of the header is not used)

    for throttle in api_settings.DEFAULT_THROTTLE_CLASSES:
        assert throttle().get_ident(Request(request)) == expected


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_and_the_audit_log_see_the_client_not_the_proxy(country, settings):
    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    owner = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        Client().post("/accounts/login/", {"username": "party", "password": "wrong-password"}, **attacker)
    locked = Client().post("/accounts/login/", {"username": "party", "password": PASSWORD}, **attacker)
    assert "_auth_user_id" not in locked.wsgi_request.session
    # the same proxy forwards the account's owner from another address: not locked out by the attacker
    client = Client()
    client.post("/accounts/login/", {"username": "party", "password": PASSWORD}, **owner)
    assert client.session.get("_auth_user_id") == str(country.users["party"].pk)


@pytest.mark.django_db
def test_behind_a_proxy_the_audit_log_records_the_client(settings):

    settings.BEHIND_PROXY, settings.PROXY_COUNT = True, 1
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    event = audit_record(action="core.test.client_address", object_type="test", request=request)
    assert AuditEvent.objects.get(pk=event.pk).ip == "203.0.113.7"
