"""Who registers a nomination, and so sees it with its documents and signature reports: the commission whose
area holds the whole constituency (a national list: the CEC). An official whose area holds only part of it
neither reads the reports (they name signers of the whole constituency) nor decides."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from candidates import selectors, services
from candidates.models import Signature, SignatureSheetUpload
from elections.models import Constituency, Precinct
from tests import factories as f
from tests.candidates.test_nominations import upload_all
from tests.factories import make_voter
from voters.models import VoterStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def party(country):
    cec = country.users["cec"]
    party = services.party_register(actor=cec, registration_number="01", name_uz="Adolat")
    services.party_representative_add(actor=cec, party=party, user=country.users["party"])
    election = country.election
    election.election_day = timezone.localdate() + timedelta(days=60)
    election.rules = {**(election.rules or {}), "signatures_required": 0}
    election.save()
    return party


def nominate(country, party, constituency, **kw):
    voter = make_voter(country.precincts["B2-1"], surname="Rahimov", given_name="Anvar", birth_date=date(1970, 3, 4))
    n = services.nomination_create(
        actor=country.users["party"],
        party=party,
        election=country.election,
        constituency=constituency,
        pinfl=voter.pinfl,
        surname=voter.surname,
        given_name=voter.given_name,
        **kw,
    )
    signer = make_voter(country.precincts["B2-2"], surname="Qodirov", given_name="Olim", status=VoterStatus.DECEASED)
    upload = SignatureSheetUpload.objects.create(nomination=n, file="signature-rows/x.dat", status="done", total=1)
    Signature.objects.create(
        upload=upload,
        row_no=1,
        pinfl=signer.pinfl,
        surname="Qodirov",
        given_name="Olim",
        voter=signer,
        valid=False,
        reasons=["not_active"],
        collector="X",
    )
    upload_all(country, n)
    services.nomination_transition(actor=country.users["party"], nomination=n, name="submit")
    n.refresh_from_db()
    return n, upload, signer


def test_a_national_list_is_the_cecs_alone(country, clients, party):
    national = f.ConstituencyFactory(
        election=country.election, number=0, kind=Constituency.Kind.NATIONAL, seats=75, name_uz="Umumdavlat"
    )
    national.precincts.set(Precinct.objects.all())  # as the demo country builds it
    n, upload, signer = nominate(country, party, national, list_position=1)
    for role in ("region", "district", "precinct"):
        for url in (
            f"/nominations/{n.pk}/",
            f"/nominations/{n.pk}/signatures/{upload.pk}/report.csv",
            f"/api/v1/nominations/{n.pk}/",
            f"/api/v1/signature-uploads/{upload.pk}/report.csv/",
        ):
            assert clients[role].get(url).status_code == 404, (role, url)
        assert not selectors.review_queue(country.users[role]).filter(pk=n.pk).exists()
        with pytest.raises(PermissionDenied):
            services.nomination_transition(actor=country.users[role], nomination=n, name="approve", reason="ok")
    n.refresh_from_db()
    assert n.status == "submitted"
    report = clients["cec"].get(f"/nominations/{n.pk}/signatures/{upload.pk}/report.csv")
    assert report.status_code == 200 and signer.pinfl in b"".join(report.streaming_content).decode()
    services.nomination_transition(actor=country.users["cec"], nomination=n, name="approve", reason="ok")
    n.refresh_from_db()
    assert n.status == "approved"


def test_a_constituency_across_two_districts_is_the_regions(country, clients, party):
    across = f.ConstituencyFactory(election=country.election, number=2, name_uz="2-okrug")
    across.precincts.set([country.precincts["A1-1"], country.precincts["A2-1"]])  # districts A1 and A2, region A
    n, upload, _signer = nominate(country, party, across)
    assert clients["district"].get(f"/nominations/{n.pk}/signatures/{upload.pk}/report.csv").status_code == 404
    with pytest.raises(PermissionDenied):
        services.nomination_transition(actor=country.users["district"], nomination=n, name="approve", reason="ok")
    assert clients["region"].get(f"/nominations/{n.pk}/signatures/{upload.pk}/report.csv").status_code == 200
    services.nomination_transition(actor=country.users["region"], nomination=n, name="approve", reason="ok")
    n.refresh_from_db()
    assert n.status == "approved" and n.decisions.get().commission.level == "regional"
