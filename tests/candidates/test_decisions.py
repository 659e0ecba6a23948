"""Registration decisions: reasoned, with the signature result weighed; refused on insufficient signatures
unless the rules exempt the party; shown on the nomination page and in the API, only to those who see it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from candidates import services
from candidates.models import Nomination, RegistrationDecision, SignatureCheck
from candidates.signatures import signatures_upload
from core.models import AuditEvent
from tests.candidates.helpers import registered, rival_party_rep, set_rules, submitted
from tests.candidates.test_nominations import setup  # noqa: F401 - the fixture
from tests.candidates.test_signatures import row, sheet, signers, verify  # noqa: F401 - fixtures
from tests.candidates.test_signatures_api import pdf_text
from tests.conftest import ROLES, verified_client

pytestmark = pytest.mark.django_db


def approve(country, n, actor="district", reason="Documents complete; signatures sufficient."):
    return services.nomination_transition(actor=country.users[actor], nomination=n, name="approve", reason=reason)


def assert_unchanged(n, status="submitted"):
    n.refresh_from_db()
    assert n.status == status
    assert not RegistrationDecision.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["candidates.nomination.approve", "candidates.decision.record"]).exists()


def test_no_verified_signatures_refuses_registration(country, setup):  # noqa: F811
    n = submitted(country, setup)
    with pytest.raises(ValidationError) as err:
        approve(country, n)
    assert err.value.code == "signatures_missing"
    assert "none have been verified" in err.value.message
    assert_unchanged(n)


def test_insufficient_signatures_refuse_registration_naming_the_failed_check(country, setup, signers):  # noqa: F811
    set_rules(setup["election"], signatures_required=3)
    n = submitted(country, setup)
    upload = verify(country, n, [row(signers[0]), row(signers[1]), row(signers[2], surname="Boshqa")])
    assert upload.valid == 2 and upload.result["decision"]["accepted"] is False
    with pytest.raises(ValidationError) as err:
        approve(country, n)
    assert err.value.code == "signatures_insufficient"
    assert (
        "not sufficient (Valid signatures (at least) 3, found 2; Share of invalid signatures (at most) 0.05, found 0.3333)."
    ) in err.value.message
    assert_unchanged(n)


def test_a_check_has_one_label_on_the_page_in_the_pdf_and_in_the_refusal(country, setup, signers):  # noqa: F811
    """The failed check is named with the same words wherever it is shown (``SignatureCheck``), translated."""

    set_rules(setup["election"], signatures_required=3)
    n = submitted(country, setup)
    upload = verify(country, n, [row(signers[0]), row(signers[1]), row(signers[2], surname="Boshqa")])
    label = "Valid signatures (at least)"
    assert SignatureCheck.REQUIRED.label == label
    with pytest.raises(ValidationError) as err:
        approve(country, n)
    assert f"({label} 3, found 2; " in err.value.message
    client = verified_client(country.users["party"])
    page = client.get(f"/nominations/{n.pk}/signatures/{upload.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<tr data-check="required"><td>{label}</td>' in page
    pdf = client.get(f"/nominations/{n.pk}/signatures/{upload.pk}/report.pdf", HTTP_ACCEPT_LANGUAGE="en").content
    assert label in pdf_text(pdf)
    # the label keeps its translations (the msgid the page and the PDF always used)
    with translation.override("ru"), pytest.raises(ValidationError) as err:
        approve(country, n)
    assert "Действительных подписей (не менее)" in err.value.message
    page = client.get(f"/nominations/{n.pk}/signatures/{upload.pk}/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<tr data-check="required"><td>Действительных подписей (не менее)</td>' in page
    assert_unchanged(n)


def test_sufficient_signatures_register_with_a_decision_record(country, setup, signers):  # noqa: F811
    set_rules(setup["election"], signatures_required=2, signature_sample_size=2)
    n = submitted(country, setup)
    upload = verify(country, n, [row(signers[0]), row(signers[1]), row(signers[2])])
    approve(country, n)
    n.refresh_from_db()
    assert n.status == "approved"
    d = RegistrationDecision.objects.get()
    assert (d.nomination, d.outcome, d.decided_by, d.signature_upload) == (n, "registered", country.users["district"], upload)
    assert d.reason == "Documents complete; signatures sufficient."
    assert d.commission.level == "district" and d.commission.district == country.districts["A1"]
    assert d.signatures["totals"]["valid"] == 3 and d.signatures["seed"] == upload.seed
    assert d.signatures["decision"]["accepted"] is True and d.signatures["decision"]["sample"]["size"] == 2
    assert not d.signatures_exempt
    event = AuditEvent.objects.get(action="candidates.decision.record")
    assert event.after["signature_upload"] == upload.pk and event.after["sufficient"] is True


def test_the_latest_verified_upload_decides(country, setup, signers):  # noqa: F811
    set_rules(setup["election"], signatures_required=2)
    n = submitted(country, setup)
    verify(country, n, [row(signers[0]), row(signers[1])])  # sufficient
    newer = verify(country, n, [row(signers[0]), row(signers[1], surname="Boshqa")])  # a later, worse file
    with pytest.raises(ValidationError) as err:
        approve(country, n)
    assert err.value.code == "signatures_insufficient"
    verify(country, n, [row(signers[0]), row(signers[1]), row(signers[2])])
    pending = signatures_upload(actor=country.users["party"], nomination=n, uploaded_file=sheet([row(signers[0])]))
    with pytest.raises(ValidationError) as err:
        approve(country, n)
    assert err.value.code == "signatures_pending"
    assert_unchanged(n)
    pending.delete()
    approve(country, n)
    assert RegistrationDecision.objects.get().signature_upload != newer


def test_exempt_party_registers_without_signatures(country, setup):  # noqa: F811
    set_rules(setup["election"], signature_exempt_parties=[setup["own"].registration_number])
    n = submitted(country, setup)
    approve(country, n)
    d = RegistrationDecision.objects.get()
    assert d.outcome == "registered" and d.signatures_exempt and d.signature_upload is None and d.signatures == {}


def test_the_exemption_is_per_party(country, setup):  # noqa: F811
    set_rules(setup["election"], signature_exempt_parties=[setup["other"].registration_number])
    n = submitted(country, setup)
    with pytest.raises(ValidationError) as err:
        approve(country, n)
    assert err.value.code == "signatures_missing"


def test_a_decision_needs_a_reason(country, setup):  # noqa: F811
    set_rules(setup["election"], signatures_required=0)
    n = submitted(country, setup)
    for name in ("approve", "reject"):
        with pytest.raises(ValidationError) as err:
            services.nomination_transition(actor=country.users["district"], nomination=n, name=name, reason=" ")
        assert "reason" in err.value.error_dict
    assert_unchanged(n)


def test_refusal_records_the_signatures_considered(country, setup, signers):  # noqa: F811
    set_rules(setup["election"], signatures_required=5)
    n = submitted(country, setup)
    upload = verify(country, n, [row(signers[0])])
    services.nomination_transition(actor=country.users["cec"], nomination=n, name="reject", reason="Too few valid signatures.")
    d = RegistrationDecision.objects.get()
    assert (d.outcome, d.signature_upload, d.commission.level) == ("refused", upload, "central")
    assert d.signatures["decision"]["accepted"] is False


def test_cancel_is_not_a_direct_action(country, setup):  # noqa: F811
    n = registered(country, setup)
    with pytest.raises(ValidationError) as err:
        services.nomination_transition(actor=country.users["cec"], nomination=n, name="cancel", reason="no")
    assert err.value.code == "objection_required"
    page = verified_client(country.users["district"]).get(f"/nominations/{n.pk}/").content.decode()
    assert 'value="cancel"' not in page
    n.refresh_from_db()
    assert n.status == "approved"


def test_page_refusal_shows_the_reason(country, setup):  # noqa: F811
    n = submitted(country, setup)
    client = verified_client(country.users["district"])
    response = client.post(
        f"/nominations/{n.pk}/", {"action": "approve", "confirm": "1", "reason": "ok"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "none have been verified" in response.content.decode()
    assert_unchanged(n)


@pytest.mark.parametrize("role", ROLES)
def test_decision_on_page_and_api_per_role(clients, country, setup, signers, role):  # noqa: F811
    set_rules(setup["election"], signatures_required=2)
    n = submitted(country, setup)
    verify(country, n, [row(signers[0]), row(signers[1])])
    approve(country, n)
    page = clients[role].get(f"/nominations/{n.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    api = clients[role].get(f"/api/v1/nominations/{n.pk}/")
    if role in ("admin", "cec", "party", "region", "district"):  # not precinct A1-1: it does not register
        body = page.content.decode()
        assert page.status_code == 200 and 'data-outcome="registered"' in body
        assert 'data-signatures="sufficient"' in body and "Documents complete; signatures sufficient." in body
        decision = api.json()["decision"]
        assert decision["outcome"] == "registered" and decision["signatures"]["totals"]["valid"] == 2
        assert decision["commission"] == RegistrationDecision.objects.get().commission.code
    else:
        assert page.status_code in (302, 403, 404) and api.status_code in (403, 404)
        assert "signatures sufficient" not in page.content.decode() + api.content.decode()


def test_another_party_sees_no_decision(country, setup):  # noqa: F811
    n = registered(country, setup)
    rival, _rival_nomination = rival_party_rep(country, setup)
    client = verified_client(rival)
    assert client.get(f"/nominations/{n.pk}/").status_code == 404
    assert client.get(f"/api/v1/nominations/{n.pk}/").status_code == 404
    listed = client.get("/api/v1/nominations/").json()["results"]
    assert [x["id"] for x in listed] == [_rival_nomination.pk]


def test_api_registration_refused_with_the_reason(country, setup):  # noqa: F811
    n = submitted(country, setup)
    response = verified_client(country.users["district"]).post(
        f"/api/v1/nominations/{n.pk}/transition/",
        {"action": "approve", "reason": "ok"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "none have been verified" in response.json()["errors"]["non_field_errors"][0]
    assert Nomination.objects.get().status == "submitted"
