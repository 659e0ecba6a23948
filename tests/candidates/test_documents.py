"""Candidate documents: type by content, size limits, versions, the required set, corrections, and who may read them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates import services
from candidates.models import CandidateDocument
from candidates.selectors import missing_documents
from core.models import AuditEvent, Notification
from tests import factories as f
from tests.candidates.test_nominations import PDF, PNG, _nominate, setup, upload_all  # noqa: F401
from tests.conftest import ROLES, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def nomination(country, setup, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    return _nominate(country, setup)


def _upload(country, nomination, kind, content, name, actor="party"):
    return services.document_upload(
        actor=country.users[actor], nomination=nomination, kind=kind, uploaded_file=SimpleUploadedFile(name, content)
    )


@pytest.mark.parametrize(
    "kind,content,name",
    [
        ("biography", b"MZ\x90\x00 not a pdf", "biography.pdf"),  # an executable named .pdf
        ("biography", PNG, "biography.pdf"),  # an image where a PDF is required
        ("photo", PDF, "photo.jpg"),  # a PDF named .jpg
        ("photo", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "photo.png"),  # a PNG signature over nothing
        ("application", b"<html><script>alert(1)</script>", "application.pdf"),
    ],
)
def test_content_that_does_not_match_its_type_is_refused(country, nomination, kind, content, name):
    with pytest.raises(ValidationError) as err:
        _upload(country, nomination, kind, content, name)
    assert err.value.error_dict["file"][0].code == "wrong_content"
    assert not CandidateDocument.objects.exists()


def test_size_limit(country, nomination):
    with pytest.raises(ValidationError) as err:
        _upload(country, nomination, "photo", PNG + b"\x00" * (5 * 2**20), "photo.png")
    assert err.value.error_dict["file"][0].code == "too_large"


def test_versions_are_kept_and_submission_needs_the_full_set(country, nomination):
    first = _upload(country, nomination, "biography", PDF, "bio.pdf")
    second = _upload(country, nomination, "biography", PDF + b"v2", "bio-v2.pdf")
    first.refresh_from_db()
    assert (first.version, first.is_current, second.version, second.is_current) == (1, False, 2, True)
    with pytest.raises(ValidationError) as err:
        services.nomination_transition(actor=country.users["party"], nomination=nomination, name="submit")
    assert err.value.code == "documents_missing" and "application" in err.value.message
    upload_all(country, nomination)
    services.nomination_transition(actor=country.users["party"], nomination=nomination, name="submit")
    nomination.refresh_from_db()
    assert nomination.status == "submitted"
    assert AuditEvent.objects.filter(action="candidates.document.upload").count() == 7


def test_reviewer_asks_for_a_correction(country, nomination, django_capture_on_commit_callbacks):
    upload_all(country, nomination)
    services.nomination_transition(actor=country.users["party"], nomination=nomination, name="submit")
    income = CandidateDocument.objects.get(kind="income_declaration", is_current=True)
    with pytest.raises(PermissionDenied):
        services.document_request_correction(actor=country.users["party"], document=income, reason="x")
    with django_capture_on_commit_callbacks(execute=False):
        services.document_request_correction(
            actor=country.users["district"], document=income, reason="The 2025 income is missing"
        )
    assert Notification.objects.filter(recipient=country.users["party"], body="The 2025 income is missing").exists()

    assert missing_documents(nomination) == ["income_declaration"]
    _upload(country, nomination, "income_declaration", PDF, "income-v2.pdf")
    assert missing_documents(nomination) == []


def test_another_party_cannot_upload(country, nomination, setup):  # noqa: F811
    other_rep = country.users["coordinator"]  # not a representative of this party
    with pytest.raises(PermissionDenied):
        services.document_upload(
            actor=other_rep, nomination=nomination, kind="photo", uploaded_file=SimpleUploadedFile("p.png", PNG)
        )


def test_download_only_for_those_who_see_the_nomination(country, clients, nomination):
    doc = _upload(country, nomination, "biography", PDF, "bio.pdf")
    url = f"/nominations/{nomination.pk}/documents/{doc.pk}/"
    response = clients["party"].get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert clients["district"].get(url).status_code == 200  # the constituency is in the district's area
    assert clients["precinct"].get(url).status_code == 404  # A1-1 alone does not register constituency 1
    assert clients["journalist"].get(url).status_code == 403
    assert clients["anon"].get(url).status_code == 302
    # an official of another area learns nothing

    far = f.UserFactory(username="far", role="commission_staff")
    f.add_member(far, f.commission_for(level="district", district=country.districts["B1"]))
    assert verified_client(far).get(url).status_code == 404


def test_upload_through_the_page(country, clients, nomination):
    response = clients["party"].post(
        f"/nominations/{nomination.pk}/documents/", {"kind": "photo", "file": SimpleUploadedFile("me.png", PNG)}
    )
    assert response.status_code == 302
    assert CandidateDocument.objects.get().content_type == "image/png"
    page = clients["party"].get(f"/nominations/{nomination.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "me.png" in page and "Missing or to be corrected" in page


@pytest.mark.parametrize("role", ROLES)
def test_document_pages_per_role(country, clients, nomination, role):
    """Upload: who acts for the party; download: who sees the nomination; correction: its reviewers."""
    doc = _upload(country, nomination, "biography", PDF, "bio.pdf")
    client = clients[role]
    base = f"/nominations/{nomination.pk}/documents/"
    correction = client.post(f"{base}{doc.pk}/correction/", {"reason": "Unsigned"})
    download = client.get(f"{base}{doc.pk}/")
    upload = client.post(base, {"kind": "biography", "file": SimpleUploadedFile("bio-v2.pdf", PDF + b"v2")})
    doc.refresh_from_db()
    got = (
        upload.status_code,
        download.status_code,
        correction.status_code,
        CandidateDocument.objects.filter(kind="biography").count(),
        doc.correction_requested,
    )
    if role == "anon":
        assert got == (302, 302, 302, 1, False)
        assert upload["Location"].startswith("/accounts/login/")
    elif role in ("admin", "cec"):
        assert got == (302, 200, 302, 2, True)
    elif role == "party":
        assert got == (302, 200, 403, 2, False)
    elif role in ("region", "district"):  # the constituency lies in their area: they review, not upload
        assert got == (403, 200, 302, 1, True)
    elif role == "precinct":  # an official whose commission does not register it: out of scope
        assert got == (404, 404, 404, 1, False)
    else:
        assert got == (403, 403, 403, 1, False)


def test_bad_upload_through_the_page_is_refused_with_the_reason(country, clients, nomination):
    client = clients["party"]
    response = client.post(
        f"/nominations/{nomination.pk}/documents/",
        {"kind": "photo", "file": SimpleUploadedFile("me.png", PDF)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "is not a JPEG or PNG image" in response.content.decode()
    response = client.post(
        f"/nominations/{nomination.pk}/documents/",
        {"kind": "nonsense", "file": SimpleUploadedFile("a.pdf", PDF)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Select a valid choice" in response.content.decode()
    assert not CandidateDocument.objects.exists()


def test_correction_needs_a_reason_through_the_page(country, clients, nomination):
    doc = _upload(country, nomination, "biography", PDF, "bio.pdf")
    response = clients["district"].post(
        f"/nominations/{nomination.pk}/documents/{doc.pk}/correction/", {"reason": "  "}, follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Say what must be corrected." in response.content.decode()
    doc.refresh_from_db()
    assert not doc.correction_requested
