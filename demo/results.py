"""The demo election day and count: a second demo election whose day has passed, with its turnout, precinct
protocols at every stage, an observer's copy that differs, and the seats.

The election (``ELECTION_NAME``, election day yesterday, the ``uz_parliament`` rules and a default calendar) is
held in the region of the demo precinct commission (Tashkent city, at most ``PRECINCT_CAP`` precincts): three
single-mandate constituencies over its districts and a national party list (``LIST_SEATS`` seats) over the same
precincts, with candidates of the demo parties.  What happened before election day (registered candidates, the
demo observer's accreditation) is history written with the ORM; election day and the count are, where a
newcomer would look at them, the real services:

* turnout at every reporting time of every precinct (bulk, monotonic, within the list), the precincts with demo
  commission members entered through ``turnout_report_enter``; every time published by the CEC
  (``turnout_publish``), one figure corrected afterwards by the district commission;
* the protocols of most precincts in bulk (figures that satisfy the control relations, their checksums,
  mostly published, some certified, verified or entered; in constituency 1 a few precincts still missing);
  a handful blind double-entered by two members of a precinct commission (``protocol_entry_submit``), the
  national ones then verified, certified and published through the workflow, the others left for the district
  commission to verify; at the demo precinct one double entry that did not match (for the members, ``precinct``
  and ``precinct2``, to enter again) and one attempt that breaks a control relation (refused: nothing stored);
  one correction (a recount) opened by the district commission, left for another official to approve;
* the demo observer's copy of the demo precinct's protocol, which differs from the official one;
* the seats of every contest whose protocols are all certified (the national list, constituencies 2 and 3),
  calculated and published by the CEC; constituency 1 is still being counted.

Deterministic (one seeded ``random.Random``; only the lot's seed of a seat calculation is the service's own)
and idempotent: the election is found by its name and nothing is done a second time.  It needs voter lists:
without about ``MIN_LISTED_PER_PRECINCT`` voters per precinct (``seed_demo --voters 0``) nothing is built.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image, ImageDraw

from accounts.roles import Role
from candidates.models import Nomination, Party
from core.credentials import credential_issue
from core.names import to_cyrillic
from core.services import audit_record
from core.workflow import State
from demo.candidates import PARTIES
from demo.country import parliamentary_election
from elections.models import Commission, CommissionMember, Constituency, District, Election, Precinct
from elections.services import commission_member_add
from media_accreditation.models import Journalist
from observers.models import Observer, ObserverAccreditation
from results import protocol as rules
from results import services
from results.models import Protocol, ProtocolState, ProtocolVersion, TurnoutReport
from results.selectors import contest_lines, reporting_moment, reporting_times
from results.workflows import above_precinct
from voters.models import Voter

ELECTION_NAME = "Oliy Majlis Qonunchilik palatasiga saylov (demo, ovozlar sanaldi)"
ELECTION_NAME_RU = "Выборы в Законодательную палату Олий Мажлиса (демо, голоса подсчитаны)"
ELECTION_NAME_EN = "Election to the Legislative Chamber of the Oliy Majlis (demo, counted)"
#: Election day was this many days ago.  Observers' badges expire the day after election day
#: (``observers.models.BADGE_DAYS_AFTER_ELECTION``), and only a valid badge lets the observer submit a copy.
DAYS_AGO = 1
#: At most this many precincts take part (whole districts of the region, in code order).
PRECINCT_CAP = 300
SINGLE_MANDATE = 3
LIST_SEATS = 15
LIST_LENGTH = 10
#: Fewer voters than this per precinct on average: no count to show (the lists are nearly empty).
MIN_LISTED_PER_PRECINCT = 5
#: Precincts of the demo district, besides the demo precinct, whose protocols two members enter blind.
ENTERED_BY_MEMBERS = 3
#: Share of the valid votes of each single-mandate constituency's candidates (one per party): constituency 1 is
#: still being counted, 2 elects its leading candidate, 3 needs a repeat vote between the two leading ones.
CANDIDATE_SHARES = (
    (0.44, 0.21, 0.16, 0.11, 0.08),
    (0.63, 0.14, 0.10, 0.08, 0.05),
    (0.31, 0.27, 0.19, 0.14, 0.09),
)
#: Share of the valid votes of each party list, in the order of ``demo.candidates.PARTIES``.
LIST_SHARES = (0.35, 0.22, 0.17, 0.16, 0.10)
SECOND_MEMBER = ("precinct2", ("Kamola", "Ergasheva"))
MEMBER_NAMES = (
    ("Shahlo", "Mirzayeva"),
    ("Ulugʻbek", "Hamroyev"),
    ("Feruza", "Abdullayeva"),
    ("Doniyor", "Sobirov"),
    ("Zarina", "Qosimova"),
    ("Behzod", "Rasulov"),
)
CORRECTION_REASON = (
    "Okrug saylov komissiyasi: uchastka komissiyasi bayonnomasida nomzodlarning ovozlari almashib yozilgan, "
    "ovozlar qayta sanaldi."
)
TURNOUT_REASON = "Uchastka komissiyasi soat %s dagi maʼlumotni kechikib aniqlashtirdi."


@dataclass
class PrecinctDay:
    """One precinct's election day: its list and who voted, when."""

    precinct: Precinct
    on_list: int
    added: int
    reserve: int
    early: int
    home: int
    station: int
    shares: list[float]  # of the final station and home figures reached by each reporting time

    @property
    def took_part(self) -> int:
        return self.station + self.early + self.home

    def turnout(self, i: int) -> dict[str, int]:
        share = self.shares[i]
        return {
            "voted_station": int(self.station * share),
            "voted_early": self.early,
            "voted_home": int(self.home * share),
        }


def _day(rng: random.Random, precinct: Precinct, on_list: int, times: int) -> PrecinctDay:
    took = min(on_list, round(on_list * rng.uniform(0.58, 0.86)))
    early = round(took * rng.uniform(0.02, 0.07))
    home = min(took - early, round(took * rng.uniform(0.01, 0.04)))
    shares, last = [], 0.0
    for i in range(1, times):
        last = max(last, min(0.95, i / times + rng.uniform(-0.06, 0.06)))
        shares.append(last)
    shares.append(1.0)
    return PrecinctDay(
        precinct=precinct,
        on_list=on_list,
        added=rng.randint(0, on_list // 40),
        reserve=rng.randint(1, max(1, on_list // 50)),
        early=early,
        home=home,
        station=took - early - home,
        shares=shares,
    )


def _votes(rng: random.Random, valid: int, keys: list[str], shares: list[float]) -> dict[str, int]:
    weights = [share * rng.uniform(0.8, 1.25) for share in shares]
    total = sum(weights)
    counts = [int(valid * w / total) for w in weights]
    for _ in range(valid - sum(counts)):
        counts[rng.choices(range(len(keys)), weights=weights)[0]] += 1
    return dict(zip(keys, counts, strict=True))


def _figures(rng: random.Random, day: PrecinctDay, keys: list[str], shares: list[float]) -> dict[str, int]:
    """A protocol of ``day`` that satisfies the control relations (``results.protocol.DEFAULT_RELATIONS``)."""
    issued = day.took_part
    received = day.on_list + day.added + day.reserve
    lost = 1 if rng.random() < 0.03 else 0
    found = issued - (1 if issued and rng.random() < 0.15 else 0)
    invalid = min(found, round(found * rng.uniform(0.005, 0.035)))
    figures = {
        "voters_on_list": day.on_list,
        "voters_added": day.added,
        "ballots_received": received,
        "issued_station": day.station,
        "issued_early": day.early,
        "issued_home": day.home,
        "cancelled_unused": received - issued - lost,
        "ballots_lost": lost,
        "found_in_boxes": found,
        "invalid": invalid,
        "valid": found - invalid,
        **_votes(rng, found - invalid, keys, shares),
    }
    breaches = rules.check_relations(figures)
    if breaches:  # a bug of this module, never of the data
        raise RuntimeError(f"demo protocol breaks {[b.key for b in breaches]}")
    return figures


def _misread(figures: dict[str, int], keys: list[str], n: int = 1) -> dict[str, int]:
    """The same protocol as another reader might copy it: ``n`` votes of the leading line written against the
    next one (or, with no votes, a cancelled ballot written as lost); the relations still hold."""
    changed = dict(figures)
    ranked = sorted(keys, key=lambda k: (-figures[k], k))
    if len(ranked) >= 2 and figures[ranked[0]] > 0:
        moved = min(n, figures[ranked[0]])
        changed[ranked[0]] -= moved
        changed[ranked[1]] += moved
    else:
        changed["cancelled_unused"] -= 1
        changed["ballots_lost"] += 1
    return changed


def _photo(figures: dict[str, int], name: str) -> SimpleUploadedFile:
    """A photo of a paper protocol copy (a drawn page with its lines): a real PNG, so it passes ``image_check``."""
    img = Image.new("RGB", (420, 594), (250, 250, 246))
    draw = ImageDraw.Draw(img)
    draw.rectangle((20, 20, 400, 574), outline=(90, 90, 90), width=2)
    for i, (key, value) in enumerate(sorted(figures.items())):
        y = 48 + i * 24
        draw.text((32, y), key, fill=(30, 30, 30))
        draw.text((330, y), str(value), fill=(30, 30, 30))
        draw.line((32, y + 16, 388, y + 16), fill=(200, 200, 200))
    out = io.BytesIO()
    img.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


def _precincts(home: Precinct) -> tuple[list[list[Precinct]], dict[int, int]]:
    """The districts of the home precinct's region that take part (in code order, whole districts, at most
    ``PRECINCT_CAP`` precincts, the home district first), each with its precincts that have voters; and the
    voters on each precinct's list."""
    listed = dict(
        Voter.objects.listed()
        .filter(precinct__district__region_id=home.district.region_id)
        .values("precinct")
        .annotate(n=Count("pk"))
        .values_list("precinct", "n")
    )
    districts = []
    total = 0
    for district in District.objects.filter(region_id=home.district.region_id).order_by("code"):
        precincts = [p for p in district.precincts.filter(abroad_country="").order_by("number") if listed.get(p.pk, 0) > 0]
        if not precincts:
            continue
        if district.pk == home.district_id:
            districts.insert(0, precincts)
        elif total + len(precincts) > PRECINCT_CAP and len(districts) >= SINGLE_MANDATE:
            break
        else:
            districts.append(precincts)
        total += len(precincts)
    return districts, listed


def _groups(districts: list[list[Precinct]], n: int) -> list[list[Precinct]]:
    """``n`` groups of consecutive districts with similar precinct counts (each group a list of precincts)."""
    n = min(n, len(districts))
    target = sum(len(d) for d in districts) / n
    groups, current = [], []
    for i, precincts in enumerate(districts):
        current += precincts
        left_districts, left_groups = len(districts) - i - 1, n - len(groups) - 1
        if left_groups and (len(current) >= target or left_districts == left_groups):
            groups.append(current)
            current = []
    groups.append(current)
    return [g for g in groups if g]


def _user(username: str, first: str, last: str, *, login: bool) -> tuple[object, bool]:
    """A commission member's account: one that logs in like the demo users (password and TOTP key), or one that
    stands for a member who never logs in here."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    user = User(
        username=username, role=Role.COMMISSION_STAFF, first_name=first, last_name=last, email=f"{username}@demo.esaylov.uz"
    )
    if login:
        user.set_password(settings.DEMO_PASSWORD)
    else:
        user.set_unusable_password()
    user.save()
    if login:
        TOTPDevice.objects.create(user=user, name="demo", key=settings.DEMO_TOTP_KEY, confirmed=True)
    return user, True


class _Seeder:
    def __init__(self, rng: random.Random, users: dict, home: Precinct) -> None:
        self.rng, self.users, self.home = rng, users, home
        self.created: dict[str, int] = {}
        self.now = timezone.now()

    def add(self, name: str, n: int = 1) -> None:
        if n:
            self.created[name] = self.created.get(name, 0) + n

    def at(self, moment: datetime) -> datetime:
        """A moment of election night, never later than now."""
        return min(moment, self.now - timedelta(minutes=1))

    # ------------------------------------------------------------------ before election day
    def election(self) -> Election:
        day = timezone.localdate() - timedelta(days=DAYS_AGO)
        election = parliamentary_election(ELECTION_NAME, name_ru=ELECTION_NAME_RU, name_en=ELECTION_NAME_EN, day=day)
        self.add("counted elections")
        return election

    def constituencies(self, election: Election, groups: list[list[Precinct]]) -> tuple[list[Constituency], Constituency]:
        through = Constituency.precincts.through
        links, singles = [], []
        for number, precincts in enumerate(groups, start=1):
            area = precincts[0].district
            name = f"{number}-son {area.name_uz.split(' ')[0]} saylov okrugi"
            c = Constituency.objects.create(
                election=election,
                number=number,
                kind=Constituency.Kind.SINGLE,
                name_uz=name,
                name_uz_cyrl=to_cyrillic(name),
                name_ru=f"Избирательный округ № {number} ({area.name_ru.split(' ')[0]})",
                name_en=f"Constituency No. {number} ({area.name_en.split(' ')[0]})",
            )
            singles.append(c)
            links += [through(constituency_id=c.pk, precinct_id=p.pk) for p in precincts]
        national = Constituency.objects.create(
            election=election,
            number=0,
            kind=Constituency.Kind.NATIONAL,
            seats=LIST_SEATS,
            name_uz="Yagona umumdavlat saylov okrugi",
            name_uz_cyrl=to_cyrillic("Yagona umumdavlat saylov okrugi"),
            name_ru="Единый общегосударственный избирательный округ",
            name_en="Single nationwide constituency",
        )
        links += [through(constituency_id=national.pk, precinct_id=p.pk) for g in groups for p in g]
        through.objects.bulk_create(links, batch_size=5000)
        self.add("counted constituencies", len(singles) + 1)
        return singles, national

    def candidates(self, election: Election, singles: list[Constituency], national: Constituency, parties: list) -> bool:
        """Registered candidates (history: bulk): one per party in each single-mandate constituency and a list of
        ``LIST_LENGTH`` per party, drawn from voters aged 25 or more who hold no other role."""
        taken = {p for p in Observer.objects.values_list("pinfl", flat=True) if p}
        taken |= {p for p in Journalist.objects.values_list("pinfl", flat=True) if p}
        taken |= {p for p in get_user_model().objects.values_list("pinfl", flat=True) if p}
        pool = [
            pk
            for pk, pinfl in Voter.objects.listed()
            .filter(birth_date__lte=_years_before(election.election_day, int(election.rule("min_candidate_age"))))
            .order_by("pk")
            .values_list("pk", "pinfl")[:5000]
            if pinfl not in taken
        ]
        length = min(LIST_LENGTH, (len(pool) - len(singles) * len(parties)) // len(parties))
        if length < 1:
            return False
        chosen = iter(self.rng.sample(pool, len(singles) * len(parties) + length * len(parties)))
        deadlines = {d.key: d.due for d in election.deadlines.all()}
        submitted, registered = deadlines["nomination_opens"] + timedelta(days=3), deadlines["registration_closes"]
        rows = [
            Nomination(
                party=party,
                election=election,
                constituency=c,
                voter_id=next(chosen),
                status=State.APPROVED,
                status_changed_at=registered - timedelta(days=2),
                created_by=self.users["cec"],
                created_at=submitted,
            )
            for c in singles
            for party in parties
        ]
        rows += [
            Nomination(
                party=party,
                election=election,
                constituency=national,
                list_position=position,
                voter_id=next(chosen),
                status=State.APPROVED,
                status_changed_at=registered - timedelta(days=2),
                created_by=self.users["cec"],
                created_at=submitted,
            )
            for party in parties
            for position in range(1, length + 1)
        ]
        Nomination.objects.bulk_create(rows)
        self.add("candidates (counted election)", len(rows))
        return True

    def member(self, precinct: Precinct, username: str, names: tuple[str, str], *, login: bool = False):
        user, created = _user(username, *names, login=login)
        self.add("users", int(created))
        self.add("totp devices", int(created and login))
        commission = Commission.objects.get(precinct=precinct)
        if not CommissionMember.objects.filter(commission=commission, user=user).exists():
            commission_member_add(actor=None, commission=commission, user=user, role=CommissionMember.Role.MEMBER)
            self.add("commission members")
        return user

    def accreditation(self, election: Election) -> object | None:
        """The demo observer's accreditation for this election at the demo precinct (history: written as the
        commission approved it before election day) and its badge, issued by ``core.credentials``."""
        observer_user = self.users.get("observer")
        observer = Observer.objects.filter(user=observer_user).select_related("organization").first() if observer_user else None
        if observer is None:
            return None
        submitted = election.deadline_due("accreditation_closes") - timedelta(days=4)
        accreditation = ObserverAccreditation.objects.create(
            observer=observer,
            organization=observer.organization,
            election=election,
            status=State.APPROVED,
            status_changed_at=submitted + timedelta(days=2),
            submitted_at=submitted,
            created_by=observer_user,
            created_at=submitted,
        )
        accreditation.precincts.set([self.home])
        credential_issue(
            subject=accreditation,
            kind="observer_badge",
            holder_name=observer.full_name,
            organisation=observer.organization.name,
            scope_text=accreditation.precincts_text(),
            election=election,
            photo=observer.photo or None,
            valid_until=accreditation.badge_valid_until,
            actor=self.users["cec"],
        )
        self.add("observer badges")
        return observer_user

    # ------------------------------------------------------------------ election day
    def turnout(self, election: Election, days: list[PrecinctDay], members: dict[int, list]) -> None:
        """Every precinct's turnout at every reporting time: the precincts with demo members through the
        service, the others in bulk; then the CEC publishes each time."""
        times = reporting_times(election)
        rows = []
        for day in days:
            for i, at in enumerate(times):
                moment = reporting_moment(election, at) + timedelta(minutes=self.rng.randint(3, 40))
                figures = day.turnout(i)
                if day.precinct.pk in members:
                    services.turnout_report_enter(
                        actor=members[day.precinct.pk][0], election=election, precinct=day.precinct, at=at, now=moment, **figures
                    )
                else:
                    rows.append(
                        TurnoutReport(
                            election=election, precinct=day.precinct, at=at, on_list=day.on_list, entered_at=moment, **figures
                        )
                    )
        TurnoutReport.objects.bulk_create(rows, batch_size=2000)
        self.add("turnout reports", len(days) * len(times))
        for at in times:
            services.turnout_publish(
                actor=self.users["cec"], election=election, at=at, now=reporting_moment(election, at) + timedelta(minutes=50)
            )
        self.add("turnout publications", len(times))
        # the district commission corrects one published figure of the demo precinct, with a reason
        district = self.users.get("district")
        reports = {r.at: r for r in TurnoutReport.objects.filter(election=election, precinct=self.home)}
        if district is not None and len(times) >= 3:
            at, after = times[1], reports[times[2]]
            report = reports[at]
            if report.voted_station < after.voted_station:
                services.turnout_report_enter(
                    actor=district,
                    election=election,
                    precinct=self.home,
                    at=at,
                    voted_station=report.voted_station + 1,
                    voted_early=report.voted_early,
                    voted_home=report.voted_home,
                    reason=TURNOUT_REASON % at.strftime("%H:%M"),
                )
                self.add("turnout corrections")

    def bulk_protocols(self, election: Election, plan: list[tuple]) -> list[Protocol]:
        """Protocols written at once: ``plan`` rows of (constituency, precinct day, status, figures), each accepted
        on election night and moved on through the workflow later."""
        close = reporting_moment(election, reporting_times(election)[-1])
        protocols, accepted = [], []
        for constituency, day, status, _figures in plan:
            when = self.at(close + timedelta(minutes=self.rng.randint(40, 360)))
            later = when if status == ProtocolState.ENTERED else self.at(when + timedelta(hours=self.rng.randint(1, 12)))
            accepted.append(when)
            protocols.append(
                Protocol(
                    election=election, constituency=constituency, precinct=day.precinct, status=status, status_changed_at=later
                )
            )
        Protocol.objects.bulk_create(protocols, batch_size=2000)
        versions = [
            ProtocolVersion(
                protocol=protocol,
                number=1,
                kind=ProtocolVersion.Kind.COUNT,
                figures=figures,
                checksum=rules.checksum(rules.subject_of(protocol), figures),
                created_at=when,
            )
            for protocol, when, (_c, _d, _s, figures) in zip(protocols, accepted, plan, strict=True)
        ]
        ProtocolVersion.objects.bulk_create(versions, batch_size=2000)
        for protocol, version in zip(protocols, versions, strict=True):
            protocol.current = version
        Protocol.objects.bulk_update(protocols, ["current"], batch_size=1000)
        for status in ProtocolState.values:
            self.add(f"protocols {status}", sum(1 for p in protocols if p.status == status))
        return protocols

    def double_entry(self, constituency: Constituency, precinct: Precinct, figures: dict, members: list, when: datetime):
        """Two members enter the protocol blind; it is accepted when both match."""
        first, second = members
        services.protocol_entry_submit(actor=first, constituency=constituency, precinct=precinct, figures=figures, now=when)
        result = services.protocol_entry_submit(
            actor=second, constituency=constituency, precinct=precinct, figures=figures, now=when + timedelta(minutes=12)
        )
        self.add("protocol entries", 2)
        return result.protocol

    def publish(self, protocol: Protocol, *, until: str = ProtocolState.PUBLISHED) -> None:
        """Verified by the district commission, certified and published by the CEC, as far as ``until``."""
        steps = [("verify", self.users["district"]), ("certify", self.users["cec"]), ("publish", self.users["cec"])]
        for name, actor in steps[: ProtocolState.values.index(until)]:
            services.protocol_transition(actor=actor, protocol=protocol, name=name)
        self.add(f"protocols {until}")


def _statuses(rng: random.Random, n: int, *, complete: bool) -> list[str | None]:
    """The stage of each of ``n`` bulk protocols of a contest: mostly published, some certified; a contest still
    being counted (``complete`` false) also has some verified, some entered and a few missing (None)."""
    if complete:
        return [ProtocolState.CERTIFIED if rng.random() < 0.15 else ProtocolState.PUBLISHED for _ in range(n)]
    missing = max(1 if n >= 2 else 0, round(n * 0.06))
    verified = max(1 if n >= 1 else 0, round(n * 0.12))
    entered = max(1 if n >= 3 else 0, round(n * 0.12))
    stages = [None] * missing + [ProtocolState.VERIFIED] * verified + [ProtocolState.ENTERED] * entered
    stages += [ProtocolState.CERTIFIED] * round(n * 0.15)
    stages = stages[:n] + [ProtocolState.PUBLISHED] * max(0, n - len(stages))
    rng.shuffle(stages)
    return stages


@transaction.atomic
def seed_results(*, seed: int = 2026) -> dict[str, int]:
    """Build the counted demo election (see the module's docstring); returns what was created, by name (empty
    when it is already there or there is nothing to count)."""
    if Election.objects.filter(name_uz=ELECTION_NAME).exists():
        return {}
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=("cec", "region", "district", "precinct", "observer"))
    }
    member = (
        CommissionMember.objects.filter(user__username="precinct", commission__precinct__isnull=False)
        .select_related("commission__precinct__district")
        .first()
    )
    parties = list(Party.objects.filter(registration_number__in=[p[0] for p in PARTIES]).order_by("registration_number"))
    if "cec" not in users or "district" not in users or member is None or len(parties) < 2:
        return {}
    home = member.commission.precinct
    districts, listed = _precincts(home)
    precincts = [p for d in districts for p in d]
    if not precincts or home not in precincts or sum(listed[p.pk] for p in precincts) < MIN_LISTED_PER_PRECINCT * len(precincts):
        return {}
    rng = random.Random(seed)
    s = _Seeder(rng, users, home)
    election = s.election()
    singles, national = s.constituencies(election, _groups(districts, SINGLE_MANDATE))
    if not s.candidates(election, singles, national, parties):
        transaction.set_rollback(True)
        return {}

    # the commission members who enter through the services: the demo precinct's two (the demo user and a second
    # one who logs in too), and two for each of a few more precincts of the demo district
    members = {home.pk: [users["precinct"], s.member(home, SECOND_MEMBER[0], SECOND_MEMBER[1], login=True)]}
    others = [p for p in districts[0] if p.pk != home.pk][:ENTERED_BY_MEMBERS]
    names = iter(MEMBER_NAMES)
    for precinct in others:
        members[precinct.pk] = [s.member(precinct, f"precinct{precinct.number}-{i}", next(names)) for i in (1, 2)]
    observer_user = s.accreditation(election)

    times = reporting_times(election)
    days = [_day(rng, p, listed[p.pk], len(times)) for p in precincts]
    s.turnout(election, days, members)

    # the figures of every protocol
    contests = [(c, shares) for c, shares in zip(singles, CANDIDATE_SHARES, strict=False)]
    contests.append((national, list(LIST_SHARES)))
    by_precinct = {p.pk: c for c in singles for p in c.precincts.all()}
    lines = {c.pk: [k for k, _label in contest_lines(c)] for c, _s in contests}
    shares = {c.pk: ([*sh] + [min(sh)] * len(lines[c.pk]))[: len(lines[c.pk])] for c, sh in contests}
    figures = {}
    for day in days:
        for c in (by_precinct[day.precinct.pk], national):
            figures[c.pk, day.precinct.pk] = _figures(rng, day, lines[c.pk], shares[c.pk])

    # most protocols at once
    plan = []
    for c, _sh in contests:
        rows = [d for d in days if (c.pk, d.precinct.pk) in figures and d.precinct.pk not in members]
        statuses = _statuses(rng, len(rows), complete=c.pk != singles[0].pk)
        if c.pk == singles[0].pk:
            # the protocol the district commission will correct: verified, in the demo district when there is one
            near = [i for i, d in enumerate(rows) if d.precinct.district_id == home.district_id]
            if near:
                other = statuses.index(ProtocolState.VERIFIED)
                statuses[near[0]], statuses[other] = statuses[other], statuses[near[0]]
        for day, status in zip(rows, statuses, strict=True):
            if status is None:
                s.add("protocols missing (still counting)")
            else:
                plan.append((c, day, status, figures[c.pk, day.precinct.pk]))
    bulk = s.bulk_protocols(election, plan)

    # a handful through the real services: two members blind, the district verifies, the CEC certifies, publishes
    close = reporting_moment(election, times[-1])
    by_pk = {p.pk: p for p in precincts}
    for precinct_pk, pair in members.items():
        precinct, own = by_pk[precinct_pk], by_precinct[precinct_pk]
        when = s.at(close + timedelta(minutes=rng.randint(50, 150)))
        s.publish(s.double_entry(national, precinct, figures[national.pk, precinct_pk], pair, when))
        if precinct_pk != home.pk:  # left for the district commission to verify
            s.double_entry(own, precinct, figures[own.pk, precinct_pk], pair, when + timedelta(minutes=30))
            s.add(f"protocols {ProtocolState.ENTERED}")

    # at the demo precinct, the two members' entries of their constituency's protocol differ: both enter it again
    own, good = by_precinct[home.pk], figures[by_precinct[home.pk].pk, home.pk]
    first, second = members[home.pk]
    when = s.at(close + timedelta(hours=2))
    services.protocol_entry_submit(actor=first, constituency=own, precinct=home, figures=good, now=when)
    services.protocol_entry_submit(
        actor=second, constituency=own, precinct=home, figures=_misread(good, lines[own.pk]), now=when + timedelta(minutes=9)
    )
    s.add("protocol entries", 2)
    s.add("mismatched double entries")
    # ... and an attempt that breaks a control relation (valid ballots against the sum of the votes) is refused
    broken = {**good, lines[own.pk][0]: good[lines[own.pk][0]] + 1}
    try:
        services.protocol_entry_submit(
            actor=first, constituency=own, precinct=home, figures=broken, now=when + timedelta(minutes=20)
        )
    except ValidationError as exc:
        if not any(e.code == "relation_broken" for e in exc.error_list):
            raise
        s.add("refused protocol entries (nothing stored)")
    else:
        raise RuntimeError("a protocol that breaks a control relation was accepted")

    # a correction opened by a commission above the precinct, waiting for another official to approve it
    target = next(
        (
            p
            for p in sorted(bulk, key=lambda p: p.precinct.district_id != home.district_id)
            if p.constituency_id == singles[0].pk and p.status == ProtocolState.VERIFIED
        ),
        None,
    )
    if target is not None:
        opener = next(
            u for u in (users["district"], users.get("region"), users["cec"]) if u and above_precinct(u, target.precinct)
        )
        services.protocol_correction_open(
            actor=opener,
            protocol=target,
            figures=_misread(target.current.figures, lines[singles[0].pk], 3),
            reason=CORRECTION_REASON,
            recount=True,
        )
        s.add("open corrections")

    # the demo observer's copy of the demo precinct's national protocol differs from the official one
    if observer_user is not None:
        official = figures[national.pk, home.pk]
        copy = _misread(official, lines[national.pk], 4)
        services.observer_copy_submit(
            actor=observer_user, constituency=national, precinct=home, figures=copy, photo=_photo(copy, "protocol-copy.png")
        )
        s.add("observer protocol copies")

    # the seats of every contest whose protocols are all certified
    for c in [national, *singles]:
        try:
            calculation = services.seats_calculate(actor=users["cec"], constituency=c)
        except ValidationError as exc:
            if not any(e.code == "protocols_missing" for e in exc.error_list):
                raise
            continue
        services.seats_publish(actor=users["cec"], calculation=calculation)
        s.add("seat calculations published")

    audit_record(action="demo.results", object_type="demo", object_repr="demo election day and count", after=s.created)
    return s.created
