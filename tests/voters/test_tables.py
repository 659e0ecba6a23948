"""Long lists as tables for people (issue 13, item 5): voter search counted and ordered by closeness, duplicates
paged with numbered pages, ordered and narrowed to a district, the counts table with its header and total."""

from __future__ import annotations

import pytest
from lxml import html

from tests.factories import make_voter
from tests.pages import EN
from voters.models import DuplicateCandidate

pytestmark = pytest.mark.django_db


def doc(client, url):
    response = client.get(url, **EN)
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def test_search_counts_and_puts_the_whole_surname_first(clients, country):
    p = country.precincts["A1-1"]
    longer = make_voter(p, surname="Karimova", given_name="Aziza")
    exact = make_voter(p, surname="Karim", given_name="Zafar")
    make_voter(country.precincts["B1-1"], surname="Karim", given_name="Outside")
    page = doc(clients["district"], "/voters/?q=Karim")
    assert page.xpath("//p[@data-total]")[0].get("data-total") == "2"
    names = [a.text for a in page.xpath("//table//td/a")]
    assert names == [exact.full_name, longer.full_name]


def test_duplicates_are_paged_with_numbers_ordered_and_filtered(clients, country):
    pairs = []
    for i in range(55):
        key = "A1-1" if i % 2 else "A2-1"
        a, b = make_voter(country.precincts[key]), make_voter(country.precincts[key])
        a, b = sorted([a, b], key=lambda v: v.pk)
        pairs.append(DuplicateCandidate.objects.create(voter_a=a, voter_b=b, score=1.0))
    first = doc(clients["region"], "/voters/duplicates/")
    assert first.xpath("//p[@data-total]")[0].get("data-total") == "55"
    assert [a.get("data-page") for a in first.xpath("//nav[@class='pagination'][1]//a[@data-page]")] == ["1", "2"]
    assert len(first.xpath("//tr[@data-pair]")) == 50
    oldest = doc(clients["region"], "/voters/duplicates/?order=oldest")
    assert oldest.xpath("//tr[@data-pair]")[0].get("data-pair") == str(pairs[0].pk)
    newest = doc(clients["region"], "/voters/duplicates/?order=newest")
    assert newest.xpath("//tr[@data-pair]")[0].get("data-pair") == str(pairs[-1].pk)
    one = doc(clients["region"], f"/voters/duplicates/?district={country.districts['A1'].pk}")
    assert one.xpath("//p[@data-total]")[0].get("data-total") == "27"
    second = doc(clients["region"], "/voters/duplicates/?page=2")
    assert len(second.xpath("//tr[@data-pair]")) == 5


def test_the_counts_table_has_a_header_and_a_total(clients, country):
    make_voter(country.precincts["A1-1"])
    make_voter(country.precincts["A2-1"])
    page = doc(clients["region"], "/voters/counts/?level=district")
    table = page.xpath("//table[@id='counts']")[0]
    assert [th.text for th in table.xpath("./thead/tr/th")][:2] == ["Area", "Voters"]
    assert table.xpath("./tfoot//td")[0].text == "2"
