"""Objections to a registration: who has standing, the calendar deadline, evidence checked by content,
decided by the commission that registered (upheld cancels the registration), pages and API per role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from candidates import selectors, services
from candidates.models import Objection
from core.models import AuditEvent, Notification, StatusChange
from elections.models import Deadline
from tests import factories as f
from tests.candidates.helpers import registered, rival_party_rep, set_rules, submitted, third_party_rep
from tests.candidates.test_nominations import PDF, PNG, setup  # noqa: F401 - the fixture
from tests.conftest import ROLES, verified_client
from tests.factories import make_voter

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reg(country, setup, media):  # noqa: F811
    return registered(country, setup)


@pytest.fixture
def rival(country, setup):  # noqa: F811
    return rival_party_rep(country, setup)


def stored_files(media) -> list:
    return [p for p in media.rglob("objection-evidence/**/*") if p.is_file()]


def file(country, n, actor, text="The candidate's signatures were forged.", evidence=None):
    return services.objection_file(actor=actor, nomination=n, text=text, evidence=evidence)


def nothing_stored(media):
    assert not Objection.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="candidates.objection").exists()
    assert not stored_files(media)


@pytest.mark.parametrize("who", ["party", "candidate", "commission"])
def test_those_with_standing_file(country, setup, reg, rival, media, who, django_capture_on_commit_callbacks):  # noqa: F811
    if who == "party":
        actor = rival[0]
    elif who == "candidate":
        actor = f.UserFactory(username="cand", role=Role.OBSERVER, pinfl=rival[1].voter.pinfl)
    else:
        actor = country.users["precinct"]  # precinct A1-1 lies in the constituency; a district commission registered
    country.users["district"].email = "district@example.org"
    country.users["district"].save()
    with django_capture_on_commit_callbacks(execute=False):
        o = file(country, reg, actor, evidence=SimpleUploadedFile("proof.pdf", PDF))
    assert (o.status, o.standing, o.filed_by, o.nomination) == ("submitted", who, actor, reg)
    assert o.decision.outcome == "registered" and o.evidence_name == "proof.pdf" and len(stored_files(media)) == 1
    assert StatusChange.objects.filter(object_id=o.pk, to_state="submitted").exists()
    assert AuditEvent.objects.filter(action="candidates.objection.file").exists()
    # the party and the commission that registered are told
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"party", "district"} <= recipients


@pytest.mark.parametrize("who", ["own_party", "third_party", "region", "cec", "observer", "journalist"])
def test_no_standing_is_refused_with_the_reason(country, setup, reg, media, who):  # noqa: F811
    actor = third_party_rep(country) if who == "third_party" else country.users["party" if who == "own_party" else who]
    with pytest.raises(PermissionDenied) as err:
        file(country, reg, actor)
    assert "may object to this registration" in str(err.value)
    nothing_stored(media)


def test_only_a_registration_can_be_objected_to(country, setup, rival, media):  # noqa: F811
    n = submitted(country, setup)
    with pytest.raises(ValidationError) as err:
        file(country, n, rival[0])
    assert err.value.code == "not_registered"
    nothing_stored(media)


def test_objections_close_with_the_calendar(country, setup, reg, rival, media):  # noqa: F811
    Deadline.objects.create(election=setup["election"], key="objections_close", due=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError) as err:
        file(country, reg, rival[0], evidence=SimpleUploadedFile("proof.pdf", PDF))
    assert err.value.code == "deadline_passed" and "Objections to registrations close" in err.value.message
    nothing_stored(media)


@pytest.mark.parametrize(
    "content,name,code",
    [
        (PNG, "proof.pdf", "wrong_content"),
        (b"<html><script>alert(1)</script>", "proof.pdf", "wrong_content"),
        (b"MZ\x90\x00 executable", "proof.pdf", "wrong_content"),
        (b"%PDF-" + b"0" * (10 * 2**20), "big.pdf", "too_large"),
    ],
)
def test_bad_evidence_is_refused_and_nothing_stored(country, setup, reg, rival, media, content, name, code):  # noqa: F811
    with pytest.raises(ValidationError) as err:
        file(country, reg, rival[0], evidence=SimpleUploadedFile(name, content))
    assert err.value.error_dict["evidence"][0].code == code
    nothing_stored(media)


def test_empty_text_is_refused(country, setup, reg, rival, media):  # noqa: F811
    with pytest.raises(ValidationError) as err:
        file(country, reg, rival[0], text="   ")
    assert err.value.error_dict["text"][0].code == "required"
    nothing_stored(media)


def test_upheld_cancels_the_registration(client, country, setup, reg, rival, django_capture_on_commit_callbacks):  # noqa: F811
    o = file(country, reg, rival[0])
    district = country.users["district"]
    services.objection_transition(actor=district, objection=o, name="start_review")
    with django_capture_on_commit_callbacks(execute=False):
        services.objection_transition(actor=district, objection=o, name="uphold", reason="Sheets 3-5 forged.")
    o.refresh_from_db()
    reg.refresh_from_db()
    assert (o.status, reg.status) == ("upheld", "revoked")
    change = StatusChange.objects.get(object_id=reg.pk, transition="cancel")
    assert f"objection no. {o.pk} was upheld" in change.reason and "Sheets 3-5 forged." in change.reason
    assert Notification.objects.filter(recipient=country.users["party"], subject__contains="revoked").exists()
    assert Notification.objects.filter(recipient=rival[0], subject__contains="upheld").exists()
    body = client.get(f"/public/elections/{setup['election'].pk}/candidates/").content.decode()
    assert "Rahimov" not in body


def test_dismissed_keeps_the_registration(country, setup, reg, rival):  # noqa: F811
    o = file(country, reg, rival[0])
    with pytest.raises(ValidationError):
        services.objection_transition(actor=country.users["district"], objection=o, name="dismiss")
    services.objection_transition(
        actor=country.users["district"], objection=o, name="dismiss", reason="The signatures were checked against the register."
    )
    o.refresh_from_db()
    reg.refresh_from_db()
    assert (o.status, reg.status) == ("dismissed", "approved")


@pytest.mark.parametrize("who", ["cec", "region", "precinct", "party", "filer"])
def test_only_the_registering_commission_decides(country, setup, reg, rival, who):  # noqa: F811
    o = file(country, reg, rival[0])
    actor = rival[0] if who == "filer" else country.users[who]
    with pytest.raises(PermissionDenied) as err:
        services.objection_transition(actor=actor, objection=o, name="uphold", reason="x")
    assert "You may not" in str(err.value)
    o.refresh_from_db()
    reg.refresh_from_db()
    assert (o.status, reg.status) == ("submitted", "approved")


def test_the_filer_may_withdraw(country, setup, reg, rival):  # noqa: F811
    o = file(country, reg, rival[0])
    with pytest.raises(PermissionDenied):
        services.objection_transition(actor=country.users["district"], objection=o, name="withdraw")
    services.objection_transition(actor=rival[0], objection=o, name="withdraw")
    o.refresh_from_db()
    assert o.status == "withdrawn"


# --------------------------------------------------------------------------- pages


def test_pages_per_role(country, setup, reg, rival, media):  # noqa: F811
    o = file(country, reg, rival[0], evidence=SimpleUploadedFile("proof.pdf", PDF))
    third = third_party_rep(country)
    expect = {
        # who: (objection page, evidence, list per nomination)
        "filer": (200, 200, 404),
        "party": (200, 200, 200),
        "district": (200, 200, 200),
        "cec": (200, 200, 200),
        "region": (200, 200, 200),
        "third": (404, 404, 404),
        "observer": (404, 404, 403),
        "journalist": (404, 404, 403),
        "admin": (200, 200, 200),
        # a precinct commission inside the constituency has standing to object, but reads only what it filed:
        # it does not register the constituency's candidates
        "precinct": (404, 404, 404),
        "coordinator": (404, 404, 403),
        "editor": (404, 404, 403),
    }
    for who, codes in expect.items():
        user = rival[0] if who == "filer" else third if who == "third" else country.users[who]
        client = verified_client(user)
        got = (
            client.get(f"/objections/{o.pk}/").status_code,
            client.get(f"/objections/{o.pk}/evidence/").status_code,
            client.get(f"/nominations/{reg.pk}/objections/").status_code,
        )
        assert got == codes, who
    assert Client().get(f"/objections/{o.pk}/").status_code == 302
    assert verified_client(rival[0]).get(f"/objections/{o.pk}/evidence/").getvalue() == PDF


@pytest.mark.parametrize("who", [*ROLES, "rival"])
def test_the_file_page_and_the_public_link_per_role(country, setup, reg, rival, who):  # noqa: F811
    """Those with standing (another party in the election, a lower commission covering the constituency)
    get the page and the link on the public list; every other role gets 403 and no link."""
    allowed = {"rival", "precinct"}
    public = f"/public/elections/{setup['election'].pk}/candidates/"
    page = f"/nominations/{reg.pk}/objections/new/"
    if who == "anon":
        client = Client()
        assert client.get(page).status_code == 302
    else:
        client = verified_client(rival[0] if who == "rival" else country.users[who])
        response = client.get(page, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == (200 if who in allowed else 403), who
        if who not in allowed:
            assert "may object to this registration" in response.content.decode()
    assert (f'href="{page}"' in client.get(public).content.decode()) == (who in allowed), who


def test_the_file_page(country, setup, reg, rival, media):  # noqa: F811
    client = verified_client(rival[0])
    public = f"/public/elections/{setup['election'].pk}/candidates/"
    assert f'href="/nominations/{reg.pk}/objections/new/"' in client.get(public).content.decode()
    assert "/objections/new/" not in Client().get(public).content.decode()
    assert client.get(f"/nominations/{reg.pk}/objections/new/").status_code == 200
    refused = verified_client(country.users["region"]).get(f"/nominations/{reg.pk}/objections/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403 and "may object to this registration" in refused.content.decode()
    assert verified_client(country.users["party"]).get(f"/nominations/{reg.pk}/objections/new/").status_code == 403
    # a nomination that is not registered is not there for another party
    assert rival[1].status == "draft"
    assert client.get(f"/nominations/{rival[1].pk}/objections/new/").status_code == 404
    bad = client.post(
        f"/nominations/{reg.pk}/objections/new/",
        {"text": "forged", "evidence": SimpleUploadedFile("p.pdf", PNG)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and "The content of this file is not PDF" in bad.content.decode()
    nothing_stored(media)
    good = client.post(f"/nominations/{reg.pk}/objections/new/", {"text": "forged", "evidence": SimpleUploadedFile("p.pdf", PDF)})
    o = Objection.objects.get()
    assert good.status_code == 302 and good.url == f"/objections/{o.pk}/"
    # the rival's representative sees their objection but still not the nomination
    assert client.get(f"/nominations/{reg.pk}/").status_code == 404
    # the commission decides through the page
    district = verified_client(country.users["district"])
    page = district.get(f"/objections/{o.pk}/").content.decode()
    assert 'value="uphold"' in page and 'value="dismiss"' in page
    assert 'value="uphold"' not in client.get(f"/objections/{o.pk}/").content.decode()
    assert f'data-objection="{o.pk}"' in district.get("/nominations/review/").content.decode()
    asked = district.post(f"/objections/{o.pk}/", {"action": "uphold"})
    assert asked.status_code == 200 and 'data-confirm="uphold"' in asked.content.decode()
    reg.refresh_from_db()
    assert reg.status == "approved"  # nothing changes before the confirmation
    district.post(f"/objections/{o.pk}/", {"action": "uphold", "confirm": "1", "reason": "Forged sheets."})
    reg.refresh_from_db()
    assert reg.status == "revoked"


# --------------------------------------------------------------------------- API


def test_api_file_list_and_decide(country, setup, reg, rival, media):  # noqa: F811
    client = verified_client(rival[0])
    bad = client.post(
        "/api/v1/objections/", {"nomination": reg.pk, "text": "forged", "evidence": SimpleUploadedFile("p.pdf", PNG)}
    )
    assert bad.status_code == 400 and bad.json()["errors"]["evidence"]
    nothing_stored(media)
    response = client.post(
        "/api/v1/objections/", {"nomination": reg.pk, "text": "forged", "evidence": SimpleUploadedFile("p.pdf", PDF)}
    )
    assert response.status_code == 201, response.content
    oid = response.json()["id"]
    assert response.json()["status"] == "submitted" and response.json()["has_evidence"]
    third = verified_client(third_party_rep(country))
    assert third.get(f"/api/v1/objections/{oid}/").status_code == 404
    assert third.get("/api/v1/objections/").json()["count"] == 0
    refused = third.post("/api/v1/objections/", {"nomination": reg.pk, "text": "x"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 403 and "may object" in refused.json()["detail"]
    assert third.post("/api/v1/objections/", {"nomination": rival[1].pk, "text": "x"}).status_code == 404
    own = verified_client(country.users["party"])
    assert [o["id"] for o in own.get("/api/v1/objections/").json()["results"]] == [oid]
    denied = own.post(
        f"/api/v1/objections/{oid}/transition/", {"action": "dismiss", "reason": "no"}, content_type="application/json"
    )
    assert denied.status_code == 403
    decided = verified_client(country.users["district"]).post(
        f"/api/v1/objections/{oid}/transition/", {"action": "uphold", "reason": "forged"}, content_type="application/json"
    )
    assert decided.status_code == 200 and decided.json()["status"] == "upheld"
    assert own.get(f"/api/v1/nominations/{reg.pk}/").json()["status"] == "revoked"
    assert verified_client(country.users["observer"]).get(f"/api/v1/objections/{oid}/").status_code == 404


def test_objection_queue_by_decide_by(country, setup, reg, rival):  # noqa: F811
    """The queue follows "decide by", not filing time: the two disagree here because the two elections give
    their commissions different numbers of days (the objection filed later must be decided first)."""

    set_rules(setup["election"], objection_decision_days=10)
    slow = file(country, reg, rival[0])
    Objection.objects.filter(pk=slow.pk).update(filed_at=timezone.now() - timedelta(days=1))  # due in 9 days
    # a second election, in the same district, whose rule gives the commission 2 days
    quick_election = f.ElectionFactory(
        election_day=timezone.localdate() + timedelta(days=70), rules={"objection_decision_days": 2}
    )
    constituency = f.ConstituencyFactory(election=quick_election, number=1, name_uz="1-okrug")
    constituency.precincts.set([country.precincts["A1-1"], country.precincts["A1-2"]])
    reg2 = registered(country, {**setup, "election": quick_election, "single": constituency})
    quick = file(country, reg2, country.users["precinct"])  # filed now, due in 2 days
    slow, quick = Objection.objects.get(pk=slow.pk), Objection.objects.get(pk=quick.pk)
    assert slow.filed_at < quick.filed_at and quick.decide_by < slow.decide_by  # the orders disagree
    assert quick.decide_by == quick.filed_at + timedelta(days=2)
    assert slow.decide_by == slow.filed_at + timedelta(days=10)
    queue = selectors.objections_to_decide(country.users["district"])
    assert queue == [quick, slow]
    assert [o.decide_by for o in queue] == [quick.decide_by, slow.decide_by]
    assert selectors.objections_to_decide(country.users["region"]) == []  # not the registering commission
    assert selectors.objections_to_decide(country.users["party"]) == []
    page = verified_client(country.users["district"]).get("/nominations/review/").content.decode()
    assert page.index(f'data-objection="{quick.pk}"') < page.index(f'data-objection="{slow.pk}"')


@pytest.mark.parametrize("who", ["rival", "precinct"])
def test_the_public_list_asks_standing_in_a_few_queries(country, setup, reg, rival, who):  # noqa: F811
    """Standing is worked out once per party, election and constituency, not again for every candidate."""

    client = verified_client(rival[0] if who == "rival" else country.users[who])
    url = f"/public/elections/{setup['election'].pk}/candidates/"

    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert f'href="/nominations/{reg.pk}/objections/new/"' in client.get(url).content.decode()
        return len(seen)

    few = queries()
    for i in range(6):  # six more registered candidates of the same party and constituency
        voter = make_voter(country.precincts["A1-2"], surname=f"Nomzod{'abcdef'[i]}", birth_date=date(1960, 1, i + 1))
        f.NominationFactory(party=reg.party, election=reg.election, constituency=reg.constituency, voter=voter, status="approved")
    # a commission member still reads each candidate's registration decision (one query each)
    assert queries() <= few + (6 if who == "precinct" else 0)
