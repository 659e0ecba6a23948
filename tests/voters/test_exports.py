"""Precinct list exports: who is on the list, its order, CSV (BOM, formula injection) and printable PDF."""

import csv
import io
import itertools
import shutil
import subprocess
import time
from datetime import date, timedelta

import pytest
from django.utils import translation

from core.names import normalize_name
from core.pinfl import make_pinfl
from core.tabular import csv_safe
from tests.factories import DistrictFactory, ElectionFactory, MahallaFactory, PrecinctFactory
from voters.exports import write_district_pdf, write_precinct_csv, write_precinct_pdf
from voters.models import ListEntryOverride, Voter, VoterStatus
from voters.selectors import precinct_list_rows

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")

_serials = itertools.count(1)


def voter(
    precinct,
    surname,
    given,
    *,
    patronymic="",
    street="Navoiy",
    house="1",
    flat="",
    born=date(1980, 5, 17),
    sex="M",
    status=VoterStatus.ACTIVE,
    save=True,
    **extra,
):
    n = next(_serials)
    v = Voter(
        pinfl=make_pinfl(born, sex, 1 + n // 999 % 999, 1 + n % 999),
        surname=surname,
        given_name=given,
        patronymic=patronymic,
        surname_key=normalize_name(surname),
        given_key=normalize_name(given),
        patronymic_key=normalize_name(patronymic),
        birth_date=born,
        sex=sex,
        district=precinct.district,
        precinct=precinct,
        street=street,
        house=house,
        flat=flat,
        status=status,
        **extra,
    )
    if save:
        v.save()
    return v


@pytest.fixture
def district():
    return DistrictFactory()


@pytest.fixture
def precinct(district):
    return PrecinctFactory(district=district, number=7, address="Amir Temur koʻchasi 12, maktab 5")


@pytest.fixture
def other_precinct(district):
    return PrecinctFactory(district=district, number=8, address="Navoiy koʻchasi 3")


def names(rows):
    return [row[1] for row in rows]


def pdf_text(data: bytes, tmp_path, name="list.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


# --------------------------------------------------------------------------- the list


def test_rows_are_sorted_by_address_then_name(precinct):
    voter(precinct, "Zokirov", "Anvar", street="Navoiy", house="10")
    voter(precinct, "Aliyev", "Bobur", street="Navoiy", house="2", flat="12")
    voter(precinct, "Aliyev", "Botir", street="Navoiy", house="2", flat="3")
    voter(precinct, "Karimov", "Aziz", street="Navoiy", house="2", flat="3")
    voter(precinct, "Yusupov", "Olim", street="Navoiy", house="2a")
    voter(precinct, "Rahimov", "Jasur", street="Bobur", house="25")
    rows = list(precinct_list_rows(precinct))
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert names(rows) == [
        "Rahimov Jasur",  # street "Bobur" before "Navoiy"
        "Aliyev Botir",  # Navoiy 2, flat 3 (flats numerically: 3 before 12), then by name
        "Karimov Aziz",
        "Aliyev Bobur",  # Navoiy 2, flat 12
        "Yusupov Olim",  # house "2a" after "2", before "10"
        "Zokirov Anvar",  # house "10" after "2"
    ]
    assert rows[1][2] == date(1980, 5, 17)
    assert rows[1][3] == "Navoiy 2, 3"
    assert rows[0][3] == "Bobur 25"


def test_full_name_is_written_as_in_the_register(precinct):
    voter(precinct, "Каримов", "Азиз", patronymic="Баходирович", street="Навоий", house="4")
    assert list(precinct_list_rows(precinct)) == [(1, "Каримов Азиз Баходирович", date(1980, 5, 17), "Навоий 4")]


def test_inactive_and_merged_voters_are_not_listed(precinct):
    kept = voter(precinct, "Aliyev", "Bobur")
    voter(precinct, "Karimov", "Aziz", status=VoterStatus.DECEASED)
    voter(precinct, "Olimov", "Olim", status=VoterStatus.INCAPABLE)
    voter(precinct, "Toshev", "Tosh", merged_into=kept)
    assert names(precinct_list_rows(precinct)) == ["Aliyev Bobur"]


def test_override_moves_a_voter_for_one_election_only(precinct, other_precinct):
    election, other_election = ElectionFactory(), ElectionFactory()
    stays = voter(precinct, "Aliyev", "Bobur")
    moves = voter(precinct, "Karimov", "Aziz")
    ListEntryOverride.objects.create(voter=moves, election=election, precinct=other_precinct)
    voter(other_precinct, "Sobirov", "Said")

    assert names(precinct_list_rows(precinct, election)) == ["Aliyev Bobur"]
    assert names(precinct_list_rows(other_precinct, election)) == ["Karimov Aziz", "Sobirov Said"]
    # another election, and the default list, keep the voter at home
    assert names(precinct_list_rows(precinct, other_election)) == ["Aliyev Bobur", "Karimov Aziz"]
    assert names(precinct_list_rows(other_precinct, other_election)) == ["Sobirov Said"]
    assert names(precinct_list_rows(precinct)) == ["Aliyev Bobur", "Karimov Aziz"]
    assert stays.pk


def test_a_deceased_voter_with_an_override_is_not_listed(precinct, other_precinct):
    election = ElectionFactory()
    dead = voter(precinct, "Karimov", "Aziz", status=VoterStatus.DECEASED)
    ListEntryOverride.objects.create(voter=dead, election=election, precinct=other_precinct)
    assert list(precinct_list_rows(other_precinct, election)) == []


def test_override_to_own_precinct_lists_the_voter_once(precinct):
    election = ElectionFactory()
    v = voter(precinct, "Aliyev", "Bobur")
    ListEntryOverride.objects.create(voter=v, election=election, precinct=precinct)
    assert names(precinct_list_rows(precinct, election)) == ["Aliyev Bobur"]


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x","y")'])
def test_csv_safe_neutralises_formulas(value):
    assert csv_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["Aliyev", "Oʻrinov", "Каримов", "12", "", "a=b"])
def test_csv_safe_keeps_ordinary_text(value):
    assert csv_safe(value) == value


def test_csv_has_bom_header_and_rows_of_several_precincts(precinct, other_precinct):
    voter(precinct, "Каримов", "Азиз", patronymic="Баходирович", street="Навоий", house="4", flat="2", born=date(1990, 1, 31))
    voter(precinct, "Aliyev", "Bobur", street="Bobur", house="1")
    voter(other_precinct, "Sobirov", "Said")
    out = io.BytesIO()
    with translation.override("en"):
        count = write_precinct_csv(out, [precinct, other_precinct])
    data = out.getvalue()
    assert count == 3
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Precinct", "No.", "Surname", "Given name", "Patronymic", "Birth date", "Address"]
    assert rows[1:] == [
        ["7", "1", "Aliyev", "Bobur", "", "1980-05-17", "Bobur 1"],
        ["7", "2", "Каримов", "Азиз", "Баходирович", "1990-01-31", "Навоий 4, 2"],
        ["8", "1", "Sobirov", "Said", "", "1980-05-17", "Navoiy 1"],
    ]


def test_csv_neutralises_formula_cells(precinct):
    # imports refuse such names; the writer must be safe on its own
    voter(precinct, "@SUM(1+1)", "-2+3", patronymic="+7", street='=HYPERLINK("http://evil.example","x")', house="1")
    out = io.BytesIO()
    write_precinct_csv(out, precinct)
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8-sig"))))
    assert rows[1][2:5] == ["'@SUM(1+1)", "'-2+3", "'+7"]
    assert rows[1][6] == '\'=HYPERLINK("http://evil.example","x") 1'
    for cell in itertools.chain.from_iterable(rows):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_csv_to_a_text_stream(precinct):
    voter(precinct, "Aliyev", "Bobur")
    out = io.StringIO()
    assert write_precinct_csv(out, precinct) == 1
    assert out.getvalue().startswith("\ufeff")
    assert out.getvalue().splitlines()[1] == "7,1,Aliyev,Bobur,,1980-05-17,Navoiy 1"


# --------------------------------------------------------------------------- PDF


@needs_pdftotext
def test_pdf_renders_cyrillic_and_latin_with_signature_column(precinct, tmp_path):
    election = ElectionFactory(name_uz="Oliy Majlis saylovi", name_en="Parliamentary election")
    voter(precinct, "Каримов", "Азиз", patronymic="Баходирович", street="Навоий", house="4")
    voter(precinct, "Oʻrinov", "Gʻayrat", patronymic="Shavkat oʻgʻli", street="Bobur", house="1", born=date(1975, 12, 3))
    out = io.BytesIO()
    calls = []
    with translation.override("en"):
        pages = write_precinct_pdf(out, precinct, election, progress=lambda done, total: calls.append((done, total)))
    data = out.getvalue()
    assert data.startswith(b"%PDF")
    assert pages == 1
    text = pdf_text(data, tmp_path)
    assert "Каримов Азиз Баходирович" in text
    assert "Oʻrinov Gʻayrat Shavkat oʻgʻli" in text
    for header in ("No.", "Full name", "Birth date", "Address", "Signature"):
        assert header in text
    assert "Parliamentary election" in text
    assert "Precinct No. 7" in text
    assert "Amir Temur koʻchasi 12, maktab 5" in text
    assert "03/12/1975" in text  # the English short date (esaylov/formats/en)
    assert "Page 1 of 1" in text
    assert calls[-1] == (2, 2)


@needs_pdftotext
def test_pdf_of_an_empty_list(precinct, tmp_path):
    out = io.BytesIO()
    with translation.override("en"):
        assert write_precinct_pdf(out, precinct) == 1
    text = pdf_text(out.getvalue(), tmp_path)
    assert "No voters on this list." in text
    assert "Signature" in text


@needs_pdftotext
def test_district_pdf_starts_each_precinct_on_a_new_page(precinct, other_precinct, tmp_path):
    election = ElectionFactory(name_en="Local election")
    for i in range(60):  # two pages
        voter(precinct, f"Aliyev{i:02d}", "Bobur", house=str(i + 1))
    voter(other_precinct, "Sobirov", "Said")
    out = io.BytesIO()
    calls = []
    with translation.override("en"):
        pages = write_district_pdf(
            out, [precinct, other_precinct], election, progress=lambda done, total: calls.append((done, total))
        )
    assert pages == 3
    text = pdf_text(out.getvalue(), tmp_path)
    page_texts = [p for p in text.split("\f") if p.strip()]
    assert len(page_texts) == 3
    assert "Precinct No. 7" in page_texts[0] and "Aliyev00" in page_texts[0] and "Page 1 of 2" in page_texts[0]
    assert "Signature" in page_texts[1] and "Aliyev59" in page_texts[1] and "Page 2 of 2" in page_texts[1]
    assert "Sobirov Said" in page_texts[2] and "Precinct No. 8" in page_texts[2] and "Page 1 of 1" in page_texts[2]
    assert "Sobirov" not in page_texts[1]
    assert calls[-1] == (61, 61)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)


@needs_pdftotext
def test_3000_voter_precinct_renders_in_a_few_seconds(precinct, tmp_path):
    mahalla = MahallaFactory(district=precinct.district)
    streets = ["Navoiy", "Bobur", "Amir Temur", "Mustaqillik", "Навоий", "Чилонзор"]
    surnames = ["Aliyev", "Karimov", "Oʻrinov", "Toshmatov", "Каримов", "Юсупов", "Abdurakhmonov-Sultonmuradov"]
    given = ["Bobur", "Aziz", "Gʻayrat", "Dilnoza", "Азиз", "Малика", "Abdurakhmonjon"]
    base = date(1950, 1, 1)
    voters = []
    for i in range(3000):
        voters.append(
            voter(
                precinct,
                surnames[i % len(surnames)],
                given[i // 5 % len(given)],
                patronymic="Baxodirovich" if i % 4 else "Abdumalikovich Shavkat oʻgʻli",
                street=streets[i % len(streets)],
                house=f"{i % 90 + 1}{'a' if i % 11 == 0 else ''}",
                flat=str(i % 40),
                born=base + timedelta(days=i * 7),
                sex="MF"[i % 2],
                mahalla=mahalla,
                save=False,
            )
        )
    Voter.objects.bulk_create(voters, batch_size=1000)
    out = io.BytesIO()
    started = time.perf_counter()
    with translation.override("en"):
        pages = write_precinct_pdf(out, precinct)
    elapsed = time.perf_counter() - started
    print(f"\n3,000-voter precinct PDF: {pages} pages, {len(out.getvalue()) / 1024:.0f} KiB, {elapsed:.2f} s")
    assert elapsed < 15
    text = pdf_text(out.getvalue(), tmp_path)
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert " 3000 " in text
