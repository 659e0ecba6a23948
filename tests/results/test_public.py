"""Public results: open data, the Atom feed, the drill-down by area, and nothing unpublished anywhere."""

import csv
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from results import public, services
from tests.conftest import verified_client
from tests.pages import EN
from tests.results.conftest import figures
from tests.results.test_protocol_pdf import scan_png

pytestmark = pytest.mark.django_db


def accept(contest):
    for member in contest["members"]:
        services.protocol_entry_submit(
            actor=member, constituency=contest["constituency"], precinct=contest["precinct"], figures=figures(contest)
        )
    return contest["constituency"].protocols.get()


def publish(country, protocol, capture):
    services.protocol_transition(actor=country.users["district"], protocol=protocol, name="verify")
    services.protocol_transition(actor=country.users["cec"], protocol=protocol, name="certify")
    with capture(execute=True):
        services.protocol_transition(actor=country.users["cec"], protocol=protocol, name="publish")


def public_urls(election, country):
    base = f"/public/elections/{election.pk}/"
    return {
        "page": base + "results/",
        "region": base + f"results/?region={country.regions['A'].pk}",
        "district": base + f"results/?district={country.districts['A1'].pk}",
        "precinct": base + f"results/?precinct={country.precincts['A1-1'].pk}",
        "csv": base + "results.csv",
        "json": base + "results.json",
        "atom": base + "results.atom",
        "api": f"/api/v1/public/elections/{election.pk}/results/",
    }


def body(response) -> str:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_nothing_unpublished_is_public(clients, country, contest, django_capture_on_commit_callbacks):
    protocol = accept(contest)
    services.protocol_transition(actor=country.users["district"], protocol=protocol, name="verify")
    services.protocol_transition(actor=country.users["cec"], protocol=protocol, name="certify")
    checksum = protocol.current.checksum
    for name, url in public_urls(contest["election"], country).items():
        response = clients["anon"].get(url)
        assert response.status_code == 200, name
        text = body(response)
        assert checksum not in text, name
        assert ">9<" not in text and '"votes": 9' not in text and ",9," not in text, name
    assert "0 of 1 precinct protocols published" in body(
        clients["anon"].get(public_urls(contest["election"], country)["precinct"])
    )


def test_published_protocol_in_every_public_form(clients, country, contest, django_capture_on_commit_callbacks):
    urls = public_urls(contest["election"], country)
    assert "0 of 3" in body(clients["anon"].get(urls["page"]))  # cached before publication
    protocol = accept(contest)
    publish(country, protocol, django_capture_on_commit_callbacks)
    assert "1 of 3 precinct protocols published" in body(clients["anon"].get(urls["page"]))  # the cache went stale
    rows = list(csv.DictReader(io.StringIO(body(clients["anon"].get(urls["csv"])).lstrip("\ufeff"))))
    assert len(rows) == 1 and rows[0]["valid"] == "14" and rows[0]["checksum"] == protocol.current.checksum
    assert rows[0][next(k for k in rows[0] if k.startswith("Nomzod0"))] == "9"
    data = clients["anon"].get(urls["json"])
    assert data["Content-Type"] == "application/json"
    assert '"found_in_boxes": 15' in body(data)
    atom = body(clients["anon"].get(urls["atom"]))
    assert "<feed" in atom and atom.count("<entry>") == 1
    district = body(clients["anon"].get(urls["district"]))
    assert "1 of 2 precinct protocols published" in district
    assert f"?precinct={country.precincts['A1-2'].pk}" in district  # one level down
    other = body(
        clients["anon"].get(f"/public/elections/{contest['election'].pk}/results/?district={country.districts['B1'].pk}")
    )
    assert "0 of 1 precinct protocols published" in other


def test_unknown_area_is_404(clients, contest):
    assert clients["anon"].get(f"/public/elections/{contest['election'].pk}/results/?district=999999").status_code == 404
    assert clients["anon"].get("/public/elections/999999/results/").status_code == 404


def test_the_signed_scan_is_public_once_published_and_only_the_current_one(
    clients, country, contest, django_capture_on_commit_callbacks
):
    protocol = accept(contest)
    scan = services.protocol_scan_upload(
        actor=contest["members"][0], protocol=protocol, uploaded_file=SimpleUploadedFile("signed.png", scan_png(protocol.current))
    )
    url = f"/public/protocols/{protocol.pk}/scan/"
    precinct_page = public_urls(contest["election"], country)["precinct"]
    assert clients["anon"].get(url).status_code == 404  # entered, not published
    assert url not in body(clients["anon"].get(precinct_page))
    publish(country, protocol, django_capture_on_commit_callbacks)
    response = clients["anon"].get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == scan.file.open("rb").read()
    assert "The signed protocol (scan)" in body(clients["anon"].get(precinct_page))
    assert url not in body(clients["anon"].get(public_urls(contest["election"], country)["page"]))  # precinct pages only
    # a correction makes a new version: the scan signed the old one, so it is no longer shown
    a = f"votes:n{contest['candidates'][0].pk}"
    correction = services.protocol_correction_open(
        actor=country.users["district"],
        protocol=protocol,
        figures=figures(contest, **{a: 8, "invalid": 2, "valid": 13}),
        reason="Recount",
    )
    services.protocol_correction_approve(actor=country.users["cec"], correction=correction)
    assert clients["anon"].get(url).status_code == 404


def test_signed_out_readers_share_one_rendering_with_no_token_in_it(country, contest):
    """The page is rendered once for every signed-out reader (no template renders the second time), holds no
    CSRF token (the same bytes for everyone, marked so for esaylov.pagecache), and its language switcher works
    without one."""
    url = public_urls(contest["election"], country)["page"]
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = first.get(url, **EN), second.get(url, **EN)
    assert page_two.status_code == 200 and page_two.templates == []  # served from the cache
    assert page_one.content == page_two.content
    assert "csrfmiddlewaretoken" not in page_two.content.decode()
    assert page_two.has_header(public.SHARED_PAGE_HEADER)
    switched = second.post("/i18n/setlang/", {"language": "ru", "next": url})
    assert switched.status_code == 302
    assert "Результаты" in second.get(url).content.decode()  # the Russian rendering, cached apart
    # signed in, the page is the reader's own (their name, their menu, their token): rendered for them
    official = verified_client(country.users["district"])
    mine = official.get(url, **EN)
    assert mine.templates != [] and "csrfmiddlewaretoken" in mine.content.decode()
    assert not mine.has_header(public.SHARED_PAGE_HEADER)


def test_a_publication_shows_within_the_version_interval(
    clients, country, contest, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Each worker asks for the results version at most every RESULTS_VERSION_SECONDS: until then a page may be
    the one before the publication, after it the new one."""
    settings.RESULTS_VERSION_SECONDS = 60
    url = public_urls(contest["election"], country)["page"]
    protocol = accept(contest)
    assert "0 of 3 precinct protocols published" in body(clients["anon"].get(url))
    publish(country, protocol, django_capture_on_commit_callbacks)
    assert "0 of 3 precinct protocols published" in body(clients["anon"].get(url))  # within the interval
    later = time.monotonic() + 61
    monkeypatch.setattr(public.time, "monotonic", lambda: later)
    assert "1 of 3 precinct protocols published" in body(clients["anon"].get(url))
