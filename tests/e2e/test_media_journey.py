"""Journey: an editor adds a journalist and applies for accreditation, a CEC official approves, the editor
downloads the press card, and the public verification page its QR code opens says VALID."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.roles import Role
from media_accreditation import services
from media_accreditation.models import MediaAccreditation
from tests import factories as f
from tests.core.test_credentials import png_bytes
from tests.e2e.helpers import credential_verify_url, log_in_with_password, official_page
from tests.factories import make_voter


@pytest.fixture
def world(transactional_db):
    region = f.RegionFactory(code="26", name_uz="Toshkent shahri")
    district = f.DistrictFactory(region=region, code="2601", name_uz="Yunusobod tumani")
    precinct = f.PrecinctFactory(district=district, number=1)
    election = f.ElectionFactory(name_uz="Demo saylov", election_day=timezone.localdate() + timedelta(days=60))
    cec = f.UserFactory(username="cec", role=Role.CEC_STAFF)
    editor = f.UserFactory(username="editor", role=Role.MEDIA_EDITOR)
    outlet = services.outlet_register(actor=cec, name="Oʻzbekiston 24", kind="tv", certificate_number="0001")
    services.outlet_editor_add(actor=cec, outlet=outlet, user=editor)
    voter = make_voter(precinct, surname="Xolmatov", given_name="Rustam", patronymic="Akmalovich", birth_date=date(1988, 2, 11))
    return {"cec": cec, "device": f.totp_device(cec), "outlet": outlet, "voter": voter, "election": election}


def test_editor_applies_cec_approves_press_card_verifies(page, browser, live_server, world, tmp_path):
    base = live_server.url
    photo = Path(tmp_path) / "rustam.png"
    photo.write_bytes(png_bytes())

    # The editor (password only) adds a journalist checked against the voter list ...
    log_in_with_password(page, base, "editor", next_url=f"/media/outlets/{world['outlet'].pk}/")
    assert page.url == f"{base}/media/outlets/{world['outlet'].pk}/", page.url
    page.select_option("#id_j-is_foreign", "0")
    page.fill("#id_j-pinfl", world["voter"].pinfl)
    page.fill("#id_j-surname", "Xolmatov")
    page.fill("#id_j-given_name", "Rustam")
    page.fill("#id_j-position", "correspondent")
    page.set_input_files("#id_j-photo", str(photo))
    with page.expect_navigation():
        page.click("#journalist-form button[type=submit]")
    assert page.locator("#journalists").get_by_text("Xolmatov Rustam Akmalovich").is_visible()

    # ... and applies for accreditation to all precincts.
    page.select_option("#id_a-journalist", label="Xolmatov Rustam Akmalovich")
    page.select_option("#id_a-election", str(world["election"].pk))
    page.select_option("#id_a-scope", "all_precincts")
    with page.expect_navigation():
        page.click("#apply-form button[type=submit]")
    accreditation = MediaAccreditation.objects.get()
    assert page.url == f"{base}/media/accreditations/{accreditation.pk}/"
    assert page.locator("[data-status]").first.get_attribute("data-status") == "submitted"
    assert page.locator("#press-card-link").count() == 0

    # A CEC official (password, then TOTP) finds it in the queue and accredits.
    cec_context, cec = official_page(browser, base, "cec", world["device"], "/media/review/")
    try:
        with cec.expect_navigation():
            cec.get_by_role("link", name="Xolmatov Rustam Akmalovich").click()
        with cec.expect_navigation():
            cec.click("button[value=approve]")
        cec.fill("textarea[name=reason]", "Registered outlet, documents complete")
        with cec.expect_navigation():
            cec.click("button[data-confirm=approve]")
        assert cec.locator("[data-status]").first.get_attribute("data-status") == "approved"
    finally:
        cec_context.close()

    # The editor downloads the press card; its QR code opens the public page, which says VALID.
    page.reload()
    assert page.locator("[data-status]").first.get_attribute("data-status") == "approved"
    url = credential_verify_url(page, base, "#press-card-link")
    public = browser.new_context(locale="uz")  # no login
    try:
        visitor = public.new_page()
        visitor.goto(url)
        assert visitor.locator("#verdict").get_attribute("data-status") == "valid"
        assert visitor.locator("#holder").inner_text().strip() == "Xolmatov Rustam Akmalovich"
        assert world["voter"].pinfl not in visitor.content()
    finally:
        public.close()
