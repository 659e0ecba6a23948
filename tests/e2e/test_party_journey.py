"""Journey: a party representative nominates a candidate, uploads the documents and a signature file, and
watches the verification finish on the page (real browser, live server, Celery worker and broker)."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.roles import Role
from candidates import services
from candidates.models import REQUIRED_DOCUMENTS, Nomination, SignatureSheetUpload
from tests import factories as f
from tests.candidates.test_nominations import PDF, PNG
from tests.conftest import start_worker, stop_worker
from tests.e2e.helpers import log_in_with_password
from tests.factories import make_voter


@pytest.fixture
def live_worker(transactional_db):
    proc = start_worker()
    yield proc
    stop_worker(proc)


@pytest.fixture
def country(transactional_db):
    region = f.RegionFactory(code="27", name_uz="Samarqand viloyati")
    district = f.DistrictFactory(region=region, code="2701", name_uz="Samarqand shahri")
    f.MahallaFactory(district=district, code="2701001")
    precinct = f.PrecinctFactory(district=district, number=1)
    cec = f.UserFactory(username="cec", role=Role.CEC_STAFF)
    f.add_member(cec, f.commission_for(level="central"))
    party = services.party_register(actor=cec, registration_number="01", name_uz="Adolat")
    rep = f.UserFactory(username="party", role=Role.PARTY_REP)
    services.party_representative_add(actor=cec, party=party, user=rep)
    election = f.ElectionFactory(
        name_uz="Parlament saylovi",
        election_day=timezone.localdate() + timedelta(days=60),
        rules={"signatures_required": 3, "signature_sample_size": 2, "signature_max_invalid_share": 0.3},
    )
    constituency = f.ConstituencyFactory(election=election, number=7, name_uz="7-okrug")
    constituency.precincts.set([precinct])
    candidate = make_voter(precinct, surname="Rahimov", given_name="Anvar", birth_date=date(1970, 3, 4))
    signers = [
        make_voter(precinct, surname=s, given_name=g, birth_date=b)
        for s, g, b in (
            ("Karimov", "Jasur", date(1985, 1, 2)),
            ("Qodirova", "Dilnoza", date(1990, 6, 7)),
            ("Toshmatov", "Sardor", date(1979, 11, 30)),
            ("Yusupov", "Olim", date(1988, 8, 8)),
        )
    ]
    return {"party": party, "election": election, "constituency": constituency, "candidate": candidate, "signers": signers}


def _signature_file(path, signers) -> None:
    signed = (timezone.localdate() - timedelta(days=2)).isoformat()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "pinfl",
                "surname",
                "given_name",
                "patronymic",
                "birth_date",
                "address",
                "date_signed",
                "sheet_number",
                "collector",
                "online",
            ]
        )
        for i, v in enumerate(signers):
            surname = "Boshqa" if i == len(signers) - 1 else v.surname  # the last row does not match the list
            writer.writerow(
                [
                    v.pinfl,
                    surname,
                    v.given_name,
                    v.patronymic,
                    v.birth_date.isoformat(),
                    "Registon 1",
                    signed,
                    "1",
                    "Collector A",
                    "no",
                ]
            )


def test_party_nominates_uploads_and_sees_the_verification(page, live_server, live_worker, country, tmp_path):
    base = live_server.url
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])
    log_in_with_password(page, base, "party", next_url=f"/parties/{country['party'].pk}/nominations/")
    assert page.url.endswith(f"/parties/{country['party'].pk}/nominations/"), page.locator("main").inner_text()

    # nominate
    page.select_option("select[name=election]", str(country["election"].pk))
    page.select_option("select[name=constituency]", str(country["constituency"].pk))
    page.fill("input[name=pinfl]", country["candidate"].pinfl)
    page.fill("input[name=surname]", country["candidate"].surname)
    page.fill("input[name=given_name]", country["candidate"].given_name)
    with page.expect_navigation():
        page.click("form.card.stack button[type=submit]")
    nomination = Nomination.objects.get()
    assert page.url.endswith(f"/nominations/{nomination.pk}/"), page.locator("main").inner_text()
    assert page.locator("[data-status]").get_attribute("data-status") == "draft"
    assert "Missing or to be corrected" in page.locator("#documents").inner_text()

    # the documents, one by one through the form
    for kind in REQUIRED_DOCUMENTS:
        path = tmp_path / (f"{kind}.png" if kind == "photo" else f"{kind}.pdf")
        path.write_bytes(PNG if kind == "photo" else PDF)
        page.select_option("#documents select[name=kind]", kind)
        page.set_input_files("#documents input[name=file]", str(path))
        with page.expect_navigation():
            page.click("#documents button[type=submit]")
    assert "Missing or to be corrected" not in page.locator("#documents").inner_text()
    assert nomination.documents.filter(is_current=True).count() == len(REQUIRED_DOCUMENTS)

    # the signature file
    with page.expect_navigation():
        page.click("#signatures-link")
    sheet = tmp_path / "signatures.csv"
    _signature_file(sheet, country["signers"])
    page.set_input_files("input[name=file]", str(sheet))
    with page.expect_navigation():
        page.click("form.card.stack button[type=submit]")
    upload = SignatureSheetUpload.objects.get()
    assert page.url.endswith(f"/signatures/{upload.pk}/"), page.locator("main").inner_text()

    # htmx polls until the worker has verified every row
    status = None
    for _ in range(120):
        status = page.locator("#signatures-progress").get_attribute("data-status")
        if status in ("done", "rejected"):
            break
        page.wait_for_timeout(500)
    assert status == "done", page.locator("main").inner_text()
    assert page.locator("[data-counter=total]").inner_text() == "4"
    assert page.locator("[data-counter=valid]").inner_text() == "3"
    assert page.locator("[data-counter=invalid]").inner_text() == "1"
    assert page.locator("[data-decision]").get_attribute("data-decision") == "accepted"
    assert page.locator("[data-reason=data_mismatch] td.num").inner_text() == "1"
    assert page.locator("#report-pdf").is_visible()

    # back on the nomination page: the result is shown, and the nomination can be submitted
    page.goto(f"{base}/nominations/{nomination.pk}/")
    latest = page.locator("[data-latest-signatures]")
    assert latest.get_attribute("data-latest-signatures") == "sufficient"
    assert "3 valid of 4" in latest.inner_text()
    with page.expect_navigation():
        page.click("button[name=action][value=submit]")
    with page.expect_navigation():  # the confirmation step: submitting asks no reason
        page.click("button[data-confirm=submit]")
    assert page.locator("[data-status]").get_attribute("data-status") == "submitted"
    nomination.refresh_from_db()
    assert nomination.status == "submitted"
