"""Signatures API and the PDF report: upload, progress, result, CSV/PDF, scoped exactly like the pages."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from candidates.models import Signature, SignatureSheetUpload
from candidates.signatures import signatures_verify
from tests.candidates.helpers import rival_party_rep, set_rules
from tests.candidates.test_nominations import _nominate, setup  # noqa: F401 - the fixture
from tests.candidates.test_signatures import row, sheet, signers, verify  # noqa: F401 - fixtures
from tests.conftest import ROLES, verified_client

pytestmark = pytest.mark.django_db

#: Roles that see the own party's nomination in constituency 1 (precincts A1-1, A1-2): the party and the
#: commissions that register it (not precinct A1-1's).
SEES = {"admin", "cec", "party", "region", "district"}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def done(country, setup, signers, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    set_rules(setup["election"], signatures_required=2, signature_sample_size=2, signature_max_invalid_share=0.6)
    n = _nominate(country, setup)
    # rows 3 (data mismatch) and 5 (signed twice) are invalid
    upload = verify(
        country,
        n,
        [
            row(signers[0]),
            row(signers[1], surname="Boshqa"),
            row(signers[2]),
            row(signers[0], sheet_number="2", collector="Collector B"),
        ],
    )
    return n, upload


def test_upload_through_the_api(country, setup, signers, django_capture_on_commit_callbacks, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    n = _nominate(country, setup)
    client = verified_client(country.users["party"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post("/api/v1/signature-uploads/", {"nomination": n.pk, "file": sheet([row(signers[0])])})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued" and body["total"] == 1 and body["sufficient"] is None and len(callbacks) == 1
    assert client.get(f"/api/v1/signature-uploads/{body['id']}/result/").status_code == 409
    signatures_verify(upload_id=body["id"])
    status = client.get(f"/api/v1/signature-uploads/{body['id']}/").json()
    assert status["status"] == "done" and status["valid"] == 1 and status["sufficient"] is False


@pytest.mark.parametrize(
    "kind,field,says",
    [
        ("formula", "non_field_errors", "Row 2 holds a spreadsheet formula"),
        ("header", "non_field_errors", "missing columns"),
        ("empty", "file", "empty"),
        ("scans", "scans", "is not PDF"),
    ],
)
def test_api_bad_file_is_refused_with_nothing_stored(
    country,
    setup,  # noqa: F811
    signers,  # noqa: F811
    kind,
    field,
    says,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    n = _nominate(country, setup)
    if kind == "formula":
        f = sheet([row(signers[0], collector="=1+2")])
    elif kind == "header":
        f = sheet([row(signers[0])], columns=("pinfl", "name"))
    elif kind == "scans":
        f = sheet([row(signers[0])])
    else:
        f = SimpleUploadedFile("s.csv", b"")
    data = {"nomination": n.pk, "file": f}
    if kind == "scans":
        data["scans"] = SimpleUploadedFile("scans.pdf", b"<html>not a scan</html>")
    response = verified_client(country.users["party"]).post("/api/v1/signature-uploads/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert says in response.json()["errors"][field][0]
    assert not SignatureSheetUpload.objects.exists()


def test_another_party_cannot_upload_through_the_api(country, setup, signers, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    n = _nominate(country, setup)
    rival, _ = rival_party_rep(country, setup)
    response = verified_client(rival).post("/api/v1/signature-uploads/", {"nomination": n.pk, "file": sheet([row(signers[0])])})
    assert response.status_code == 404
    official = verified_client(country.users["district"]).post(
        "/api/v1/signature-uploads/", {"nomination": n.pk, "file": sheet([row(signers[0])])}
    )
    assert official.status_code == 403  # sees the nomination, may not act for the party
    assert not SignatureSheetUpload.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_api_reads_per_role(clients, country, setup, done, role):  # noqa: F811
    n, upload = done
    client = clients[role]
    urls = [
        f"/api/v1/signature-uploads/{upload.pk}/",
        f"/api/v1/signature-uploads/{upload.pk}/result/",
        f"/api/v1/signature-uploads/{upload.pk}/report.csv/",
        f"/api/v1/signature-uploads/{upload.pk}/report.pdf/",
    ]
    codes = [client.get(u).status_code for u in urls]
    if role == "anon":
        assert codes == [403] * 4
    elif role in SEES:
        assert codes == [200] * 4
        result = client.get(urls[1]).json()
        assert result["totals"]["valid"] == 2 and result["by_reason"]["data_mismatch"] == 1
        assert result["by_reason"]["duplicate"] == 1 and result["decision"]["accepted"] is True
        assert {c["key"] for c in result["per_collector"]} == {"Collector A", "Collector B"}
        assert client.get("/api/v1/signature-uploads/").json()["count"] == 1
    else:
        assert codes == [404] * 4
        assert client.get("/api/v1/signature-uploads/").json()["count"] == 0


def test_another_party_reads_nothing(country, setup, done):  # noqa: F811
    n, upload = done
    client = verified_client(rival_party_rep(country, setup)[0])
    for url in (
        f"/api/v1/signature-uploads/{upload.pk}/",
        f"/api/v1/signature-uploads/{upload.pk}/result/",
        f"/api/v1/signature-uploads/{upload.pk}/report.csv/",
        f"/api/v1/signature-uploads/{upload.pk}/report.pdf/",
        f"/nominations/{n.pk}/signatures/{upload.pk}/report.pdf",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/api/v1/signature-uploads/?nomination={n.pk}").json()["count"] == 0


def test_csv_from_the_api_matches_the_page(country, setup, done):  # noqa: F811
    n, upload = done
    client = verified_client(country.users["party"])
    api = b"".join(client.get(f"/api/v1/signature-uploads/{upload.pk}/report.csv/").streaming_content)
    page = b"".join(client.get(f"/nominations/{n.pk}/signatures/{upload.pk}/report.csv").streaming_content)
    assert api == page
    lines = list(csv.reader(io.StringIO(api.decode("utf-8-sig"))))
    assert len(lines) == 1 + Signature.objects.count() and lines[2][4:] == ["invalid", "data_mismatch"]


def test_pdf_report_content(country, setup, done):  # noqa: F811
    n, upload = done
    response = verified_client(country.users["party"]).get(
        f"/nominations/{n.pk}/signatures/{upload.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "Signature verification report" in text and "Rahimov Anvar" in text
    assert "The signatures are sufficient." in text
    assert f"seed {upload.seed}" in text and "a random sample of 2 signatures" in text
    assert "personal data do not match the voter list" in text
    assert "Collector A" in text and "Collector B" in text
    assert "By sheet" in text and "By collector" in text
    sample = upload.result["decision"]["sample"]
    assert f"{sample['size']} checked, {sample['invalid']} invalid" in text


def test_pdf_report_prints_cyrillic(country, setup, signers, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    n = _nominate(country, setup)
    upload = verify(country, n, [row(signers[0], collector="Ғайратов Шерзод")])
    data = verified_client(country.users["party"]).get(f"/nominations/{n.pk}/signatures/{upload.pk}/report.pdf").content
    assert "Ғайратов Шерзод" in pdf_text(data)


def test_pdf_link_on_the_result_page(country, setup, done):  # noqa: F811
    n, upload = done
    page = verified_client(country.users["party"]).get(f"/nominations/{n.pk}/signatures/{upload.pk}/").content
    assert f'href="/nominations/{n.pk}/signatures/{upload.pk}/report.pdf"'.encode() in page


@pytest.mark.parametrize("role", ROLES)
def test_signature_pages_per_role(clients, setup, done, role):  # noqa: F811
    """Those who see the nomination read every page; only those who act for the party may upload."""
    n, upload = done
    client = clients[role]
    base = f"/nominations/{n.pk}/signatures/"
    codes = [
        client.get(url).status_code
        for url in (base, f"{base}{upload.pk}/", f"{base}{upload.pk}/report.csv", f"{base}{upload.pk}/report.pdf")
    ]
    # an official of a commission that does not register it: out of scope, 404
    expected = 302 if role == "anon" else 200 if role in SEES else 404 if role == "precinct" else 403
    assert codes == [expected] * 4
    post = client.post(base, {"file": SimpleUploadedFile("s.csv", b"")}).status_code
    assert post == {"anon": 302, "admin": 400, "cec": 400, "party": 400, "precinct": 404}.get(role, 403)
    assert SignatureSheetUpload.objects.count() == 1


def test_schema_lists_the_new_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/signature-uploads/",
        "/api/v1/signature-uploads/{id}/result/",
        "/api/v1/signature-uploads/{id}/report.pdf/",
        "/api/v1/signature-uploads/{id}/report.csv/",
        "/api/v1/objections/",
        "/api/v1/objections/{id}/transition/",
    ):
        assert path in schema, path
    assert "multipart/form-data" in schema
