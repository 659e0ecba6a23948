"""The navigation in a browser: CEC staff, whose menu is the longest, in Russian (the longest labels), at
1280×800 and on a 390×844 phone. Nothing scrolls sideways. On the phone the menu folds behind its button.
A task group opens to its links and Escape closes it. The skip link is the first stop of the keyboard."""

from pathlib import Path

from accounts.roles import Role
from tests import factories as f
from tests.e2e.helpers import log_in_official

SHOTS = Path("/tmp/e2e-navigation")
PAGES = ["/dashboard/", "/voters/", "/voters/counts/", "/results/", "/elections/"]


WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)
  .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_menu_fits_a_laptop_and_a_phone_and_folds_on_the_phone(page, live_server, transactional_db):
    SHOTS.mkdir(parents=True, exist_ok=True)
    region = f.RegionFactory(code="26", name_uz="Toshkent shahri", name_ru="город Ташкент")
    f.PrecinctFactory(district=f.DistrictFactory(region=region, code="2601", name_uz="Yunusobod tumani"), number=1)
    user = f.UserFactory(username="cec", role=Role.CEC_STAFF)
    log_in_official(page, live_server.url, "cec", f.totp_device(user))
    page.select_option("#lang-select", "ru")
    with page.expect_navigation():
        page.click(".lang-switch button[type=submit]")
    assert page.locator("html").get_attribute("lang") == "ru"

    for path in PAGES:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{live_server.url}{path}")
        assert _width(page) <= 1280, (path, _width(page))
        assert page.locator("#site-nav").is_visible() and not page.locator(".menu-toggle").is_visible()
        page.set_viewport_size({"width": 390, "height": 844})
        assert _width(page) <= 390, (path, _width(page), page.evaluate(WIDE))
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)

    # the phone: the menu is folded; its button opens it, and a group opens to its links
    page.goto(f"{live_server.url}/dashboard/")
    toggle = page.locator(".menu-toggle")
    assert toggle.is_visible() and not page.locator("#site-nav").is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true" and page.locator("#site-nav").is_visible()
    voter_list = page.locator(".nav-group summary").first
    voter_list.click()
    assert page.locator('.nav-group a[href="/voters/counts/"]').is_visible()
    assert _width(page) <= 390
    page.screenshot(path=str(SHOTS / "menu-open-phone.png"), full_page=True)

    # the laptop: one group open at a time, Escape closes it
    page.set_viewport_size({"width": 1280, "height": 800})
    groups = page.locator(".nav-group summary")
    groups.nth(0).click()
    groups.nth(1).click()
    assert page.locator(".nav-group details[open]").count() == 1
    page.screenshot(path=str(SHOTS / "menu-open-desktop.png"))
    page.keyboard.press("Escape")
    assert page.locator(".nav-group details[open]").count() == 0

    # the keyboard's first stop is the skip link, which leads to the page's content
    page.goto(f"{live_server.url}/voters/counts/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
