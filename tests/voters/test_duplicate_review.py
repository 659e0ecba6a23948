"""The duplicate review as a decision that cannot be mis-clicked (issue 13, item 3): the two records side by side
with the differing lines marked and links to both, the evidence in the reader's language, three equal answers
with a required reason, and a confirmation before anything changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from lxml import html

from core.models import AuditEvent
from tests.factories import make_voter
from tests.pages import EN
from voters.models import DuplicateCandidate, Voter, VoterChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(country):
    a = make_voter(country.precincts["A1-1"], surname="Abdullayev", given_name="Jasur", birth_date=date(1990, 3, 4))
    b = make_voter(country.precincts["A1-1"], surname="Абдуллаев", given_name="Jasur", birth_date=date(1990, 3, 4))
    low, high = sorted([a, b], key=lambda v: v.pk)
    return DuplicateCandidate.objects.create(voter_a=low, voter_b=high, score=0.97, evidence={})


def url(pair) -> str:
    return reverse("voters:duplicate_detail", args=[pair.pk])


def test_the_records_side_by_side_with_differences_marked_and_links_to_both(clients, pair):
    doc = html.fromstring(clients["district"].get(url(pair), **EN).content.decode())
    table = doc.xpath('//table[@id="comparison"]')[0]
    differing = {row.xpath("./th")[0].text.strip() for row in table.xpath(".//tr[@data-differs]")}
    assert {"PINFL", "Surname"} <= differing
    assert not {"Given name", "Birth date", "Precinct"} & differing
    links = {a.get("data-record"): a.get("href") for a in table.xpath(".//a[@data-record]")}
    assert links == {"a": reverse("voters:detail", args=[pair.voter_a_id]), "b": reverse("voters:detail", args=[pair.voter_b_id])}
    assert table.xpath("./thead/tr/th")  # a header row


def test_the_evidence_reads_in_the_readers_language(clients, pair):
    en = html.fromstring(clients["district"].get(url(pair), **EN).content.decode())
    ru = html.fromstring(clients["district"].get(url(pair), HTTP_ACCEPT_LANGUAGE="ru").content.decode())
    assert "scripts" in en.xpath('//table[@id="evidence"]')[0].text_content()
    russian = ru.xpath('//table[@id="evidence"]')[0].text_content()
    assert "scripts" not in russian and "one Latin, one Cyrillic" not in russian and "score" not in russian
    assert "1,00" in russian  # a similarity as a Russian number


def test_three_equal_answers_and_a_reason_are_asked(clients, pair):
    doc = html.fromstring(clients["district"].get(url(pair), **EN).content.decode())
    assert [r.get("value") for r in doc.xpath('//input[@name="decision"]')] == ["keep_a", "keep_b", "different"]
    response = clients["district"].post(url(pair), {"decision": "different"}, **EN)
    assert response.status_code == 400
    summary = html.fromstring(response.content.decode()).xpath("//div[@data-error-summary]//a")
    assert [(a.get("href"), a.text_content()) for a in summary] == [
        ("#id_reason", "Reason: Say why: the reason goes on the record.")
    ]
    missing = clients["district"].post(url(pair), {"reason": "x"}, **EN)
    assert "Choose one of the three answers." in missing.content.decode()
    pair.refresh_from_db()
    assert pair.decision == "open"


def test_the_answer_is_confirmed_before_anything_changes(clients, pair):
    before = AuditEvent.objects.count()
    asked = clients["district"].post(url(pair), {"decision": "keep_a", "reason": "Same passport seen"}, **EN)
    assert asked.status_code == 200
    doc = html.fromstring(asked.content.decode())
    assert doc.xpath('//dd[@data-decision="keep_a"]')[0].text_content() == "The same person: keep record A, retire B"
    assert doc.xpath('//button[@data-confirm="keep_a"]')[0].get("class") == "warning"
    pair.refresh_from_db()
    assert pair.decision == "open" and AuditEvent.objects.count() == before
    done = clients["district"].post(url(pair), {"decision": "keep_a", "reason": "Same passport seen", "confirm": "1"})
    assert done.status_code == 302
    pair.refresh_from_db()
    assert pair.decision == "confirmed" and pair.reason == "Same passport seen"
    assert Voter.objects.get(pk=pair.voter_b_id).merged_into_id == pair.voter_a_id
    assert VoterChange.objects.filter(voter=pair.voter_a_id, kind="merge").get().reason.endswith(": Same passport seen")
    event = AuditEvent.objects.get(action="voters.duplicate.confirm")
    assert event.after["reason"] == "Same passport seen"


def test_different_people_is_recorded_with_its_reason(clients, pair):
    clients["district"].post(url(pair), {"decision": "different", "reason": "Twins, two birth certificates", "confirm": "1"})
    pair.refresh_from_db()
    assert pair.decision == "rejected" and pair.reason == "Twins, two birth certificates"
    assert AuditEvent.objects.get(action="voters.duplicate.reject").after == {"reason": "Twins, two birth certificates"}
    assert Voter.objects.filter(pk__in=[pair.voter_a_id, pair.voter_b_id], merged_into__isnull=True).count() == 2


@pytest.mark.parametrize("role", ["precinct", "region", "cec"])
def test_only_officials_whose_area_holds_both_records_review(clients, country, pair, role):
    outside = make_voter(country.precincts["B1-1"], surname="Abdullayev", given_name="Jasur")
    other = DuplicateCandidate.objects.create(
        voter_a=min(pair.voter_a, outside, key=lambda v: v.pk), voter_b=max(pair.voter_a, outside, key=lambda v: v.pk), score=0.9
    )
    assert clients[role].get(url(pair)).status_code == 200  # both records at precinct A1-1
    assert clients[role].get(url(other)).status_code == (200 if role == "cec" else 404)  # one of them in region B
    for anonymous_side in ("party", "observer", "journalist"):
        assert clients[anonymous_side].get(url(pair)).status_code in (302, 403)


def test_a_reason_with_markup_is_refused_and_changes_nothing(clients, pair):
    response = clients["district"].post(url(pair), {"decision": "different", "reason": "<b>twins</b>", "confirm": "1"}, **EN)
    assert response.status_code == 400
    summary = html.fromstring(response.content.decode()).xpath("//div[@data-error-summary]")[0].text_content()
    assert "Control characters, backslashes and < > are not allowed." in summary
    pair.refresh_from_db()
    assert pair.decision == "open" and not AuditEvent.objects.filter(action="voters.duplicate.reject").exists()


def test_a_reason_over_several_lines_is_kept(clients, pair):
    reason = "Two birth certificates.\nThe registry office confirmed."
    clients["district"].post(url(pair), {"decision": "different", "reason": reason, "confirm": "1"})
    pair.refresh_from_db()
    assert pair.decision == "rejected" and pair.reason == reason


def test_the_list_filter_refuses_a_district_outside_the_area(clients, country, pair):
    outside = country.districts["B1"].pk
    page = html.fromstring(clients["region"].get(f"/voters/duplicates/?district={outside}", **EN).content.decode())
    assert page.xpath("//div[@data-error-summary]")  # not a district the region's official may narrow to
    assert page.xpath("//p[@data-total]")[0].get("data-total") == "1"  # the list is the whole area's, unnarrowed
    bad_order = html.fromstring(clients["region"].get("/voters/duplicates/?order=fastest", **EN).content.decode())
    assert bad_order.xpath("//div[@data-error-summary]")
    assert not html.fromstring(clients["precinct"].get("/voters/duplicates/", **EN).content.decode()).xpath(
        '//select[@name="district"]'
    )  # a precinct official has no district to choose
