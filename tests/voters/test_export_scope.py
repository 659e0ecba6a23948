"""A district export is the official's own and stays inside their scope: once they leave the district's
commission, its page and file are 404 like the district itself."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from core.models import AuditEvent
from elections.models import CommissionMember
from tests.factories import ElectionFactory, make_voter
from tests.pages import EN
from voters import services
from voters.models import ExportJob

pytestmark = pytest.mark.django_db


def test_an_export_is_gone_with_the_scope(country, clients):
    user = country.users["district"]
    job = ExportJob.objects.create(created_by=user, district=country.districts["A1"], format="csv", status=ExportJob.Status.DONE)
    job.file.save("voters-test.csv", ContentFile(b"pinfl,surname\n"), save=True)
    client = clients["district"]
    download = client.get(f"/voters/exports/{job.pk}/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"pinfl,surname\n"
    CommissionMember.objects.filter(user=user).delete()  # no longer on any commission
    assert client.get(f"/geography/districts/{country.districts['A1'].pk}/").status_code == 404
    assert client.get(f"/voters/exports/{job.pk}/").status_code == 404
    assert client.get(f"/voters/exports/{job.pk}/download/").status_code == 404


# --------------------------------------------------------------------------- a district's lists, whole districts only


@pytest.fixture
def district_voters(country):
    p = country.precincts
    return {
        key: make_voter(p[key], given_name=name)
        for key, name in (("A1-1", "Anvar"), ("A1-2", "Bahodir"), ("A2-1", "Davron"), ("B1-1", "Erkin"))
    }


EXPORT_FORM = "Export the voter lists of the whole district"


@pytest.mark.parametrize("role, offered", [("cec", True), ("region", True), ("district", True), ("precinct", False)])
def test_the_district_page_offers_the_export_only_to_who_covers_the_district(clients, country, role, offered):
    body = clients[role].get(f"/geography/districts/{country.districts['A1'].pk}/", **EN).content.decode()
    assert (EXPORT_FORM in body) is offered
    assert ("/voters/districts/" in body) is offered


def test_a_precinct_official_cannot_export_the_district_of_their_precinct(clients, country, district_voters):
    district = country.districts["A1"]
    before = ExportJob.objects.count()
    response = clients["precinct"].post(f"/voters/districts/{district.pk}/export/", {"format": "csv"})
    assert response.status_code == 403
    assert ExportJob.objects.count() == before
    with pytest.raises(PermissionDenied):
        services.export_start(actor=country.users["precinct"], district=district, fmt="csv")
    assert not AuditEvent.objects.filter(action="voters.export.start").exists()


def test_an_export_a_precinct_official_made_before_is_not_theirs_to_read(clients, country):
    """A job left from before the rule (or made by the service directly) is never served to them."""
    job = ExportJob.objects.create(
        created_by=country.users["precinct"], district=country.districts["A1"], format="csv", status=ExportJob.Status.DONE
    )
    job.file.save("voters-leak.csv", ContentFile(b"pinfl,surname\n"), save=True)
    assert clients["precinct"].get(f"/voters/exports/{job.pk}/").status_code == 404
    assert clients["precinct"].get(f"/voters/exports/{job.pk}/download/").status_code == 404


@pytest.mark.parametrize("role", ["cec", "region", "district"])
def test_officials_covering_the_district_export_all_of_its_precincts_and_nothing_else(clients, country, district_voters, role):
    district = country.districts["A1"]
    job = services.export_start(actor=country.users[role], district=district, fmt="csv")
    services.export_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    body = b"".join(clients[role].get(f"/voters/exports/{job.pk}/download/").streaming_content).decode("utf-8-sig")
    for key in ("A1-1", "A1-2"):  # the lists print names, not PINFLs
        assert district_voters[key].given_name in body
    for key in ("A2-1", "B1-1"):
        assert district_voters[key].given_name not in body


def test_a_region_official_cannot_export_a_district_of_another_region(clients, country):
    response = clients["region"].post(f"/voters/districts/{country.districts['B1'].pk}/export/", {"format": "csv"})
    assert response.status_code == 404


# --------------------------------------------------------------------------- printed lists: active elections only


def test_the_printed_list_refuses_an_election_that_is_not_being_run(clients, country, district_voters):

    past = ElectionFactory(is_active=False)
    url = f"/voters/lists/{country.precincts['A1-1'].pk}/"
    assert clients["precinct"].get(url, {"election": past.pk, "format": "csv"}).status_code == 404
    assert clients["precinct"].get(url, {"election": past.pk}).status_code == 404
    response = clients["precinct"].get(url, {"election": country.election.pk, "format": "csv"})
    assert response.status_code == 200
    assert district_voters["A1-1"].given_name in response.content.decode("utf-8-sig")
