"""Public services without login: check my registration, vote where I am staying, follow my request.

Rate limits count in the shared cache: every test uses its own client addresses
(10.9.8.x) so that counters never collide; the test of the overall limit works
in a cache namespace of its own.
"""

import itertools
import time
import uuid
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override as language

from elections.models import Deadline, Precinct
from tests.factories import ElectionFactory, make_voter, precinct_official
from tests.openapi import assert_matches_schema
from tests.pages import EN, block, errorlists
from voters import selectors
from voters.models import ListEntryOverride, Voter, VoterStatus, VotingLocationRequest
from voters.selectors import precinct_list_rows

pytestmark = pytest.mark.django_db

BORN = date(1985, 3, 9)
_ips = itertools.count(1)


def ip() -> str:
    """A client address no other test uses."""
    n = next(_ips)
    return f"10.9.{8 + n // 250}.{n % 250 + 1}"


def fresh_window(seconds=60, margin=8):
    """Wait for a new fixed rate-limit window if the current one ends within ``margin`` seconds."""
    left = seconds - time.time() % seconds
    if left < margin:
        time.sleep(left + 0.2)


@pytest.fixture
def home(country):
    precinct = country.precincts["A1-1"]
    precinct.phone = "+998 71 200 11 22"
    precinct.save()
    return precinct


@pytest.fixture
def voter(home):
    return make_voter(
        home,
        surname="Qodirova",
        given_name="Malika",
        patronymic="Rustamovna",
        sex="F",
        birth_date=BORN,
        street="Shota Rustaveli",
        house="44",
        passport="AB7654321",
    )


def check(client, document, birth_date, addr=None):
    return client.post("/check/", {"document": document, "birth_date": birth_date.isoformat()}, REMOTE_ADDR=addr or ip(), **EN)


def api_lookup(client, addr=None, **data):
    data = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()}
    return client.post("/api/v1/public/lookup/", data, content_type="application/json", REMOTE_ADDR=addr or ip())


# --------------------------------------------------------------------------- check my registration


def test_lookup_page_hit_shows_the_polling_station_only(voter, home):
    response = check(Client(), voter.pinfl, BORN)
    assert response.status_code == 200
    body = response.content.decode()
    result = block(body, "lookup-result")
    assert f"precinct No. {home.number}" in result
    assert home.address in result and home.phone in result
    assert home.district.name_uz in result
    for private in (voter.surname, voter.given_name, voter.patronymic, voter.street, voter.passport, voter.pinfl):
        assert private not in result
    for private in (voter.surname, voter.given_name, voter.patronymic, voter.street, voter.passport):
        assert private not in body


def test_lookup_page_does_not_echo_the_pinfl(voter):
    """The answer page must not carry the personal number (shared computers, screenshots, caches)."""
    body = check(Client(), voter.pinfl, BORN).content.decode()
    assert voter.pinfl not in body


def test_lookup_api_hit(voter, home):
    response = api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN)
    assert response.status_code == 200
    assert response.json() == {
        "found": True,
        "precinct_number": home.number,
        "district": home.district.name_uz,
        "address": home.address,
        "phone": home.phone,
    }
    text = response.content.decode()
    for private in (voter.surname, voter.given_name, voter.street, voter.pinfl, voter.passport):
        assert private not in text


def test_lookup_answers_a_precincts_new_address_at_once_after_an_edit(voter, home):
    assert api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()["address"] == home.address
    home.address = "Navoiy ko'chasi 7, maktab 12"
    home.save()
    assert api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()["address"] == home.address


def test_lookup_reads_precincts_changed_elsewhere_again_after_the_cache_time(voter, home, monkeypatch):

    assert api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()["phone"] == home.phone
    Precinct.objects.filter(pk=home.pk).update(phone="+998 71 000 00 00")  # no signal: as in another process
    assert api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()["phone"] == home.phone  # still kept
    monkeypatch.setattr(selectors, "PRECINCT_CACHE_SECONDS", 0)
    assert api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()["phone"] == "+998 71 000 00 00"


def test_lookup_finds_a_precinct_the_cache_does_not_know_yet(voter, home):
    assert api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()["found"] is True
    (new,) = Precinct.objects.bulk_create(
        [Precinct(district=home.district, code="X-NEW-1", number=987, address="Yangi bino")]
    )  # bulk: no signal
    type(voter).objects.filter(pk=voter.pk).update(precinct=new)
    answer = api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()
    assert (answer["found"], answer["precinct_number"], answer["address"]) == (True, 987, "Yangi bino")


def test_lookup_api_reads_form_bodies_and_refuses_bodies_that_are_not_an_object(voter, home):
    url = "/api/v1/public/lookup/"
    form = Client().post(url, {"pinfl": voter.pinfl, "birth_date": BORN.isoformat()}, REMOTE_ADDR=ip())
    assert form.status_code == 200 and form.json()["precinct_number"] == home.number
    for body in (b'{"pinfl": ', b"[1, 2]", b'"text"'):
        response = Client().post(url, body, content_type="application/json", REMOTE_ADDR=ip())
        assert response.status_code == 400, body
        assert "found" not in response.json()


def test_lookup_statement_is_prepared_once_per_connection(voter, home):
    """PostgreSQL plans the lookup once per connection, not on every request (the public's load)."""

    for _ in range(3):
        assert api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()["found"] is True
    with connection.cursor() as cur:
        cur.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%%voters_listentryoverride%%'")
        prepared = [r[0] for r in cur.fetchall()]
    assert len(prepared) == 1 and "v.pinfl = $2" in prepared[0]


def test_lookup_by_passport(voter, home):
    body = check(Client(), voter.passport.lower(), BORN).content.decode()
    assert f"precinct No. {home.number}" in block(body, "lookup-result")
    response = api_lookup(Client(), passport=voter.passport, birth_date=BORN)
    assert response.json()["found"] is True and response.json()["precinct_number"] == home.number


def test_miss_and_wrong_birth_date_look_the_same(voter, country):
    unknown = make_voter(country.precincts["B1-1"], birth_date=BORN).pinfl

    Voter.objects.filter(pinfl=unknown).delete()  # a valid PINFL nobody has
    wrong_day = BORN + timedelta(days=1)

    miss, wrong = Client(), Client()
    miss_page, wrong_page = check(miss, unknown, BORN), check(wrong, voter.pinfl, wrong_day)
    assert miss_page.status_code == wrong_page.status_code == 200
    assert block(miss_page.content.decode(), "lookup-result") == block(wrong_page.content.decode(), "lookup-result")
    assert "precinct No." not in miss_page.content.decode()

    miss_api = api_lookup(Client(), pinfl=unknown, birth_date=BORN)
    wrong_api = api_lookup(Client(), pinfl=voter.pinfl, birth_date=wrong_day)
    assert miss_api.status_code == wrong_api.status_code == 200
    assert miss_api.content == wrong_api.content
    assert miss_api.json() == {"found": False}


def test_deceased_or_merged_voter_looks_like_a_miss(voter, country):
    other = make_voter(country.precincts["A1-2"], birth_date=BORN, given_name="Dilnoza", sex="F")
    miss_block = block(check(Client(), "AA0000001", BORN).content.decode(), "lookup-result")
    for v, change in ((voter, {"status": VoterStatus.DECEASED}), (other, {"merged_into": voter})):
        for k, val in change.items():
            setattr(v, k, val)
        v.save()
        assert api_lookup(Client(), pinfl=v.pinfl, birth_date=BORN).json() == {"found": False}
        assert block(check(Client(), v.pinfl, BORN).content.decode(), "lookup-result") == miss_block


def test_lookup_needs_both_document_and_birth_date(voter):
    response = Client().post("/check/", {"document": voter.pinfl}, REMOTE_ADDR=ip(), **EN)
    assert "lookup-result" not in response.content.decode()
    assert api_lookup(Client(), pinfl=voter.pinfl).status_code == 400
    assert api_lookup(Client(), birth_date=BORN).status_code == 400
    assert api_lookup(Client(), pinfl=voter.pinfl, passport=voter.passport, birth_date=BORN).status_code == 400


@override_settings(PUBLIC_LOOKUP_RATE_PER_CLIENT="3/m")
def test_rate_limit_per_client_page(voter):
    fresh_window()
    client, addr = Client(), ip()
    codes = [check(client, voter.pinfl, BORN, addr=addr).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = check(client, voter.pinfl, BORN, addr=addr)
    assert limited.status_code == 429
    assert "lookup-result" not in limited.content.decode()  # no answer once limited
    assert check(Client(), voter.pinfl, BORN, addr=ip()).status_code == 200  # another client is not limited


@override_settings(PUBLIC_LOOKUP_RATE_PER_CLIENT="3/m")
def test_rate_limit_per_client_api(voter):
    fresh_window()
    client, addr = Client(), ip()
    codes = [api_lookup(client, addr=addr, pinfl=voter.pinfl, birth_date=BORN).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = api_lookup(client, addr=addr, pinfl=voter.pinfl, birth_date=BORN)
    assert limited.json()["status"] == 429 and "found" not in limited.json()
    assert api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).status_code == 200


@override_settings(PUBLIC_LOOKUP_RATE_PER_CLIENT="3/m")
def test_rate_limit_counts_the_stay_pages_too(voter):
    fresh_window()
    client, addr = Client(), ip()
    for _ in range(3):
        assert check(client, voter.pinfl, BORN, addr=addr).status_code == 200
    response = client.post("/stay/", {"pinfl": voter.pinfl, "birth_date": BORN.isoformat()}, REMOTE_ADDR=addr)
    assert response.status_code == 429
    response = client.post("/stay/track/", {"code": "X", "birth_date": BORN.isoformat()}, REMOTE_ADDR=addr)
    assert response.status_code == 429


def _own_cache_namespace():
    caches = {
        **settings.CACHES,
        "default": {
            **settings.CACHES["default"],
            "KEY_PREFIX": f"{settings.CACHES['default'].get('KEY_PREFIX', '')}-{uuid.uuid4().hex}",
        },
    }
    return override_settings(CACHES=caches)


def test_overall_rate_limit(voter):
    with _own_cache_namespace(), override_settings(PUBLIC_LOOKUP_RATE_TOTAL="5/m"):
        fresh_window()
        page_codes = [check(Client(), voter.pinfl, BORN).status_code for _ in range(3)]
        api_codes = [api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).status_code for _ in range(3)]
        assert page_codes == [200, 200, 200]
        assert api_codes == [200, 200, 429]  # the 6th request of the minute, from a 6th address
        assert check(Client(), voter.pinfl, BORN).status_code == 429


# --------------------------------------------------------------------------- vote where I am staying


def stay(client, voter, election, district, number, birth_date=None, pinfl=None, **extra):
    data = {
        "pinfl": pinfl or voter.pinfl,
        "birth_date": (birth_date or voter.birth_date).isoformat(),
        "election": election.pk,
        "district": district.pk,
        "precinct_number": number,
        "reason": "studying",
        "contact": "",
    }
    data.update(extra)
    return client.post("/stay/", data, REMOTE_ADDR=ip(), **EN)


def test_stay_request_gets_a_tracking_code(voter, country):
    response = stay(Client(), voter, country.election, country.districts["B1"], 1)
    assert response.status_code == 200
    req = VotingLocationRequest.objects.get(voter=voter)
    assert req.status == "submitted"
    assert req.precinct == country.precincts["B1-1"] and req.election == country.election
    assert req.tracking_code
    assert f'<code class="secret" id="tracking-code">{req.tracking_code}</code>' in response.content.decode()
    assert ListEntryOverride.objects.count() == 0  # nothing moves before the commission decides
    # a second open request for the same election is refused
    again = stay(Client(), voter, country.election, country.districts["B2"], 1)
    assert again.status_code == 400
    assert VotingLocationRequest.objects.filter(voter=voter).count() == 1


def test_stay_api(voter, country):
    response = Client().post(
        "/api/v1/public/location-requests/",
        {
            "pinfl": voter.pinfl,
            "birth_date": BORN.isoformat(),
            "election": country.election.pk,
            "precinct": country.precincts["B1-1"].pk,
        },
        content_type="application/json",
        REMOTE_ADDR=ip(),
    )
    assert response.status_code == 201
    req = VotingLocationRequest.objects.get(voter=voter)
    assert response.json() == {"tracking_code": req.tracking_code, "status": "submitted"}
    # and the schema documents that receipt, not the officials' view of the request
    assert_matches_schema(Client(), response, "/api/v1/public/location-requests/", "post")


def test_stay_unknown_pinfl_and_wrong_birth_date_same_error(voter, country):
    unknown = make_voter(country.precincts["B2-1"], birth_date=BORN)
    unknown_pinfl = unknown.pinfl
    unknown.delete()
    b1 = country.districts["B1"]
    wrong = stay(Client(), voter, country.election, b1, 1, birth_date=BORN + timedelta(days=3))
    missing = stay(Client(), voter, country.election, b1, 1, pinfl=unknown_pinfl)
    assert wrong.status_code == missing.status_code == 400
    assert errorlists(wrong.content.decode()) == errorlists(missing.content.decode())
    assert "No voter matches this PINFL and birth date." in wrong.content.decode()
    assert not VotingLocationRequest.objects.exists()

    def api(**data):
        return Client().post(
            "/api/v1/public/location-requests/",
            {"election": country.election.pk, "precinct": country.precincts["B1-1"].pk, **data},
            content_type="application/json",
            REMOTE_ADDR=ip(),
        )

    a = api(pinfl=voter.pinfl, birth_date=(BORN + timedelta(days=3)).isoformat())
    b = api(pinfl=unknown_pinfl, birth_date=BORN.isoformat())
    assert a.status_code == b.status_code == 400
    assert a.content == b.content


def test_stay_refused_after_the_deadline(voter, country):
    due = timezone.now() - timedelta(hours=2)
    Deadline.objects.create(election=country.election, key="location_requests_close", due=due)
    response = stay(Client(), voter, country.election, country.districts["B1"], 1)
    assert response.status_code == 400
    body = response.content.decode()
    with language("en"):
        when = date_format(timezone.localtime(due), "DATETIME_FORMAT")
    assert "deadline" in body and when in body
    assert not VotingLocationRequest.objects.exists()


def test_stay_unknown_precinct_number(voter, country):
    response = stay(Client(), voter, country.election, country.districts["B1"], 99)
    assert response.status_code == 400
    assert "There is no precinct with this number in the district." in response.content.decode()


@pytest.fixture
def approved(clients, country):
    """A voter of A1-2 asks to vote at A1-1 (the ``precinct`` user's commission), who approves on the page."""
    voter = make_voter(country.precincts["A1-2"], surname="Karimov", given_name="Jasur", birth_date=BORN)
    response = stay(Client(), voter, country.election, country.districts["A1"], 1)
    assert response.status_code == 200
    req = VotingLocationRequest.objects.get(voter=voter)
    queue = clients["precinct"].get("/voters/requests/").content.decode()
    assert req.tracking_code in queue
    response = clients["precinct"].post(
        f"/voters/requests/{req.pk}/decide/", {"action": "approve", "confirm": "1", "reason": "Checked"}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    return voter, req


def test_approval_moves_the_voter_for_that_election_only(approved, country):
    voter, req = approved
    assert req.status == "approved"
    override = ListEntryOverride.objects.get(voter=voter, election=country.election)
    assert override.precinct == country.precincts["A1-1"] and override.request == req
    target, home = country.precincts["A1-1"], country.precincts["A1-2"]
    name = "Karimov Jasur Karimovich"
    assert name in [row[1] for row in precinct_list_rows(target, country.election)]
    assert name not in [row[1] for row in precinct_list_rows(home, country.election)]
    # a later election: the public answer below is for the next one (the test's), whose list changed
    other_election = ElectionFactory(name_uz="Boshqa saylov", election_day=country.election.election_day + timedelta(days=200))
    assert name in [row[1] for row in precinct_list_rows(home, other_election)]
    assert name not in [row[1] for row in precinct_list_rows(target, other_election)]
    # the public answer follows the list of the active election
    answer = api_lookup(Client(), pinfl=voter.pinfl, birth_date=BORN).json()
    assert answer["precinct_number"] == target.number and answer["address"] == target.address


def test_voter_stays_on_exactly_one_list(approved, country):
    voter, req = approved
    with pytest.raises(IntegrityError), transaction.atomic():
        ListEntryOverride.objects.create(voter=voter, election=country.election, precinct=country.precincts["A1-2"])
    lists = [
        p
        for p in country.precincts.values()
        if "Karimov Jasur Karimovich" in [r[1] for r in precinct_list_rows(p, country.election)]
    ]
    assert lists == [country.precincts["A1-1"]]


def test_another_precinct_cannot_decide(clients, country, voter):
    response = stay(Client(), voter, country.election, country.districts["A1"], 2)  # home is A1-1, target A1-2
    assert response.status_code == 200
    req = VotingLocationRequest.objects.get(voter=voter)
    _user, other_b = precinct_official(country.precincts["B1-1"], "precinct_b11")
    for client in (other_b, clients["precinct"]):  # B1-1's commission, and A1-1's (the voter's home precinct)
        response = client.post(f"/voters/requests/{req.pk}/decide/", {"action": "approve", "confirm": "1", "reason": "Checked"})
        assert response.status_code == 404
        response = client.post(
            f"/api/v1/location-requests/{req.pk}/decide/", {"decision": "approve"}, content_type="application/json"
        )
        assert response.status_code == 404
    req.refresh_from_db()
    assert req.status == "submitted"
    assert not ListEntryOverride.objects.exists()
    _user, target = precinct_official(country.precincts["A1-2"], "precinct_a12")
    response = target.post(
        f"/voters/requests/{req.pk}/decide/", {"action": "reject", "confirm": "1", "reason": "no such address"}
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "rejected"
    assert not ListEntryOverride.objects.exists()


def test_approval_after_the_deadline_is_refused(clients, country, voter):
    stay(Client(), voter, country.election, country.districts["A1"], 2)
    req = VotingLocationRequest.objects.get(voter=voter)
    Deadline.objects.create(election=country.election, key="location_requests_close", due=timezone.now() - timedelta(minutes=1))
    response = clients["district"].post(
        f"/voters/requests/{req.pk}/decide/", {"action": "approve", "confirm": "1", "reason": "Checked"}, **EN
    )
    assert response.status_code == 400 and "Too late to Approve" in response.content.decode()
    req.refresh_from_db()
    assert req.status == "submitted"
    assert not ListEntryOverride.objects.exists()


def track(client, code, birth_date, **extra):
    return client.post("/stay/track/", {"code": code, "birth_date": birth_date.isoformat(), **extra}, REMOTE_ADDR=ip(), **EN)


def test_withdraw_with_code_and_birth_date(voter, country):
    stay(Client(), voter, country.election, country.districts["B1"], 1)
    req = VotingLocationRequest.objects.get(voter=voter)
    # a wrong birth date shows nothing and withdraws nothing
    response = track(Client(), req.tracking_code, BORN + timedelta(days=1), withdraw="1")
    assert "No request matches this code and birth date." in block(response.content.decode(), "request-status")
    req.refresh_from_db()
    assert req.status == "submitted"
    # the right one shows the request, then withdraws it
    shown = track(Client(), req.tracking_code.lower(), BORN)
    assert "submitted" in block(shown.content.decode(), "request-status")
    response = track(Client(), req.tracking_code, BORN, withdraw="1")
    assert response.status_code == 200
    req.refresh_from_db()
    assert req.status == "withdrawn"
    assert "withdrawn" in block(response.content.decode(), "request-status")
    # once withdrawn, a new request for the same election is possible
    assert stay(Client(), voter, country.election, country.districts["B2"], 1).status_code == 200
    assert VotingLocationRequest.objects.filter(voter=voter, status="submitted").count() == 1


def test_withdrawn_request_cannot_be_approved(clients, country, voter):
    stay(Client(), voter, country.election, country.districts["A1"], 2)
    req = VotingLocationRequest.objects.get(voter=voter)
    track(Client(), req.tracking_code, BORN, withdraw="1")
    clients["district"].post(f"/voters/requests/{req.pk}/decide/", {"action": "approve", "confirm": "1", "reason": "Checked"})
    req.refresh_from_db()
    assert req.status == "withdrawn"
    assert not ListEntryOverride.objects.exists()


def test_one_list_entry_per_voter_and_election_constraint(voter, country):
    ListEntryOverride.objects.create(voter=voter, election=country.election, precinct=country.precincts["B1-1"])
    with pytest.raises(IntegrityError), transaction.atomic():
        ListEntryOverride.objects.create(voter=voter, election=country.election, precinct=country.precincts["B2-1"])
    other = ElectionFactory()
    ListEntryOverride.objects.create(voter=voter, election=other, precinct=country.precincts["B2-1"])
    assert ListEntryOverride.objects.filter(voter=voter).count() == 2


def test_a_request_of_a_voter_who_left_the_list_meanwhile_is_not_approved(clients, country):
    voter = make_voter(country.precincts["A1-2"], surname="Karimov", given_name="Jasur", birth_date=BORN)
    assert stay(Client(), voter, country.election, country.districts["A1"], 1).status_code == 200
    req = VotingLocationRequest.objects.get(voter=voter)
    voter.status = VoterStatus.DECEASED  # recorded after the request
    voter.save(update_fields=["status"])
    response = clients["precinct"].post(
        f"/voters/requests/{req.pk}/decide/", {"action": "approve", "confirm": "1", "reason": "Checked"}, follow=True, **EN
    )
    assert "no longer on the voter list" in response.content.decode()
    req.refresh_from_db()
    assert req.status == "submitted" and not ListEntryOverride.objects.exists()


@pytest.mark.parametrize("contact,stored", [("not-an@address", False), ("jasur@example.org", True), ("+998 90 123 45 67", True)])
def test_a_contact_with_at_must_be_an_email_address(country, contact, stored):
    voter = make_voter(country.precincts["A1-2"], birth_date=BORN)
    response = stay(Client(), voter, country.election, country.districts["A1"], 1, contact=contact)
    assert VotingLocationRequest.objects.filter(voter=voter).exists() == stored
    if not stored:
        assert response.status_code == 400 and "Enter a valid e-mail address or a phone number." in response.content.decode()


def test_a_miss_keeps_what_was_typed_and_a_hit_does_not(voter):
    """After a miss the form still holds the number and the date, to correct a mistyped digit; after a hit the
    page no longer carries the personal number."""
    wrong = voter.pinfl[:-1] + str((int(voter.pinfl[-1]) + 1) % 10)
    miss = check(Client(), wrong, BORN).content.decode()
    assert f'value="{wrong}"' in miss and f'value="{BORN.isoformat()}"' in miss
    assert "No registration found" in miss
    hit = check(Client(), voter.pinfl, BORN).content.decode()
    assert voter.pinfl not in hit and 'id="lookup-result"' in hit
