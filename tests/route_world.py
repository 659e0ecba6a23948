"""The rows the route walk (tests/test_routes.py) opens: one object of each kind inside region A (district A1,
precinct A1-1) and one in region B, on top of the ``country`` of tests/conftest.py.

Built once per module through the same services and helpers as the app tests, so every page and endpoint of
tests/route_matrix.py has a real object to open (and one it must not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from candidates import services as candidate_services
from candidates.models import SignatureSheetBatch, SignatureSheetUpload
from core.credentials import credential_for
from elections.models import Constituency
from incidents import services as incident_services
from observers import services as observer_services
from results import protocol as result_rules
from results import selectors as result_selectors
from results import services as result_services
from results.models import Protocol, ProtocolScan, ProtocolVersion, SeatCalculation, TurnoutReport
from tests import factories as f
from tests.candidates.helpers import rival_party_rep
from tests.candidates.test_nominations import PDF, upload_all
from tests.conftest import Country
from tests.factories import make_voter
from tests.media_accreditation import helpers as media_helpers
from tests.observers import helpers as observer_helpers
from voters import services as voter_services
from voters.models import DuplicateCandidate, ExportJob, ImportJob, ImportRowError, VotingLocationRequest

#: What a finished verification of no rows stores (``candidates.signatures.signatures_verify``).
EMPTY_RESULT = {
    "totals": {"total": 0, "valid": 0, "invalid": 0},
    "by_reason": {},
    "per_sheet": [],
    "per_collector": [],
    "decision": {},
}


@dataclass
class World:
    """Objects by kind: ``a`` lies in region A (district A1, precinct A1-1), ``b`` in region B."""

    country: Country
    objects: dict = field(default_factory=dict)

    def __getitem__(self, key: str):
        return self.objects[key]


def _pair(a, b):
    a, b = sorted((a, b), key=lambda v: v.pk)
    return DuplicateCandidate.objects.create(voter_a=a, voter_b=b, score=0.9, evidence={"name": "same"})


def _approved_nomination(country, *, party, election, constituency, voter, actor, reviewer):
    n = candidate_services.nomination_create(
        actor=country.users[actor],
        party=party,
        election=election,
        constituency=constituency,
        pinfl=voter.pinfl,
        surname=voter.surname,
        given_name=voter.given_name,
    )
    upload_all(country, n, actor=actor)
    candidate_services.nomination_transition(actor=country.users[actor], nomination=n, name="submit")
    candidate_services.nomination_transition(
        actor=country.users[reviewer], nomination=n, name="approve", reason="Documents complete; eligible."
    )
    n.refresh_from_db()
    return n


def _protocol(constituency, precinct, status: str) -> Protocol:
    """A protocol with one version (test data: one voter of the list voted for the first line)."""
    votes = [key for key, _label in result_selectors.contest_lines(constituency)]
    figures = {key: 0 for key in result_rules.LINE_KEYS}
    figures.update(dict.fromkeys(votes, 0))
    figures.update(
        voters_on_list=result_selectors.listed_on_precinct(precinct),
        ballots_received=1,
        issued_station=1,
        found_in_boxes=1,
        valid=1,
    )
    if votes:
        figures[votes[0]] = 1
    else:
        figures.update(valid=0, invalid=1)
    protocol = Protocol.objects.create(
        election=constituency.election, constituency=constituency, precinct=precinct, status=status
    )
    version = ProtocolVersion.objects.create(
        protocol=protocol, number=1, figures=figures, checksum=result_rules.checksum(result_rules.subject_of(protocol), figures)
    )
    Protocol.objects.filter(pk=protocol.pk).update(current=version)
    protocol.current = version
    return protocol


def _results(w: World, single_a, single_b, national) -> None:
    """Protocols at A1-1 (entered), A1-2 (verified), B1-1 (entered) and the national contest's at A1-1
    (certified) and A1-2 (published, with a scan); a correction of each A1-1 and B1-1 protocol, a signed scan,
    turnout, a published seat sheet of constituency 1 and an unpublished one of constituency 2."""
    o, p, users = w.objects, w.country.precincts, w.country.users
    o["protocol_a"] = _protocol(single_a, p["A1-1"], "entered")
    o["protocol_a12"] = _protocol(single_a, p["A1-2"], "verified")
    o["protocol_b"] = _protocol(single_b, p["B1-1"], "entered")
    o["protocol_national_a"] = _protocol(national, p["A1-1"], "certified")
    for key, actor in (("a", "district"), ("b", "cec")):
        protocol = o[f"protocol_{key}"]
        figures = {**protocol.current.figures, "ballots_received": 2, "cancelled_unused": 1}
        o[f"correction_{key}"] = result_services.protocol_correction_open(
            actor=users[actor], protocol=protocol, figures=figures, reason="The cancelled ballots were not counted."
        )
        o[f"scan_{key}"] = ProtocolScan.objects.create(
            version=protocol.current,
            content_type="image/png",
            sha256="0" * 64,
            file=ContentFile(observer_helpers.png().read(), name="scan.png"),
        )
    # published, with its signed scan: the one protocol whose scan the public may open
    o["protocol_published"] = _protocol(national, p["A1-2"], "published")
    o["scan_published"] = ProtocolScan.objects.create(
        version=o["protocol_published"].current,
        content_type="image/png",
        sha256="0" * 64,
        file=ContentFile(observer_helpers.png().read(), name="scan.png"),
    )
    for key, precinct in (("a", "A1-1"), ("b", "B1-1")):
        o[f"turnout_{key}"] = TurnoutReport.objects.create(
            election=single_a.election, precinct=p[precinct], at=time(10), voted_station=0, on_list=1
        )
    o["seats_a"] = SeatCalculation.objects.create(
        election=single_a.election,
        constituency=single_a,
        outcome="elected",
        seed=1,
        sheet={"kind": "single", "votes": {}, "winner": None, "runoff": [], "took_part": 1, "on_list": 1},
        published_at=timezone.now(),
    )
    # calculated but not published: its sheet (page and PDF) is the officials', 404 to the public
    o["seats_b_draft"] = SeatCalculation.objects.create(
        election=single_b.election,
        constituency=single_b,
        outcome="elected",
        seed=2,
        sheet={"kind": "single", "votes": {}, "winner": None, "runoff": [], "took_part": 1, "on_list": 1},
    )
    o["single_a"], o["single_b"] = single_a, single_b


def build_world(country: Country) -> World:
    w = World(country)
    o = w.objects
    users, p, d = country.users, country.precincts, country.districts
    cec = users["cec"]

    # ------------------------------------------------------------------ media and observers (set the election day)
    media = media_helpers.build_media(country)
    o["outlet_a"], o["outlet_b"] = media.own, media.other
    o["journalist_a"], o["journalist_b"] = media.journalist, media.other_journalist
    o["press_a"] = media_helpers.approve(country, media_helpers.apply(media))
    o["press_b"] = media_helpers.approve(country, media_helpers.apply(media, journalist=media.other_journalist))

    obs = observer_helpers.build(country)
    election = obs.election
    o["org_a"], o["org_b"] = obs.own, obs.other
    o["observer_a"] = obs.observer
    voter_b_obs = make_voter(p["B1-1"], surname="Saidova", given_name="Nilufar", birth_date=date(1979, 4, 5))
    o["observer_b"] = observer_services.observer_register(
        actor=obs.other_coordinator,
        organization=obs.other,
        pinfl=voter_b_obs.pinfl,
        surname="Saidova",
        given_name="Nilufar",
        photo=observer_helpers.png(),
    )
    o["accreditation_a"] = observer_helpers.approve(country, observer_helpers.apply(country, obs))
    o["accreditation_b"] = observer_helpers.approve(
        country,
        observer_helpers.apply(country, obs, observer=o["observer_b"], precincts=("B1-1",), actor=obs.other_coordinator),
        actor="cec",
    )
    o["credential_a"] = credential_for(o["accreditation_a"])
    # another organisation's observer at A1-2: inside district A1, outside the precinct commission's A1-1
    voter_c_obs = make_voter(p["A1-2"], surname="Umarova", given_name="Zarina", birth_date=date(1981, 7, 8))
    o["observer_a12"] = observer_services.observer_register(
        actor=obs.other_coordinator,
        organization=obs.other,
        pinfl=voter_c_obs.pinfl,
        surname="Umarova",
        given_name="Zarina",
        photo=observer_helpers.png(),
    )
    o["accreditation_a12"] = observer_helpers.approve(
        country,
        observer_helpers.apply(country, obs, observer=o["observer_a12"], precincts=("A1-2",), actor=obs.other_coordinator),
        actor="district",
    )

    # ------------------------------------------------------------------ the voter list
    o["voter_a"] = make_voter(p["A1-1"], given_name="Anvar")
    o["voter_a2"] = make_voter(p["A1-1"], given_name="Anvar")
    o["voter_a12"] = make_voter(p["A1-2"], given_name="Bahodir")
    o["voter_b"] = make_voter(p["B1-1"], given_name="Erkin")
    o["voter_b2"] = make_voter(p["B1-1"], given_name="Erkin")
    for key, actor in (("a", "district"), ("b", "cec")):
        voter = make_voter(p["A1-1" if key == "a" else "B1-1"], given_name="Marhum")
        voter_services.voter_set_status(
            actor=users[actor],
            voter=voter,
            status="deceased",
            reason="Death record",
            document=SimpleUploadedFile("death.pdf", PDF),
            expected_version=voter.version,
        )
        o[f"changed_{key}"] = voter
        o[f"change_{key}"] = voter.changes.exclude(document="").get()
    o["dup_a"] = _pair(o["voter_a"], o["voter_a2"])
    o["dup_b"] = _pair(o["voter_b"], o["voter_b2"])
    o["dup_a12"] = _pair(o["voter_a12"], make_voter(p["A1-2"], given_name="Bahodir"))
    o["request_a"] = VotingLocationRequest.objects.create(
        tracking_code="AAAA000001", voter=o["voter_b"], election=election, precinct=p["A1-1"], status="submitted"
    )
    o["request_b"] = VotingLocationRequest.objects.create(
        tracking_code="BBBB000001", voter=o["voter_a12"], election=election, precinct=p["B1-1"], status="submitted"
    )
    o["request_a12"] = VotingLocationRequest.objects.create(
        tracking_code="CCCC000001", voter=o["voter_b2"], election=election, precinct=p["A1-2"], status="submitted"
    )
    o["import"] = ImportJob.objects.create(
        created_by=cec,
        original_name="registry.csv",
        file="imports/t/r.dat",
        status=ImportJob.Status.DONE,
        rows_read=2,
        rows_valid=1,
        rows_invalid=1,
    )
    ImportRowError.objects.create(job=o["import"], row=3, field="pinfl", code="check_digit", message="bad", value="1")
    for key, actor, district in (("a", "district", d["A1"]), ("b", "cec", d["B1"])):
        job = ExportJob.objects.create(created_by=users[actor], district=district, format="csv", status=ExportJob.Status.DONE)
        job.file.save("voters-routes.csv", ContentFile(b"pinfl,surname\n"), save=True)
        o[f"export_{key}"] = job

    # ------------------------------------------------------------------ commissions
    o["commission_a"] = f.commission_for(level="precinct", precinct=p["A1-1"])
    o["commission_region_a"] = f.commission_for(level="regional", region=country.regions["A"])
    o["commission_a12"] = f.commission_for(level="precinct", precinct=p["A1-2"])
    o["commission_b"] = f.commission_for(level="district", district=d["B1"])

    # ------------------------------------------------------------------ parties, nominations, objections
    own = candidate_services.party_register(actor=cec, registration_number="01", name_uz="Adolat")
    other = candidate_services.party_register(actor=cec, registration_number="02", name_uz="Milliy tiklanish")
    candidate_services.party_representative_add(actor=cec, party=own, user=users["party"])
    o["party_a"], o["party_b"] = own, other
    election.rules = {**(election.rules or {}), "signatures_required": 0}
    election.save()
    single_a = f.ConstituencyFactory(election=election, number=1, name_uz="1-okrug")
    single_a.precincts.set([p["A1-1"], p["A1-2"]])
    single_b = f.ConstituencyFactory(election=election, number=2, name_uz="2-okrug")
    single_b.precincts.set([p["B1-1"], p["B1-2"]])
    national = f.ConstituencyFactory(election=election, number=0, kind=Constituency.Kind.NATIONAL, seats=75, name_uz="Umumdavlat")
    setup = {"own": own, "other": other, "election": election, "single": single_a, "national": national}
    rival, _ = rival_party_rep(country, setup)
    o["nomination_a"] = _approved_nomination(
        country,
        party=own,
        election=election,
        constituency=single_a,
        actor="party",
        reviewer="district",
        voter=make_voter(p["A1-1"], surname="Rahimov", given_name="Anvar", birth_date=date(1970, 3, 4)),
    )
    o["nomination_b"] = _approved_nomination(
        country,
        party=other,
        election=election,
        constituency=single_b,
        actor="cec",
        reviewer="cec",
        voter=make_voter(p["B1-1"], surname="Qodirov", given_name="Sherzod", birth_date=date(1968, 6, 7)),
    )
    for key in "ab":
        n = o[f"nomination_{key}"]
        o[f"document_{key}"] = n.documents.filter(is_current=True).order_by("pk").first()
        o[f"signatures_{key}"] = SignatureSheetUpload.objects.create(
            nomination=n, file="signature-rows/r.dat", status="done", total=0, result=EMPTY_RESULT
        )
        o[f"sheets_{key}"] = SignatureSheetBatch.objects.create(nomination=n, first=1, last=2, form_version=1, language="uz")
    o["objection_a"] = candidate_services.objection_file(
        actor=rival,
        nomination=o["nomination_a"],
        text="The signatures were forged.",
        evidence=SimpleUploadedFile("evidence.pdf", PDF),
    )
    o["objection_b"] = candidate_services.objection_file(
        actor=users["party"],
        nomination=o["nomination_b"],
        text="The signatures were forged.",
        evidence=SimpleUploadedFile("evidence.pdf", PDF),
    )

    # ------------------------------------------------------------------ incidents (on election day)
    election.election_day = timezone.localdate()
    election.save()
    for key, actor, precinct in (("a", "observer", "A1-1"), ("a12", "journalist", "A1-2"), ("b", "journalist", "B1-1")):
        incident = incident_services.incident_report(
            actor=users[actor],
            election=election,
            precinct=p[precinct],
            category="ballot_box",
            description="The ballot box was not sealed.",
            occurred_at=timezone.now(),
            photos=[observer_helpers.png()],
        )
        o[f"incident_{key}"] = incident
        o[f"incident_photo_{key}"] = incident.photos.get()

    # ------------------------------------------------------------------ results (the count of election day)
    _results(w, single_a, single_b, national)
    return w
