"""Allow and deny for every role on every page and endpoint of the voter list.

A deny is 403 (wrong role), 404 (a record outside the caller's area: existence
must not leak) or, for anonymous visitors of a page, a redirect to the login.
Officials of one area never see, search, export or change voters of another.
"""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from tests.conftest import COMMISSION_STAFF, OFFICIALS, ROLES
from tests.factories import make_voter
from tests.pages import EN
from tests.roles import LOGIN, api_expect, page_expect
from voters.models import DuplicateCandidate, ImportJob, ImportRowError, Voter, VotingLocationRequest

pytestmark = pytest.mark.django_db

CEC = {"admin", "cec"}


@dataclass
class Data:
    voters: dict  # key -> Voter
    job: ImportJob
    dup_a1: DuplicateCandidate
    dup_b1: DuplicateCandidate
    req_a1: VotingLocationRequest
    req_b1: VotingLocationRequest


def _pair(a, b, score=0.9):
    a, b = sorted((a, b), key=lambda v: v.pk)
    return DuplicateCandidate.objects.create(voter_a=a, voter_b=b, score=score, evidence={"name": "same"})


@pytest.fixture
def data(country):
    p = country.precincts
    voters = {
        "A1-1a": make_voter(p["A1-1"], given_name="Anvar"),
        "A1-1b": make_voter(p["A1-1"], given_name="Aziz"),
        "A1-2": make_voter(p["A1-2"], given_name="Bahodir"),
        "A2-1": make_voter(p["A2-1"], given_name="Davron"),
        "B1-1": make_voter(p["B1-1"], given_name="Erkin", street="Bobur"),
        "B2-1": make_voter(p["B2-1"], given_name="Farhod"),
    }
    job = ImportJob.objects.create(
        created_by=country.users["cec"],
        original_name="registry.csv",
        file="imports/test/registry.dat",
        status=ImportJob.Status.DONE,
        rows_read=2,
        rows_valid=1,
        rows_invalid=1,
    )
    ImportRowError.objects.create(job=job, row=3, field="pinfl", code="check_digit", message="bad", value="123")
    b1_twin = make_voter(p["B1-2"], given_name="Erkin", street="Bobur")
    dup_a1 = _pair(voters["A1-1a"], voters["A1-1b"])
    dup_b1 = _pair(voters["B1-1"], b1_twin)
    req_a1 = VotingLocationRequest.objects.create(
        tracking_code="AAAA000001", voter=voters["B2-1"], election=country.election, precinct=p["A1-1"], status="submitted"
    )
    req_b1 = VotingLocationRequest.objects.create(
        tracking_code="BBBB000001", voter=voters["A2-1"], election=country.election, precinct=p["B1-1"], status="submitted"
    )
    return Data(voters, job, dup_a1, dup_b1, req_a1, req_b1)


# which voters each official sees
VISIBLE = {
    "admin": {"A1-1a", "A1-1b", "A1-2", "A2-1", "B1-1", "B2-1"},
    "cec": {"A1-1a", "A1-1b", "A1-2", "A2-1", "B1-1", "B2-1"},
    "region": {"A1-1a", "A1-1b", "A1-2", "A2-1"},
    "district": {"A1-1a", "A1-1b", "A1-2"},
    "precinct": {"A1-1a", "A1-1b"},
}
# precinct keys whose lists each official may open
PRECINCTS_VISIBLE = {
    "admin": {"A1-1", "A1-2", "B1-1"},
    "cec": {"A1-1", "A1-2", "B1-1"},
    "region": {"A1-1", "A1-2"},
    "district": {"A1-1", "A1-2"},
    "precinct": {"A1-1"},
}


def _voter_pages():
    for key in ("A1-1a", "A1-2", "A2-1", "B1-1"):
        for suffix in ("", "edit/", "status/"):
            yield f"{key}:{suffix}"


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("page", list(_voter_pages()))
@pytest.mark.parametrize("role", ROLES)
def test_voter_pages(clients, data, role, page):
    key, suffix = page.split(":")
    voter = data.voters[key]
    scoped_out = {r for r in OFFICIALS if key not in VISIBLE[r]}
    response = clients[role].get(f"/voters/{voter.pk}/{suffix}")
    expected = page_expect(role, OFFICIALS, scoped_out)
    assert response.status_code == expected, (role, page, response.status_code)
    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/")
    if expected == 200:
        assert voter.pinfl in response.content.decode() or suffix != ""


@pytest.mark.parametrize("role", ROLES)
def test_reading_a_voter_is_audited(clients, data, role):
    voter = data.voters["A1-1a"]
    before = AuditEvent.objects.filter(action="voters.voter.view", object_id=str(voter.pk)).count()
    response = clients[role].get(f"/voters/{voter.pk}/")
    events = AuditEvent.objects.filter(action="voters.voter.view", object_id=str(voter.pk))
    if role in OFFICIALS:
        assert response.status_code == 200
        assert events.count() == before + 1
        event = events.order_by("-id").first()
        assert event.actor.username == role
        assert event.object_type == "voters.voter"
    else:
        assert events.count() == before  # a refused read is not a read


@pytest.mark.parametrize("fmt", ["", "csv", "pdf"])
@pytest.mark.parametrize("precinct", ["A1-1", "A1-2", "B1-1"])
@pytest.mark.parametrize("role", ROLES)
def test_precinct_list_and_exports(clients, country, data, role, precinct, fmt):
    url = f"/voters/lists/{country.precincts[precinct].pk}/" + (f"?format={fmt}" if fmt else "")
    scoped_out = {r for r in OFFICIALS if precinct not in PRECINCTS_VISIBLE[r]}
    response = clients[role].get(url)
    expected = page_expect(role, OFFICIALS, scoped_out)
    assert response.status_code == expected, (role, precinct, fmt, response.status_code)
    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/")
    if expected == 200 and fmt == "csv":
        assert response["Content-Type"].startswith("text/csv")
    if expected == 200 and fmt == "pdf":
        assert response.content.startswith(b"%PDF")


SIMPLE_PAGES = {
    # url -> (roles allowed)
    "/voters/": OFFICIALS,
    "/voters/counts/": OFFICIALS,
    "/voters/duplicates/": OFFICIALS,
    "/voters/requests/": OFFICIALS,
    "/voters/imports/": CEC,
    # precinct commissions do not change assignment rules
    "/voters/assignment/": {"admin", "cec", "region", "district"},
}


@pytest.mark.parametrize("url", sorted(SIMPLE_PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_simple_pages(clients, data, role, url):
    response = clients[role].get(url)
    expected = page_expect(role, SIMPLE_PAGES[url])
    assert response.status_code == expected, (role, url, response.status_code)
    if expected == LOGIN:
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("suffix", ["", "errors.csv"])
@pytest.mark.parametrize("role", ROLES)
def test_import_pages_cec_only(clients, data, role, suffix):
    response = clients[role].get(f"/voters/imports/{data.job.pk}/{suffix}")
    expected = page_expect(role, CEC)
    assert response.status_code == expected, (role, suffix, response.status_code)
    if expected == 200 and suffix:
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "check_digit" in body


@pytest.mark.parametrize("role", sorted(COMMISSION_STAFF | {"party", "observer", "journalist"}))
def test_import_upload_refused_to_non_cec(clients, data, role):

    upload = SimpleUploadedFile("r.csv", b"pinfl,surname\n", content_type="text/csv")
    response = clients[role].post("/voters/imports/", {"file": upload, "encoding": "auto"})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_duplicate_detail_scoped(clients, data, role):
    for cand, visible_to in ((data.dup_a1, OFFICIALS), (data.dup_b1, CEC)):
        response = clients[role].get(f"/voters/duplicates/{cand.pk}/")
        expected = page_expect(role, OFFICIALS, OFFICIALS - visible_to)
        assert response.status_code == expected, (role, cand, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_assignment_page_for_another_district_is_404(clients, country, data, role):
    response = clients[role].get(f"/voters/assignment/?district={country.districts['B1'].pk}")
    expected = page_expect(role, {"admin", "cec", "region", "district"}, {"region", "district"})
    assert response.status_code == expected, (role, response.status_code)


# --------------------------------------------------------------------------- what each official sees


def _linked_voter_ids(html: str, data) -> set:
    return {k for k, v in data.voters.items() if f'href="/voters/{v.pk}/"' in html}


@pytest.mark.parametrize("role", sorted(OFFICIALS))
def test_search_by_name_finds_only_voters_in_area(clients, data, role):
    response = clients[role].get("/voters/", {"q": "Aliyev"})
    assert response.status_code == 200
    assert _linked_voter_ids(response.content.decode(), data) == VISIBLE[role]


@pytest.mark.parametrize("role", sorted(OFFICIALS))
def test_search_by_pinfl_of_voter_outside_area(clients, data, role):
    voter = data.voters["B1-1"]
    response = clients[role].get("/voters/", {"q": voter.pinfl}, **EN)
    body = response.content.decode()
    if role in CEC:
        assert f'href="/voters/{voter.pk}/"' in body
    else:
        assert f'href="/voters/{voter.pk}/"' not in body
        assert "Erkin" not in body
        assert "No voter in your area matches." in body


@pytest.mark.parametrize("role", sorted(OFFICIALS))
def test_counts_page_totals(clients, data, role):
    response = clients[role].get("/voters/counts/", {"level": "precinct"})
    body = response.content.decode()
    total = len(VISIBLE[role]) + (1 if role in CEC else 0)  # CEC also sees B1-2's duplicate twin
    assert f"<strong data-total>{total}</strong>" in body


@pytest.mark.parametrize("role", sorted(OFFICIALS))
def test_precinct_list_page_shows_its_voters(clients, country, data, role):
    response = clients[role].get(f"/voters/lists/{country.precincts['A1-1'].pk}/")
    body = response.content.decode()
    assert "Aliyev Anvar Karimovich" in body and "Aliyev Aziz Karimovich" in body
    assert "Bahodir" not in body and "Erkin" not in body


def test_district_official_cannot_change_voter_of_another_district(clients, data):
    voter = data.voters["B1-1"]
    client = clients["district"]
    response = client.post(
        f"/voters/{voter.pk}/edit/",
        {
            "surname": "Hacked",
            "given_name": "Erkin",
            "patronymic": "",
            "passport": "",
            "street": "Bobur",
            "house": "1",
            "flat": "",
            "reason": "typo",
            "version": voter.version,
        },
    )
    assert response.status_code == 404
    response = client.post(
        f"/voters/{voter.pk}/status/", {"status": "excluded", "reason": "moved abroad", "version": voter.version}
    )
    assert response.status_code == 404
    fresh = Voter.objects.get(pk=voter.pk)
    assert (fresh.surname, fresh.status, fresh.version) == ("Aliyev", "active", voter.version)
    assert not fresh.changes.exists()


@pytest.mark.parametrize("role", sorted(ROLES))
def test_non_officials_cannot_change_a_voter(clients, data, role):
    if role in OFFICIALS:
        return
    voter = data.voters["A1-1a"]
    response = clients[role].post(f"/voters/{voter.pk}/status/", {"status": "excluded", "reason": "x", "version": voter.version})
    assert response.status_code == (LOGIN if role == "anon" else 403)
    assert Voter.objects.get(pk=voter.pk).status == "active"


def test_precinct_official_cannot_decide_duplicate_or_request_outside_area(clients, data):
    response = clients["precinct"].post(f"/voters/duplicates/{data.dup_b1.pk}/", {"decision": "reject"})
    assert response.status_code == 404
    response = clients["precinct"].post(
        f"/voters/requests/{data.req_b1.pk}/decide/", {"action": "approve", "confirm": "1", "reason": "Checked"}
    )
    assert response.status_code == 404
    assert DuplicateCandidate.objects.get(pk=data.dup_b1.pk).decision == "open"
    assert VotingLocationRequest.objects.get(pk=data.req_b1.pk).status == "submitted"


# --------------------------------------------------------------------------- API


@pytest.mark.parametrize("role", ROLES)
def test_api_voter_list(clients, data, role):
    response = clients[role].get("/api/v1/voters/")
    if role not in OFFICIALS:
        assert response.status_code == 403
        assert response.json()["status"] == 403
        return
    assert response.status_code == 200
    ids = {v["id"] for v in response.json()["results"]}
    expected = {data.voters[k].pk for k in VISIBLE[role]}
    assert expected <= ids
    assert response.json()["count"] == len(VISIBLE[role]) + (1 if role in CEC else 0)
    if role not in CEC:
        assert ids == expected


@pytest.mark.parametrize("role", sorted(OFFICIALS))
def test_api_voter_filters_stay_in_area(clients, data, role):
    voter = data.voters["B1-1"]
    by_pinfl = clients[role].get("/api/v1/voters/", {"pinfl": voter.pinfl}).json()
    by_name = clients[role].get("/api/v1/voters/", {"q": "Aliyev Erkin"}).json()
    by_district = clients[role].get("/api/v1/voters/", {"district": voter.district_id}).json()
    seen = role in CEC
    assert (by_pinfl["count"] == 1) is seen and (by_pinfl["count"] == 0) is not seen
    assert (voter.pk in {v["id"] for v in by_name["results"]}) is seen
    assert (voter.pk in {v["id"] for v in by_district["results"]}) is seen


@pytest.mark.parametrize("suffix", ["", "history/"])
@pytest.mark.parametrize("key", ["A1-1a", "A1-2", "A2-1", "B1-1"])
@pytest.mark.parametrize("role", ROLES)
def test_api_voter_detail_and_history(clients, data, role, key, suffix):
    voter = data.voters[key]
    scoped_out = {r for r in OFFICIALS if key not in VISIBLE[r]}
    response = clients[role].get(f"/api/v1/voters/{voter.pk}/{suffix}")
    expected = api_expect(role, OFFICIALS, scoped_out)
    assert response.status_code == expected, (role, key, suffix, response.status_code)
    if expected == 200 and not suffix:
        assert response.json()["pinfl"] == voter.pinfl
    if expected != 200:
        assert "pinfl" not in response.json() and voter.pinfl not in response.content.decode()


def test_api_voter_detail_is_audited(clients, data):
    voter = data.voters["A1-1a"]
    clients["district"].get(f"/api/v1/voters/{voter.pk}/")
    event = AuditEvent.objects.filter(action="voters.voter.view", object_id=str(voter.pk)).get()
    assert event.actor.username == "district"


@pytest.mark.parametrize("role", ROLES)
def test_api_imports_cec_only(clients, data, role):
    """Imports are a CEC service: commission staff are refused as on the pages."""
    for url in ("/api/v1/imports/", f"/api/v1/imports/{data.job.pk}/", f"/api/v1/imports/{data.job.pk}/errors/"):
        response = clients[role].get(url)
        expected = 200 if role in CEC else 403
        assert response.status_code == expected, (role, url, response.status_code)
    if role in CEC:
        assert clients[role].get("/api/v1/imports/").json()["count"] == 1


@pytest.mark.parametrize("role", ROLES)
def test_api_import_upload_refused_to_non_cec(clients, data, role):

    if role in CEC:
        return
    upload = SimpleUploadedFile("r.csv", b"pinfl,surname\n1,2\n", content_type="text/csv")
    response = clients[role].post("/api/v1/imports/", {"file": upload})
    assert response.status_code == 403
    assert ImportJob.objects.count() == 1


DUPLICATES_SEEN = {"admin": 2, "cec": 2, "region": 1, "district": 1, "precinct": 1}
REQUESTS_SEEN = {"admin": 2, "cec": 2, "region": 1, "district": 1, "precinct": 1}


@pytest.mark.parametrize("role", ROLES)
def test_api_duplicates_scoped(clients, data, role):
    response = clients[role].get("/api/v1/duplicates/")
    if role not in OFFICIALS:
        assert response.status_code == 403
        return
    assert response.json()["count"] == DUPLICATES_SEEN[role]
    detail = clients[role].get(f"/api/v1/duplicates/{data.dup_b1.pk}/")
    assert detail.status_code == (200 if role in CEC else 404)
    reject = clients[role].post(f"/api/v1/duplicates/{data.dup_b1.pk}/reject/")
    if role not in CEC:
        assert reject.status_code == 404
        assert DuplicateCandidate.objects.get(pk=data.dup_b1.pk).decision == "open"


@pytest.mark.parametrize("role", ROLES)
def test_api_location_requests_scoped(clients, data, role):
    response = clients[role].get("/api/v1/location-requests/")
    if role not in OFFICIALS:
        assert response.status_code == 403
        return
    assert response.json()["count"] == REQUESTS_SEEN[role]
    decide = clients[role].post(
        f"/api/v1/location-requests/{data.req_b1.pk}/decide/", {"decision": "approve"}, content_type="application/json"
    )
    if role not in CEC:
        assert decide.status_code == 404
        assert VotingLocationRequest.objects.get(pk=data.req_b1.pk).status == "submitted"


@pytest.mark.parametrize(
    "url",
    [
        "/voters/lists/{p}/?election=abc",
        "/voters/assignment/?district=abc",
        "/voters/?birth_date=not-a-date",
        "/voters/counts/?level=nonsense",
    ],
)
def test_malformed_query_parameters_are_not_server_errors(clients, country, data, url):
    clients["cec"].raise_request_exception = False
    response = clients["cec"].get(url.format(p=country.precincts["A1-1"].pk))
    assert response.status_code in (200, 400, 404), response.status_code
