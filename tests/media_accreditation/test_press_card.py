"""The press card: downloaded by those who may see the accreditation, a PDF whose QR code holds its own
verification link, and a public verification page that turns from valid to revoked at once."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core import credentials
from media_accreditation import services
from tests.core.test_credentials import decode_qr_codes, fresh_client
from tests.media_accreditation.helpers import apply, approve

pytestmark = pytest.mark.django_db


def card_url(a):
    return reverse("media_accreditation:press_card", args=[a.pk])


def test_press_card_pdf_opens_and_its_qr_encodes_its_verification_url(clients, country, media):
    a = apply(media, scope="region", region=country.regions["A"])
    approve(country, a)
    card = credentials.credential_for(a)
    response = clients["editor"].get(card_url(a), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert card.number in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in ("Xolmatov Rustam", "Oʻzbekiston 24", card.number, "Viloyat A", "PRESS"):
        assert expected in text, expected
    assert decode_qr_codes(response.content) == [f"http://testserver/verify/{card.token}/"]


@pytest.mark.parametrize(
    "role,expected",
    [
        ("editor", 200),
        ("journalist", 200),
        ("cec", 200),
        ("admin", 200),
        ("region", 403),
        ("district", 403),
        ("precinct", 403),
        ("party", 403),
        ("observer", 403),
        ("coordinator", 403),
        ("anon", 302),
    ],
)
def test_press_card_download_per_role(clients, country, media, role, expected):
    a = apply(media)
    approve(country, a)
    assert clients[role].get(card_url(a)).status_code == expected


def test_other_outlets_editor_gets_404_for_the_card(clients, country, media):
    a = apply(media)
    approve(country, a)
    assert media.other_editor_client.get(card_url(a)).status_code == 404


def test_no_card_before_approval_or_after_revocation(clients, country, media):
    a = apply(media)
    assert clients["editor"].get(card_url(a)).status_code == 404
    approve(country, a)
    assert clients["journalist"].get(card_url(a)).status_code == 200
    services.accreditation_transition(
        actor=country.users["cec"], accreditation=a, name="revoke", reason="Campaigned for a candidate"
    )
    assert clients["journalist"].get(card_url(a)).status_code == 404


def test_verification_page_valid_then_revoked(clients, country, media):
    a = apply(media, scope="all_precincts")
    approve(country, a)
    card = credentials.credential_for(a)
    client, meta = fresh_client()
    url = reverse("core:credential_verify", args=[card.token])
    body = client.get(url, **meta).content.decode()
    assert 'data-status="valid"' in body and "Xolmatov Rustam Akmalovich" in body and "Oʻzbekiston 24" in body
    assert media.voter.pinfl not in body  # nothing personal beyond the card itself
    services.accreditation_transition(
        actor=country.users["cec"], accreditation=a, name="revoke", reason="Campaigned for a candidate"
    )
    body = client.get(url, **meta).content.decode()
    assert 'data-status="revoked"' in body and "REVOKED" in body


def test_accreditation_page_links_the_press_card(clients, country, media):
    a = apply(media)
    page = clients["editor"].get(reverse("media_accreditation:accreditation_detail", args=[a.pk])).content.decode()
    assert card_url(a) not in page
    approve(country, a)
    page = clients["editor"].get(reverse("media_accreditation:accreditation_detail", args=[a.pk])).content.decode()
    assert card_url(a) in page and credentials.credential_for(a).number in page
