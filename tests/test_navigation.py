"""The navigation (``esaylov.navigation``): task groups for officials, each link shown only to those its
page lets in, a skip link, a language switch that waits for its button, and each role's own landing."""

import re

import pytest
from django.urls import reverse

from esaylov import navigation
from tests import conftest, factories

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _nav(body: str) -> str:
    return body[body.index('id="site-nav"') : body.index("</nav>")]


def _links(body: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', _nav(body))


def _groups(body: str) -> list[str]:
    return [g.strip() for g in re.findall(r"<summary>([^<]+)</summary>", _nav(body))]


@pytest.mark.parametrize("role", conftest.ROLES)
def test_every_link_a_role_is_shown_opens_for_it(clients, role):
    links = _links(clients[role].get("/", **EN).content.decode())
    assert links
    for url in links:  # it opens, or sends on to a page of the role's own (an observer yet to register)
        response = clients[role].get(url, follow=True, **EN)
        assert response.status_code == 200, (role, url, response.status_code)
        assert not response.redirect_chain or "/accounts/login/" not in response.redirect_chain[-1][0], (role, url)


def test_every_link_of_the_menu_is_shown_to_someone(clients):
    shown = set()
    for role in conftest.ROLES:
        shown |= set(_links(clients[role].get("/", **EN).content.decode()))
    configured = [name for _group, names in navigation.OFFICIAL_GROUPS for name, _label in names]
    configured += [name for names in navigation.ROLE_LINKS.values() for name, _label in names]
    configured += [name for name, _label in [*navigation.PUBLIC_LINKS, *navigation.COMMON_LINKS]] + ["dashboard"]
    assert {reverse(name) for name in configured} <= shown


def test_a_precinct_commission_is_not_offered_what_it_may_not_open(clients):
    precinct = _links(clients["precinct"].get("/", **EN).content.decode())
    district = _links(clients["district"].get("/", **EN).content.decode())
    cec = _links(clients["cec"].get("/", **EN).content.decode())
    assert "/voters/assignment/" not in precinct
    assert clients["precinct"].get("/voters/assignment/").status_code == 403  # the page's rule, the menu's too
    assert "/voters/assignment/" in district and "/voters/imports/" not in district
    assert "/voters/imports/" in cec


def test_officials_see_their_tasks_grouped_and_others_a_short_list(clients):
    groups = _groups(clients["cec"].get("/", **EN).content.decode())
    assert groups == ["Voter list", "Elections", "Candidates", "Accreditation", "Election day", "Administration"]
    for role in ("party", "observer", "journalist", "anon"):
        assert _groups(clients[role].get("/", **EN).content.decode()) == []
    assert "/admin/" in _links(clients["admin"].get("/", **EN).content.decode())
    assert "/admin/" not in _links(clients["district"].get("/", **EN).content.decode())


def test_the_current_page_and_its_group_are_marked(clients):
    body = clients["district"].get("/voters/counts/", **EN).content.decode()
    nav = _nav(body)
    assert nav.count('aria-current="page"') == 1
    assert '<a href="/voters/counts/" aria-current="page">' in nav
    current = re.findall(r'<details class="current">\s*<summary>([^<]+)</summary>', nav)
    assert current == ["Voter list"]


def test_a_skip_link_leads_to_the_main_content_and_the_language_waits_for_its_button(clients):
    body = clients["anon"].get("/", **EN).content.decode()
    assert body.index('class="skip-link" href="#main"') < body.index('id="site-nav"')
    assert '<main id="main"' in body
    form = body[body.index('class="lang-switch"') : body.index("</form>", body.index('class="lang-switch"'))]
    assert 'type="submit"' in form and "submit-on-change" not in body


@pytest.mark.parametrize(
    ("role", "lands"),
    [
        ("anon", "/"),
        ("cec", "/dashboard/"),
        ("precinct", "/dashboard/"),
        ("party", "/parties/"),
        ("coordinator", "/observers/organizations/"),
        ("observer", "/observers/me/"),
        ("editor", "/media/outlets/"),
        ("journalist", "/media/my/"),
    ],
)
def test_each_role_lands_on_its_own_page_after_signing_in(clients, role, lands):
    response = clients[role].get(reverse("landing"))
    assert response.status_code == 302 and response["Location"] == lands
    assert clients[role].get(lands, follow=True).status_code == 200


def _crumbs(body: str) -> list[str]:
    if 'class="breadcrumbs"' not in body:
        return []
    trail = body[body.index('class="breadcrumbs"') : body.index("</nav>", body.index('class="breadcrumbs"'))]
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", trail, re.S)]


def test_pages_below_the_start_show_where_they_sit(clients, country):
    district = clients["district"]
    assert _crumbs(district.get("/dashboard/", **EN).content.decode()) == []  # the start page itself
    assert _crumbs(district.get("/voters/counts/", **EN).content.decode()) == ["My work", "Voter list", "Counts"]
    searched = district.get("/voters/?q=Aliyev", **EN).content.decode()
    assert _crumbs(searched) == ["My work", "Voter list", "Search voters"]
    assert '<span aria-current="page">Search voters</span>' in searched
    body = district.get(f"/geography/regions/{country.regions['A'].pk}/", **EN).content.decode()
    assert _crumbs(body) == ["My work", "Elections", "Geography and commissions"]
    assert '<a href="/geography/">Geography and commissions</a>' in body  # the menu's page, linked from below it
    assert _crumbs(clients["anon"].get("/check/", **EN).content.decode()) == ["Home", "Check my registration"]
    assert _crumbs(clients["anon"].get("/", **EN).content.decode()) == []


def test_pages_the_menu_does_not_lead_to_sit_under_their_menu_page(clients, country):
    voter = factories.VoterFactory(precinct=country.precincts["A1-1"])
    cec = clients["cec"]
    status = cec.get(f"/voters/{voter.pk}/status/", **EN).content.decode()
    # the menu's page, then the voter's own page between it and this one
    assert _crumbs(status) == ["My work", "Voter list", "Search voters", "Voter"]
    assert '<a href="/voters/">Search voters</a>' in status and f'<a href="/voters/{voter.pk}/">Voter</a>' in status
    # and the menu marks the task the page belongs to
    assert re.search(r'<a href="/voters/" aria-current="page">', _nav(status))
    detail = cec.get(f"/geography/precincts/{country.precincts['A1-1'].pk}/", **EN).content.decode()
    assert _crumbs(detail) == ["My work", "Elections", "Geography and commissions"]
    # a page under no menu page of the user still leads back to the start
    assert _crumbs(cec.get("/check/", **EN).content.decode()) == ["My work"]
    assert _crumbs(clients["observer"].get("/check/", **EN).content.decode()) == ["Home"]
