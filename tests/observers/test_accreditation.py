"""Observer accreditations: the shared workflow with the commission responsible, each rule refused with its
reason, notifications, the badge and its revocation, and who sees what (pages and API) per role."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from candidates import services as cs
from candidates.models import Nomination
from core import credentials
from core.models import AuditEvent, Credential, Notification
from elections.models import Deadline
from observers import selectors, services
from observers.models import ObserverAccreditation
from tests import factories as f
from tests.conftest import ROLES, verified_client
from tests.core.test_credentials import decode_qr_codes
from tests.observers.helpers import EN, apply, approve, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(country):
    return build(country)


def code_of(exc_info, field="observer"):
    return exc_info.value.error_dict[field][0].code


def test_full_workflow_notifications_badge_and_audit(country, setup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        a = apply(country, setup)
        assert a.status == "submitted" and a.submitted_at is not None
        services.accreditation_transition(actor=country.users["precinct"], accreditation=a, name="start_review")
        approve(country, a)
    a.refresh_from_db()
    assert a.status == "approved"
    badge = credentials.credential_for(a)
    assert badge.kind == "observer_badge" and badge.holder_name.startswith("Karimova Dilnoza")
    assert badge.organisation == "Ochiq jamiyat" and "No. 1" in badge.scope_text and badge.photo
    assert badge.valid_until == setup.election.election_day + timedelta(days=1)
    # the observer and the coordinator hear of each of the three transitions
    for user in (country.users["observer"], country.users["coordinator"]):
        assert Notification.objects.filter(recipient=user, subject__icontains="accreditation").count() == 3
    actions = list(AuditEvent.objects.filter(action__startswith="observers.").order_by("id").values_list("action", flat=True))
    assert actions[-4:] == [
        "observers.accreditation.create",
        "observers.observeraccreditation.submit",
        "observers.observeraccreditation.start_review",
        "observers.observeraccreditation.approve",
    ]
    assert AuditEvent.objects.filter(action="core.credential.issue").count() == 1


def test_revocation_revokes_the_badge_at_once(country, setup, client):
    a = apply(country, setup)
    approve(country, a)
    badge = credentials.credential_for(a)
    with pytest.raises(ValidationError):
        services.accreditation_transition(actor=country.users["precinct"], accreditation=a, name="revoke")
    services.accreditation_transition(
        actor=country.users["precinct"], accreditation=a, name="revoke", reason="Interfered with the count"
    )
    badge.refresh_from_db()
    assert a.status == "revoked" and credentials.credential_status(badge) == "revoked"
    assert badge.revoked_reason == "Interfered with the count"
    body = client.get(reverse("core:credential_verify", args=[badge.token]), REMOTE_ADDR="10.99.0.1").content
    assert b'data-status="revoked"' in body


def test_approval_after_election_day_is_refused_and_issues_no_badge(country, setup):
    a = apply(country, setup)
    services.accreditation_transition(actor=country.users["precinct"], accreditation=a, name="start_review")
    setup.election.election_day = timezone.localdate() - timedelta(days=1)  # the application waited too long
    setup.election.save()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as err:
        approve(country, a)
    assert err.value.code == "election_over"
    a.refresh_from_db()
    assert a.status == "under_review" and credentials.credential_for(a) is None and not Credential.objects.exists()
    assert AuditEvent.objects.count() == events
    services.accreditation_transition(
        actor=country.users["precinct"], accreditation=a, name="reject", reason="The election is over"
    )  # closed with a refusal instead
    a.refresh_from_db()
    assert a.status == "rejected" and not Credential.objects.exists()


def nominate(country, setup, voter):
    """``voter`` becomes a candidate (a draft nomination) in the setup's election."""

    party = cs.party_register(actor=country.users["cec"], registration_number="77", name_uz="Partiya")
    constituency = f.ConstituencyFactory(election=setup.election, number=1, name_uz="1")
    return cs.nomination_create(
        actor=country.users["cec"],
        party=party,
        election=setup.election,
        constituency=constituency,
        pinfl=voter.pinfl,
        surname=voter.surname,
        given_name=voter.given_name,
    )


def test_refused_when_a_candidate_in_the_same_election(country, setup):
    nomination = nominate(country, setup, setup.voters[0])
    with pytest.raises(ValidationError) as exc:
        apply(country, setup)
    assert code_of(exc) == "role_conflict" and "candidate" in str(exc.value)
    assert not ObserverAccreditation.objects.exists()
    # a withdrawn nomination no longer stands in the way
    type(nomination).objects.filter(pk=nomination.pk).update(status="withdrawn")
    assert apply(country, setup).status == "submitted"


def test_refused_when_a_commission_member(country, setup):
    member = f.UserFactory(username="member1", role="commission_staff", pinfl=setup.voters[0].pinfl)
    f.add_member(member, f.commission_for(level="precinct", precinct=country.precincts["B1-1"]))
    with pytest.raises(ValidationError) as exc:
        apply(country, setup)
    assert code_of(exc) == "role_conflict"
    assert not ObserverAccreditation.objects.exists()


def test_candidate_found_at_decision_time_is_refused_then(country, setup):
    """A nomination recorded since the application (by a path that did not check it) stops the approval."""

    a = apply(country, setup)
    nomination = nominate(country, setup, setup.voters[1])
    Nomination.objects.filter(pk=nomination.pk).update(voter=setup.voters[0])
    with pytest.raises(ValidationError) as exc:
        approve(country, a)
    assert code_of(exc) == "role_conflict"
    a.refresh_from_db()
    assert a.status == "submitted" and not Credential.objects.exists()


def test_limit_per_organisation_per_precinct(country, setup):
    coordinator = country.users["coordinator"]
    second = services.observer_register(
        actor=coordinator, organization=setup.own, pinfl=setup.voters[1].pinfl, surname="Tursunov", given_name="Jasur"
    )
    apply(country, setup)
    with pytest.raises(ValidationError) as exc:
        apply(country, setup, observer=second)
    assert code_of(exc, "precincts") == "limit_reached" and "limit is 1" in str(exc.value)
    # the same precinct is fine with a higher limit in the election's rules
    setup.election.rules = {"observers_per_org_per_precinct": 2}
    setup.election.save()
    assert apply(country, setup, observer=second).status == "submitted"


def test_other_organisation_has_its_own_limit(country, setup):
    apply(country, setup)
    foreigner = services.observer_register(
        actor=setup.other_coordinator,
        organization=setup.other,
        is_foreign=True,
        passport_number="C01234567",
        country="DE",
        surname="Müller",
        given_name="Anna",
        birth_date=timezone.localdate() - timedelta(days=12000),
    )
    assert apply(country, setup, observer=foreigner, actor=setup.other_coordinator).status == "submitted"


def test_applications_close_before_the_deadline(country, setup):
    Deadline.objects.create(election=setup.election, key="accreditation_closes", due=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError) as exc:
        apply(country, setup)
    assert exc.value.code == "deadline_passed" and "Too late" in exc.value.messages[0]
    assert not ObserverAccreditation.objects.exists()


def test_without_a_calendar_row_the_rule_days_before_election_day_apply(country, setup):
    setup.election.election_day = timezone.localdate() + timedelta(days=9)  # rule: 10 days before
    setup.election.save()
    with pytest.raises(ValidationError) as exc:
        apply(country, setup)
    assert exc.value.code == "deadline_passed"
    setup.election.election_day = timezone.localdate() + timedelta(days=11)  # closes tomorrow at 18:00
    setup.election.save()
    assert apply(country, setup).status == "submitted"


def test_one_open_application_per_observer_and_election(country, setup):
    apply(country, setup)
    with pytest.raises(ValidationError) as exc:
        apply(country, setup, precincts=("A1-2",))
    assert code_of(exc) == "duplicate"


def test_overdue_applications_are_flagged_first_in_the_queue(country, setup, clients):
    late = apply(country, setup)
    ObserverAccreditation.objects.filter(pk=late.pk).update(submitted_at=timezone.now() - timedelta(days=6))
    second = services.observer_register(
        actor=country.users["coordinator"],
        organization=setup.own,
        pinfl=setup.voters[1].pinfl,
        surname="Tursunov",
        given_name="Jasur",
    )
    fresh = apply(country, setup, observer=second, precincts=("A1-2",))
    queue = list(selectors.review_queue(country.users["district"]))
    assert queue == [ObserverAccreditation.objects.get(pk=late.pk), fresh]
    assert queue[0].is_overdue and not queue[1].is_overdue
    body = clients["district"].get(reverse("observers:queue"), **EN).content.decode()
    assert body.count('data-overdue="1"') == 1 and "Tursunov" in body


def test_only_the_responsible_commission_decides(country, setup):
    a = apply(country, setup, precincts=("A1-1", "A1-2"))
    # the precinct commission of A1-1 does not cover A1-2: the district commission decides
    assert a not in selectors.review_queue(country.users["precinct"])
    with pytest.raises(PermissionDenied):
        approve(country, a, actor="precinct")
    other_precinct = f.UserFactory(username="p-b11", role="commission_staff")
    f.add_member(other_precinct, f.commission_for(level="precinct", precinct=country.precincts["B1-1"]))
    with pytest.raises(PermissionDenied):
        services.accreditation_transition(actor=other_precinct, accreditation=a, name="approve")
    for role in ("coordinator", "observer"):
        with pytest.raises(PermissionDenied):
            approve(country, a, actor=role)
    assert a in selectors.review_queue(country.users["district"])
    approve(country, a, actor="district")
    assert ObserverAccreditation.objects.get(pk=a.pk).status == "approved"


def test_a_precinct_commission_sees_only_its_own_observers(country, setup):
    own_precinct = apply(country, setup)
    approve(country, own_precinct)
    foreigner = services.observer_register(
        actor=setup.other_coordinator,
        organization=setup.other,
        is_foreign=True,
        passport_number="C01234567",
        country="DE",
        surname="Müller",
        given_name="Anna",
        birth_date=timezone.localdate() - timedelta(days=12000),
    )
    elsewhere = apply(country, setup, observer=foreigner, precincts=("B1-1",), actor=setup.other_coordinator)
    approve(country, elsewhere, actor="cec")
    assert list(selectors.accredited_observers(country.users["precinct"])) == [own_precinct]
    assert set(selectors.accredited_observers(country.users["cec"])) == {own_precinct, elsewhere}
    assert list(selectors.accredited_observers(country.users["region"])) == [own_precinct]  # region A
    assert list(selectors.observers_for(country.users["precinct"])) == [setup.observer]


def test_coordinators_see_only_their_own_organisation(country, setup):
    foreigner = services.observer_register(
        actor=setup.other_coordinator,
        organization=setup.other,
        is_foreign=True,
        passport_number="C01234567",
        country="DE",
        surname="Müller",
        given_name="Anna",
        birth_date=timezone.localdate() - timedelta(days=12000),
    )
    apply(country, setup, observer=foreigner, actor=setup.other_coordinator)
    coordinator = country.users["coordinator"]
    assert list(selectors.organizations_for(coordinator)) == [setup.own]
    assert foreigner not in selectors.observers_for(coordinator)
    assert not selectors.accreditations_for(coordinator).filter(observer=foreigner).exists()
    with pytest.raises(PermissionDenied):
        apply(country, setup, observer=foreigner, actor=coordinator)


# --------------------------------------------------------------------------- pages and API per role


def _expected_detail(role):
    # the observer, the coordinator of the organisation, and commissions covering precinct A1-1
    return role in ("observer", "coordinator", "admin", "cec", "region", "district", "precinct")


@pytest.mark.parametrize("role", ROLES)
def test_accreditation_pages_and_badge_per_role(clients, country, setup, role):
    a = apply(country, setup)
    approve(country, a)
    detail = clients[role].get(reverse("observers:accreditation_detail", args=[a.pk]), **EN)
    badge = clients[role].get(reverse("observers:badge", args=[a.pk]))
    if role == "anon":
        assert detail.status_code == 302 and badge.status_code == 302
    elif _expected_detail(role):
        assert detail.status_code == 200 and "Karimova" in detail.content.decode()
        assert badge.status_code == 200 and badge.content.startswith(b"%PDF")
    else:
        assert detail.status_code in (403, 404) and badge.status_code in (403, 404)
        assert b"Karimova" not in detail.content and not badge.content.startswith(b"%PDF")


@pytest.mark.parametrize("role", ROLES)
def test_accreditation_api_per_role(clients, country, setup, role):
    a = apply(country, setup)
    response = clients[role].get(f"/api/v1/observer-accreditations/{a.pk}/")
    listing = clients[role].get("/api/v1/observer-accreditations/")
    if role == "anon":
        assert response.status_code in (401, 403)
    elif _expected_detail(role):
        assert response.status_code == 200 and response.json()["status"] == "submitted"
        assert listing.json()["count"] == 1
    else:
        assert response.status_code == 404 and listing.json()["count"] == 0


def test_api_transition_and_error_shape(clients, country, setup):
    a = apply(country, setup)
    url = f"/api/v1/observer-accreditations/{a.pk}/transition/"
    denied = clients["coordinator"].post(url, {"action": "approve"}, content_type="application/json")
    assert denied.status_code == 403
    refused = clients["precinct"].post(url, {"action": "reject"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "invalid" and "reason" in refused.json()["errors"]
    done = clients["precinct"].post(url, {"action": "approve"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "approved"


def test_api_observers_hide_identity_numbers(clients, country, setup):
    data = clients["coordinator"].get("/api/v1/observers/").json()
    assert data["count"] == 1 and "pinfl" not in data["results"][0] and "passport_number" not in data["results"][0]


def test_other_coordinator_api_sees_nothing_of_ours(country, setup):

    other = verified_client(setup.other_coordinator)
    assert other.get("/api/v1/observers/").json()["count"] == 0
    assert other.get("/api/v1/observer-organizations/").json()["results"][0]["name"] == "Xalqaro kuzatuv"
    assert other.get(reverse("observers:organization_detail", args=[setup.own.pk])).status_code == 404


def test_commission_decides_through_the_page(clients, country, setup):
    a = apply(country, setup)
    url = reverse("observers:accreditation_detail", args=[a.pk])
    # the button asks for the confirmation; nothing changes until it is given, with a reason
    asked = clients["precinct"].post(url, {"action": "approve"}, **EN)
    assert asked.status_code == 200 and 'data-confirm="approve"' in asked.content.decode()
    assert ObserverAccreditation.objects.get(pk=a.pk).status == "submitted"
    clients["precinct"].post(url, {"action": "approve", "confirm": "1", "reason": "Meets the rules"})
    assert ObserverAccreditation.objects.get(pk=a.pk).status == "approved"
    response = clients["precinct"].post(url, {"action": "revoke", "confirm": "1", "reason": ""}, **EN)
    assert response.status_code == 400 and "Say why: the reason goes on the record." in response.content.decode()
    assert ObserverAccreditation.objects.get(pk=a.pk).status == "approved"
    clients["precinct"].post(url, {"action": "revoke", "confirm": "1", "reason": "Left the precinct"})
    assert ObserverAccreditation.objects.get(pk=a.pk).status == "revoked"
    assert credentials.credential_for(a) is None


def test_observer_applies_through_the_page_with_bad_numbers(clients, country, setup):
    url = reverse("observers:my_accreditations")
    bad = clients["observer"].post(
        url, {"election": setup.election.pk, "district": country.districts["A1"].pk, "precinct_numbers": "1, 99"}, **EN
    )
    assert bad.status_code == 400 and "No precinct with number(s) 99" in bad.content.decode()
    assert not ObserverAccreditation.objects.exists()
    ok = clients["observer"].post(
        url, {"election": setup.election.pk, "district": country.districts["A1"].pk, "precinct_numbers": "1-2"}
    )
    assert ok.status_code == 302
    a = ObserverAccreditation.objects.get()
    assert sorted(p.number for p in a.precincts.all()) == [1, 2]


def test_api_apply(clients, country, setup):

    body = {"observer": setup.observer.pk, "election": setup.election.pk, "precincts": [country.precincts["A1-1"].pk]}
    other = verified_client(setup.other_coordinator)
    unseen = other.post("/api/v1/observer-accreditations/", body, content_type="application/json")
    assert unseen.status_code == 400 and "observer" in unseen.json()["errors"]  # as if it did not exist
    bad = clients["observer"].post(
        "/api/v1/observer-accreditations/", {**body, "precincts": [999999]}, content_type="application/json"
    )
    assert bad.status_code == 400 and "precincts" in bad.json()["errors"]
    assert not ObserverAccreditation.objects.exists()
    done = clients["observer"].post("/api/v1/observer-accreditations/", body, content_type="application/json")
    assert done.status_code == 201 and done.json()["status"] == "submitted"
    again = clients["coordinator"].post("/api/v1/observer-accreditations/", body, content_type="application/json")
    assert again.status_code == 400 and "observer" in again.json()["errors"]


def test_api_apply_bounds_the_precincts_before_looking_them_up(clients, country, setup, django_assert_max_num_queries):
    body = {"observer": setup.observer.pk, "election": setup.election.pk, "precincts": [country.precincts["A1-1"].pk] * 2000}
    with django_assert_max_num_queries(25):
        response = clients["observer"].post("/api/v1/observer-accreditations/", body, content_type="application/json")
    assert response.status_code == 400 and "precincts" in response.json()["errors"]
    assert not ObserverAccreditation.objects.exists()


@pytest.mark.parametrize("who", ROLES)
def test_api_apply_per_role(clients, country, setup, who):
    body = {"observer": setup.observer.pk, "election": setup.election.pk, "precincts": [country.precincts["A1-1"].pk]}
    response = clients[who].post("/api/v1/observer-accreditations/", body, content_type="application/json")
    # the observer, their coordinator and the CEC apply; to anyone else the observer does not exist
    if who == "anon":
        assert response.status_code in (401, 403)
    elif who in ("observer", "coordinator", "cec", "admin"):
        assert response.status_code == 201, who
    else:
        assert response.status_code == 400 and list(response.json()["errors"]) == ["observer"], who
    assert ObserverAccreditation.objects.count() == (1 if response.status_code == 201 else 0)


def test_badge_pdf_holds_the_qr_code_of_its_own_verification_page(clients, country, setup):

    a = apply(country, setup)
    approve(country, a)
    badge = credentials.credential_for(a)
    pdf = clients["observer"].get(reverse("observers:badge", args=[a.pk]), **EN).content
    assert decode_qr_codes(pdf) == [f"http://testserver/verify/{badge.token}/"]

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert badge.number in text and "Karimova" in text and "Ochiq jamiyat" in text and "No. 1" in text


@pytest.mark.parametrize("role", ROLES)
def test_organisation_applications_page_per_role(clients, country, setup, role):
    """The coordinator's and the CEC's page; it applies for the organisation's observers only."""
    url = reverse("observers:organization_accreditations", args=[setup.own.pk])
    body = {
        "observer": setup.observer.pk,
        "election": setup.election.pk,
        "district": country.districts["A1"].pk,
        "precinct_numbers": "1",
    }
    page = clients[role].get(url, **EN)
    response = clients[role].post(url, body)
    if role == "anon":
        assert page.status_code == 302 and response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    elif role in ("admin", "cec", "coordinator"):
        assert page.status_code == 200 and "Karimova" in page.content.decode()
        assert response.status_code == 302
    else:
        assert page.status_code == 403 and response.status_code == 403
    assert ObserverAccreditation.objects.filter(observer=setup.observer).exists() == (role in ("admin", "cec", "coordinator"))


def test_organisation_applications_page_refuses_bad_input(clients, country, setup):

    url = reverse("observers:organization_accreditations", args=[setup.own.pk])
    body = {"observer": setup.observer.pk, "election": setup.election.pk, "district": country.districts["A1"].pk}
    bad = clients["coordinator"].post(url, {**body, "precinct_numbers": "1-x"}, **EN)
    assert bad.status_code == 400 and "is not a precinct number or range" in bad.content.decode()
    # another organisation's coordinator neither sees the page nor picks our observer
    other = verified_client(setup.other_coordinator)
    assert other.post(url, {**body, "precinct_numbers": "1"}).status_code == 404
    other_url = reverse("observers:organization_accreditations", args=[setup.other.pk])
    picked = other.post(other_url, {**body, "precinct_numbers": "1"}, **EN)
    assert picked.status_code == 400 and "observer" in picked.context["form"].errors
    assert not ObserverAccreditation.objects.exists()


def test_no_badge_before_approval(clients, country, setup):
    a = apply(country, setup)
    url = reverse("observers:badge", args=[a.pk])
    assert clients["observer"].get(url).status_code == 404
    assert url not in clients["observer"].get(reverse("observers:accreditation_detail", args=[a.pk])).content.decode()
    approve(country, a)
    assert clients["observer"].get(url).content.startswith(b"%PDF")
    assert url in clients["observer"].get(reverse("observers:accreditation_detail", args=[a.pk])).content.decode()


def test_the_badge_says_what_it_covers_in_the_readers_language(clients, country, setup):
    """Issued by an Uzbek-speaking commission, read in Russian and in English (not the issuer's words)."""

    a = apply(country, setup)
    with translation.override("uz"):
        approve(country, a)
    badge = credentials.credential_for(a)
    assert badge.scope_text.startswith("Saylov uchastkalari: ")  # as issued
    page = Client().get(f"/verify/{badge.token}/", HTTP_ACCEPT_LANGUAGE="ru", REMOTE_ADDR="10.66.0.1")
    assert "Избирательные участки: " in page.content.decode()
    assert "Saylov uchastkalari" not in page.content.decode()
    pdf = clients["observer"].get(reverse("observers:badge", args=[a.pk]), **EN).content
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Precincts: No. 1" in text.replace("\n", " ") and "Saylov uchastkalari" not in text
