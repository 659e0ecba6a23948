from django.shortcuts import render

from core.permissions import official_required
from elections import selectors as election_selectors


def home(request):
    elections = election_selectors.elections_visible(request.user).filter(is_active=True)[:3]
    return render(request, "core/home.html", {"elections": elections})


@official_required
def dashboard(request):
    counts = election_selectors.dashboard_counts(request.user)
    return render(request, "core/dashboard.html", {
        "counts": counts,
        "regions": election_selectors.region_counts(request.user),
        "elections": election_selectors.elections_visible(request.user).filter(is_active=True),
    })
