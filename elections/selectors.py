"""Reads of geography, elections and commissions, already scoped to the caller."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404

from accounts.scope import scope_for
from elections.models import Commission, CommissionMember, Constituency, District, Election, Mahalla, Precinct, Region


def _scoped_area(user, model, area_q: str, *related: str):
    """Rows of ``model`` in the caller's area; ``area_q`` names the scope's condition (``regions_q`` ...)."""
    scope = scope_for(user)
    if scope.is_empty:
        return model.objects.none()
    qs = model.objects.select_related(*related) if related else model.objects.all()
    if not scope.everything:
        qs = qs.filter(pk__in=model.objects.filter(getattr(scope, area_q)()).values("pk"))
    return qs


def scoped_regions(user):
    return _scoped_area(user, Region, "regions_q")


def scoped_districts(user):
    return _scoped_area(user, District, "districts_q", "region")


def scoped_mahallas(user):
    return _scoped_area(user, Mahalla, "mahallas_q", "district")


def scoped_precincts(user):
    scope = scope_for(user)
    if scope.is_empty:
        return Precinct.objects.none()
    return Precinct.objects.select_related("district", "district__region").filter(scope.precincts_q())


def scoped_commissions(user):
    """Commissions whose area lies inside the caller's area (and the caller's own)."""
    scope = scope_for(user)
    if scope.is_empty:
        return Commission.objects.none()
    qs = Commission.objects.select_related("region", "district", "precinct")
    if scope.everything:
        return qs
    area = (
        scope.q(region="region", district="district__pk", precinct="precinct")
        | scope.q(region="district__region")
        | scope.q(region="precinct__district__region", district="precinct__district")
        | Q(memberships__user=user)
    )
    return qs.filter(pk__in=Commission.objects.filter(area).values("pk"))


def region_counts(user):
    return scoped_regions(user).annotate(
        n_districts=Count("districts", distinct=True),
        n_precincts=Count("districts__precincts", filter=scope_for(user).q(
            region="districts__region", district="districts", precinct="districts__precincts"), distinct=True),
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


def precinct_detail(user, pk: int) -> Precinct:
    members = CommissionMember.objects.select_related("user").order_by("role")
    return get_scoped(
        scoped_precincts(user).prefetch_related(Prefetch("commissions__memberships", queryset=members)), pk=pk
    )


def elections_visible(user):
    """Elections are public facts; any signed-in user may read them."""
    return Election.objects.prefetch_related("deadlines")


def active_elections():
    """The elections now being run (the only ones anything new may be filed for), soonest first."""
    return Election.objects.filter(is_active=True).order_by("election_day", "pk")


def next_active_election() -> Election | None:
    """The soonest active election: the one public services and demo data default to."""
    return active_elections().first()


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
        from django.contrib.auth import get_user_model

        from accounts.roles import Role

        counts["users_by_role"] = [
            {"role": Role(row["role"]).label, "n": row["n"]}
            for row in get_user_model().objects.exclude(role="").values("role").annotate(n=Count("id")).order_by("role")
        ]
    return counts


def commission_for(user, pk: int) -> Commission:
    """A commission the user may open: granted on the object (guardian) or inside their area; else 404."""
    from guardian.shortcuts import get_objects_for_user

    granted = get_objects_for_user(user, "elections.view_commission", klass=Commission, accept_global_perms=False)
    qs = Commission.objects.filter(Q(pk__in=granted.values("pk")) | Q(pk__in=scoped_commissions(user).values("pk")))
    return get_scoped(qs, pk=pk)
