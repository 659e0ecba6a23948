"""District exports as tasks with progress; imports and lookups through the API; the schema lists them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_voter
from tests.openapi import assert_matches_schema
from tests.voters.test_import import csv_bytes, person
from voters import services
from voters.models import ExportJob, ImportJob

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["csv", "pdf"])
def test_district_export_runs_as_a_task_and_downloads(
    country, clients, fmt, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    make_voter(country.precincts["A1-1"], surname="Каримов")
    make_voter(country.precincts["A1-2"], surname="Aliyev")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = clients["district"].post(f"/voters/districts/{country.districts['A1'].pk}/export/", {"format": fmt})
    assert response.status_code == 302 and len(queued) == 1  # the task is queued after commit
    job = ExportJob.objects.get()
    assert clients["district"].get(response["Location"]).status_code == 200
    services.export_run(job_id=job.pk)  # what the worker does
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 2, 2) if fmt == "pdf" else job.status == "done"
    partial = clients["district"].get(response["Location"], HTTP_HX_REQUEST="true")
    assert b"download" in partial.content.lower()
    download = clients["district"].get(f"/voters/exports/{job.pk}/download/")
    body = b"".join(download.streaming_content)
    assert body.startswith(b"%PDF") if fmt == "pdf" else "Каримов" in body.decode("utf-8-sig")
    # nobody else may read it, and another district cannot be exported
    assert clients["precinct"].get(f"/voters/exports/{job.pk}/download/").status_code == 404
    assert clients["district"].post(f"/voters/districts/{country.districts['B1'].pk}/export/", {"format": fmt}).status_code == 404


def test_import_through_the_api(country, clients):
    rows = [person(70, country), person(71, country, sex="X")]
    # messages of the job are written in the uploader's language
    response = clients["cec"].post(
        "/api/v1/imports/", {"file": SimpleUploadedFile("r.csv", csv_bytes(rows))}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 201, response.content
    job_id = response.json()["id"]
    services.voter_import_run(job_id=job_id)
    data = clients["cec"].get(f"/api/v1/imports/{job_id}/").json()
    assert (data["status"], data["inserted"], data["rows_invalid"], data["progress"]) == ("done", 1, 1, 1.0)
    errors = clients["cec"].get(f"/api/v1/imports/{job_id}/errors/").json()["results"]
    assert errors == [{"row": 3, "field": "sex", "code": "invalid", "message": "Use M or F.", "value": "X"}]
    assert ImportJob.objects.count() == 1


def test_api_import_refuses_a_missing_file_in_the_one_error_shape(clients):
    response = clients["cec"].post("/api/v1/imports/", {})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "file" in response.json()["errors"]


def test_voter_history_is_the_plain_list_the_schema_documents(country, clients):
    """Not paginated and not filtered by the voter list's filters (found by fuzzing the API)."""
    voter = make_voter(country.precincts["A1-1"])
    services.voter_update(
        actor=country.users["cec"], voter=voter, data={"house": "9"}, expected_version=1, reason="house number corrected"
    )
    response = clients["cec"].get(f"/api/v1/voters/{voter.pk}/history/", {"status": "deceased"})
    assert response.status_code == 200  # an active voter: a voter-list filter would have made this a 404
    [change] = response.json()
    assert change["changes"]["house"][1] == "9" and change["reason"] == "house number corrected"
    assert_matches_schema(clients["cec"], response, "/api/v1/voters/{id}/history/")
    documented = clients["cec"].get("/api/schema/", HTTP_ACCEPT="application/json").json()
    params = documented["paths"]["/api/v1/voters/{id}/history/"]["get"].get("parameters", [])
    assert [p["name"] for p in params] == ["id"]


def test_schema_lists_voter_endpoints(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in [
        "/api/v1/voters/",
        "/api/v1/voters/{id}/history/",
        "/api/v1/imports/",
        "/api/v1/imports/{id}/errors/",
        "/api/v1/duplicates/{id}/confirm/",
        "/api/v1/location-requests/{id}/decide/",
        "/api/v1/public/lookup/",
        "/api/v1/public/location-requests/",
    ]:
        assert path in paths, path
