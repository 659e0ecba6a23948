"""The published seat calculation sheet as A4 PDF, and the seat chart of its page.

The PDF mirrors /results/seats/<id>/ (officials, the latest calculation, a draft marked as such) and
/public/seats/<id>/ (everyone, published calculations only: 404 before).
"""

import io
import math
import re

import pytest
from pypdf import PdfReader

from results import services
from results.printing import hemicycle
from tests.results.conftest import figures
from tests.results.test_seats import certify, list_figures

pytestmark = pytest.mark.django_db


def get(client, url: str, language: str = "en"):
    """Pages pick their language from the request (the default is Uzbek): these assertions read English."""
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language)


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(body))
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())  # table cells wrap


def calculated(country, contest, national, votes, *, publish=True, **rules):
    constituency, parties = national
    if rules:
        contest["election"].rules = rules
        contest["election"].save()
    certify(country, contest, constituency, list_figures(contest, parties, votes))
    constituency.refresh_from_db()
    calculation = services.seats_calculate(actor=country.users["cec"], constituency=constituency)
    if publish:
        services.seats_publish(actor=country.users["cec"], calculation=calculation)
    return constituency, calculation


def test_published_sheet_names_the_parties_their_seats_and_the_elected(clients, country, contest, national):
    constituency, calculation = calculated(country, contest, national, [9, 4, 1])
    text = pdf_text(get(clients["anon"], f"/public/seats/{constituency.pk}/pdf/"))
    for name in ("Roʻyxat 0", "Roʻyxat 1", "Roʻyxat 2"):
        assert name in text
    # Hare among the two passing parties: 13 votes, 3 seats, quota 13/3; 9 -> 2 whole, 4 -> the largest remainder
    assert "13/3" in text and "below the threshold" in text
    assert re.search(r"Roʻyxat 0\s+9\s+yes\s+2\s+[\d.]+ \(\d+/\d+\)\s+2", text), text
    assert re.search(r"Roʻyxat 1\s+4\s+yes\s+0\s+[\d.]+ \(\d+/\d+\)\s+1", text), text
    assert "remainder" in text and str(calculation.seed) in text
    assert "L0-1" in text and "L0-2" in text and "L1-1" in text and "L0-3" not in text  # down each list in order
    assert "Draft" not in text


def test_the_sheet_prints_in_cyrillic(clients, country, contest, national):
    constituency, _calculation = calculated(country, contest, national, [9, 4, 1])
    text = pdf_text(get(clients["anon"], f"/public/seats/{constituency.pk}/pdf/", "ru"))
    assert "Roʻyxat 0" in text and "L0-1" in text
    assert re.search("[а-яА-ЯёЁ]{4,}", text), text  # the Russian catalogue's labels, in the DejaVu font


def test_unpublished_calculation_is_404_publicly_and_a_draft_for_officials(clients, country, contest, national):
    constituency, _calculation = calculated(country, contest, national, [9, 4, 1], publish=False)
    for role in ("anon", "observer", "cec"):
        assert get(clients[role], f"/public/seats/{constituency.pk}/pdf/").status_code == 404
        assert get(clients[role], f"/public/seats/{constituency.pk}/").status_code == 404
    official = f"/results/seats/{constituency.pk}/pdf/"
    text = pdf_text(get(clients["district"], official))  # the same officials as the page
    assert "Draft: this calculation is not published." in text and "Roʻyxat 0" in text
    assert get(clients["observer"], official).status_code == 403
    anon = get(clients["anon"], official)
    assert anon.status_code == 302 and "/accounts/login/" in anon["Location"]


def test_no_calculation_yet_is_404_for_the_pdf(clients, contest):
    constituency = contest["constituency"]
    assert get(clients["cec"], f"/results/seats/{constituency.pk}/").status_code == 200  # "not calculated yet"
    assert get(clients["cec"], f"/results/seats/{constituency.pk}/pdf/").status_code == 404
    assert get(clients["anon"], f"/public/seats/{constituency.pk}/pdf/").status_code == 404


def test_dhondt_tie_for_the_last_seat_shows_the_averages_and_the_lot(clients, country, contest, national):
    # averages 6, 6, 3, 3, 2: the third seat falls on a tie of the two leading parties at 3
    constituency, calculation = calculated(country, contest, national, [6, 6, 2], seat_method="dhondt")
    allocation = calculation.sheet["allocation"]
    assert len(allocation["tied"]) == 2 and allocation["seed"] == calculation.seed
    text = pdf_text(get(clients["anon"], f"/public/seats/{constituency.pk}/pdf/"))
    assert "D'Hondt" in text and "1, 2, 3" in text
    assert "6 ÷ 1 = 6" in text and "6 ÷ 2 = 3" in text
    assert "by lot" in text and f"seed {calculation.seed}" in text


def test_single_mandate_sheet_names_the_winner(clients, country, contest):
    constituency = contest["constituency"]
    constituency.precincts.set([contest["precinct"]])
    certify(country, contest, constituency, figures(contest))  # 9 of 15 who took part
    calculation = services.seats_calculate(actor=country.users["cec"], constituency=constituency)
    services.seats_publish(actor=country.users["cec"], calculation=calculation)
    text = pdf_text(get(clients["anon"], f"/public/seats/{constituency.pk}/pdf/"))
    assert "Nomzod0" in text and "Nomzod1" in text and "is elected" in text
    assert "more than 50.00%" in text


def test_the_page_links_the_pdf_and_draws_the_seats(clients, country, contest, national):
    constituency, _calculation = calculated(country, contest, national, [9, 4, 1])
    page = get(clients["anon"], f"/public/seats/{constituency.pk}/").content.decode()
    assert f'href="/public/seats/{constituency.pk}/pdf/"' in page
    assert 'role="img"' in page and page.count("<circle ") == 3
    # the text alternative names every party with seats
    assert re.search(r"<title id=\"seat-chart-text\">3 seats — Roʻyxat 0: 2 seats; Roʻyxat 1: 1 seat\.</title>", page)
    official = get(clients["cec"], f"/results/seats/{constituency.pk}/").content.decode()
    assert f'href="/results/seats/{constituency.pk}/pdf/"' in official


def test_single_mandate_page_has_no_seat_chart(clients, country, contest):
    constituency = contest["constituency"]
    constituency.precincts.set([contest["precinct"]])
    certify(country, contest, constituency, figures(contest))
    services.seats_calculate(actor=country.users["cec"], constituency=constituency)
    page = get(clients["cec"], f"/results/seats/{constituency.pk}/").content.decode()
    assert "<svg" not in page and "/pdf/" in page


@pytest.mark.parametrize("seats", [1, 2, 3, 11, 12, 75, 150, 300])
def test_hemicycle_places_every_seat_without_overlap(seats):
    positions, radius = hemicycle(seats)
    assert len(positions) == seats
    for x, y in positions:
        assert -1 - 1e-9 <= x <= 1 + 1e-9 and -1e-9 <= y <= 1 + 1e-9
    closest = min(
        (math.dist(a, b) for i, a in enumerate(positions) for b in positions[i + 1 :]),
        default=math.inf,
    )
    assert closest >= 2 * radius * 0.99
    angles = [math.atan2(y, x) for x, y in positions]
    assert all(a >= b - 1e-9 for a, b in zip(angles, angles[1:], strict=False))  # from the left end to the right
