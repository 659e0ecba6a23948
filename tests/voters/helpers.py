"""Helpers shared by the voter-list tests: voters made through the ORM, extra officials, HTML snippets."""

from __future__ import annotations

import itertools
import re
from datetime import date

from core.names import normalize_name, normalize_patronymic
from core.pinfl import make_pinfl
from elections.models import Mahalla
from tests import factories as f
from voters.models import Voter, VoterStatus

_serials = itertools.count(1)

#: Every page request whose text we read asks for English.
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def make_voter(
    precinct,
    *,
    surname: str = "Aliyev",
    given_name: str = "Bobur",
    patronymic: str = "Karimovich",
    birth_date: date = date(1980, 5, 17),
    sex: str = "M",
    mahalla=None,
    street: str = "Navoiy",
    house: str = "1",
    flat: str = "",
    status: str = VoterStatus.ACTIVE,
    passport: str = "",
    district=None,
    **extra,
) -> Voter:
    """A voter on ``precinct``'s list, living in its district (and that district's mahalla from ``country``)."""
    n = next(_serials)
    district = district or precinct.district
    if mahalla is None:
        mahalla = Mahalla.objects.filter(district=district).order_by("pk").first()
    return Voter.objects.create(
        pinfl=make_pinfl(birth_date, sex, 1 + n // 999 % 999, 1 + n % 999),
        passport=passport,
        surname=surname,
        given_name=given_name,
        patronymic=patronymic,
        surname_key=normalize_name(surname),
        given_key=normalize_name(given_name),
        patronymic_key=normalize_patronymic(patronymic) if patronymic else "",
        birth_date=birth_date,
        sex=sex,
        district=district,
        mahalla=mahalla,
        street=street,
        house=house,
        flat=flat,
        precinct=precinct,
        status=status,
        **extra,
    )


def precinct_official(precinct, username: str):
    """A commission-staff user who is a member of ``precinct``'s commission, with a verified client."""
    from accounts.roles import Role
    from tests.conftest import verified_client

    user = f.UserFactory(username=username, role=Role.COMMISSION_STAFF)
    f.add_member(user, f.commission_for(level="precinct", precinct=precinct))
    return user, verified_client(user)


def block(html: str, element_id: str) -> str:
    """The outer HTML of the ``<div ... id="element_id">`` block (no nested divs in these templates)."""
    match = re.search(rf'<div[^>]*id="{re.escape(element_id)}"[^>]*>.*?</div>', html, re.S)
    assert match, f"no #{element_id} in the page"
    return match.group(0)


def errorlists(html: str) -> list[str]:
    """Every rendered error list of a page, in order."""
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>', html, re.S)
