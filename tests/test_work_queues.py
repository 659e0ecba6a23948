"""The officials' start page as a work queue (issue 13, item 2): what waits for each official in their own area,
overdue work first with its deadline, and a precinct official's list printed in one click."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from observers.models import ObserverAccreditation
from results import services as result_services
from results.models import Protocol
from tests import factories as f
from tests.factories import make_voter
from tests.observers import helpers as observer_helpers
from tests.pages import EN
from voters.models import DuplicateCandidate, VotingLocationRequest

pytestmark = pytest.mark.django_db


def page(client):
    response = client.get(reverse("dashboard"), **EN)
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def queues(doc) -> dict[str, int]:
    """Queue key -> the count shown, in the page's order."""
    return {
        row.get("data-queue"): int(row.xpath(".//td[@data-count]")[0].get("data-count")) for row in doc.xpath("//tr[@data-queue]")
    }


def _request(country, precinct_key: str, code: str):
    voter = make_voter(country.precincts["B2-1"])
    return VotingLocationRequest.objects.create(
        tracking_code=code, voter=voter, election=country.election, precinct=country.precincts[precinct_key], status="submitted"
    )


def test_each_official_counts_only_the_requests_of_their_own_area(country, clients):
    for key, code in (("A1-1", "AAAA000001"), ("A1-2", "AAAA000002"), ("B1-1", "BBBB000001")):
        _request(country, key, code)
    VotingLocationRequest.objects.create(  # decided: not waiting
        tracking_code="AAAA000003",
        voter=make_voter(country.precincts["B2-2"]),
        election=country.election,
        precinct=country.precincts["A1-1"],
        status="approved",
    )
    expected = {"precinct": 1, "district": 2, "region": 2, "cec": 3}
    for role, n in expected.items():
        doc = page(clients[role])
        assert queues(doc)["requests"] == n, role
        link = doc.xpath('//tr[@data-queue="requests"]//a')[0]
        assert link.get("href") == reverse("voters:requests")
        # the queue's page lists the same requests the count promised
        listed = clients[role].get(link.get("href")).content.decode()
        assert listed.count("AAAA00000") + listed.count("BBBB00000") == n, role


def test_overdue_work_comes_first_with_its_deadline(country, clients):
    setup = observer_helpers.build(country)
    late = observer_helpers.apply(country, setup)
    ObserverAccreditation.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=30))
    _request(country, "A1-1", "AAAA000001")  # waiting, without a deadline
    a, b = make_voter(country.precincts["A1-1"]), make_voter(country.precincts["A1-1"])
    DuplicateCandidate.objects.create(voter_a=a, voter_b=b, score=0.9, evidence={})

    doc = page(clients["district"])
    found = queues(doc)
    assert list(found)[0] == "observer_applications"
    assert found["observer_applications"] == 1
    first = doc.xpath("//tr[@data-queue]")[0]
    assert first.xpath('.//span[@data-overdue="1"]')[0].text_content().strip() == "1 overdue"
    assert "was due" in first.text_content()
    assert {"requests", "duplicates"} <= set(found)


def test_a_deadline_still_ahead_is_shown_as_next_due_and_not_overdue(country, clients):
    setup = observer_helpers.build(country)
    observer_helpers.apply(country, setup)
    row = page(clients["district"]).xpath('//tr[@data-queue="observer_applications"]')[0]
    assert not row.xpath(".//span[@data-overdue]")
    assert "next due" in row.text_content()


def test_protocols_wait_for_the_district_that_verifies_them(country, clients):
    contest = f.results_contest(country)
    for member in contest["members"]:
        result_services.protocol_entry_submit(
            actor=member, constituency=contest["constituency"], precinct=contest["precinct"], figures=f.protocol_figures(contest)
        )
    assert queues(page(clients["district"]))["protocols_to_verify"] == 1
    for role in ("precinct", "region", "cec"):  # entered, but not theirs to verify
        assert "protocols_to_verify" not in queues(page(clients[role])), role
    link = page(clients["district"]).xpath('//tr[@data-queue="protocols_to_verify"]//a')[0].get("href")
    assert link == reverse("results:home") + "?status=entered"
    # verified, it waits for the central commission's certification, and no longer for the district
    protocol = Protocol.objects.get()
    result_services.protocol_transition(actor=country.users["district"], protocol=protocol, name="verify")
    assert "protocols_to_verify" not in queues(page(clients["district"]))
    assert queues(page(clients["cec"]))["protocols_to_certify"] == 1
    assert "protocols_to_certify" not in queues(page(clients["region"]))


def test_a_queue_whose_page_the_official_may_not_open_is_not_offered(country, clients):
    doc = page(clients["district"])
    every = set(queues(doc)) | {a.get("href") for a in doc.xpath("//p[@data-nothing-in]//a")}
    assert reverse("media_accreditation:review_queue") not in every  # the CEC's press service decides
    cec = page(clients["cec"])
    assert reverse("media_accreditation:review_queue") in {a.get("href") for a in cec.xpath("//p[@data-nothing-in]//a")}


def test_nothing_waiting_says_so(country, clients):
    doc = page(clients["region"])
    assert doc.xpath("//p[@data-queues-empty]")
    assert not doc.xpath("//tr[@data-queue]")


@pytest.mark.parametrize("role", ["anon", "party", "coordinator", "observer", "editor", "journalist"])
def test_only_officials_have_a_work_queue(clients, role):
    response = clients[role].get(reverse("dashboard"))
    assert response.status_code in (302, 403)
    assert b"work-queues" not in response.content


def test_a_precinct_official_prints_their_list_in_one_click(country, clients):
    precinct = country.precincts["A1-1"]
    make_voter(precinct, surname="Qodirova", given_name="Nilufar")
    make_voter(country.precincts["A1-2"], surname="Boshqa", given_name="Odam")
    doc = page(clients["precinct"])
    card = doc.xpath(f'//section[@data-own-precinct="{precinct.pk}"]')[0]
    assert "1 voter on the list" in card.text_content()
    pdf = clients["precinct"].get(card.xpath('.//a[@data-print="pdf"]')[0].get("href"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content if pdf.streaming else [pdf.content]).startswith(b"%PDF")
    got = clients["precinct"].get(card.xpath('.//a[@data-print="csv"]')[0].get("href"))
    text = b"".join(got.streaming_content if got.streaming else [got.content]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert any("Qodirova" in " ".join(r) for r in rows)
    assert not any("Boshqa" in " ".join(r) for r in rows)


@pytest.mark.parametrize("role", ["district", "region", "cec"])
def test_officials_without_a_precinct_seat_have_no_precinct_card(clients, role):
    assert not page(clients[role]).xpath("//section[@data-own-precinct]")
