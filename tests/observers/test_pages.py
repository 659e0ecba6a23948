"""Allow and deny per role on every observers page without a row in its address (the pages with one are
tested beside their rules), and the navigation each role sees."""

import pytest
from django.urls import reverse

from tests.conftest import OFFICIALS, ROLES
from tests.observers.helpers import EN, apply, build

pytestmark = pytest.mark.django_db

# page -> roles that get 200 (others: 403; anonymous visitors: redirect to the login)
PAGES = {
    "observers:my_accreditations": {"observer"},
    "observers:organization_list": {"admin", "cec", "coordinator"},
    "observers:queue": OFFICIALS,
    "observers:accredited": OFFICIALS,
}


@pytest.fixture
def setup(country):
    s = build(country)
    apply(country, s)
    return s


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_page_per_role(clients, setup, name, role):
    response = clients[role].get(reverse(name), **EN)
    if role == "anon":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (200 if role in PAGES[name] else 403)


@pytest.mark.parametrize("role", ROLES)
def test_queue_shows_the_application_only_to_its_commissions(clients, setup, role):
    body = clients[role].get(reverse("observers:queue"), **EN).content.decode()
    assert ("Karimova" in body) == (role in ("admin", "cec", "region", "district", "precinct"))


@pytest.mark.parametrize(
    "role,links",
    [
        ("anon", ["/observers/register/"]),
        ("observer", ["/observers/me/"]),
        ("coordinator", ["/observers/organizations/"]),
        ("journalist", []),
        ("precinct", ["/observers/queue/", "/observers/accredited/"]),
        ("cec", ["/observers/queue/", "/observers/organizations/"]),
    ],
)
def test_navigation_per_role(clients, setup, role, links):
    body = clients[role].get("/", **EN).content.decode()
    nav = body[body.index('class="main-nav"') : body.index("</nav>")]
    for link in links:
        assert f'href="{link}"' in nav
    if role in ("observer", "journalist", "anon", "coordinator"):
        assert 'href="/observers/queue/"' not in nav


def test_openapi_schema_lists_the_observer_endpoints(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/observer-organizations/",
        "/api/v1/observers/",
        "/api/v1/observer-accreditations/",
        "/api/v1/observer-accreditations/{id}/transition/",
    ):
        assert path in paths
