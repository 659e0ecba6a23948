"""Factories for the models that tests in more than one package build.

``make_voter`` and ``precinct_official`` are the short forms most tests use; the factory classes take any field.
"""

from __future__ import annotations

from datetime import date

import factory
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.roles import Role
from accounts.scope import scope_forget
from candidates.models import Nomination, Party
from core.names import normalize_name, normalize_patronymic
from core.pinfl import make_pinfl
from elections.models import Commission, CommissionMember, Constituency, District, Election, Mahalla, Precinct, Region
from voters.models import Voter, VoterStatus


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    code = factory.Sequence(lambda n: f"R{n:03d}")
    name_uz = factory.Sequence(lambda n: f"Viloyat {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    region = factory.SubFactory(RegionFactory)
    code = factory.Sequence(lambda n: f"D{n:04d}")
    name_uz = factory.Sequence(lambda n: f"Tuman {n}")
    name_ru = factory.Sequence(lambda n: f"Район {n}")


class MahallaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mahalla

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"M{n:06d}")
    name_uz = factory.Sequence(lambda n: f"Mahalla {n}")


class PrecinctFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Precinct

    district = factory.SubFactory(DistrictFactory)
    code = factory.Sequence(lambda n: f"P{n:06d}")
    number = factory.Sequence(lambda n: n + 1)
    address = factory.Sequence(lambda n: f"Amir Temur koʻchasi {n}")


class ElectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Election

    name_uz = factory.Sequence(lambda n: f"Saylov {n}")
    kind = Election.Kind.PARLIAMENTARY
    election_day = factory.Faker("future_date", end_date="+120d")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.PARTY_REP
    password = factory.PostGenerationMethodCall("set_password", "Correct-Horse-Battery-9")

    @factory.post_generation
    def save_after(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def commission_for(*, level, region=None, district=None, precinct=None):
    code = f"{level[0].upper()}-{(region or district or precinct).pk if (region or district or precinct) else 'C'}"
    commission, _ = Commission.objects.get_or_create(
        code=code,
        defaults={"level": level, "region": region, "district": district, "precinct": precinct, "name_uz": f"{level} commission"},
    )
    return commission


def add_member(user, commission, role=CommissionMember.Role.MEMBER):
    member = CommissionMember.objects.create(user=user, commission=commission, role=role)
    scope_forget(user)
    return member


def totp_device(user):
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


class ConstituencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Constituency

    election = factory.SubFactory(ElectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name_uz = factory.LazyAttribute(lambda o: f"{o.number}-okrug")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    registration_number = factory.Sequence(lambda n: f"P{n:03d}")
    name_uz = factory.Sequence(lambda n: f"Partiya {n}")


def _pinfl(voter) -> str:
    n = voter.serial
    return make_pinfl(voter.birth_date, voter.sex, 1 + n // 999 % 999, 1 + n % 999)


class VoterFactory(factory.django.DjangoModelFactory):
    """A voter on ``precinct``'s list, living in its district (in that district's first mahalla unless given)."""

    class Meta:
        model = Voter
        exclude = ("serial",)

    class Params:
        serial = factory.Sequence(lambda n: n + 1)

    precinct = factory.SubFactory(PrecinctFactory)
    district = factory.LazyAttribute(lambda o: o.precinct.district)
    mahalla = factory.LazyAttribute(lambda o: Mahalla.objects.filter(district=o.district).order_by("pk").first())
    surname = "Aliyev"
    given_name = "Bobur"
    patronymic = "Karimovich"
    birth_date = date(1980, 5, 17)
    sex = "M"
    pinfl = factory.LazyAttribute(_pinfl)
    passport = ""
    surname_key = factory.LazyAttribute(lambda o: normalize_name(o.surname))
    given_key = factory.LazyAttribute(lambda o: normalize_name(o.given_name))
    patronymic_key = factory.LazyAttribute(lambda o: normalize_patronymic(o.patronymic) if o.patronymic else "")
    street = "Navoiy"
    house = "1"
    flat = ""
    status = VoterStatus.ACTIVE


def make_voter(precinct: Precinct, **fields) -> Voter:
    """A voter on ``precinct``'s list; any field of ``VoterFactory`` may be given (``mahalla=None`` means its default)."""
    if fields.get("mahalla", ...) is None:
        fields.pop("mahalla")
    if fields.get("district", ...) is None:
        fields.pop("district")
    return VoterFactory(precinct=precinct, **fields)


class NominationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nomination

    party = factory.SubFactory(PartyFactory)
    election = factory.SubFactory(ElectionFactory)
    voter = factory.SubFactory(VoterFactory)


def precinct_official(precinct: Precinct, username: str) -> tuple[User, Client]:
    """A commission-staff user who is a member of ``precinct``'s commission, with a verified client."""
    from tests.conftest import verified_client  # noqa: PLC0415 - conftest imports this module

    user = UserFactory(username=username, role=Role.COMMISSION_STAFF)
    add_member(user, commission_for(level="precinct", precinct=precinct))
    return user, verified_client(user)


def results_contest(country) -> dict:
    """A contest on the test country: one single-mandate constituency over precincts A1-1, A1-2 and B1-1, two
    registered candidates, a second member of precinct A1-1's commission and 20 voters on that precinct's list."""
    election = country.election
    constituency = ConstituencyFactory(election=election, number=1, name_uz="1-okrug")
    constituency.precincts.set([country.precincts["A1-1"], country.precincts["A1-2"], country.precincts["B1-1"]])
    precinct = country.precincts["A1-1"]
    for i in range(20):
        make_voter(precinct, surname=f"Voter{i}")
    parties = [PartyFactory(registration_number=f"P{i}", name_uz=f"Partiya {i}") for i in (1, 2)]
    candidates = [
        NominationFactory(
            party=party,
            election=election,
            constituency=constituency,
            status="approved",
            voter=make_voter(country.precincts["A1-2"], surname=f"Nomzod{i}"),
        )
        for i, party in enumerate(parties)
    ]
    second = UserFactory(username="precinct2", role=Role.COMMISSION_STAFF)
    add_member(second, commission_for(level="precinct", precinct=precinct))
    return {
        "election": election,
        "constituency": constituency,
        "precinct": precinct,
        "candidates": candidates,
        "members": [country.users["precinct"], second],
    }


def protocol_figures(contest: dict, **change) -> dict[str, int]:
    """A protocol of precinct A1-1 of ``results_contest`` that satisfies the control relations (20 on the list,
    15 voted, 1 invalid), with ``change`` applied."""
    a, b = (f"votes:n{n.pk}" for n in contest["candidates"])
    good = {
        "voters_added": 0,
        "ballots_received": 20,
        "issued_station": 12,
        "issued_early": 2,
        "issued_home": 1,
        "cancelled_unused": 5,
        "ballots_lost": 0,
        "found_in_boxes": 15,
        "invalid": 1,
        "valid": 14,
        a: 9,
        b: 5,
    }
    return {**good, **change}
