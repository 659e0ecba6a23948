"""Journey: a voter checks their registration (no login) and sees the polling station only."""

from datetime import date

import pytest

from tests import factories as f
from tests.factories import make_voter


@pytest.fixture
def voter(transactional_db):
    region = f.RegionFactory(code="26", name_uz="Toshkent shahri")
    district = f.DistrictFactory(region=region, code="2601", name_uz="Yunusobod tumani")
    f.MahallaFactory(district=district)
    precinct = f.PrecinctFactory(
        district=district, number=1234, address="Amir Temur koʻchasi 12, 45-maktab", phone="+998 71 200-00-00"
    )
    return make_voter(
        precinct,
        surname="Karimova",
        given_name="Dilnoza",
        patronymic="Rustamovna",
        sex="F",
        birth_date=date(1990, 1, 2),
        street="Bobur",
    )


def test_voter_checks_registration(page, live_server, voter):
    page.goto(f"{live_server.url}/")
    page.click("a[href='/check/']")
    page.fill("input[name=document]", voter.pinfl)
    page.fill("input[name=birth_date]", "1990-01-02")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    result = page.locator("#lookup-result").inner_text()
    assert "1234" in result and "Amir Temur" in result and "+998 71 200-00-00" in result
    body = page.content()
    for private in (voter.surname, voter.given_name, voter.pinfl, "Bobur"):
        assert private not in body

    # a wrong birth date: the same answer as for nobody at all, and nothing about the person
    page.fill("input[name=document]", voter.pinfl)
    page.fill("input[name=birth_date]", "1990-02-01")
    with page.expect_navigation():
        page.click("form.stack button[type=submit]")
    miss = page.locator("#lookup-result").inner_text()
    assert "1234" not in miss and voter.surname not in page.content()


def test_the_language_switch_changes_the_language_of_the_page(page, live_server, transactional_db):
    """Choosing a language changes nothing until its button is pressed (WCAG 3.2.2: no change of context on input)."""
    page.goto(f"{live_server.url}/check/")
    assert page.locator("html").get_attribute("lang") == "uz"
    page.select_option("#lang-select", "ru")
    page.wait_for_timeout(500)
    assert page.locator("html").get_attribute("lang") == "uz"
    with page.expect_navigation():
        page.click(".lang-switch button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.url.endswith("/check/")
    page.select_option("#lang-select", "en")
    with page.expect_navigation():
        page.click(".lang-switch button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "en"
