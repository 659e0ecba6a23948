"""The API answers JSON only: DRF's browsable HTML pages drew forms and filter <select>s from whole tables
(every voter, nomination, journalist or organisation a related field could point at), whatever the
caller's scope, e.g. a precinct official asking for /api/v1/duplicates/1/confirm/ as text/html."""

import pytest

from tests.factories import make_voter

pytestmark = pytest.mark.django_db

URLS = [
    "/api/v1/location-requests/1/decide/",
    "/api/v1/duplicates/1/confirm/",
    "/api/v1/duplicates/1/reject/",
    "/api/v1/voters/",
    "/api/v1/signature-uploads/",
    "/api/v1/objections/",
    "/api/v1/media-accreditations/",
    "/api/v1/observers/",
    "/api/v1/observer-accreditations/",
]


@pytest.mark.parametrize("role", ["precinct", "district", "region", "party", "coordinator", "editor"])
def test_no_html_page_lists_what_the_caller_may_not_see(country, clients, role):
    far = make_voter(country.precincts["B2-2"], surname="Uzoqdagi", given_name="Saylovchi", patronymic="Xolovich")
    assert clients[role].get(f"/api/v1/voters/{far.pk}/").status_code in (403, 404)
    for url in URLS:
        response = clients[role].get(url, HTTP_ACCEPT="text/html")
        assert not response["Content-Type"].startswith("text/html"), url
        body = response.content.decode()
        assert "Uzoqdagi" not in body and "<select" not in body and "<form" not in body, url


def test_json_is_still_answered(country, clients):
    response = clients["cec"].get("/api/v1/voters/", HTTP_ACCEPT="text/html,application/json;q=0.9")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["count"] == 0
