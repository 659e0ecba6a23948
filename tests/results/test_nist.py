"""The NIST SP 1500-100 v2 export: valid against NIST's own JSON schema (``nist_v2_schema.json``, the
``NIST_V2_election_results_reporting.json`` of github.com/usnistgov/ElectionResultsReporting, branch version2;
NIST-developed, public domain in the United States), precinct-level counts equal to the published protocols,
and nothing unpublished."""

import json
from pathlib import Path

import jsonschema
import pytest

from tests.results.test_public import accept, publish

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).parent / "nist_v2_schema.json").read_text())


def report(clients, election) -> dict:
    response = clients["anon"].get(f"/public/elections/{election.pk}/results.nist.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_report_is_valid_cdf_and_holds_the_published_counts(
    clients, country, contest, national, django_capture_on_commit_callbacks
):
    protocol = accept(contest)
    before = report(clients, contest["election"])
    jsonschema.validate(before, SCHEMA)
    [contest_before] = [c for c in before["Election"][0]["Contest"] if c["@id"] == f"contest-{contest['constituency'].pk}"]
    assert all(sel["VoteCounts"] == [] for sel in contest_before["ContestSelection"])  # entered, not published
    assert before["Status"] == "unofficial-partial"
    [party_list] = [c for c in before["Election"][0]["Contest"] if c["@id"] == f"contest-{national[0].pk}"]
    assert party_list["@type"] == "ElectionResults.PartyContest" and len(party_list["ContestSelection"]) == 3
    assert {p["@id"] for p in before["Party"]} >= {sel["PartyIds"][0] for sel in party_list["ContestSelection"]}

    publish(country, protocol, django_capture_on_commit_callbacks)
    after = report(clients, contest["election"])
    jsonschema.validate(after, SCHEMA)
    [cdf] = [c for c in after["Election"][0]["Contest"] if c["@id"] == f"contest-{contest['constituency'].pk}"]
    assert cdf["@type"] == "ElectionResults.CandidateContest" and (cdf["SubUnitsReported"], cdf["TotalSubUnits"]) == (1, 3)
    precinct = f"gpu-precinct-{contest['precinct'].pk}"
    counts = {sel["CandidateIds"][0]: sel["VoteCounts"] for sel in cdf["ContestSelection"]}
    a, b = (f"cand-n{n.pk}" for n in contest["candidates"])
    assert counts[a] == [{"@type": "ElectionResults.VoteCounts", "Count": 9, "GpUnitId": precinct, "Type": "total"}]
    assert counts[b][0]["Count"] == 5
    units = {u["@id"]: u for u in after["GpUnit"]}
    assert (units[precinct]["VotersRegistered"], units[precinct]["VotersParticipated"]) == (20, 15)
    assert precinct in units[f"gpu-constituency-{contest['constituency'].pk}"]["ComposingGpUnitIds"]
    district = f"gpu-district-{country.districts['A1'].pk}"
    assert precinct in units[district]["ComposingGpUnitIds"]
    assert district in units[f"gpu-region-{country.regions['A'].pk}"]["ComposingGpUnitIds"]
    [ballots] = [c for c in after["Election"][0]["BallotCounts"] if c["GpUnitId"] == precinct]
    assert (ballots["BallotsCast"], ballots["BallotsRejected"]) == (15, 1)
    candidates = {c["@id"]: c for c in after["Election"][0]["Candidate"]}
    assert candidates[a]["PartyId"] in {p["@id"] for p in after["Party"]}
