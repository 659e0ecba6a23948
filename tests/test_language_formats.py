"""Issue 13, item 6: every data string in the reader's language, dates in each language's own order and script
(one date and one date-time format on every page), the right words, and exports in the language of who asked.

Everything through real HTTP requests (Django's test client) against PostgreSQL; the district export also
through a real Celery worker, whose own language is the default one (Uzbek)."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from core import credentials
from core.models import Credential
from tests.conftest import start_worker, stop_worker, wait_for
from tests.factories import make_voter
from voters import services
from voters.models import ExportJob, Voter

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
TASHKENT = ZoneInfo("Asia/Tashkent")


def lang(code: str) -> dict:
    return {"HTTP_ACCEPT_LANGUAGE": code}


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pdf_text(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run([PDFTOTEXT, "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def named(country):
    """Region A, district A1 and the election with a name in every language (Cyrillic Uzbek left empty for
    region B: it falls back to the Latin one)."""
    region, other = country.regions["A"], country.regions["B"]
    region.name_uz, region.name_uz_cyrl, region.name_ru, region.name_en = (
        "Samarqand viloyati",
        "Самарқанд вилояти",
        "Самаркандская область",
        "Samarkand Region",
    )
    region.save()
    other.name_uz, other.name_uz_cyrl, other.name_ru, other.name_en = (
        "Buxoro viloyati",
        "",
        "Бухарская область",
        "Bukhara Region",
    )
    other.save()
    district = country.districts["A1"]
    district.name_uz, district.name_ru, district.name_en = "Urgut tumani", "Ургутский район", "Urgut District"
    district.save()
    election = country.election
    election.name_uz, election.name_ru, election.name_en = "Oliy Majlis saylovi", "Выборы в Олий Мажлис", "Oliy Majlis election"
    election.election_day = date(2027, 3, 6)
    election.save()
    make_voter(country.precincts["A1-1"], surname="Karimov", given_name="Aziz", birth_date=date(1980, 5, 17))
    make_voter(country.precincts["A1-2"], surname="Каримова", given_name="Дилноза", birth_date=date(1991, 9, 3))
    make_voter(country.precincts["B1-1"], surname="Aliyev", given_name="Bobur")
    return country


# --------------------------------------------------------------------------- 1. names of areas


@pytest.mark.parametrize(
    ("language", "a", "b"),
    [
        ("en", "Samarkand Region", "Bukhara Region"),
        ("ru", "Самаркандская область", "Бухарская область"),
        ("uz-cyrl", "Самарқанд вилояти", "Buxoro viloyati"),  # no Cyrillic name: the Latin one
        ("uz", "Samarqand viloyati", "Buxoro viloyati"),
    ],
)
def test_the_counts_page_names_regions_in_the_readers_language(named, clients, language, a, b):
    body = text_of(clients["cec"].get("/voters/counts/", **lang(language)).content.decode())
    assert a in body and b in body
    if language != "uz":
        assert "Samarqand viloyati" not in body


def test_the_counts_page_names_districts_and_precincts_in_the_readers_language(named, clients):
    districts = text_of(clients["cec"].get("/voters/counts/?level=district", **lang("en")).content.decode())
    assert "Urgut District" in districts and "Urgut tumani" not in districts
    precincts = text_of(clients["cec"].get("/voters/counts/?level=precinct", **lang("ru")).content.decode())
    assert "Ургутский район" in precincts and "Urgut tumani" not in precincts


def test_the_counts_page_orders_areas_by_their_name_in_the_readers_language(named, clients):
    en = text_of(clients["cec"].get("/voters/counts/", **lang("en")).content.decode())
    assert en.index("Bukhara Region") < en.index("Samarkand Region")
    ru = text_of(clients["cec"].get("/voters/counts/", **lang("ru")).content.decode())
    assert ru.index("Бухарская область") < ru.index("Самаркандская область")


# --------------------------------------------------------------------------- 2. exports in the asker's language


def _export(client, district, fmt: str, language: str) -> ExportJob:
    response = client.post(f"/voters/districts/{district.pk}/export/", {"format": fmt}, **lang(language))
    assert response.status_code == 302
    return ExportJob.objects.latest("pk")


def _download(client, job) -> bytes:
    response = client.get(f"/voters/exports/{job.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_district_export_keeps_the_language_of_the_request(named, clients, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = _export(clients["district"], named.districts["A1"], "csv", "ru")
    assert job.language == "ru"
    with django_capture_on_commit_callbacks(execute=False):
        job = _export(clients["district"], named.districts["A1"], "csv", "uz-cyrl")
    assert job.language == "uz-cyrl"


def test_a_csv_export_is_written_in_the_language_of_who_asked(
    named, clients, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=False):
        job = _export(clients["district"], named.districts["A1"], "csv", "ru")
    with translation.override("uz"):  # the worker's own language
        services.export_run(job_id=job.pk)
    rows = list(csv.reader(io.StringIO(_download(clients["district"], job).decode("utf-8-sig"))))
    assert rows[0] == ["Избирательный участок", "№", "Фамилия", "Имя", "Отчество", "Дата рождения", "Адрес"]
    assert rows[1][5] == "1980-05-17"  # machine-readable cells stay ISO


@needs_pdftotext
def test_a_pdf_export_is_written_in_the_language_of_who_asked(
    named, clients, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=False):
        job = _export(clients["district"], named.districts["A1"], "pdf", "en")
    with translation.override("uz"):
        services.export_run(job_id=job.pk)
    text = pdf_text(_download(clients["district"], job), tmp_path)
    for words in ("List of voters", "Precinct No. 1", "Urgut District", "Oliy Majlis election", "Full name", "Signature"):
        assert words in text
    assert "Election day: 6 March 2027" in text
    assert "17/05/1980" in text  # the numeric date of a narrow column, in the English order
    assert "Urgut tumani" not in text and "saylovi" not in text and "Saylovchilar" not in text


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_writes_the_export_in_the_language_of_who_asked(named, clients):
    """The real worker: another process, in the default language (Uzbek) until the job says otherwise."""
    worker = start_worker()
    try:
        job = _export(clients["district"], named.districts["A1"], "csv", "ru")
        assert wait_for(lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE, timeout=90)
    finally:
        stop_worker(worker)
    job.refresh_from_db()
    body = _download(clients["district"], job).decode("utf-8-sig")
    job.file.delete(save=False)
    assert body.splitlines()[0] == "Избирательный участок,№,Фамилия,Имя,Отчество,Дата рождения,Адрес"


# --------------------------------------------------------------------------- 3. dates


EXPECTED_DATES = {
    "uz": ("1980-yil 17-may", "2027-yil 6-mart, 14:05"),
    "uz-cyrl": ("1980 йил 17 май", "2027 йил 6 март, 14:05"),
    "ru": ("17 мая 1980 г.", "6 марта 2027 г., 14:05"),
    "en": ("17 May 1980", "6 March 2027, 14:05"),
}


@pytest.fixture
def voter_created(named):
    voter = Voter.objects.get(surname="Karimov")
    Voter.objects.filter(pk=voter.pk).update(created_at=datetime(2027, 3, 6, 14, 5, tzinfo=TASHKENT))
    return voter


@pytest.mark.parametrize("language", list(EXPECTED_DATES))
def test_a_page_writes_dates_in_the_order_and_script_of_its_language(voter_created, clients, language):
    day, moment = EXPECTED_DATES[language]
    body = text_of(clients["district"].get(f"/voters/{voter_created.pk}/", **lang(language)).content.decode())
    assert day in body  # the birth date
    assert moment in body  # when the record was created
    assert "17.05.1980" not in body and "06.03.2027" not in body


@pytest.mark.parametrize("language", list(EXPECTED_DATES))
def test_the_precinct_list_and_the_search_write_the_same_date(voter_created, clients, named, language):
    day, _moment = EXPECTED_DATES[language]
    listing = clients["district"].get(f"/voters/lists/{named.precincts['A1-1'].pk}/", **lang(language)).content.decode()
    found = clients["district"].get("/voters/?q=Karimov", **lang(language)).content.decode()
    assert day in text_of(listing) and day in text_of(found)


def test_uzbek_cyrillic_dates_have_no_latin_letters(voter_created, clients):
    body = text_of(clients["district"].get(f"/voters/{voter_created.pk}/", **lang("uz-cyrl")).content.decode())
    assert "1980 йил 17 май" in body
    assert "yil" not in body and "May" not in body


def test_every_month_has_its_name_in_each_language(voter_created, clients):
    months = {
        "uz": "yanvar fevral mart aprel may iyun iyul avgust sentabr oktabr noyabr dekabr",
        "uz-cyrl": "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь",
        "ru": "января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
        "en": "January February March April May June July August September October November December",
    }
    for month in range(1, 13):
        Voter.objects.filter(pk=voter_created.pk).update(birth_date=date(1980, month, 17))
        for language, names in months.items():
            body = text_of(clients["district"].get(f"/voters/{voter_created.pk}/", **lang(language)).content.decode())
            name = names.split()[month - 1]
            expected = {"uz": f"1980-yil 17-{name}", "uz-cyrl": f"1980 йил 17 {name}"}.get(language, f"17 {name} 1980")
            assert expected in body, (language, month)


@pytest.mark.parametrize("language", list(EXPECTED_DATES))
def test_one_date_time_format_on_every_page(named, clients, language):
    """The moment an accreditation was submitted, on the observer's list and in the status history of its page
    (the shared component, which asks for the short format), is written the same, in the language's format."""
    from observers.models import ObserverAccreditation as Accreditation  # noqa: PLC0415
    from tests.observers.helpers import apply, build  # noqa: PLC0415

    setup = build(named)
    accreditation = apply(named, setup)
    moment = datetime(2027, 3, 6, 14, 5, tzinfo=TASHKENT)
    Accreditation.objects.filter(pk=accreditation.pk).update(submitted_at=moment)
    accreditation.status_history().update(created_at=moment)
    _day, expected = EXPECTED_DATES[language]
    client = clients["observer"]
    listing = text_of(client.get("/observers/me/", **lang(language)).content.decode())
    detail = text_of(client.get(f"/observers/accreditations/{accreditation.pk}/", **lang(language)).content.decode())
    assert expected in listing
    assert expected in detail
    assert "06.03.2027" not in listing + detail


TEMPLATE_DIRS = [Path(settings.BASE_DIR, "templates"), *Path(settings.BASE_DIR).glob("*/templates")]


def test_no_template_writes_a_date_format_of_its_own():
    """Pages use the shared formats (DATE_FORMAT, DATETIME_FORMAT...), never "d.m.Y"; a form's hidden ISO value
    (``Y-m-d``) is machine input, not a date for people."""
    own = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            for fmt in re.findall(r"\|date:[\"']([^\"']+)[\"']", path.read_text()):
                if not re.fullmatch(r"[A-Z_]+_FORMAT", fmt) and fmt != "Y-m-d":
                    own.append(f"{path.relative_to(settings.BASE_DIR)}: {fmt}")
    assert own == []


# --------------------------------------------------------------------------- 4. the right words


def _credential(country):
    return credentials.credential_issue(
        subject=country.precincts["A1-1"],
        kind=Credential.Kind.OBSERVER_BADGE,
        holder_name="Karimova Dilnoza Anvarovna",
        organisation="Ochiq jamiyat",
        scope_text="1",
        election=country.election,
        photo=None,
        valid_until=timezone.localdate() + timedelta(days=30),
        actor=country.users["cec"],
    )


@pytest.mark.parametrize(
    ("language", "label", "wrong"),
    [("ru", "Срок действия", "Корректных"), ("uz", "Amal qilish muddati", "Toʻgʻri"), ("uz-cyrl", "Амал қилиш муддати", "Тўғри")],
)
def test_the_verification_page_labels_the_validity_period(named, language, label, wrong):
    cred = _credential(named)
    body = Client().get(reverse("core:credential_verify", args=[cred.token]), **lang(language)).content.decode()
    assert f"<dt>{label}</dt>" in body
    assert wrong not in body


def test_a_valid_signature_count_is_still_a_count_in_russian():
    with translation.override("ru"):
        assert translation.gettext("Valid") == "Корректных"


@pytest.mark.parametrize(
    ("language", "label", "wrong"), [("ru", "ФИО", "Название"), ("uz", "F.I.Sh.", "Nomi"), ("uz-cyrl", "Ф.И.Ш.", "Номи")]
)
def test_a_persons_name_is_not_labelled_as_the_name_of_a_thing(named, clients, language, label, wrong):
    pages = [
        clients["district"].get(f"/voters/lists/{named.precincts['A1-1'].pk}/", **lang(language)),
        clients["district"].get("/voters/?q=Karimov", **lang(language)),
    ]
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        assert f"<th>{label}</th>" in body
        assert f"<th>{wrong}</th>" not in body


def test_a_constituency_name_is_still_the_name_of_a_thing(named, clients):
    body = clients["cec"].get(f"/elections/{named.election.pk}/", **lang("ru")).content.decode()
    assert "<th>Название</th>" in body
