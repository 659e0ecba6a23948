"""Reads of the voter list, always scoped to the caller."""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Count, Q

from accounts.scope import scope_for
from core.names import normalize_name
from voters.models import DuplicateCandidate, ImportJob, ListEntryOverride, Voter, VoterStatus, VotingLocationRequest

_PINFL = re.compile(r"\d{14}")


def scoped_voters(user):
    """Voters whose address district or precinct lies in the caller's area."""
    scope = scope_for(user)
    if scope.is_empty or not user.is_official:
        return Voter.objects.none()
    return Voter.objects.filter(scope.q(region="district__region", district="district", precinct="precinct"))


def voter_search(user, *, q: str = "", birth_date: date | None = None, precinct=None, status: str = ""):
    """Search by PINFL, passport or name (any script: a Cyrillic query finds Latin records)."""
    qs = scoped_voters(user).select_related("precinct", "district")
    q = (q or "").strip()
    if _PINFL.fullmatch(q):
        qs = qs.filter(pinfl=q)
    elif re.fullmatch(r"[A-Za-z]{2}\d{7}", q):
        qs = qs.filter(passport=q.upper())
    elif q:
        parts = q.split()
        key = normalize_name(parts[0])
        qs = qs.filter(surname_key__startswith=key) if key else qs.none()
        if len(parts) > 1:
            qs = qs.filter(given_key__startswith=normalize_name(parts[1]))
    if birth_date:
        qs = qs.filter(birth_date=birth_date)
    if precinct:
        qs = qs.filter(precinct=precinct)
    if status:
        qs = qs.filter(status=status)
    if not (q or birth_date or precinct):
        return qs.none()  # never list a whole area by accident: ask for a criterion
    return qs.order_by("surname_key", "given_key", "birth_date", "id")


def voter_detail(user, pk: int) -> Voter:
    from elections.selectors import get_scoped

    return get_scoped(scoped_voters(user).select_related("precinct", "district", "mahalla", "merged_into"), pk=pk)


def voter_history(voter):
    return voter.changes.select_related("actor", "import_job").order_by("-created_at", "-id")


def counts_by_area(user, *, level: str = "region"):
    """Active voters per region / district / precinct (scoped)."""
    field = {"region": "district__region", "district": "district", "precinct": "precinct"}[level]
    name = {"region": "district__region__name_uz", "district": "district__name_uz", "precinct": "precinct__number"}[level]
    return (
        scoped_voters(user).filter(status=VoterStatus.ACTIVE, merged_into__isnull=True)
        .values(field, name).annotate(n=Count("id")).order_by(name)
    )


def import_jobs(user):
    return ImportJob.objects.all() if getattr(user, "is_cec", False) else ImportJob.objects.none()


def duplicates_open(user):
    qs = DuplicateCandidate.objects.filter(
        decision=DuplicateCandidate.Decision.OPEN, voter_a__merged_into__isnull=True,
        voter_b__merged_into__isnull=True).select_related("voter_a", "voter_b")
    visible = scoped_voters(user)
    return qs.filter(voter_a__in=visible, voter_b__in=visible)


def location_requests_for(user):
    scope = scope_for(user)
    if scope.is_empty or not user.is_official:
        return VotingLocationRequest.objects.none()
    return VotingLocationRequest.objects.filter(
        scope.q(region="precinct__district__region", district="precinct__district", precinct="precinct")
    ).select_related("voter", "precinct", "election")


def public_lookup(*, pinfl: str = "", passport: str = "", birth_date: date, election=None):
    """The precinct where a voter votes, or None; a miss and a wrong birth date look the same."""
    pinfl, passport = (pinfl or "").strip(), (passport or "").strip().upper()
    if pinfl:
        match = Q(pinfl=pinfl)
    elif passport:
        match = Q(passport=passport)
    else:
        return None
    voter = (Voter.objects.filter(match, birth_date=birth_date, status=VoterStatus.ACTIVE, merged_into__isnull=True)
             .only("id", "precinct_id").first())
    if voter is None or voter.precinct_id is None:
        return None
    precinct_id = voter.precinct_id
    if election is not None:
        override = ListEntryOverride.objects.filter(voter_id=voter.pk, election=election).values_list(
            "precinct_id", flat=True).first()
        precinct_id = override or precinct_id
    from elections.models import Precinct

    return Precinct.objects.select_related("district").only(
        "number", "address", "phone", "district__name_uz", "district__name_uz_cyrl", "district__name_ru",
        "district__name_en").get(pk=precinct_id)
