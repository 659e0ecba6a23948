"""Journey: an official logs in (password, then TOTP), sees the dashboard, switches to Russian.

And the other side of the door: a party representative may not open the dashboard.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from accounts.roles import Role
from tests import factories as f
from tests.e2e.helpers import enter_totp, log_in_official, log_in_with_password

SCREENSHOT = Path("/tmp/e2e-dashboard-ru.png")
RU_CATALOGUE = Path(settings.BASE_DIR) / "locale" / "ru" / "LC_MESSAGES" / "django.mo"


@pytest.fixture
def geography(transactional_db):
    region = f.RegionFactory(code="26", name_uz="Toshkent shahri", name_ru="город Ташкент")
    district = f.DistrictFactory(region=region, code="2601", name_uz="Yunusobod tumani", name_ru="Юнусабадский район")
    f.PrecinctFactory(district=district, number=1)
    f.PrecinctFactory(district=district, number=2)
    return region


def test_official_logs_in_with_totp_and_reads_dashboard_in_russian(page, live_server, transactional_db, geography):
    user = f.UserFactory(username="cec", role=Role.CEC_STAFF)
    device = f.totp_device(user)

    # Step 1: password.  An official is sent on to the one-time-code step.
    # (?next=/dashboard/ as when following a link to the dashboard: see
    # test_plain_login_lands_official_on_dashboard for the login without it.)
    log_in_with_password(page, live_server.url, "cec", next_url="/dashboard/")
    assert re.search(r"/accounts/2fa/(\?|$)", page.url), page.url
    assert page.locator("input[name=token]").is_visible()

    # Step 2: TOTP code -> the dashboard, in the default language (Uzbek, Latin).
    enter_totp(page, device)
    assert page.url == f"{live_server.url}/dashboard/"
    assert page.locator("html").get_attribute("lang") == "uz"
    regions_table = page.locator("table")
    assert regions_table.get_by_role("link", name="Toshkent shahri").is_visible()
    assert page.locator("[data-count=regions]").inner_text().strip() == "1"
    assert page.locator("[data-count=precincts]").inner_text().strip() == "2"

    # The stylesheet came from the live server (static files are served).
    assert page.evaluate("() => document.styleSheets.length && document.styleSheets[0].cssRules.length") > 0

    # Switch the language with the header's <select> and its button (POST /i18n/setlang/), which
    # redirects back to the dashboard.
    page.select_option("#lang-select", "ru")
    with page.expect_navigation():
        page.click(".lang-switch button[type=submit]")
    assert page.url == f"{live_server.url}/dashboard/"
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("#lang-select").input_value() == "ru"
    assert regions_table.get_by_role("link", name="город Ташкент").is_visible()
    assert page.get_by_text("Toshkent shahri").count() == 0

    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # Interface strings come from the compiled Russian catalogue.
    assert RU_CATALOGUE.exists()
    assert page.locator("h1").inner_text().strip() == "Мои задачи"
    assert "Мои задачи" in page.title()


def test_plain_login_lands_official_on_dashboard(page, live_server, transactional_db, geography):
    user = f.UserFactory(username="cec", role=Role.CEC_STAFF)
    device = f.totp_device(user)
    log_in_official(page, live_server.url, "cec", device)  # no ?next=: lands on the dashboard


def test_party_representative_gets_403_on_dashboard(page, live_server, transactional_db, geography):
    f.UserFactory(username="party", role=Role.PARTY_REP)

    # Not an official: no TOTP step, the password alone logs in.
    log_in_with_password(page, live_server.url, "party")
    assert "/accounts/2fa/" not in page.url
    assert "/accounts/login/" not in page.url, "login failed: " + page.locator("main").inner_text()

    # Read the refusal in English, whatever Uzbek catalogue exists by now.
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    response = page.goto(f"{live_server.url}/dashboard/")
    assert response is not None
    assert response.status == 403
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text().strip() == "Access denied"
    assert page.get_by_text("Access denied").first.is_visible()
    assert page.get_by_text("Toshkent shahri").count() == 0
