"""Reads of parties: CEC staff see every party; a representative sees only the parties granted to them."""

from __future__ import annotations

from guardian.shortcuts import get_objects_for_user

from candidates.models import Party
from elections.models import Precinct


def parties_for(user):
    if not user.is_authenticated:
        return Party.objects.none()
    if user.is_cec:
        return Party.objects.all()
    return get_objects_for_user(user, "candidates.view_party", klass=Party, accept_global_perms=False)


def public_parties():
    """Registered parties as the public may see them."""
    return Party.objects.filter(is_active=True)


def nominations_for(user):
    """Nominations a user may see: CEC all; a representative their party's; officials those in their area."""
    from accounts.scope import scope_for
    from candidates.models import Nomination

    if not user.is_authenticated:
        return Nomination.objects.none()
    qs = Nomination.objects.select_related("party", "election", "constituency", "voter")
    if user.is_cec:
        return qs
    if user.is_official:
        scope = scope_for(user)
        if scope.is_empty:
            return qs.none()
        return qs.filter(constituency__precincts__in=Precinct.objects.filter(scope.precincts_q())).distinct()
    return qs.filter(party__in=parties_for(user))


def review_queue(user):
    """Open nominations for a reviewer, the most urgent deadline first."""
    return nominations_for(user).filter(status__in=["submitted", "under_review"]).order_by("created_at") \
        if user.is_official else nominations_for(user).none()


def registered_candidates(election):
    """What the law publishes: name, year of birth, party, constituency."""
    from candidates.models import Nomination

    return (Nomination.objects.filter(election=election, status="approved")
            .select_related("party", "constituency", "voter").order_by("constituency__number", "list_position",
                                                                       "voter__surname_key"))


def missing_documents(nomination) -> list[str]:
    """Kinds still needed: never uploaded, or the current version must be corrected."""
    from candidates.models import REQUIRED_DOCUMENTS

    current = {d.kind: d for d in nomination.documents.filter(is_current=True)}
    return [k for k in REQUIRED_DOCUMENTS if k not in current or current[k].correction_requested]
