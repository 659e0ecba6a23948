"""The demo country: every real region and district, synthetic mahallas,
precincts, commissions, demo users (one per role) and an upcoming parliamentary
election with its calendar and constituencies.

Deterministic (seeded random) and idempotent: rows are found by their stable
codes, so a second run creates and changes nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from core.names import to_cyrillic
from core.services import audit_record
from demo import geodata
from elections.models import (
    Commission,
    CommissionMember,
    Constituency,
    Deadline,
    District,
    Election,
    Mahalla,
    Precinct,
    Region,
)
from elections.rules import DEADLINE_TIME, DEFAULT_CALENDAR_OFFSETS, PRESETS
from elections.services import commission_member_add

#: Approximate centres of each region (lat, lon) for precinct coordinates.
CENTRES = {
    "35": (42.46, 59.60),
    "03": (40.78, 72.34),
    "06": (39.77, 64.42),
    "08": (40.12, 67.84),
    "10": (38.86, 65.79),
    "12": (40.10, 65.37),
    "14": (41.00, 71.67),
    "18": (39.65, 66.96),
    "22": (37.22, 67.28),
    "24": (40.49, 68.78),
    "27": (41.00, 69.50),
    "30": (40.38, 71.79),
    "33": (41.55, 60.63),
    "26": (41.31, 69.28),
}
#: Relative number of voters per region (2024 electorate, rounded), to spread precincts.
WEIGHTS = {
    "35": 1.2,
    "03": 2.0,
    "06": 1.3,
    "08": 0.9,
    "10": 2.0,
    "12": 0.7,
    "14": 1.8,
    "18": 2.6,
    "22": 1.7,
    "24": 0.6,
    "27": 2.0,
    "30": 2.6,
    "33": 1.3,
    "26": 2.0,
}
PHONE_CODES = {
    "35": "61",
    "03": "74",
    "06": "65",
    "08": "72",
    "10": "75",
    "12": "79",
    "14": "69",
    "18": "66",
    "22": "76",
    "24": "67",
    "27": "70",
    "30": "73",
    "33": "62",
    "26": "71",
}
ELECTION_NAME = "Oliy Majlis Qonunchilik palatasiga saylov (demo)"
CONSTITUENCIES = 75

#: username -> (role, commission level the user sits on, names)
DEMO_USERS = {
    "admin": (Role.ADMIN, None, ("Aziz", "Karimov")),
    "cec": (Role.CEC_STAFF, "central", ("Dilnoza", "Rahimova")),
    "region": (Role.COMMISSION_STAFF, "regional", ("Bahodir", "Tursunov")),
    "district": (Role.COMMISSION_STAFF, "district", ("Gulnora", "Yusupova")),
    "precinct": (Role.COMMISSION_STAFF, "precinct", ("Jasur", "Aliyev")),
    "party": (Role.PARTY_REP, None, ("Sardor", "Qodirov")),
    "coordinator": (Role.OBSERVER_COORDINATOR, None, ("Nodira", "Ismoilova")),
    "observer": (Role.OBSERVER, None, ("Otabek", "Nazarov")),
    "editor": (Role.MEDIA_EDITOR, None, ("Malika", "Saidova")),
    "journalist": (Role.JOURNALIST, None, ("Rustam", "Xolmatov")),
}


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.created[name] = self.created.get(name, 0) + n

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _split(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integer parts proportional to ``weights``, each at least 1."""
    s = sum(weights)
    parts = [max(1, int(total * w / s)) for w in weights]
    i = 0
    while sum(parts) < total:
        parts[i % len(parts)] += 1
        i += 1
    while sum(parts) > total and any(p > 1 for p in parts):
        j = max(range(len(parts)), key=parts.__getitem__)
        parts[j] -= 1
    return parts


def _seed_geography(report: SeedReport, precincts: int, rng: random.Random) -> None:
    existing_regions = set(Region.objects.values_list("code", flat=True))
    new = [
        Region(code=r["code"], name_uz=r["name_uz"], name_uz_cyrl=r["name_uz_cyrl"], name_ru=r["name_ru"], name_en=r["name_en"])
        for r in geodata.REGIONS
        if r["code"] not in existing_regions
    ]
    Region.objects.bulk_create(new)
    report.add("regions", len(new))
    regions = {r.code: r for r in Region.objects.all()}

    existing = set(District.objects.values_list("code", flat=True))
    new = []
    for r in geodata.REGIONS:
        for code, uz, cyrl, ru, en in r["districts"]:
            if code not in existing:
                kind = District.Kind.CITY if uz.endswith("shahri") else District.Kind.TUMAN
                new.append(
                    District(
                        region=regions[r["code"]], code=code, name_uz=uz, name_uz_cyrl=cyrl, name_ru=ru, name_en=en, kind=kind
                    )
                )
    District.objects.bulk_create(new)
    report.add("districts", len(new))

    districts = list(District.objects.select_related("region").order_by("code"))
    abroad_n = max(1, round(precincts * 57 / 10_717))
    home_n = max(len(districts), precincts - abroad_n)
    weights = [WEIGHTS[d.region.code] / sum(1 for x in districts if x.region_id == d.region_id) for d in districts]
    per_district = _split(home_n, weights)

    existing_m = set(Mahalla.objects.values_list("code", flat=True))
    existing_p = set(Precinct.objects.values_list("code", flat=True))
    new_m, new_p = [], []
    number = 0
    for d, n in zip(districts, per_district, strict=True):
        names = rng.sample(geodata.MAHALLA_NAMES, k=min(len(geodata.MAHALLA_NAMES), max(3, n)))
        for i, name in enumerate(names, start=1):
            code = f"{d.code}{i:03d}"
            if code not in existing_m:
                new_m.append(
                    Mahalla(
                        district=d,
                        code=code,
                        name_uz=f"{name} MFY",
                        name_uz_cyrl=to_cyrillic(f"{name} MFY"),
                        name_ru=f"махалля {to_cyrillic(name)}",
                        name_en=f"{name} mahalla",
                    )
                )
        lat0, lon0 = CENTRES[d.region.code]
        for i in range(1, n + 1):
            number += 1
            code = f"{d.code}-{i:04d}"
            if code in existing_p:
                continue
            street = rng.choice(geodata.STREET_NAMES)
            school = rng.randint(1, 320)
            new_p.append(
                Precinct(
                    district=d,
                    code=code,
                    number=number,
                    address=f"{d.name_uz}, {street} koʻchasi, {rng.randint(1, 150)}-uy, {school}-son maktab",
                    latitude=round(lat0 + rng.uniform(-0.4, 0.4), 6),
                    longitude=round(lon0 + rng.uniform(-0.4, 0.4), 6),
                    phone=(
                        f"+998 {PHONE_CODES[d.region.code]} {rng.randint(200, 299)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}"
                    ),
                    capacity=rng.randint(400, 2_800),
                )
            )
    tashkent_district = next(d for d in districts if d.region.code == "26")
    for i, (country, city_en, _city_ru, _city_uz) in enumerate(
        (geodata.ABROAD * (abroad_n // len(geodata.ABROAD) + 1))[:abroad_n], start=1
    ):
        code = f"ABR-{i:03d}"
        if code not in existing_p:
            new_p.append(
                Precinct(
                    district=tashkent_district,
                    code=code,
                    number=9000 + i,
                    abroad_country=country,
                    address=f"Embassy of the Republic of Uzbekistan, {city_en}",
                    capacity=rng.randint(100, 3000),
                )
            )
    Mahalla.objects.bulk_create(new_m, batch_size=2000)
    Precinct.objects.bulk_create(new_p, batch_size=2000)
    report.add("mahallas", len(new_m))
    report.add("precincts", len(new_p))


def _seed_commissions(report: SeedReport) -> None:
    existing = set(Commission.objects.values_list("code", flat=True))
    new = []
    if "CEC" not in existing:
        new.append(
            Commission(
                code="CEC",
                level=Commission.Level.CENTRAL,
                name_uz="Oʻzbekiston Respublikasi Markaziy saylov komissiyasi",
                name_uz_cyrl="Ўзбекистон Республикаси Марказий сайлов комиссияси",
                name_ru="Центральная избирательная комиссия Республики Узбекистан",
                name_en="Central Election Commission of the Republic of Uzbekistan",
            )
        )
    for r in Region.objects.all():
        if f"R{r.code}" not in existing:
            new.append(
                Commission(
                    code=f"R{r.code}",
                    level=Commission.Level.REGIONAL,
                    region=r,
                    name_uz=f"{r.name_uz} saylov komissiyasi",
                    name_uz_cyrl=f"{r.name_uz_cyrl} сайлов комиссияси",
                    name_ru=f"Избирательная комиссия: {r.name_ru}",
                    name_en=f"{r.name_en} Election Commission",
                )
            )
    for d in District.objects.all():
        if f"D{d.code}" not in existing:
            new.append(
                Commission(
                    code=f"D{d.code}",
                    level=Commission.Level.DISTRICT,
                    district=d,
                    name_uz=f"{d.name_uz} saylov komissiyasi",
                    name_uz_cyrl=f"{d.name_uz_cyrl} сайлов комиссияси",
                    name_ru=f"Районная избирательная комиссия: {d.name_ru}",
                    name_en=f"{d.name_en} Election Commission",
                )
            )
    for p in Precinct.objects.all():
        if f"P{p.code}" not in existing:
            new.append(
                Commission(
                    code=f"P{p.code}",
                    level=Commission.Level.PRECINCT,
                    precinct=p,
                    name_uz=f"{p.number}-son uchastka saylov komissiyasi",
                    name_uz_cyrl=f"{p.number}-сон участка сайлов комиссияси",
                    name_ru=f"Участковая избирательная комиссия № {p.number}",
                    name_en=f"Precinct Election Commission No. {p.number}",
                )
            )
    Commission.objects.bulk_create(new, batch_size=2000)
    report.add("commissions", len(new))


def _seed_users(report: SeedReport) -> dict:
    User = get_user_model()
    tashkent = Region.objects.get(code="26")
    district = District.objects.filter(region=tashkent).order_by("code").first()
    precinct = Precinct.objects.filter(district=district, abroad_country="").order_by("number").first()
    commissions = {
        "central": Commission.objects.get(code="CEC"),
        "regional": Commission.objects.get(region=tashkent),
        "district": Commission.objects.get(district=district),
        "precinct": Commission.objects.get(precinct=precinct),
    }
    key = settings.DEMO_TOTP_KEY
    for username, (role, level, (first, last)) in DEMO_USERS.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                first_name=first,
                last_name=last,
                email=f"{username}@demo.esaylov.uz",
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
            report.add("users", 1)
        if user.requires_two_factor and not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="demo", key=key, confirmed=True)
            report.add("totp devices", 1)
        if level and not CommissionMember.objects.filter(commission=commissions[level], user=user).exists():
            commission_member_add(
                actor=None,
                commission=commissions[level],
                user=user,
                role=CommissionMember.Role.SECRETARY if level != "central" else CommissionMember.Role.MEMBER,
            )
            report.add("commission members", 1)
    return commissions


def parliamentary_election(name_uz: str, *, name_ru: str, name_en: str, day) -> Election:
    """A demo parliamentary election on ``day`` with the ``uz_parliament`` rules and the default calendar."""
    election = Election.objects.create(
        name_uz=name_uz,
        name_uz_cyrl=to_cyrillic(name_uz),
        name_ru=name_ru,
        name_en=name_en,
        kind=Election.Kind.PARLIAMENTARY,
        election_day=day,
        rules=dict(PRESETS["uz_parliament"]),
    )
    tz = timezone.get_current_timezone()
    Deadline.objects.bulk_create(
        [
            Deadline(
                election=election,
                key=key,
                due=timezone.make_aware(datetime.combine(day - timedelta(days=offset), DEADLINE_TIME), tz),
            )
            for key, offset in DEFAULT_CALENDAR_OFFSETS.items()
        ]
    )
    return election


def _seed_election(report: SeedReport) -> None:
    election = Election.objects.filter(name_uz=ELECTION_NAME).first()
    if election is not None:
        return
    day = timezone.localdate() + timedelta(days=90)
    election = parliamentary_election(
        ELECTION_NAME,
        name_ru="Выборы в Законодательную палату Олий Мажлиса (демо)",
        name_en="Election to the Legislative Chamber of the Oliy Majlis (demo)",
        day=day,
    )
    report.add("elections", 1)
    # 75 single-mandate constituencies of contiguous districts with similar precinct counts,
    # and one national constituency (number 0) for the 75 party-list seats.
    districts = list(District.objects.order_by("code").prefetch_related("precincts"))
    sizes = [len(d.precincts.all()) for d in districts]
    n = min(CONSTITUENCIES, len(districts))
    target = sum(sizes) / n
    groups, current, acc = [], [], 0
    for d, size in zip(districts, sizes, strict=True):
        current.append(d)
        acc += size
        remaining_groups = n - len(groups) - 1
        remaining_districts = len(districts) - sum(len(g) for g in groups) - len(current)
        if (acc >= target and remaining_groups > 0) or remaining_districts == remaining_groups:
            if remaining_groups > 0:
                groups.append(current)
                current, acc = [], 0
    groups.append(current)
    through = Constituency.precincts.through
    links = []
    for number, group in enumerate(groups, start=1):
        c = Constituency.objects.create(
            election=election,
            number=number,
            kind=Constituency.Kind.SINGLE,
            name_uz=f"{number}-son {group[0].name_uz.split(' ')[0]} saylov okrugi",
            name_ru=f"Избирательный округ № {number}",
        )
        links += [through(constituency_id=c.pk, precinct_id=p.pk) for d in group for p in d.precincts.all()]
    national = Constituency.objects.create(
        election=election,
        number=0,
        kind=Constituency.Kind.NATIONAL,
        seats=75,
        name_uz="Yagona umumdavlat saylov okrugi",
        name_ru="Единый общегосударственный избирательный округ",
    )
    links += [through(constituency_id=national.pk, precinct_id=pk) for pk in Precinct.objects.values_list("pk", flat=True)]
    through.objects.bulk_create(links, batch_size=5000)
    report.add("constituencies", len(groups) + 1)


@transaction.atomic
def seed_demo(*, precincts: int = 1000, seed: int = 2026) -> SeedReport:
    rng = random.Random(seed)
    report = SeedReport()
    _seed_geography(report, precincts, rng)
    _seed_commissions(report)
    _seed_users(report)
    _seed_election(report)
    if report.total:
        audit_record(action="demo.seed", object_type="demo", object_repr="demo country", after=report.created)
    return report
