"""The project's own pages: the home page (public services) and the officials' dashboard."""

from django.shortcuts import redirect, render
from django.utils import timezone

from core.permissions import official_required
from elections import selectors as election_selectors
from esaylov import navigation, queues


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
    """The official's work: what waits for them in their area (the most urgent first), their precinct's list
    to print, then the area at a glance."""
    counts = election_selectors.dashboard_counts(request.user)
    waiting, empty = queues.work_queues(request.user)
    return render(
        request,
        "dashboard.html",
        {
            "waiting": waiting,
            "empty": empty,
            "own_precincts": queues.own_precincts(request.user),
            "now": timezone.now(),
            "counts": counts,
            "regions": election_selectors.region_counts(request.user),
            "elections": election_selectors.active_elections().prefetch_related("deadlines"),
        },
    )


def landing(request):
    """After signing in: the user's own starting page (``esaylov.navigation.landing``)."""
    return redirect(navigation.landing(request))
