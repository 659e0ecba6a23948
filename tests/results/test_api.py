"""The results API as every role: entry by the precinct's members, verification by the district, certification
and publication by the CEC, and a public read that shows nothing unpublished."""

import pytest

from results.models import Protocol, TurnoutReport
from tests.conftest import ROLES, verified_client
from tests.results.conftest import figures

pytestmark = pytest.mark.django_db

ENTRY = "/api/v1/protocol-entries/"


def entry_body(contest, precinct=None, **change):
    return {
        "constituency": contest["constituency"].pk,
        "precinct": (precinct or contest["precinct"]).pk,
        "figures": figures(contest, **change),
    }


def both_enter(clients, contest):
    second = verified_client(contest["members"][1])
    assert clients["precinct"].post(ENTRY, entry_body(contest), content_type="application/json").json()["outcome"] == "waiting"
    body = second.post(ENTRY, entry_body(contest), content_type="application/json").json()
    assert body["outcome"] == "matched"
    return Protocol.objects.get(pk=body["protocol"])


@pytest.mark.parametrize("role", ROLES)
def test_who_may_enter_a_protocol(clients, contest, role):
    response = clients[role].post(ENTRY, entry_body(contest), content_type="application/json")
    if role == "precinct":
        assert response.status_code == 201 and response.json()["outcome"] == "waiting"
    elif role == "anon":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code in (403, 404)


def test_another_precinct_is_404_for_the_precinct_member(clients, country, contest):
    response = clients["precinct"].post(
        ENTRY, entry_body(contest, precinct=country.precincts["A1-2"]), content_type="application/json"
    )
    assert response.status_code == 404


def test_mismatch_answers_lines_only(clients, contest):
    clients["precinct"].post(ENTRY, entry_body(contest), content_type="application/json")
    second = verified_client(contest["members"][1])
    body = second.post(
        ENTRY,
        entry_body(contest, invalid=0, valid=15, **{f"votes:n{contest['candidates'][0].pk}": 10}),
        content_type="application/json",
    ).json()
    assert body["outcome"] == "mismatched"
    assert body["mismatched"] == sorted(["invalid", "valid", f"votes:n{contest['candidates'][0].pk}"])
    assert "figures" not in body


def test_a_broken_relation_is_a_400_naming_it(clients, contest):
    response = clients["precinct"].post(
        ENTRY, entry_body(contest, invalid=2), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "Ballots found in the boxes = valid + invalid" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_protocol_list_is_scoped(clients, contest, role):
    both_enter(clients, contest)
    response = clients[role].get("/api/v1/protocols/")
    if role in ("admin", "cec", "region", "district", "precinct"):
        assert response.status_code == 200 and response.json()["count"] == 1
    else:
        assert response.status_code in (401, 403)


def test_the_chain_up_to_the_public(clients, contest, django_capture_on_commit_callbacks):
    protocol = both_enter(clients, contest)
    url = f"/api/v1/protocols/{protocol.pk}/"
    public = f"/api/v1/public/elections/{contest['election'].pk}/results/"
    assert clients["anon"].get(public).json()["contests"][0]["protocols_published"] == 0
    assert clients["precinct"].post(url + "verify/", {}, content_type="application/json").status_code == 403
    assert clients["district"].post(url + "verify/", {}, content_type="application/json").json()["status"] == "verified"
    assert clients["district"].post(url + "certify/", {}, content_type="application/json").status_code == 403
    assert clients["cec"].post(url + "certify/", {}, content_type="application/json").json()["status"] == "certified"
    before = clients["anon"].get(public).json()["contests"][0]
    assert before["protocols_published"] == 0 and all(v["votes"] == 0 for v in before["votes"])
    with django_capture_on_commit_callbacks(execute=True):  # the cached public results go stale after commit
        assert clients["cec"].post(url + "publish/", {}, content_type="application/json").json()["status"] == "published"
    after = clients["anon"].get(public).json()["contests"][0]
    assert (after["protocols_published"], after["protocols_expected"]) == (1, 3)
    assert sorted(v["votes"] for v in after["votes"]) == [5, 9]
    pdf = clients["district"].get(url + "pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert clients["party"].get(url + "pdf/").status_code == 403


def test_correction_through_the_api(clients, country, contest):
    protocol = both_enter(clients, contest)
    url = f"/api/v1/protocols/{protocol.pk}/corrections/"
    new = figures(contest, **{f"votes:n{contest['candidates'][0].pk}": 8, f"votes:n{contest['candidates'][1].pk}": 6})
    opened = clients["district"].post(
        url, {"figures": new, "reason": "Recount", "recount": True}, content_type="application/json"
    )
    assert opened.status_code == 201
    approve = f"/api/v1/protocol-corrections/{opened.json()['id']}/approve/"
    assert clients["district"].post(approve).status_code == 403  # not the one who opened it
    assert clients["precinct"].post(approve).status_code == 403
    version = clients["cec"].post(approve).json()
    assert (version["number"], version["kind"]) == (2, "recount")


@pytest.mark.parametrize("role", ROLES)
def test_turnout_entry_and_publication(clients, day, role):
    body = {"election": day["election"].pk, "precinct": day["precinct"].pk, "at": "10:00", "voted_station": 3}
    response = clients[role].post("/api/v1/turnout/", body, content_type="application/json")
    if role in ("precinct", "district"):
        assert response.status_code == 201, response.content
        assert TurnoutReport.objects.get().voted == 3
    elif role == "anon":
        assert response.status_code in (401, 403)
    else:
        assert response.status_code in (403, 404)
    publish = clients[role].post(
        "/api/v1/turnout/publish/", {"election": day["election"].pk, "at": "10:00"}, content_type="application/json"
    )
    if role in ("cec", "admin"):
        assert publish.status_code == 200, publish.content
    else:
        assert publish.status_code in ((401, 403) if role == "anon" else (403,))
