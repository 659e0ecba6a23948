"""The results pages as every role: the precinct enters (blind) and sees only its own, the district verifies,
the CEC certifies and publishes, and the public page shows what is published only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from results.models import Protocol, ProtocolEntry, TurnoutReport
from tests.conftest import OFFICIALS, ROLES, verified_client
from tests.results.conftest import figures
from tests.results.test_protocol_pdf import scan_png

pytestmark = pytest.mark.django_db


def enter_url(contest, precinct=None):
    return f"/results/enter/{contest['constituency'].pk}/{(precinct or contest['precinct']).pk}/"


def post_entry(client, contest, **change):
    return client.post(enter_url(contest), figures(contest, **change))


@pytest.mark.parametrize("role", ROLES)
def test_results_home(clients, contest, role):
    response = clients[role].get("/results/")
    if role in OFFICIALS:
        assert response.status_code == 200
        if role == "precinct":
            assert "Enter the protocol" in response.content.decode()
    elif role == "anon":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_entry_page(clients, contest, role):
    response = clients[role].get(enter_url(contest))
    if role in ("admin", "cec", "region", "district", "precinct"):
        # officials whose area covers the precinct open the page; only the precinct's members may submit
        assert response.status_code == 200
    elif role == "anon":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_entry_of_another_precinct_is_404(clients, country, contest):
    assert clients["precinct"].get(enter_url(contest, country.precincts["A1-2"])).status_code == 404
    assert clients["district"].get(enter_url(contest, country.precincts["B1-1"])).status_code == 404


def test_district_cannot_enter(clients, contest):
    response = post_entry(clients["district"], contest)
    assert response.status_code == 403
    assert not ProtocolEntry.objects.exists()


def test_blind_double_entry_on_the_page(clients, contest):
    first = post_entry(clients["precinct"], contest)
    assert first.status_code == 302
    second_member = verified_client(contest["members"][1])
    page = second_member.get(enter_url(contest)).content.decode()
    assert 'value="9"' not in page  # the first member's figures are never shown
    mismatch = post_entry(
        second_member, contest, invalid=0, valid=15, **{f"votes:n{contest['candidates'][0].pk}": 10}
    ).content.decode()
    assert "The two entries differ in" in mismatch and "Invalid ballots" in mismatch
    assert "10" not in mismatch.split("The two entries differ in")[1].split("</li>")[0]
    post_entry(clients["precinct"], contest)
    done = post_entry(second_member, contest)
    protocol = Protocol.objects.get()
    assert done["Location"] == f"/results/protocols/{protocol.pk}/"


def test_a_broken_relation_shows_in_the_error_summary(clients, contest):
    response = post_entry(clients["precinct"], contest, cancelled_unused=9)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The protocol was not saved" in body and "a difference of -4" in body
    assert not ProtocolEntry.objects.exists()


def test_decisions_on_the_detail_page(clients, contest, django_capture_on_commit_callbacks):
    post_entry(clients["precinct"], contest)
    post_entry(verified_client(contest["members"][1]), contest)
    protocol = Protocol.objects.get()
    url = f"/results/protocols/{protocol.pk}/"
    assert "Verify" not in clients["precinct"].get(url).content.decode().split("<h2>Versions")[0]
    assert clients["district"].post(url, {"action": "verify"}).status_code == 400  # confirmation required
    assert clients["district"].post(url, {"action": "verify", "confirm": "on"}).status_code == 302
    assert clients["district"].post(url, {"action": "certify", "confirm": "on"}).status_code == 403
    assert clients["cec"].post(url, {"action": "certify", "confirm": "on"}).status_code == 302
    public = f"/public/elections/{contest['election'].pk}/results/"
    assert "Nomzod0" in clients["anon"].get(public).content.decode()
    assert "0 of 3 precinct protocols published" in clients["anon"].get(public).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert clients["cec"].post(url, {"action": "publish", "confirm": "on"}).status_code == 302
    assert "1 of 3 precinct protocols published" in clients["anon"].get(public).content.decode()
    pdf = clients["district"].get(url + "print/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert clients["observer"].get(url).status_code == 403
    assert clients["anon"].get(url + "print/").status_code == 302


@pytest.mark.parametrize("role", ROLES)
def test_turnout_page(clients, day, role):
    url = f"/results/turnout/{day['precinct'].pk}/"
    response = clients[role].post(url, {"at": "10:00", "voted_station": 4, "voted_early": 0, "voted_home": 0})
    if role in ("precinct", "district"):
        assert response.status_code == 302
        assert TurnoutReport.objects.get().voted == 4
    elif role in ("admin", "cec", "region"):
        assert response.status_code == 403
    elif role == "anon":
        assert response.status_code == 302 and "/login" in response["Location"]
    else:
        assert response.status_code == 403
    assert not (role not in ("precinct", "district") and TurnoutReport.objects.exists())


def test_scan_upload_and_qr_check_on_the_page(clients, contest, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    post_entry(clients["precinct"], contest)
    post_entry(verified_client(contest["members"][1]), contest)
    protocol = Protocol.objects.get()
    url = f"/results/protocols/{protocol.pk}/"
    png = scan_png(protocol.current)
    response = clients["precinct"].post(url + "scans/", {"file": SimpleUploadedFile("s.png", png)}, follow=True)
    assert "The signed protocol is kept with version 1" in response.content.decode()
    scan = protocol.current.scans.get()
    assert clients["district"].get(url + f"scans/{scan.pk}/").status_code == 200
    assert clients["observer"].get(url + f"scans/{scan.pk}/").status_code == 403
    page = clients["precinct"].get(url).content.decode()
    assert "Check a paper protocol" not in page  # the precinct does not check its own paper
    checked = clients["district"].post(url + "qr-check/", {"image": SimpleUploadedFile("q.png", png)}, follow=True)
    assert "matches the stored version 1" in checked.content.decode()
    refused = clients["precinct"].post(url + "qr-check/", {"image": SimpleUploadedFile("q.png", png)})
    assert refused.status_code == 403
