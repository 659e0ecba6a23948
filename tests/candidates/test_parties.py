"""Parties: the CEC registers them and their representatives; a representative sees only their own party
(django-guardian object permissions), through pages and API."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from candidates import services
from candidates.models import Party
from core.models import AuditEvent
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def parties(country):
    cec = country.users["cec"]
    own = services.party_register(actor=cec, registration_number="01", name_uz="Adolat partiyasi", name_ru="Партия «Адолат»")
    other = services.party_register(actor=cec, registration_number="02", name_uz="Milliy tiklanish")
    services.party_representative_add(actor=cec, party=own, user=country.users["party"])
    return own, other


def test_registration_and_grants_are_audited(country, parties):
    own, other = parties
    party_user = country.users["party"]
    assert party_user.has_perm("candidates.represent_party", own)
    assert not party_user.has_perm("candidates.represent_party", other)
    assert AuditEvent.objects.filter(action="candidates.party.register").count() == 2
    assert AuditEvent.objects.filter(action="candidates.party.representative_add", object_id=str(own.pk)).exists()


def test_only_cec_registers_and_only_party_role_represents(country, parties):
    own, _other = parties
    with pytest.raises(PermissionDenied):
        services.party_register(actor=country.users["district"], registration_number="03", name_uz="X")
    with pytest.raises(ValidationError):
        services.party_representative_add(actor=country.users["cec"], party=own, user=country.users["observer"])
    with pytest.raises(ValidationError):  # registration numbers are unique
        services.party_register(actor=country.users["cec"], registration_number="01", name_uz="Boshqa")
    assert Party.objects.count() == 2


def _expected_list(role):
    return {"anon": 302, "admin": 200, "cec": 200, "party": 200}.get(role, 403)


@pytest.mark.parametrize("role", ROLES)
def test_party_pages_per_role(clients, parties, role):
    own, other = parties
    assert clients[role].get("/parties/").status_code == _expected_list(role)
    own_page = clients[role].get(f"/parties/{own.pk}/")
    other_page = clients[role].get(f"/parties/{other.pk}/")
    if role in ("admin", "cec"):
        assert (own_page.status_code, other_page.status_code) == (200, 200)
    elif role == "party":
        assert (own_page.status_code, other_page.status_code) == (200, 404)  # another party does not exist for it
    else:
        assert own_page.status_code == other_page.status_code == _expected_list(role)
    other.is_active = False
    other.save()
    public = clients[role].get("/public/parties/")
    assert public.status_code == 200
    assert "Adolat partiyasi" in public.content.decode() and "Milliy tiklanish" not in public.content.decode()


def test_party_list_shows_only_own_party(clients, parties):
    body = clients["party"].get("/parties/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Adolat partiyasi" in body and "Milliy tiklanish" not in body
    assert "Register a party" not in body  # the registration form is the CEC's


@pytest.mark.parametrize("role", ROLES)
def test_party_api_per_role(clients, parties, role):
    own, other = parties
    response = clients[role].get("/api/v1/parties/")
    if role == "anon":
        assert response.status_code == 403
        return
    ids = {p["id"] for p in response.json()["results"]}
    expected = {"admin": {own.pk, other.pk}, "cec": {own.pk, other.pk}, "party": {own.pk}}.get(role, set())
    assert ids == expected
    assert clients[role].get(f"/api/v1/parties/{other.pk}/").status_code == (200 if role in ("admin", "cec") else 404)


def test_cec_registers_a_party_and_a_representative_through_pages(clients, country):
    response = clients["cec"].post("/parties/", {"registration_number": "07", "name_uz": "Yashillar"})
    assert response.status_code == 302
    party = Party.objects.get(registration_number="07")
    response = clients["cec"].post(f"/parties/{party.pk}/", {"username": "party"})
    assert response.status_code == 302
    assert country.users["party"].has_perm("candidates.represent_party", party)
    # a representative cannot register parties or add representatives
    assert clients["party"].post("/parties/", {"registration_number": "08", "name_uz": "Z"}).status_code == 403
    assert clients["party"].post(f"/parties/{party.pk}/", {"username": "party"}).status_code == 403


@pytest.mark.parametrize(
    "username,message",
    [
        ("nobody", "No such user."),
        ("journalist", "Only users with the party representative role can represent a party."),
    ],
)
def test_representative_form_refuses_bad_input(clients, country, parties, username, message):
    own, _other = parties
    response = clients["cec"].post(f"/parties/{own.pk}/", {"username": username}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and message in response.content.decode()
    assert list(own.representatives.values_list("user__username", flat=True)) == ["party"]


def test_admin_deleting_a_representative_revokes_the_permissions(clients, country, parties):

    own, _other = parties
    rep = own.representatives.get()
    assert clients["admin"].get(reverse("admin:candidates_partyrepresentative_add")).status_code == 403
    response = clients["admin"].post(reverse("admin:candidates_partyrepresentative_delete", args=[rep.pk]), {"post": "yes"})
    assert response.status_code == 302 and not own.representatives.exists()
    user = type(country.users["party"]).objects.get(pk=country.users["party"].pk)  # a fresh permission cache
    assert not user.has_perm("candidates.represent_party", own) and not user.has_perm("candidates.view_party", own)
    assert clients["party"].get(f"/parties/{own.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="candidates.party.representative_remove").exists()
