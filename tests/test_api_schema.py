import pytest
from django.core.checks import run_checks


@pytest.mark.django_db
def test_openapi_schema_builds_and_lists_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "E-saylov API"
    for path in ["/api/v1/regions/", "/api/v1/precincts/{id}/", "/api/v1/elections/", "/api/v1/me/"]:
        assert path in schema["paths"]


@pytest.mark.django_db
def test_api_docs_page_uses_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in body
    assert "cdn" not in body.lower()


@pytest.mark.django_db
def test_schema_generation_raises_no_warnings():
    """drf-spectacular reports ambiguous components (e.g. two enums of one name) as system checks."""

    messages = [m for m in run_checks(include_deployment_checks=True) if m.id.startswith("drf_spectacular")]
    assert messages == []


@pytest.mark.django_db
def test_workflow_actions_have_their_own_enums(client):
    schemas = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    assert set(schemas["NominationActionEnum"]["enum"]) == {"submit", "withdraw", "start_review", "return", "approve", "reject"}
    assert set(schemas["ObjectionActionEnum"]["enum"]) == {"withdraw", "start_review", "uphold", "dismiss"}
    assert "revoke" in schemas["AccreditationActionEnum"]["enum"]
