"""The schema documents the API's error answers, in the one error shape (core.api.schema): a client reads
what a 400, 401, 403, 404 or 429 carries from the schema, and the answers match it."""

import pytest
from django.test import Client

from tests.factories import make_voter
from tests.openapi import assert_matches_schema

pytestmark = pytest.mark.django_db


def test_errors_match_what_the_schema_documents(country, clients):
    far = make_voter(country.precincts["B2-2"])
    invalid = Client().post("/api/v1/public/location-requests/", {"pinfl": "12"}, content_type="application/json")
    assert invalid.status_code == 400 and "pinfl" in invalid.json()["errors"]
    assert_matches_schema(Client(), invalid, "/api/v1/public/location-requests/", "post")
    out_of_scope = clients["district"].get(f"/api/v1/voters/{far.pk}/")
    assert out_of_scope.status_code == 404
    assert_matches_schema(Client(), out_of_scope, "/api/v1/voters/{id}/", "get")
    wrong_role = clients["party"].get("/api/v1/voters/")
    assert wrong_role.status_code == 403
    assert_matches_schema(Client(), wrong_role, "/api/v1/voters/", "get")
    anonymous = Client().get("/api/v1/voters/")
    assert anonymous.status_code in (401, 403)
    assert_matches_schema(Client(), anonymous, "/api/v1/voters/", "get")


def test_public_operations_document_no_login_errors(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    public = schema["paths"]["/api/v1/public/lookup/"]["post"]["responses"]
    assert {"400", "429"} <= public.keys() and not {"401", "403"} & public.keys()
    assert schema["components"]["schemas"]["Error"]["required"] == ["status", "code", "detail"]
