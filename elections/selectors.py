"""Reads of geography, elections and commissions, already scoped to the caller."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts.roles import Role
from accounts.scope import scope_for
from core.sql import CompiledQuery, instance_from, model_fields
from elections.models import Commission, CommissionMember, Constituency, District, Election, Mahalla, Precinct, Region


def scoped_regions(user):
    """Regions to browse: those in the caller's area and those holding part of it."""
    return Region.objects.navigable(user)


def scoped_districts(user):
    """Districts to browse (a precinct official's district included: its page lists their precinct only)."""
    return District.objects.navigable(user).select_related("region")


def covered_districts(user):
    """Districts wholly in the caller's area: what district-wide work (exports, assignment) may reach."""
    return District.objects.restrict(user).select_related("region")


def covers_a_district(user) -> bool:
    """An official whose area holds a whole district: the district-wide work (assignment) is theirs; a precinct
    commission's is not."""
    return bool(user.is_official) and covered_districts(user).exists()


def scoped_mahallas(user):
    return Mahalla.objects.navigable(user).select_related("district")


def scoped_precincts(user):
    return Precinct.objects.restrict(user).select_related("district", "district__region")


def scoped_commissions(user):
    """Commissions whose area lies inside the caller's area (and the caller's own)."""
    if scope_for(user).is_empty:
        return Commission.objects.none()
    inside = Commission.objects.restrict(user).values("pk")
    return Commission.objects.select_related("region", "district", "precinct").filter(
        Q(pk__in=inside) | Q(pk__in=Commission.objects.filter(memberships__user=user).values("pk"))
    )


def region_counts(user):
    precincts = Precinct.objects.restrict(user).values("pk")
    return scoped_regions(user).annotate(
        n_districts=Count("districts", distinct=True),
        n_precincts=Count("districts__precincts", filter=Q(districts__precincts__in=precincts), distinct=True),
    )


def get_scoped(qs, **lookup):
    """One row of a scoped queryset; 404 when it does not exist *or* is out of scope."""
    try:
        obj = qs.filter(**lookup).first()
    except (ValueError, TypeError, ValidationError):  # e.g. ?district=abc
        raise Http404
    if obj is None:
        raise Http404
    return obj


_PRECINCT = CompiledQuery(
    lambda pk: Precinct.objects.filter(pk=pk).values_list(*model_fields(Precinct), *model_fields(District, "district__")),
    pk=int,
)
_CONSTITUENCY = CompiledQuery(
    lambda pk: Constituency.objects.filter(pk=pk).values_list(*model_fields(Constituency), *model_fields(Election, "election__")),
    pk=int,
)


def covered_precinct(user, pk: int) -> Precinct:
    """Precinct ``pk`` (its district read with it) when the user's area covers it (``Scope.covers``), else 404:
    the one-row form of ``scoped_precincts`` for the entry of a protocol, read with a query compiled once."""
    row = _PRECINCT.first(pk=pk) if type(pk) is int else None
    precinct = None
    if row is not None:
        n = len(Precinct._meta.concrete_fields)
        precinct = instance_from(Precinct, row[:n])
        precinct.district = instance_from(District, row[n:])
    if not scope_for(user).covers(precinct):
        raise Http404
    return precinct


def constituency_of(pk: int) -> Constituency:
    """Constituency ``pk`` with its election (404 when there is none), read with a query compiled once."""
    row = _CONSTITUENCY.first(pk=pk) if type(pk) is int else None
    if row is None:
        raise Http404
    n = len(Constituency._meta.concrete_fields)
    constituency = instance_from(Constituency, row[:n])
    constituency.election = instance_from(Election, row[n:])
    return constituency


def precinct_detail(user, pk: int) -> Precinct:
    members = CommissionMember.objects.select_related("user").order_by("role")
    return get_scoped(scoped_precincts(user).prefetch_related(Prefetch("commissions__memberships", queryset=members)), pk=pk)


def elections_visible(user):
    """Elections are public facts; any signed-in user may read them."""
    return Election.objects.prefetch_related("deadlines")


def active_elections():
    """The elections now being run (the only ones anything new may be filed for), soonest first."""
    return Election.objects.filter(is_active=True).order_by("election_day", "pk")


def upcoming_elections():
    """The active elections whose day has not passed, soonest first."""
    return active_elections().filter(election_day__gte=timezone.localdate())


def counting_elections():
    """The active elections whose day has come (election day itself, then the count), latest first: those whose
    public results the home page links."""
    return active_elections().filter(election_day__lte=timezone.localdate()).order_by("-election_day", "-pk")


def next_active_election() -> Election | None:
    """The election public services and demo data default to: the soonest active one whose day has not passed
    (while one election is being counted, voters already ask about the next), else the latest active one."""
    return upcoming_elections().first() or counting_elections().first()


def election_constituencies(election: Election):
    return Constituency.objects.filter(election=election).annotate(n_precincts=Count("precincts"))


def dashboard_counts(user) -> dict:
    scope = scope_for(user)
    counts = {
        "regions": scoped_regions(user).count(),
        "districts": scoped_districts(user).count(),
        "mahallas": scoped_mahallas(user).count(),
        "precincts": scoped_precincts(user).count(),
        "commissions": scoped_commissions(user).count(),
        "elections": active_elections().count(),
    }
    if scope.everything:
        counts["users_by_role"] = [
            {"role": Role(row["role"]).label, "n": row["n"]}
            for row in get_user_model().objects.exclude(role="").values("role").annotate(n=Count("id")).order_by("role")
        ]
    return counts


def commission_for(user, pk: int) -> Commission:
    """A commission the user may open: granted on the object (guardian) or inside their area; else 404."""

    granted = get_objects_for_user(user, "elections.view_commission", klass=Commission, accept_global_perms=False)
    qs = Commission.objects.filter(Q(pk__in=granted.values("pk")) | Q(pk__in=scoped_commissions(user).values("pk")))
    return get_scoped(qs, pk=pk)


def holds_commission_seat(person, election) -> bool:
    """Whether ``person`` sits on an election commission: the role "commission member" of
    ``elections.eligibility``.  Commissions are standing bodies here, so a seat counts in every election."""
    return CommissionMember.objects.filter(user_id__in=person.user_ids).exists()
