"""The shared credential component: issue, revoke, status, the badge PDF with its QR code, and the public
verification page (valid, revoked, expired, unknown, rate limit, nothing personal shown)."""

import io
import itertools
import re
from datetime import timedelta

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from core import credentials
from core.models import AuditEvent, Credential

pytestmark = pytest.mark.django_db

_ips = itertools.count(1)


def fresh_client() -> tuple[Client, dict]:
    """An anonymous client with its own address (the rate limit counts per address), reading English."""
    n = next(_ips)
    return Client(), {"REMOTE_ADDR": f"10.77.{n // 250}.{n % 250 + 1}", "HTTP_ACCEPT_LANGUAGE": "en"}


def png_bytes(color=(200, 30, 30), size=(60, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def issue(country, subject=None, **kw):
    args = {
        "subject": subject or country.precincts["A1-1"],
        "kind": Credential.Kind.OBSERVER_BADGE,
        "holder_name": "Karimova Dilnoza Anvarovna",
        "organisation": "Ochiq jamiyat NNT",
        "scope_text": "Precinct No. 1 (Tuman A1)",
        "election": country.election,
        "photo": png_bytes(),
        "valid_until": timezone.localdate() + timedelta(days=30),
        "actor": country.users["cec"],
    }
    args.update(kw)
    return credentials.credential_issue(**args)


def test_issue_numbers_tokens_and_idempotence(country):
    first = issue(country)
    assert re.fullmatch(r"OB-\d{6}", first.number)
    assert len(first.token) >= 43 and first.number not in first.token
    assert first.photo and first.photo.name.endswith(".png")
    again = issue(country, holder_name="Someone Else")
    assert again.pk == first.pk and again.holder_name == "Karimova Dilnoza Anvarovna"
    assert Credential.objects.count() == 1
    assert AuditEvent.objects.filter(action="core.credential.issue").count() == 1
    press = issue(country, subject=country.precincts["A1-2"], kind=Credential.Kind.PRESS_CARD)
    assert re.fullmatch(r"PC-\d{6}", press.number) and press.token != first.token
    assert credentials.credential_for(country.precincts["A1-1"]) == first


def test_issue_refuses_a_photo_that_is_not_an_image(country):
    with pytest.raises(ValidationError) as exc:
        issue(country, photo=b"%PDF-1.4 not an image")
    assert exc.value.error_dict["photo"][0].code == "wrong_content"
    assert not Credential.objects.exists()


def test_issue_refuses_an_unknown_kind(country):
    with pytest.raises(ValidationError) as exc:
        issue(country, kind="library_card")
    assert list(exc.value.error_dict) == ["kind"]
    assert not Credential.objects.exists()


def test_revoke_then_reissue_gives_a_new_number_and_token(country):
    first = issue(country)
    with pytest.raises(ValidationError):
        credentials.credential_revoke(subject=country.precincts["A1-1"], reason="  ", actor=country.users["cec"])
    revoked = credentials.credential_revoke(
        subject=country.precincts["A1-1"], reason="Left the organisation", actor=country.users["cec"]
    )
    assert revoked.pk == first.pk and credentials.credential_status(revoked) == "revoked"
    assert credentials.credential_for(country.precincts["A1-1"]) is None
    assert credentials.credential_revoke(subject=country.precincts["A1-1"], reason="again", actor=country.users["cec"]) is None
    second = issue(country)
    assert second.pk != first.pk and second.number != first.number and second.token != first.token
    assert AuditEvent.objects.filter(action="core.credential.revoke").count() == 1


def test_database_allows_one_unrevoked_credential_per_subject(country):
    first = issue(country)
    duplicate = Credential(
        kind=first.kind,
        number="OB-999999",
        election=first.election,
        content_type=first.content_type,
        object_id=first.object_id,
        holder_name="x",
        valid_until=first.valid_until,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_status_valid_expired_revoked(country):
    cred = issue(country, valid_until=timezone.localdate() + timedelta(days=2))
    assert credentials.credential_status(cred) == "valid"
    assert credentials.credential_status(cred, today=cred.valid_until) == "valid"
    assert credentials.credential_status(cred, today=cred.valid_until + timedelta(days=1)) == "expired"
    cred.revoked_at = timezone.now()
    assert credentials.credential_status(cred) == "revoked"


def decode_qr_codes(pdf: bytes) -> list[str]:
    """Every QR code in the images embedded in the PDF's pages."""

    texts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            for result in zxingcpp.read_barcodes(image.image.convert("L")):
                texts.append(result.text)
    return texts


def test_badge_pdf_opens_and_its_qr_code_holds_the_verification_link(country):

    cred = issue(country)
    url = "https://esaylov.example/verify/" + cred.token + "/"
    pdf = credentials.credential_pdf(cred, verify_url=url)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Karimova Dilnoza" in text and cred.number in text and "Ochiq jamiyat" in text
    assert len(reader.pages[0].images) == 2  # the photo and the QR code
    assert decode_qr_codes(pdf) == [url]


def test_verify_page_valid_shows_holder_and_nothing_personal(country):
    cred = issue(country)
    client, meta = fresh_client()
    response = client.get(reverse("core:credential_verify", args=[cred.token]), **meta)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-status="valid"' in body and "Karimova Dilnoza Anvarovna" in body and "Ochiq jamiyat" in body
    assert reverse("core:credential_photo", args=[cred.token]) in body
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    photo = client.get(reverse("core:credential_photo", args=[cred.token]), **meta)
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert b"".join(photo.streaming_content).startswith(b"\x89PNG")


def test_verify_page_shows_revoked_at_once(country):
    cred = issue(country)
    client, meta = fresh_client()
    url = reverse("core:credential_verify", args=[cred.token])
    assert 'data-status="valid"' in client.get(url, **meta).content.decode()
    credentials.credential_revoke(subject=country.precincts["A1-1"], reason="Broke the rules", actor=country.users["cec"])
    body = client.get(url, **meta).content.decode()
    assert 'data-status="revoked"' in body and "REVOKED" in body


def test_verify_page_shows_expired(country):
    cred = issue(country)
    Credential.objects.filter(pk=cred.pk).update(
        valid_from=timezone.localdate() - timedelta(days=10), valid_until=timezone.localdate() - timedelta(days=1)
    )
    client, meta = fresh_client()
    body = client.get(reverse("core:credential_verify", args=[cred.token]), **meta).content.decode()
    assert 'data-status="expired"' in body and "EXPIRED" in body


def test_unknown_token_is_404_and_says_unknown(country):
    issue(country)
    client, meta = fresh_client()
    response = client.get(reverse("core:credential_verify", args=["x" * 43]), **meta)
    assert response.status_code == 404 and "unknown" in response.content.decode().lower()
    assert client.get(reverse("core:credential_photo", args=["x" * 43]), **meta).status_code == 404


def test_verification_is_rate_limited_per_client(country, settings):
    settings.CREDENTIAL_VERIFY_RATE_PER_CLIENT = "5/h"  # an hour: no window boundary inside the test
    cred = issue(country)
    client, meta = fresh_client()
    codes = [client.get(reverse("core:credential_verify", args=[f"guess{i}"]), **meta).status_code for i in range(5)]
    assert codes == [404] * 5
    limited = client.get(reverse("core:credential_verify", args=[cred.token]), **meta)
    assert limited.status_code == 429 and "Karimova" not in limited.content.decode()
    other, other_meta = fresh_client()  # another address is not affected
    assert other.get(reverse("core:credential_verify", args=[cred.token]), **other_meta).status_code == 200
