"""Reads of incident reports, already scoped to the caller, and the one rule for who may report one.

* CEC staff see every incident;
* commission staff see the incidents at precincts in their area (``Incident.objects.restrict``);
* anyone else (an observer, a journalist) sees the incidents they reported.
"""

from __future__ import annotations

from django.db.models import Count, Min, Q

from elections.models import Region
from incidents.models import Incident
from media_accreditation.selectors import media_covers_precinct
from observers.selectors import observer_covers_precinct


def may_report_incident(user, election, precinct) -> bool:
    """The one rule for who may report an incident at ``precinct``.

    True for an approved, unrevoked, unexpired observer accreditation for ``election``
    covering the precinct (the observers app's ``observer_covers_precinct``), or when the
    media app says the user's press accreditation covers it (``media_covers_precinct``).
    """
    if user is None or not user.is_authenticated or election is None or precinct is None:
        return False
    if observer_covers_precinct(user=user, election=election, precinct=precinct):
        return True
    return media_covers_precinct(user=user, election=election, precinct=precinct)


def incidents_for(user):
    """CEC all; commission staff those at precincts in their area; anyone else the incidents they reported."""
    qs = Incident.objects.select_related("election", "precinct", "precinct__district__region", "reporter")
    if not user.is_authenticated:
        return qs.none()
    if user.is_cec:
        return qs
    if user.is_official:
        return qs.restrict(user)
    return qs.filter(reporter=user)


def open_incidents(user):
    """Open and answered-but-not-closed incidents in the user's area, the oldest first."""
    return incidents_for(user).exclude(status=Incident.Status.CLOSED).order_by("created_at")


def unanswered_incidents(user):
    """Incidents in the user's area that no one has answered yet, the oldest first."""
    return open_incidents(user).filter(status=Incident.Status.OPEN)


def open_incidents_by_region(user):
    """``open_incidents`` by region, with when the oldest one was filed (the page shows its age)."""
    rows = (
        open_incidents(user)
        .order_by()
        .values("precinct__district__region_id")
        .annotate(count=Count("id"), oldest=Min("created_at"), unanswered=Count("id", filter=Q(status=Incident.Status.OPEN)))
        .order_by("oldest")
    )

    rows = list(rows)
    regions = Region.objects.in_bulk([r["precinct__district__region_id"] for r in rows])
    return [
        {
            "region_id": r["precinct__district__region_id"],
            "region": regions[r["precinct__district__region_id"]],
            "count": r["count"],
            "unanswered": r["unanswered"],
            "oldest": r["oldest"],
        }
        for r in rows
    ]
