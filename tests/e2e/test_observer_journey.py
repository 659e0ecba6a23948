"""Journey: a citizen registers online as an observer and applies for a precinct, the precinct commission
accredits, the observer downloads the badge, and the page its QR code opens says VALID, then REVOKED once the
commission revokes the accreditation."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.roles import Role
from observers import services
from observers.models import ObserverAccreditation
from tests import factories as f
from tests.core.test_credentials import png_bytes
from tests.e2e.helpers import credential_verify_url, official_page
from tests.factories import make_voter


@pytest.fixture
def world(transactional_db):
    region = f.RegionFactory(code="26", name_uz="Toshkent shahri")
    district = f.DistrictFactory(region=region, code="2601", name_uz="Yunusobod tumani")
    precinct = f.PrecinctFactory(district=district, number=7)
    f.PrecinctFactory(district=district, number=8)
    election = f.ElectionFactory(name_uz="Demo saylov", election_day=timezone.localdate() + timedelta(days=40))
    cec = f.UserFactory(username="cec", role=Role.CEC_STAFF)
    member = f.UserFactory(username="precinct", role=Role.COMMISSION_STAFF)
    f.add_member(member, f.commission_for(level="precinct", precinct=precinct))
    org = services.organization_register(actor=cec, name="Ochiq jamiyat", kind="ngo")
    voter = make_voter(precinct, surname="Nazarov", given_name="Otabek", patronymic="Ilhomovich", birth_date=date(1990, 7, 3))
    return {"org": org, "voter": voter, "election": election, "district": district, "device": f.totp_device(member)}


def test_observer_registers_applies_is_accredited_and_badge_verifies(page, browser, live_server, world, tmp_path):
    base = live_server.url
    photo = Path(tmp_path) / "otabek.png"
    photo.write_bytes(png_bytes())

    # A citizen registers online: identity checked against the voter list, an account is created.
    page.goto(f"{base}/observers/register/")
    page.select_option("#id_organization", str(world["org"].pk))
    page.select_option("#id_is_foreign", "0")
    page.fill("#id_pinfl", world["voter"].pinfl)
    page.fill("#id_surname", "Nazarov")
    page.fill("#id_given_name", "Otabek")
    page.fill("#id_birth_date", "1990-07-03")
    page.set_input_files("#id_photo", str(photo))
    page.fill("#id_username", "otabek")
    page.fill("#id_email", "otabek@example.org")
    page.fill("#id_password", "Kuzatuvchi-2026!")
    with page.expect_navigation():
        page.click("#register-form button[type=submit]")
    assert page.url == f"{base}/observers/me/", page.url

    # ... and applies for precinct No. 7.
    page.select_option("#id_election", str(world["election"].pk))
    page.select_option("#id_district", str(world["district"].pk))
    page.fill("#id_precinct_numbers", "7")
    with page.expect_navigation():
        page.click("#apply-form button[type=submit]")
    accreditation = ObserverAccreditation.objects.get()
    assert page.url == f"{base}/observers/accreditations/{accreditation.pk}/"
    assert page.locator("#status").get_attribute("data-status") == "submitted"
    assert page.locator("#badge-link").count() == 0

    # The precinct commission finds it in its queue and accredits.
    commission_context, commission = official_page(browser, base, "precinct", world["device"], "/observers/queue/")
    with commission.expect_navigation():
        commission.get_by_role("link", name="Nazarov Otabek Ilhomovich").click()
    with commission.expect_navigation():
        commission.click("button[value=approve]")
    # the button asks first: a confirmation with the reason, named after the decision
    assert commission.locator("[data-decision=approve]").is_visible()
    commission.fill("textarea[name=reason]", "Meets the requirements")
    with commission.expect_navigation():
        commission.click("button[data-confirm=approve]")
    assert commission.locator("#status").get_attribute("data-status") == "approved"

    # The observer downloads the badge; its QR code opens the public page, which says VALID.
    page.reload()
    assert page.locator("#status").get_attribute("data-status") == "approved"
    url = credential_verify_url(page, base, "#badge-link")
    public = browser.new_context(locale="uz")  # no login
    try:
        visitor = public.new_page()
        visitor.goto(url)
        assert visitor.locator("#verdict").get_attribute("data-status") == "valid"
        assert visitor.locator("#holder").inner_text().strip() == "Nazarov Otabek Ilhomovich"
        assert world["voter"].pinfl not in visitor.content()
        assert visitor.locator("img.credential-photo").evaluate("img => img.naturalWidth") > 0

        # The commission revokes the accreditation (from its list of accredited observers): the same link says
        # REVOKED at once.
        commission.goto(f"{base}/observers/accredited/")
        with commission.expect_navigation():
            commission.get_by_role("link", name="Nazarov Otabek Ilhomovich").click()
        with commission.expect_navigation():
            commission.click("button[value=revoke]")
        with commission.expect_navigation():  # no reason: refused, with the error summary, nothing changed
            commission.click("button[data-confirm=revoke]")
        assert commission.locator("[data-error-summary]").is_visible()
        commission.fill("textarea[name=reason]", "Campaigned inside the polling station")
        with commission.expect_navigation():
            commission.click("button[data-confirm=revoke]")
        assert commission.locator("#status").get_attribute("data-status") == "revoked"
        visitor.goto(url)
        assert visitor.locator("#verdict").get_attribute("data-status") == "revoked"
    finally:
        public.close()
        commission_context.close()
