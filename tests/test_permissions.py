"""Allow and deny for every role on every page and endpoint of the foundation.

A deny is 403 (wrong role), 404 (a record outside the caller's area: existence
must not leak) or, for anonymous visitors of a page, a redirect to the login.
"""

import pytest

from tests.conftest import OFFICIALS, ROLES
from tests.roles import LOGIN, page_expect

pytestmark = pytest.mark.django_db


def _url(country, name):
    c = country
    return {
        "home": "/",
        "dashboard": "/dashboard/",
        "regions": "/geography/",
        "region_A": f"/geography/regions/{c.regions['A'].pk}/",
        "region_B": f"/geography/regions/{c.regions['B'].pk}/",
        "district_A1": f"/geography/districts/{c.districts['A1'].pk}/",
        "district_A2": f"/geography/districts/{c.districts['A2'].pk}/",
        "district_B1": f"/geography/districts/{c.districts['B1'].pk}/",
        "precinct_A1-1": f"/geography/precincts/{c.precincts['A1-1'].pk}/",
        "precinct_A1-2": f"/geography/precincts/{c.precincts['A1-2'].pk}/",
        "precinct_B1-1": f"/geography/precincts/{c.precincts['B1-1'].pk}/",
        "elections": "/elections/",
        "election": f"/elections/{c.election.pk}/",
    }[name]


# page -> (roles allowed, roles that get 404 because the row is outside their area)
PAGES = {
    "dashboard": (OFFICIALS, set()),
    "regions": (OFFICIALS, set()),
    "region_A": (OFFICIALS, set()),
    "region_B": ({"admin", "cec"}, {"region", "district", "precinct"}),
    "district_A1": (OFFICIALS, set()),
    "district_A2": ({"admin", "cec", "region"}, {"district", "precinct"}),
    "district_B1": ({"admin", "cec"}, {"region", "district", "precinct"}),
    "precinct_A1-1": (OFFICIALS, set()),
    "precinct_A1-2": ({"admin", "cec", "region", "district"}, {"precinct"}),
    "precinct_B1-1": ({"admin", "cec"}, {"region", "district", "precinct"}),
    "elections": (OFFICIALS, set()),
    "election": (OFFICIALS, set()),
}


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_access(clients, country, role, page):
    allowed, scoped_out = PAGES[page]
    response = clients[role].get(_url(country, page))
    expected = page_expect(role, allowed, scoped_out)
    assert response.status_code == expected, (role, page, response.status_code)
    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ROLES)
def test_home_is_public(clients, role):
    assert clients[role].get("/").status_code == 200


@pytest.mark.parametrize("role", ROLES)
def test_admin_only_for_administrators(clients, role):
    response = clients[role].get("/admin/")
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_region_page_lists_only_districts_in_scope(clients, country):
    body = clients["district"].get(_url(country, "region_A")).content.decode()
    assert "Tuman A1" in body
    assert "Tuman A2" not in body


def test_precinct_list_shows_only_own_precinct(clients, country):
    body = clients["precinct"].get(_url(country, "district_A1")).content.decode()
    assert "Address A1-1" in body
    assert "Address A1-2" not in body


# --------------------------------------------------------------------------- API

API_LISTS = {
    # endpoint -> {role: expected number of rows} (officials) ; others are denied
    "regions": {"admin": 2, "cec": 2, "region": 1, "district": 1, "precinct": 1},
    "districts": {"admin": 4, "cec": 4, "region": 2, "district": 1, "precinct": 1},
    "precincts": {"admin": 8, "cec": 8, "region": 4, "district": 2, "precinct": 1},
    "mahallas": {"admin": 4, "cec": 4, "region": 2, "district": 1, "precinct": 1},
}


@pytest.mark.parametrize("endpoint", sorted(API_LISTS))
@pytest.mark.parametrize("role", ROLES)
def test_api_geography_lists(clients, country, role, endpoint):
    response = clients[role].get(f"/api/v1/{endpoint}/")
    if role in OFFICIALS:
        assert response.status_code == 200
        assert response.json()["count"] == API_LISTS[endpoint][role]
    else:
        assert response.status_code == 403
        assert response.json()["status"] == 403  # the one error shape


@pytest.mark.parametrize("role", sorted(OFFICIALS))
def test_api_detail_outside_scope_is_404(clients, country, role):
    response = clients[role].get(f"/api/v1/precincts/{country.precincts['B1-1'].pk}/")
    assert response.status_code == (200 if role in {"admin", "cec"} else 404)


@pytest.mark.parametrize("role", ROLES)
def test_api_elections_for_any_signed_in_user(clients, country, role):
    response = clients[role].get("/api/v1/elections/")
    if role == "anon":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert [e["id"] for e in response.json()["results"]] == [country.election.pk]


@pytest.mark.parametrize("role", ROLES)
def test_api_commissions_scoped(clients, country, role):
    response = clients[role].get("/api/v1/commissions/")
    if role not in OFFICIALS:
        assert response.status_code == 403
        return
    codes = {c["code"] for c in response.json()["results"]}
    if role in {"admin", "cec"}:
        assert len(codes) == 4
    elif role == "region":
        # its own regional commission and the district and precinct commissions inside region A
        assert codes == {c.code for c in country.users["region"].commissions.all()} | {
            f"D-{country.districts['A1'].pk}",
            f"P-{country.precincts['A1-1'].pk}",
        }
    elif role == "district":
        assert codes == {f"D-{country.districts['A1'].pk}", f"P-{country.precincts['A1-1'].pk}"}
    elif role == "precinct":
        assert codes == {f"P-{country.precincts['A1-1'].pk}"}


@pytest.mark.parametrize("role", ROLES)
def test_api_me(clients, country, role):
    response = clients[role].get("/api/v1/me/")
    if role == "anon":
        assert response.status_code == 403
    else:
        data = response.json()
        assert data["username"] == role
        assert data["scope"]["everything"] == (role in {"admin", "cec"})


def test_api_filters_precincts_by_district(clients, country):
    response = clients["cec"].get(f"/api/v1/precincts/?district={country.districts['B2'].pk}")
    assert {p["code"] for p in response.json()["results"]} == {country.precincts["B2-1"].code, country.precincts["B2-2"].code}
