"""A precinct list falls by street whatever the script it was registered in (issue 13, item 6)."""

import io

import pytest

from tests.voters.test_exports import district, names, precinct, voter  # noqa: F401 (fixtures)
from voters.exports import write_precinct_csv
from voters.selectors import precinct_list_rows, street_sort_key

pytestmark = pytest.mark.django_db


def test_latin_and_cyrillic_spellings_of_one_street_fall_together(precinct):  # noqa: F811
    voter(precinct, "Aliyev", "Bobur", street="Navoiy koʻchasi", house="3")
    voter(precinct, "Rahimov", "Jasur", street="Bobur koʻchasi", house="1")
    voter(precinct, "Karimov", "Aziz", street="Навоий кўчаси", house="2")
    voter(precinct, "Yusupov", "Olim", street="Ҳамза кўчаси", house="1")
    voter(precinct, "Zokirov", "Anvar", street="Navoiy  ko'chasi", house="10")  # ASCII apostrophe, two spaces
    rows = list(precinct_list_rows(precinct))
    # sorted by street as Latin letters (bobur < hamza < navoiy), then by house within the street
    assert names(rows) == ["Rahimov Jasur", "Yusupov Olim", "Karimov Aziz", "Aliyev Bobur", "Zokirov Anvar"]
    # the street is printed as registered: only its place on the list changes
    assert [row[3] for row in rows][2:] == ["Навоий кўчаси 2", "Navoiy koʻchasi 3", "Navoiy  ko'chasi 10"]
    assert street_sort_key("Навоий кўчаси") == street_sort_key("NAVOIY KOʻCHASI") == street_sort_key("Navoiy  ko'chasi")


def test_the_csv_export_keeps_the_same_order(precinct):  # noqa: F811
    voter(precinct, "Aliyev", "Bobur", street="Navoiy koʻchasi", house="3")
    voter(precinct, "Karimov", "Aziz", street="Навоий кўчаси", house="2")
    voter(precinct, "Rahimov", "Jasur", street="Bobur koʻchasi", house="1")
    out = io.BytesIO()
    assert write_precinct_csv(out, precinct) == 3
    text = out.getvalue().decode("utf-8-sig")
    assert text.index("Rahimov") < text.index("Karimov") < text.index("Aliyev")
