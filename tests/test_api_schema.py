import pytest


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
