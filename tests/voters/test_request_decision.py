"""A request to vote elsewhere decided in two steps (issue 13, item 3): the queue's buttons ask, the confirmation
(with the reason) decides; nothing changes before it."""

from __future__ import annotations

import pytest
from lxml import html

from tests.factories import make_voter
from tests.pages import EN
from voters.models import ListEntryOverride, VotingLocationRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def req(country):
    voter = make_voter(country.precincts["A1-2"], surname="Karimov", given_name="Jasur")
    return VotingLocationRequest.objects.create(
        tracking_code="AAAA000001", voter=voter, election=country.election, precinct=country.precincts["A1-1"], status="submitted"
    )


def decide_url(req) -> str:
    return f"/voters/requests/{req.pk}/decide/"


def test_the_queue_offers_the_commissions_two_decisions(clients, req):
    doc = html.fromstring(clients["precinct"].get("/voters/requests/", **EN).content.decode())
    row = doc.xpath(f'//form[@action="{decide_url(req)}"]')[0]
    assert [(b.get("value"), b.get("class")) for b in row.xpath(".//button")] == [("approve", "primary"), ("reject", "warning")]
    assert not row.xpath('.//button[@value="withdraw"]')  # the voter's own action, never the commission's


def test_a_button_asks_for_the_confirmation_and_changes_nothing(clients, req):
    response = clients["precinct"].post(decide_url(req), {"action": "approve"}, **EN)
    assert response.status_code == 200
    doc = html.fromstring(response.content.decode())
    assert "AAAA000001" in doc.xpath("//dl")[0].text_content() and "No. 1" in doc.xpath("//dl")[0].text_content()
    req.refresh_from_db()
    assert req.status == "submitted" and not ListEntryOverride.objects.exists()


def test_a_refusal_needs_its_reason_then_is_recorded_with_it(clients, req):
    refused = clients["precinct"].post(decide_url(req), {"action": "reject", "confirm": "1", "reason": ""}, **EN)
    assert refused.status_code == 400 and html.fromstring(refused.content.decode()).xpath("//div[@data-error-summary]")
    req.refresh_from_db()
    assert req.status == "submitted"
    done = clients["precinct"].post(decide_url(req), {"action": "reject", "confirm": "1", "reason": "No such address"})
    assert done.status_code == 302 and done.url == "/voters/requests/"
    req.refresh_from_db()
    assert req.status == "rejected"
    assert req.status_history().get(transition="reject").reason == "No such address"
