"""Corrections, status changes, precinct assignment and duplicates: through the services and the pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from tests.factories import make_voter
from tests.pages import EN, errorlists
from voters import dedup, selectors, services
from voters.models import AssignmentRule, DuplicateCandidate, Voter, VoterChange, VoterStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def edit_form(voter, **changes):
    data = {
        "surname": voter.surname,
        "given_name": voter.given_name,
        "patronymic": voter.patronymic,
        "passport": voter.passport,
        "mahalla": voter.mahalla_id or "",
        "street": voter.street,
        "house": voter.house,
        "flat": voter.flat,
        "reason": "registry typo",
        "version": voter.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def voter(country):
    return make_voter(country.precincts["A1-1"], surname="Aliyev", given_name="Bobur", passport="AA1234567")


def audit(action, obj):
    return AuditEvent.objects.filter(action=action, object_id=str(obj.pk))


# --------------------------------------------------------------------------- corrections


def test_edit_bumps_version_and_writes_history_and_audit(clients, voter):
    response = clients["district"].post(f"/voters/{voter.pk}/edit/", edit_form(voter, surname="Aliev", house="7"))
    assert response.status_code == 302
    assert response["Location"] == f"/voters/{voter.pk}/"
    fresh = Voter.objects.get(pk=voter.pk)
    assert (fresh.surname, fresh.house, fresh.version) == ("Aliev", "7", 2)
    assert fresh.surname_key == "aliev"
    change = VoterChange.objects.get(voter=voter)
    assert change.kind == VoterChange.Kind.CORRECTION
    assert change.changes == {"surname": ["Aliyev", "Aliev"], "house": ["1", "7"]}
    assert change.reason == "registry typo"
    assert change.actor.username == "district"
    event = audit("voters.voter.correct", voter).get()
    assert event.actor.username == "district"
    assert event.before == {"surname": "Aliyev", "house": "1"}
    assert event.after == {"surname": "Aliev", "house": "7"}


def test_stale_edit_is_refused_with_409_and_changes_nothing(clients, country, voter):
    # someone else saved the record after this official opened the form (version 1)
    services.voter_update(
        actor=country.users["cec"],
        voter=voter,
        data={"street": "Mustaqillik"},
        expected_version=1,
        reason="moved within the mahalla",
    )
    response = clients["district"].post(f"/voters/{voter.pk}/edit/", edit_form(voter, surname="Stale", version=1), **EN)
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed by someone else" in body and "nothing was saved" in body
    fresh = Voter.objects.get(pk=voter.pk)
    assert (fresh.surname, fresh.street, fresh.version) == ("Aliyev", "Mustaqillik", 2)
    assert VoterChange.objects.filter(voter=voter).count() == 1
    assert not audit("voters.voter.correct", voter).filter(actor__username="district").exists()


def test_stale_edit_in_the_service(country, voter):
    with pytest.raises(ValidationError) as exc:
        services.voter_update(actor=country.users["district"], voter=voter, data={"surname": "X"}, expected_version=0, reason="r")
    assert exc.value.code == "stale"
    assert Voter.objects.get(pk=voter.pk).surname == "Aliyev"


@pytest.mark.parametrize(
    "field,value",
    [
        ("surname", '=HYPERLINK("http://evil")'),
        ("given_name", "+998901234567"),
        ("surname", "<script>alert(1)</script>"),
        ("patronymic", "@SUM(A1)"),
        ("street", "<script>alert(1)</script>"),
        ("street", "=cmd|' /C calc'!A0"),
    ],
)
def test_edit_page_refuses_formulas_and_markup(clients, voter, field, value):
    response = clients["district"].post(f"/voters/{voter.pk}/edit/", edit_form(voter, **{field: value}))
    assert response.status_code == 400  # the form is shown again with the service's error on the field
    assert errorlists(response.content.decode())
    fresh = Voter.objects.get(pk=voter.pk)
    assert getattr(fresh, field) == getattr(voter, field) and fresh.version == 1
    assert not VoterChange.objects.filter(voter=voter).exists()
    assert "<script>alert(1)</script>" not in response.content.decode()  # escaped when echoed


@pytest.mark.parametrize(
    "field,value",
    [
        ("surname", '=HYPERLINK("http://evil")'),
        ("surname", "<script>alert(1)</script>"),
        ("street", "<script>alert(1)</script>"),
    ],
)
def test_service_refuses_formulas_and_markup(country, voter, field, value):
    """The service owns the rule (DESIGN: services validate every write), not only the page's form."""
    with pytest.raises(ValidationError):
        services.voter_update(actor=country.users["district"], voter=voter, data={field: value}, expected_version=1, reason="r")
    fresh = Voter.objects.get(pk=voter.pk)
    assert getattr(fresh, field) == getattr(voter, field) and fresh.version == 1


def test_edit_requires_a_reason(country, voter):
    with pytest.raises(ValidationError):
        services.voter_update(
            actor=country.users["district"], voter=voter, data={"surname": "Aliev"}, expected_version=1, reason="  "
        )
    assert Voter.objects.get(pk=voter.pk).version == 1


def test_edit_out_of_scope_in_the_service(country, voter):
    other = make_voter(country.precincts["B1-1"])
    with pytest.raises(PermissionDenied):
        services.voter_update(actor=country.users["district"], voter=other, data={"surname": "X"}, expected_version=1, reason="r")
    with pytest.raises(PermissionDenied):
        services.voter_update(actor=country.users["party"], voter=voter, data={"surname": "X"}, expected_version=1, reason="r")


# --------------------------------------------------------------------------- status


def status_post(client, voter, **data):
    payload = {"status": "deceased", "reason": "death certificate 123", "version": voter.version}
    payload.update(data)
    return client.post(f"/voters/{voter.pk}/status/", payload, **EN)


def test_deceased_requires_a_document(clients, voter):
    response = status_post(clients["district"], voter)
    assert response.status_code == 400
    assert "Attach the death certificate" in response.content.decode()
    assert Voter.objects.get(pk=voter.pk).status == VoterStatus.ACTIVE


def test_deceased_requires_a_reason(clients, country, voter):
    response = status_post(
        clients["district"], voter, reason="", document=SimpleUploadedFile("death.pdf", PDF, content_type="application/pdf")
    )
    assert response.status_code in (200, 400)
    assert errorlists(response.content.decode())
    assert Voter.objects.get(pk=voter.pk).status == VoterStatus.ACTIVE
    with pytest.raises(ValidationError):
        services.voter_set_status(
            actor=country.users["district"],
            voter=voter,
            status="deceased",
            reason=" ",
            expected_version=1,
            document=SimpleUploadedFile("death.pdf", PDF),
        )
    assert not VoterChange.objects.filter(voter=voter).exists()


def test_document_must_be_a_pdf_or_image(clients, voter):
    response = status_post(
        clients["district"],
        voter,
        document=SimpleUploadedFile("death.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
    )
    assert "Upload a PDF, PNG or JPEG file." in response.content.decode()
    assert Voter.objects.get(pk=voter.pk).status == VoterStatus.ACTIVE
    assert not VoterChange.objects.filter(voter=voter).exists()


def test_deceased_with_document(clients, voter):
    response = status_post(
        clients["district"], voter, document=SimpleUploadedFile("death.pdf", PDF, content_type="application/pdf")
    )
    assert response.status_code == 302
    fresh = Voter.objects.get(pk=voter.pk)
    assert (fresh.status, fresh.status_reason, fresh.version) == ("deceased", "death certificate 123", 2)
    change = VoterChange.objects.get(voter=voter)
    assert change.kind == VoterChange.Kind.DEATH
    assert change.changes == {"status": ["active", "deceased"]}
    with change.document.open("rb") as fh:
        assert fh.read().startswith(b"%PDF")
    assert audit("voters.voter.status", voter).get().after["status"] == "deceased"
    # the document is downloadable by an official of the area, not by one of another district
    url = f"/voters/{voter.pk}/changes/{change.pk}/document/"
    assert b"".join(clients["district"].get(url).streaming_content).startswith(b"%PDF")
    assert clients["precinct"].get(url).status_code == 200
    # off every list
    assert fresh.pk not in {v.pk for v in selectors.precinct_voters(fresh.precinct)}


def test_stale_status_change_is_409(clients, country, voter):
    """Same optimistic locking as a correction: the same answer (409) and nothing saved."""
    services.voter_update(actor=country.users["cec"], voter=voter, data={"house": "9"}, expected_version=1, reason="r")
    response = status_post(clients["district"], voter, status="excluded", reason="emigrated", version=1)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert Voter.objects.get(pk=voter.pk).status == VoterStatus.ACTIVE


def test_excluded_needs_no_document(clients, voter):
    response = status_post(clients["district"], voter, status="excluded", reason="citizenship ended")
    assert response.status_code == 302
    assert VoterChange.objects.get(voter=voter).kind == VoterChange.Kind.STATUS


# --------------------------------------------------------------------------- precinct assignment


@pytest.fixture
def a1(country):
    return country.districts["A1"], country.mahallas["A1"], country.precincts["A1-1"], country.precincts["A1-2"]


def test_assignment_preview_then_apply(country, a1):
    district, mahalla, p1, p2 = a1
    movers = [make_voter(p1, given_name=n) for n in ("Anvar", "Aziz", "Akmal")]
    stays = make_voter(p2, given_name="Bahodir")
    outside = make_voter(country.precincts["B1-1"], given_name="Erkin")
    AssignmentRule.objects.create(mahalla=mahalla, precinct=p2)
    AssignmentRule.objects.create(mahalla=country.mahallas["B1"], precinct=country.precincts["B1-2"])

    assert services.assignment_preview(district_ids=[district.pk]) == [{"from": p1.pk, "to": p2.pk, "voters": 3}]
    assert Voter.objects.filter(precinct=p2).count() == 1  # a preview moves nobody

    moved = services.assignment_apply(actor=country.users["district"], district_ids=[district.pk])
    assert moved == 3
    assert set(Voter.objects.filter(precinct=p2).values_list("pk", flat=True)) == {v.pk for v in movers} | {stays.pk}
    for v in movers:
        change = VoterChange.objects.get(voter=v)
        assert change.kind == VoterChange.Kind.ASSIGNMENT
        assert change.changes == {"precinct_id": [p1.pk, p2.pk]}
        assert Voter.objects.get(pk=v.pk).version == 2
    assert not VoterChange.objects.filter(voter=stays).exists()
    assert Voter.objects.get(pk=outside.pk).precinct == country.precincts["B1-1"]  # another district: untouched
    assert AuditEvent.objects.filter(action="voters.assignment.apply").count() == 1
    assert services.assignment_preview(district_ids=[district.pk]) == []


def test_district_official_apply_stays_in_district(country, a1):
    _district, _mahalla, p1, _p2 = a1
    outside = make_voter(country.precincts["B1-1"], given_name="Erkin")
    AssignmentRule.objects.create(mahalla=country.mahallas["B1"], precinct=country.precincts["B1-2"])
    make_voter(p1)
    assert services.assignment_apply(actor=country.users["district"], district_ids=None) == 0
    assert services.assignment_apply(actor=country.users["district"], district_ids=[country.districts["B1"].pk]) == 0
    assert Voter.objects.get(pk=outside.pk).precinct == country.precincts["B1-1"]
    with pytest.raises(PermissionDenied):
        services.assignment_apply(actor=country.users["precinct"], district_ids=[country.districts["A1"].pk])


def test_assignment_page_preview_and_apply(clients, country, a1):
    district, mahalla, p1, p2 = a1
    for n in ("Anvar", "Aziz"):
        make_voter(p1, given_name=n)
    url = f"/voters/assignment/?district={district.pk}"
    response = clients["district"].post(url, {"mahalla": mahalla.pk, "street": "", "precinct": p2.pk}, **EN)
    assert response.status_code == 302
    rule = AssignmentRule.objects.get(mahalla=mahalla)
    assert rule.precinct == p2
    body = clients["district"].get(url, **EN).content.decode()
    assert "2 voters move from precinct 1 to 2" in body
    assert Voter.objects.filter(precinct=p2).count() == 0
    # the button asks first: how many move, and why; nothing moves before the confirmation
    asked = clients["district"].post(url, {"action": "apply"}, **EN)
    assert asked.status_code == 200 and "2 voters will move to another precinct" in asked.content.decode()
    assert Voter.objects.filter(precinct=p2).count() == 0
    refused = clients["district"].post(url, {"action": "apply", "confirm": "1", "reason": ""}, **EN)
    assert refused.status_code == 400 and "Say why: the reason goes on the record." in refused.content.decode()
    assert Voter.objects.filter(precinct=p2).count() == 0
    markup = clients["district"].post(url, {"action": "apply", "confirm": "1", "reason": "<script>"}, **EN)
    assert markup.status_code == 400 and "&lt; &gt; are not allowed" in markup.content.decode()
    assert Voter.objects.filter(precinct=p2).count() == 0
    response = clients["district"].post(url, {"action": "apply", "confirm": "1", "reason": "New school opened"}, **EN)
    assert response.status_code == 302
    assert Voter.objects.filter(precinct=p2).count() == 2
    changes = VoterChange.objects.filter(kind="assignment")
    assert changes.count() == 2 and {c.reason for c in changes} == {"precinct assignment rules changed: New school opened"}
    event = AuditEvent.objects.get(action="voters.assignment.apply")
    assert event.after["reason"] == "New school opened" and event.after["moved"] == 2
    assert "Every voter is already on the precinct the rules give." in clients["district"].get(url, **EN).content.decode()


def test_street_rule_with_house_range_beats_mahalla_rule(country, a1):
    district, mahalla, p1, p2 = a1
    in_range = make_voter(p1, given_name="Anvar", street="Navoiy", house="5a")
    past_range = make_voter(p2, given_name="Aziz", street="Navoiy", house="12")
    other_street = make_voter(p1, given_name="Akmal", street="Bobur", house="5")
    lower_case = make_voter(p1, given_name="Alisher", street="navoiy", house="10")
    AssignmentRule.objects.create(mahalla=mahalla, precinct=p1)
    AssignmentRule.objects.create(mahalla=mahalla, street="Navoiy", house_from=1, house_to=10, precinct=p2)

    preview = {(m["from"], m["to"]): m["voters"] for m in services.assignment_preview(district_ids=[district.pk])}
    assert preview == {(p1.pk, p2.pk): 2, (p2.pk, p1.pk): 1}
    services.assignment_apply(actor=country.users["cec"], district_ids=[district.pk])
    where = dict(Voter.objects.values_list("pk", "precinct_id"))
    assert where[in_range.pk] == p2.pk
    assert where[lower_case.pk] == p2.pk
    assert where[past_range.pk] == p1.pk
    assert where[other_street.pk] == p1.pk


def test_rule_service_refuses_house_range_without_street(country, a1):
    """A house range only means something for a street: the form says so, the service must too."""
    _district, mahalla, p1, p2 = a1
    with pytest.raises(ValidationError):
        services.assignment_rule_save(
            actor=country.users["district"], mahalla=mahalla, precinct=p2, street="", house_from=1, house_to=5
        )
    assert not AssignmentRule.objects.exists()


def test_rule_service_refuses_precinct_of_another_district(country, a1):
    _district, mahalla, _p1, _p2 = a1
    with pytest.raises(ValidationError):
        services.assignment_rule_save(actor=country.users["cec"], mahalla=mahalla, precinct=country.precincts["A2-1"])
    with pytest.raises(PermissionDenied):
        services.assignment_rule_save(
            actor=country.users["district"], mahalla=country.mahallas["B1"], precinct=country.precincts["B1-1"]
        )


def test_correction_of_address_follows_the_rules(country, a1):
    _district, mahalla, p1, p2 = a1
    voter = make_voter(p1, street="Bobur", house="3")
    AssignmentRule.objects.create(mahalla=mahalla, street="Navoiy", precinct=p2)
    services.voter_update(
        actor=country.users["district"], voter=voter, data={"street": "Navoiy"}, expected_version=1, reason="moved"
    )
    assert Voter.objects.get(pk=voter.pk).precinct == p2


# --------------------------------------------------------------------------- duplicates


@pytest.fixture
def pair(country):
    p = country.precincts["A1-1"]
    a = make_voter(p, given_name="Bobur", patronymic="Karimovich")
    b = make_voter(p, surname="Алиев", given_name="Бобур", patronymic="Каримович")
    VoterChange.objects.create(voter=b, kind=VoterChange.Kind.IMPORT, changes={"street": ["A", "Navoiy"]})
    a, b = sorted((a, b), key=lambda v: v.pk)
    cand = DuplicateCandidate.objects.create(voter_a=a, voter_b=b, score=0.97, evidence={"names": "transliterated"})
    return a, b, cand


def test_confirm_duplicate_through_the_page(clients, country, pair):
    a, b, cand = pair
    history_of_b = set(VoterChange.objects.filter(voter=b).values_list("pk", flat=True))
    response = clients["district"].post(
        f"/voters/duplicates/{cand.pk}/", {"decision": "keep_a", "reason": "Same passport", "confirm": "1"}
    )
    assert response.status_code == 302
    cand.refresh_from_db()
    assert cand.decision == DuplicateCandidate.Decision.CONFIRMED and cand.decided_by.username == "district"
    retired = Voter.objects.get(pk=b.pk)
    assert retired.merged_into_id == a.pk
    assert retired.status == VoterStatus.EXCLUDED
    assert retired.version == b.version + 1
    # the history follows the person
    assert history_of_b <= set(VoterChange.objects.filter(voter=a).values_list("pk", flat=True))
    assert VoterChange.objects.filter(voter=a, kind="merge").get().changes == {"merged_from": [None, b.pinfl]}
    assert VoterChange.objects.filter(voter=b, kind="merge").exists()
    assert AuditEvent.objects.filter(action="voters.duplicate.confirm", object_id=str(cand.pk)).count() == 1
    # closed, off the lists and the counts
    assert not selectors.duplicates_open(country.users["cec"]).exists()
    assert clients["district"].get("/api/v1/duplicates/").json()["count"] == 0
    assert [v.pk for v in selectors.precinct_voters(country.precincts["A1-1"])] == [a.pk]
    assert sum(r["n"] for r in selectors.counts_by_area(country.users["cec"])) == 1


def test_confirm_keeping_b(country, pair):
    a, b, cand = pair
    services.duplicate_confirm(actor=country.users["cec"], candidate=cand, keep=b)
    assert Voter.objects.get(pk=a.pk).merged_into_id == b.pk
    assert Voter.objects.get(pk=b.pk).merged_into_id is None
    with pytest.raises(ValidationError):  # decided once
        services.duplicate_confirm(actor=country.users["cec"], candidate=cand, keep=b)


def test_reject_duplicate_is_never_proposed_again(clients, country, pair):
    a, b, cand = pair
    response = clients["district"].post(
        f"/voters/duplicates/{cand.pk}/", {"decision": "different", "reason": "Twins", "confirm": "1"}
    )
    assert response.status_code == 302
    cand.refresh_from_db()
    assert cand.decision == DuplicateCandidate.Decision.REJECTED
    assert not selectors.duplicates_open(country.users["cec"]).exists()
    assert clients["cec"].get("/api/v1/duplicates/").json()["count"] == 0
    assert "Nothing to review." in clients["district"].get("/voters/duplicates/", **EN).content.decode()
    assert clients["district"].get(f"/voters/duplicates/{cand.pk}/").status_code == 404
    # both records stay, untouched
    assert set(Voter.objects.filter(status="active", merged_into__isnull=True).values_list("pk", flat=True)) == {a.pk, b.pk}
    assert AuditEvent.objects.filter(action="voters.duplicate.reject", object_id=str(cand.pk)).count() == 1
    with pytest.raises(ValidationError):
        services.duplicate_reject(actor=country.users["cec"], candidate=cand)


def test_rejected_pair_is_not_proposed_by_a_new_scan(country, pair):

    a, b, cand = pair
    services.duplicate_reject(actor=country.users["cec"], candidate=cand)
    dedup.scan()
    assert not DuplicateCandidate.objects.filter(decision="open").exists()
    assert DuplicateCandidate.objects.filter(voter_a=a, voter_b=b).get().decision == "rejected"


def test_duplicate_api_confirm(clients, country, pair):
    a, b, cand = pair
    response = clients["cec"].post(f"/api/v1/duplicates/{cand.pk}/confirm/", {"keep": 999999}, content_type="application/json")
    assert response.status_code == 400
    response = clients["cec"].post(f"/api/v1/duplicates/{cand.pk}/confirm/", {"keep": b.pk}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["decision"] == "confirmed"
    assert Voter.objects.get(pk=a.pk).merged_into_id == b.pk


def test_a_post_without_a_decision_merges_nothing(clients, pair):
    """Merging is irreversible: only an explicit "keep a" / "keep b" may confirm a pair."""
    a, b, cand = pair
    for payload in ({}, {"decision": "Reject"}, {"keep": "c"}):
        clients["district"].post(f"/voters/duplicates/{cand.pk}/", payload)
        cand.refresh_from_db()
        assert cand.decision == DuplicateCandidate.Decision.OPEN, payload
        assert Voter.objects.filter(merged_into__isnull=False).count() == 0, payload


def test_a_retired_record_cannot_be_kept(country, pair):
    """A, B and C are one person: after B is merged into A, the pair (B, C) must not merge C into retired B."""
    a, b, cand = pair
    c = make_voter(country.precincts["A1-1"], given_name="Bobur", patronymic="Karimovich", street="Bobur")
    second = DuplicateCandidate.objects.create(voter_a=b, voter_b=c, score=0.95, evidence={})
    services.duplicate_confirm(actor=country.users["cec"], candidate=cand, keep=a)
    b.refresh_from_db()
    with pytest.raises(ValidationError):
        services.duplicate_confirm(actor=country.users["cec"], candidate=second, keep=b)
    c.refresh_from_db()
    assert c.status == VoterStatus.ACTIVE and c.merged_into_id is None


def test_a_record_merged_by_a_confirmed_duplicate_is_changed_no_more(clients, country, voter):
    retired = make_voter(country.precincts["A1-1"], surname=voter.surname, given_name=voter.given_name)
    retired.merged_into, retired.status = voter, VoterStatus.EXCLUDED
    retired.save()
    response = status_post(clients["district"], retired, status="active", reason="a mistake", version=retired.version)
    assert response.status_code in (400, 409) and "merged into another voter" in response.content.decode()
    with pytest.raises(ValidationError) as err:
        services.voter_update(
            actor=country.users["district"], voter=retired, data={"house": "9"}, expected_version=retired.version, reason="r"
        )
    assert err.value.code == "merged"
    fresh = Voter.objects.get(pk=retired.pk)
    assert (fresh.status, fresh.house, fresh.version) == (VoterStatus.EXCLUDED, retired.house, retired.version)
    assert not VoterChange.objects.filter(voter=retired).exists()


# --------------------------------------------------------------------------- the services leave callers' data alone


def test_a_correction_leaves_the_callers_data_as_it_was(country, voter):
    data = {"surname": "  Aliyev  ", "house": " 7 "}
    services.voter_update(actor=country.users["district"], voter=voter, data=data, expected_version=1, reason="registry typo")
    assert data == {"surname": "  Aliyev  ", "house": " 7 "}
    assert Voter.objects.get(pk=voter.pk).house == "7"


@pytest.mark.parametrize("reason", ["<b>died</b>", '=HYPERLINK("x")', "line\x00break"])
def test_a_status_reason_follows_the_text_rule_and_changes_nothing(clients, country, voter, reason):
    with pytest.raises(ValidationError) as exc:
        services.voter_set_status(
            actor=country.users["district"], voter=voter, status="excluded", reason=reason, expected_version=1
        )
    assert "reason" in exc.value.message_dict
    fresh = Voter.objects.get(pk=voter.pk)
    assert (fresh.status, fresh.version) == (VoterStatus.ACTIVE, 1)
    assert not VoterChange.objects.filter(voter=voter).exists()
    assert not audit("voters.voter.status", voter).exists()
    response = status_post(clients["district"], voter, status="excluded", reason=reason)
    assert response.status_code in (200, 400) and errorlists(response.content.decode())
