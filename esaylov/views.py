"""The project's own pages: the home page (public services) and the officials' dashboard."""

from django.shortcuts import redirect, render

from core.permissions import official_required
from elections import selectors as election_selectors
from esaylov import navigation


def home(request):
    return render(
        request,
        "home.html",
        {
            "elections": election_selectors.upcoming_elections()[:3],
            "counting": election_selectors.counting_elections()[:3],
        },
    )


@official_required
def dashboard(request):
    counts = election_selectors.dashboard_counts(request.user)
    return render(
        request,
        "dashboard.html",
        {
            "counts": counts,
            "regions": election_selectors.region_counts(request.user),
            "elections": election_selectors.active_elections().prefetch_related("deadlines"),
        },
    )


def landing(request):
    """After signing in: the user's own starting page (``esaylov.navigation.landing``)."""
    return redirect(navigation.landing(request))
