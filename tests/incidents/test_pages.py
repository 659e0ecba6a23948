"""Allow and deny per role on every incidents page without a row in its address (the pages with one are tested
beside their rules, tests/incidents/test_incidents.py), the navigation each role sees, and the API in the schema."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from incidents.models import Incident, IncidentPhoto
from tests.conftest import OFFICIALS, ROLES
from tests.observers.helpers import EN, apply, build
from tests.roles import page_expect

pytestmark = pytest.mark.django_db

# page -> roles that get 200 (others: 403; anonymous visitors: redirect to the login)
PAGES = {
    "incidents:incident_new": {"observer", "journalist"},
    "incidents:my_incidents": {"observer", "journalist"},
    "incidents:incident_inbox": OFFICIALS,
    "incidents:incident_overview": OFFICIALS,
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
    assert response.status_code == page_expect(role, PAGES[name])
    if role == "anon":
        assert "/accounts/login/" in response["Location"]


def test_the_addresses_stayed_where_they_were():
    """The pages moved from the observers app without changing their addresses."""
    assert [
        reverse(name)
        for name in (
            "incidents:incident_new",
            "incidents:my_incidents",
            "incidents:incident_inbox",
            "incidents:incident_overview",
        )
    ] == ["/incidents/new/", "/incidents/mine/", "/incidents/", "/incidents/overview/"]
    assert reverse("incidents:incident_detail", args=[7]) == "/incidents/7/"
    assert reverse("incidents:incident_photo", args=[7, 3]) == "/incidents/7/photos/3/"


@pytest.mark.parametrize(
    "role,links",
    [
        ("observer", ["/incidents/mine/"]),
        ("journalist", ["/incidents/mine/"]),
        ("precinct", ["/incidents/"]),
        ("cec", ["/incidents/"]),
    ],
)
def test_navigation_per_role(clients, setup, role, links):
    body = clients[role].get("/", **EN).content.decode()
    nav = body[body.index('class="main-nav"') : body.index("</nav>")]
    for link in links:
        assert f'href="{link}"' in nav
    if role in ("observer", "journalist"):
        assert 'href="/incidents/"' not in nav


def test_openapi_schema_lists_the_incident_endpoints(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in (
        "/api/v1/incidents/",
        "/api/v1/incidents/{id}/",
        "/api/v1/incidents/{id}/answer/",
        "/api/v1/incidents/{id}/close/",
    ):
        assert path in paths


def test_the_tables_and_content_types_moved_with_the_models():
    """The observers app's tables hold the rows still (incidents/migrations/0001_initial.py takes them over in the
    state only); the content types, and with them the permissions, are the incidents app's."""
    assert (Incident._meta.db_table, IncidentPhoto._meta.db_table) == ("observers_incident", "observers_incidentphoto")
    assert {ct.app_label for ct in ContentType.objects.get_for_models(Incident, IncidentPhoto).values()} == {"incidents"}
    assert not ContentType.objects.filter(app_label="observers", model__in=["incident", "incidentphoto"]).exists()
