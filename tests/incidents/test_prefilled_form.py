"""The incident form starts from the observer's accreditation (issue 13, item 4): election, district and
precinct are not typed again; the district is chosen among districts grouped by region."""

import pytest
from django.urls import reverse
from lxml import html

from observers import services as observer_services
from tests.observers.helpers import EN, approve, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(country):
    s = build(country)
    return s


def accredit(country, s, precincts):
    a = observer_services.accreditation_apply(
        actor=country.users["observer"],
        observer=s.observer,
        election=s.election,
        precincts=[country.precincts[k] for k in precincts],
    )
    return approve(country, a, actor="cec")


def form_values(client, query="") -> dict:
    doc = html.fromstring(client.get(reverse("incidents:incident_new") + query, **EN).content.decode())
    selected = {s.get("name"): (s.xpath(".//option[@selected]/@value") or [""])[0] for s in doc.xpath("//main//select")}
    number = doc.xpath('//input[@name="precinct_number"]')[0].get("value", "")
    return {**selected, "precinct_number": number}


def test_one_precinct_fills_the_form(clients, country, setup):
    accredit(country, setup, ["A1-1"])
    found = form_values(clients["observer"])
    assert found["election"] == str(setup.election.pk)
    assert found["district"] == str(country.districts["A1"].pk)
    assert found["precinct_number"] == "1"


def test_several_precincts_are_chosen_from_the_list(clients, country, setup):
    accredit(country, setup, ["A1-1", "A2-2"])
    assert form_values(clients["observer"])["precinct_number"] == ""  # which one is the observer's choice
    doc = html.fromstring(clients["observer"].get(reverse("incidents:incident_new"), **EN).content.decode())
    links = doc.xpath("//a[@data-report-at]")
    assert len(links) == 2
    target = next(a for a in links if a.get("data-report-at") == str(country.precincts["A2-2"].pk))
    found = form_values(clients["observer"], "?" + target.get("href").split("?", 1)[1])
    assert found["district"] == str(country.districts["A2"].pk) and found["precinct_number"] == "2"


def test_a_precinct_outside_the_accreditation_fills_nothing(clients, country, setup):
    accredit(country, setup, ["A1-1", "A2-2"])
    found = form_values(clients["observer"], f"?precinct={country.precincts['B1-1'].pk}")
    assert found["precinct_number"] == "" and found["district"] == ""


def test_districts_are_grouped_by_region(clients, country, setup):
    doc = html.fromstring(clients["observer"].get(reverse("incidents:incident_new"), **EN).content.decode())
    groups = doc.xpath('//select[@name="district"]/optgroup')
    assert [g.get("label") for g in groups] == ["Viloyat A", "Viloyat B"]
    assert [o.text for o in groups[0].xpath("./option")] == ["Tuman A1", "Tuman A2"]
