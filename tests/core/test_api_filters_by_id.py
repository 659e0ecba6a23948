"""Filtering an API list by a related row's id tells nothing about rows outside the caller's scope: an id
of another area and an id that does not exist get the same answer (an empty list), as a single row outside
the scope is a 404 like a missing one (docs/security.md)."""

import pytest

from candidates import services as candidates
from elections.models import Constituency
from tests import factories as f
from tests.factories import make_voter

pytestmark = pytest.mark.django_db

MISSING = 987_654_321


@pytest.mark.parametrize(
    "url,param,key",
    [
        ("/api/v1/voters/", "district", "B1"),
        ("/api/v1/voters/", "precinct", "B1-1"),
        ("/api/v1/location-requests/", "precinct", "B1-1"),
        ("/api/v1/incidents/", "precinct", "B1-1"),
        ("/api/v1/commissions/", "district", "B1"),
    ],
)
def test_an_id_of_another_area_looks_like_a_missing_one(country, clients, url, param, key):
    make_voter(country.precincts["B1-1"])
    row = (country.districts if param == "district" else country.precincts)[key]
    client = clients["district"]  # district A1
    elsewhere, missing = client.get(url, {param: row.pk}), client.get(url, {param: MISSING})
    assert (elsewhere.status_code, missing.status_code) == (200, 200), url
    assert elsewhere.json()["count"] == missing.json()["count"] == 0


def test_the_filter_still_filters(country, clients):
    mine = make_voter(country.precincts["A1-1"])
    make_voter(country.precincts["A1-2"])
    listed = clients["district"].get("/api/v1/voters/", {"precinct": country.precincts["A1-1"].pk}).json()
    assert [v["id"] for v in listed["results"]] == [mine.pk]
    assert clients["district"].get("/api/v1/voters/", {"precinct": "x"}).status_code == 400  # not a number


def test_another_partys_nomination_id_looks_like_a_missing_one(country, clients):
    cec = country.users["cec"]
    own = candidates.party_register(actor=cec, registration_number="01", name_uz="Adolat")
    other = candidates.party_register(actor=cec, registration_number="02", name_uz="Boshqa")
    candidates.party_representative_add(actor=cec, party=own, user=country.users["party"])
    national = f.ConstituencyFactory(
        election=country.election, number=0, kind=Constituency.Kind.NATIONAL, seats=75, name_uz="Umumdavlat"
    )
    voter = make_voter(country.precincts["B1-1"])
    rival = candidates.nomination_create(
        actor=cec,
        party=other,
        election=country.election,
        constituency=national,
        pinfl=voter.pinfl,
        surname=voter.surname,
        given_name=voter.given_name,
        list_position=1,
    )
    client = clients["party"]
    assert client.get(f"/api/v1/nominations/{rival.pk}/").status_code == 404
    for url in ("/api/v1/signature-uploads/", "/api/v1/objections/"):
        elsewhere, missing = client.get(url, {"nomination": rival.pk}), client.get(url, {"nomination": MISSING})
        assert (elsewhere.status_code, missing.status_code) == (200, 200), url
        assert elsewhere.json()["count"] == missing.json()["count"] == 0
