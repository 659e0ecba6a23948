"""Reads of the voter list, always scoped to the caller."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import psycopg
from django.db import connection
from django.db.models import Case, Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, When
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.errors import field_error
from core.identity import clean_country, clean_passport, is_citizen_passport
from core.names import APOSTROPHES, normalize_name, to_latin
from core.pinfl import PinflError, parse_pinfl
from elections.models import Precinct, localized_name
from elections.selectors import get_scoped, next_active_election
from voters.models import (
    DuplicateCandidate,
    ExportJob,
    ImportJob,
    ListEntryOverride,
    Voter,
    VoterStatus,
    VotingLocationRequest,
    listed_sql,
)

_PINFL = re.compile(r"\d{14}")


def voter_by_identity(pinfl: str, surname: str, given_name: str, *, voters: dict | None = None) -> Voter | None:
    """The current (unmerged) voter with this PINFL whose surname and given name match in either script.

    ``None`` for every miss, whether the PINFL is unknown or a name differs.  ``voters``
    (from ``voters_by_pinfl``) replaces the query when many people are checked at once.
    """
    if voters is not None:
        voter = voters.get(pinfl)
    else:
        voter = Voter.objects.current().filter(pinfl=pinfl).first()
    if voter is None or voter.surname_key != normalize_name(surname) or voter.given_key != normalize_name(given_name):
        return None
    return voter


def citizen_voter(*, pinfl: str, passport_number: str, country: str, surname: str, given_name: str, voters: dict | None = None):
    """The active voter a citizen is; ``ValidationError`` naming the field otherwise.

    ``voters`` (PINFL -> voter, ``voters.selectors.voters_by_pinfl``) lets a bulk check
    look every row up in one query.
    """
    if clean_passport(passport_number) or clean_country(country):
        raise field_error(
            "passport_number", _("A citizen is identified by PINFL, not by passport and country."), "passport_citizen"
        )
    pinfl = (pinfl or "").strip()
    try:  # the one PINFL rule (form, check digit): says nothing about the person, only about the number
        parse_pinfl(pinfl)
    except PinflError as exc:
        raise field_error("pinfl", exc.message, "pinfl_invalid") from exc
    voter = voter_by_identity(pinfl, surname, given_name, voters=voters)
    if voter is None or voter.status != VoterStatus.ACTIVE:
        # one answer whether the PINFL is unknown, the name differs or the voter is not active (deceased,
        # incapable by a court's decision, excluded): whoever knows a PINFL and a name learns nothing more
        raise field_error("pinfl", _("No active voter with this PINFL and name is on the voter list."), "not_in_voter_list")
    return voter


def voters_by_pinfl(pinfls) -> dict[str, Voter]:
    """PINFL -> current (unmerged) voter, in one query."""
    return {v.pinfl: v for v in Voter.objects.current().filter(pinfl__in=list(pinfls))}


def scoped_voters(user):
    """Voters whose address district or precinct lies in the caller's area (``Voter.objects.restrict``)."""
    return Voter.objects.restrict(user)


def voter_in_area(user, voter) -> bool:
    """Whether ``voter``'s record lies in ``user``'s area (``Voter.objects.restrict``)."""
    return Voter.objects.restrict(user).filter(pk=voter.pk).exists()


def voter_search(user, *, q: str = "", birth_date: date | None = None, precinct=None, status: str = ""):
    """Search by PINFL, passport or name (any script: a Cyrillic query finds Latin records).

    A name is matched from its beginning (surname, then given name) and the closest matches come first: the
    whole surname before a longer one that begins with it, then the whole given name likewise."""
    qs = scoped_voters(user).select_related("precinct", "district")
    q = (q or "").strip()
    closeness = []
    if _PINFL.fullmatch(q):
        qs = qs.filter(pinfl=q)
    elif is_citizen_passport(q, any_case=True):
        qs = qs.filter(passport=q.upper())
    elif q:
        parts = q.split()
        key = normalize_name(parts[0])
        qs = qs.filter(surname_key__startswith=key) if key else qs.none()
        closeness.append(Case(When(surname_key=key, then=0), default=1, output_field=IntegerField()))
        if len(parts) > 1:
            given = normalize_name(parts[1])
            qs = qs.filter(given_key__startswith=given)
            closeness.append(Case(When(given_key=given, then=0), default=1, output_field=IntegerField()))
    if birth_date:
        qs = qs.filter(birth_date=birth_date)
    if precinct:
        qs = qs.filter(precinct=precinct)
    if status:
        qs = qs.filter(status=status)
    if not (q or birth_date or precinct):
        return qs.none()  # never list a whole area by accident: ask for a criterion
    return qs.order_by(*closeness, "surname_key", "given_key", "birth_date", "id")


def voter_detail(user, pk: int) -> Voter:
    return get_scoped(scoped_voters(user).select_related("precinct", "district", "mahalla", "merged_into"), pk=pk)


def voter_history(voter):
    return voter.changes.select_related("actor", "import_job").order_by("-created_at", "-id")


def counts_by_area(user, *, level: str = "region"):
    """Active voters per region / district / precinct (scoped): rows of ``area`` (the id), ``name`` (in the
    reader's language; a precinct's number, with its ``district_name``) and ``n``, in name order."""
    voters = scoped_voters(user).listed()
    if level == "precinct":
        rows = voters.values(area=F("precinct"), name=F("precinct__number"), district_name=localized_name("precinct__district__"))
        return rows.annotate(n=Count("id")).order_by("district_name", "name", "area")
    path = {"region": "district__region", "district": "district"}[level]
    rows = voters.values(area=F(path), name=localized_name(f"{path}__"))
    return rows.annotate(n=Count("id")).order_by("name", "area")


def import_jobs(user):
    return ImportJob.objects.all() if getattr(user, "is_cec", False) else ImportJob.objects.none()


def own_exports(user):
    """The user's own export jobs of districts still in their scope: an official who leaves the commission
    (or whose area changes) no longer reads the district's list through an export made before."""

    return ExportJob.objects.restrict(user).filter(created_by=user).select_related("district")


#: How the duplicates list may be ordered: key -> ordering (``voters.forms.DuplicateFilterForm`` names them).
DUPLICATE_ORDERS = {
    "score": ("-score", "created_at", "pk"),
    "oldest": ("created_at", "pk"),
    "newest": ("-created_at", "-pk"),
}


def duplicates_to_review(user, *, order: str = "score", district=None):
    """``duplicates_open`` as the review list shows it: optionally in one district (of record A), in one of
    the ``DUPLICATE_ORDERS`` (the highest score first by default; equal scores the oldest first)."""
    qs = duplicates_open(user).select_related("voter_a__district", "voter_b__district")
    if district is not None:
        qs = qs.filter(voter_a__district=district)
    return qs.order_by(*DUPLICATE_ORDERS.get(order, DUPLICATE_ORDERS["score"]))


def duplicates_open(user):
    """Open pairs of two current records, both in the caller's area."""
    visible = scoped_voters(user)
    return DuplicateCandidate.objects.filter(
        decision=DuplicateCandidate.Decision.OPEN,
        voter_a__merged_into__isnull=True,
        voter_b__merged_into__isnull=True,
        voter_a__in=visible,
        voter_b__in=visible,
    ).select_related("voter_a", "voter_b")


def location_requests_for(user):
    return VotingLocationRequest.objects.restrict(user).select_related("voter", "precinct", "election")


def location_requests_open(user):
    """The requests in the user's area still to decide, the oldest first (the commissions' queue)."""
    return location_requests_for(user).filter(status__in=["submitted", "under_review"]).order_by("created_at")


@dataclass(frozen=True)
class PublicPrecinct:
    """What the public lookup may say: the polling station, nothing about the person."""

    number: int
    address: str
    phone: str
    district_names: tuple[str, str, str, str]  # uz, uz-cyrl, ru, en

    @property
    def district_name(self) -> str:
        lang = (get_language() or "uz").lower()
        index = {"uz-cyrl": 1, "ru": 2, "en": 3}.get(lang, 0)
        return self.district_names[index] or self.district_names[0]


# One statement, run through psycopg's own cursor so that PostgreSQL prepares it once per
# connection (Django's client-side binding would plan it again on every request).  It reads
# the voter (and a per-election override) only: what it says of the precinct is cached.
_LOOKUP_SQL = """
    SELECT COALESCE(o.precinct_id, v.precinct_id)
      FROM voters_voter v
      LEFT JOIN voters_listentryoverride o ON o.voter_id = v.id AND o.election_id = %(election)s
     WHERE v.{{column}} = %(value)s AND v.birth_date = %(born)s AND {listed}
     LIMIT 1""".format(listed=listed_sql("v"))  # noqa: S608 (a constant condition; values are bound)
_LOOKUP_BY = {"pinfl": _LOOKUP_SQL.format(column="pinfl"), "passport": _LOOKUP_SQL.format(column="passport")}


def public_lookup(*, pinfl: str = "", passport: str = "", birth_date: date, election=None) -> PublicPrecinct | None:
    """The precinct where a voter votes, or None; a miss and a wrong birth date look the same."""
    pinfl, passport = (pinfl or "").strip(), (passport or "").strip().upper()
    if pinfl:
        column, value = "pinfl", pinfl
    elif passport:
        column, value = "passport", passport
    else:
        return None
    election_id = election.pk if hasattr(election, "pk") else (election or 0)
    connection.ensure_connection()
    # psycopg's server-side-binding cursor: PostgreSQL prepares the statement once per connection
    # (settings.DATABASES "prepare_threshold"), instead of planning it on every request
    with psycopg.Cursor(connection.connection) as cur:
        cur.execute(_LOOKUP_BY[column], {"election": election_id, "value": value, "born": birth_date})
        row = cur.fetchone()
    if row is None or row[0] is None:
        return None
    return public_precinct(row[0])


#: How long a process keeps what the public lookup says of the precincts.  A change made in this
#: process is seen at once (voters.signals); other processes see it within this many seconds.
PRECINCT_CACHE_SECONDS = 60.0
_PRECINCTS: dict = {"at": None, "by_id": {}, "missing": set()}


def public_precinct(precinct_id: int) -> PublicPrecinct | None:
    """A precinct as the public services show it (number, address, phone, district).

    All precincts are read in one query and kept for ``PRECINCT_CACHE_SECONDS`` (a country
    has some ten thousand: a few megabytes), so a lookup asks the database about the voter only.
    A precinct the cache does not know makes it read them all again, once per id until the next
    reading (a new precinct is found at once; a missing one costs no more than one reading).
    """
    now = time.monotonic()
    cache = _PRECINCTS
    if (
        cache["at"] is None
        or now - cache["at"] >= PRECINCT_CACHE_SECONDS
        or (precinct_id not in cache["by_id"] and precinct_id not in cache["missing"])
    ):
        by_id = {
            row[0]: PublicPrecinct(row[1], row[2], row[3], row[4:8])
            for row in Precinct.objects.values_list(
                "id",
                "number",
                "address",
                "phone",
                "district__name_uz",
                "district__name_uz_cyrl",
                "district__name_ru",
                "district__name_en",
            ).iterator(chunk_size=5000)
        }
        cache.update(at=now, by_id=by_id, missing=set())
    found = cache["by_id"].get(precinct_id)
    if found is None:
        cache["missing"].add(precinct_id)
    return found


_ACTIVE_ELECTION: list = [0.0, None]


def forget_active_election() -> None:
    """Read the active election again at the next public request (an election was saved or deleted)."""
    _ACTIVE_ELECTION[0] = 0.0


def forget_precincts() -> None:
    """Read the precincts again at the next public lookup (a precinct or district was saved or deleted)."""
    _PRECINCTS["at"] = None


def active_election_id(ttl: float = 30.0) -> int | None:
    """The election the public services answer for (the next active one), cached briefly per process."""
    now = time.monotonic()
    if now - _ACTIVE_ELECTION[0] > ttl:
        election = next_active_election()
        _ACTIVE_ELECTION[1] = election.pk if election else None
        _ACTIVE_ELECTION[0] = now
    return _ACTIVE_ELECTION[1]


def precinct_by_number(district, number: int):
    """The precinct a voter names by district and number (public forms), or None."""

    return Precinct.objects.filter(district=district, number=number).first()


# --------------------------------------------------------------------------- precinct lists
#
# Who is on a precinct's list for an election: every active voter (status
# ``active``, not merged into another record) whose ``Voter.precinct`` is the
# precinct and who has no :class:`~voters.models.ListEntryOverride` for that
# election, plus every active voter with an override placing them on this
# precinct for that election.  Without an election the list is the default one
# (``Voter.precinct`` only).
#
# Rows are ordered by address (street by ``street_sort_key``, house by its
# leading number and then as text, flat by its leading number and then as
# text) and then by name.  PostgreSQL sorts by house, flat and name; the street
# key is Python's (``core.names.to_latin``, which SQL does not have), applied by
# ``list_records`` to one precinct at a time (at most some 3,000 rows) with a
# stable sort, so that "Navoiy ko'chasi" and "Навоий кўчаси" fall together and
# their houses in one order.  Every list (the page, CSV, PDF, the district
# export) reads ``list_records``.

#: The columns of a printed or exported list, and how many rows the server-side cursor fetches at a time.
LIST_FIELDS = ("surname", "given_name", "patronymic", "birth_date", "street", "house", "flat")
LIST_CHUNK_SIZE = 2000


class _LeadingNumber(Func):
    """PostgreSQL: the leading digits of a text column as an integer; NULL when it does not start with a digit."""

    template = "CAST(SUBSTRING(%(expressions)s FROM '^[0-9]{1,9}') AS integer)"
    output_field = IntegerField()


_APOSTROPHE_KEY = str.maketrans(dict.fromkeys(APOSTROPHES, "'"))


@lru_cache(maxsize=1 << 16)
def street_sort_key(street: str) -> str:
    """The street's place on a precinct list: in Latin letters (``to_latin``), its apostrophes one character,
    its spaces single, case folded, so that the Latin and Cyrillic spellings of one street sort as one."""
    latin = to_latin(street or "").translate(_APOSTROPHE_KEY).casefold()
    return " ".join(latin.split())


def precinct_voters(precinct, election=None) -> QuerySet:
    """The voters on ``precinct``'s list for ``election`` (or the default list), in list order within a street
    (house, flat, name): ``list_records`` puts the streets in order (``street_sort_key``)."""
    base = Voter.objects.listed()
    if election is None:
        voters = base.filter(precinct=precinct)
    else:
        # The voters moved here are few; fetching their ids first keeps the query an
        # index scan (precinct index OR primary key) instead of a scan of the whole table.
        moved_here = list(
            ListEntryOverride.objects.filter(election=election, precinct=precinct).values_list("voter_id", flat=True)
        )
        moved_away = ListEntryOverride.objects.filter(election=election, voter=OuterRef("pk"))
        on_list = Q(precinct=precinct) & ~Exists(moved_away)
        if moved_here:
            on_list |= Q(pk__in=moved_here)
        voters = base.filter(on_list)
    return voters.annotate(_house_no=_LeadingNumber("house"), _flat_no=_LeadingNumber("flat")).order_by(
        F("_house_no").asc(nulls_last=True),
        "house",
        F("_flat_no").asc(nulls_last=True),
        "flat",
        "surname",
        "given_name",
        "patronymic",
        "pk",
    )


def list_records(precinct, election=None, chunk_size: int = LIST_CHUNK_SIZE) -> list[tuple]:
    """(surname, given name, patronymic, birth date, street, house, flat) in list order: the streets by
    ``street_sort_key`` (a stable sort of PostgreSQL's order by house, flat and name)."""
    rows = precinct_voters(precinct, election).values_list(*LIST_FIELDS).iterator(chunk_size=chunk_size)
    return sorted(rows, key=_street_of_record)


def _street_of_record(record: tuple) -> str:
    return street_sort_key(record[4])


def full_name(surname: str, given: str, patronymic: str) -> str:
    return " ".join(part for part in (surname, given, patronymic) if part)


def format_address(street: str, house: str, flat: str) -> str:
    """``"street house, flat"`` without dangling separators for missing parts."""
    address = " ".join(part for part in (street, house) if part)
    if flat:
        address = f"{address}, {flat}" if address else flat
    return address


def precinct_list_rows(precinct, election=None, *, chunk_size: int = LIST_CHUNK_SIZE) -> Iterator[tuple[int, str, date, str]]:
    """Stream ``(No., full name, birth date, address)`` for the precinct's list, in list order.

    ``No.`` counts from 1; the full name is written as in the register (surname,
    given name, patronymic); the birth date is a :class:`datetime.date`; the
    address is ``"street house, flat"``.
    """
    for number, (surname, given, patronymic, born, street, house, flat) in enumerate(
        list_records(precinct, election, chunk_size), 1
    ):
        yield number, full_name(surname, given, patronymic), born, format_address(street, house, flat)


@dataclass(frozen=True)
class ComparedLine:
    """One line of a duplicate review: the two records' values and whether they differ."""

    label: str
    a: str
    b: str

    @property
    def differs(self) -> bool:
        return self.a != self.b


def duplicate_comparison(candidate) -> list[ComparedLine]:
    """The two records of a possible duplicate side by side, as the reviewer reads them (dates and codes in the
    reader's language)."""
    a, b = candidate.voter_a, candidate.voter_b

    def line(label, value) -> ComparedLine:
        return ComparedLine(str(label), str(value(a) or ""), str(value(b) or ""))

    return [
        line(_("PINFL"), lambda v: v.pinfl),
        line(_("Surname"), lambda v: v.surname),
        line(_("Given name"), lambda v: v.given_name),
        line(_("Patronymic"), lambda v: v.patronymic),
        line(_("Birth date"), lambda v: date_format(v.birth_date, "DATE_FORMAT")),
        line(_("Sex"), lambda v: v.get_sex_display()),
        line(_("District"), lambda v: v.district),
        line(_("Mahalla"), lambda v: v.mahalla or ""),
        line(_("Address"), lambda v: format_address(v.street, v.house, v.flat)),
        line(_("Precinct"), lambda v: v.precinct or ""),
        line(_("Status"), lambda v: v.get_status_display()),
    ]
