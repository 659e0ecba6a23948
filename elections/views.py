from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render

from accounts.scope import scope_for
from core.permissions import official_required
from elections import selectors


@official_required
def region_list(request):
    regions = selectors.region_counts(request.user)
    return render(request, "elections/region_list.html", {"regions": regions})


@official_required
def region_detail(request, pk: int):
    region = selectors.get_scoped(selectors.scoped_regions(request.user), pk=pk)
    districts = (
        selectors.scoped_districts(request.user)
        .filter(region=region)
        .annotate(n_precincts=Count("precincts", distinct=True), n_mahallas=Count("mahallas", distinct=True))
    )
    return render(request, "elections/region_detail.html", {"region": region, "districts": districts})


@official_required
def district_detail(request, pk: int):
    district = selectors.get_scoped(selectors.scoped_districts(request.user), pk=pk)
    precincts = selectors.scoped_precincts(request.user).filter(district=district)
    page = Paginator(precincts, 100).get_page(request.GET.get("page"))
    mahallas = selectors.scoped_mahallas(request.user).filter(district=district)
    return render(
        request,
        "elections/district_detail.html",
        {"district": district, "page": page, "mahallas": mahallas, "whole_district": scope_for(request.user).covers(district)},
    )


@official_required
def precinct_detail(request, pk: int):
    precinct = selectors.precinct_detail(request.user, pk)
    return render(request, "elections/precinct_detail.html", {"precinct": precinct})


@official_required
def election_list(request):
    return render(request, "elections/election_list.html", {"elections": selectors.elections_visible(request.user)})


@official_required
def election_detail(request, pk: int):
    election = selectors.get_scoped(selectors.elections_visible(request.user), pk=pk)
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "constituencies": selectors.election_constituencies(election),
        },
    )


@official_required
def commission_detail(request, pk: int):
    """A commission and its members: for its own members (django-guardian grant) and those whose area covers it."""
    commission = selectors.commission_for(request.user, pk)
    return render(
        request,
        "elections/commission_detail.html",
        {
            "commission": commission,
            "members": commission.memberships.select_related("user").order_by("role"),
            "can_change": request.user.has_perm("elections.change_commission", commission) or request.user.is_cec,
        },
    )
