"""Reads of observers, already scoped to the caller.

* CEC staff see everything;
* commission staff see what touches their area (accreditations with a precinct in it, the observers of those);
* a coordinator sees their own organisations, with their observers and applications (django-guardian grants);
* an observer sees their own record and applications.

Incident reports are the incidents app's; it asks ``observer_covers_precinct`` here who holds a valid badge.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q
from guardian.shortcuts import get_objects_for_user

from accounts.scope import scope_for
from core.credentials import VALID, credential_status
from core.models import Credential
from core.workflow import State
from elections.models import Precinct
from elections.selectors import active_elections
from observers.models import ACTIVE_STATES, PENDING_STATES, Observer, ObserverAccreditation, ObserverOrganization


def _area_precincts(user):
    return None if scope_for(user).is_empty else Precinct.objects.restrict(user)


def organizations_for(user):
    if not user.is_authenticated:
        return ObserverOrganization.objects.none()
    if user.is_cec:
        return ObserverOrganization.objects.all()
    return get_objects_for_user(user, "observers.coordinate_organization", klass=ObserverOrganization, accept_global_perms=False)


def public_organizations():
    """Organisations an observer may choose when registering."""
    return ObserverOrganization.objects.filter(is_active=True)


def _scoped(qs, user, *, precincts: str, own: Q):
    """CEC: all; commission staff: rows with a precinct (reached by ``precincts``) in their area; others: ``own``."""
    if not user.is_authenticated:
        return qs.none()
    if user.is_cec:
        return qs
    if user.is_official:
        area = _area_precincts(user)
        return qs.none() if area is None else qs.filter(**{f"{precincts}__in": area}).distinct()
    return qs.filter(own)


def observers_for(user):
    qs = Observer.objects.select_related("organization", "user")
    if not user.is_authenticated:
        return qs.none()
    return _scoped(
        qs, user, precincts="accreditations__precincts", own=Q(organization__in=organizations_for(user)) | Q(user=user)
    )


def observer_profile(user) -> Observer | None:
    if not user.is_authenticated:
        return None
    return Observer.objects.select_related("organization").filter(user=user).first()


def accreditations_for(user):
    qs = ObserverAccreditation.objects.select_related("observer", "organization", "election")
    if not user.is_authenticated:
        return qs.none()
    return _scoped(qs, user, precincts="precincts", own=Q(organization__in=organizations_for(user)) | Q(observer__user=user))


def review_queue(user):
    """Pending applications this user's commission decides (all their precincts in its area), oldest first.

    Ordered by the decision deadline (submission + the election's ``accreditation_decision_days``);
    ``is_overdue`` on each row flags those past it.
    """
    if not user.is_authenticated or not user.is_official:
        return ObserverAccreditation.objects.none()
    qs = accreditations_for(user).filter(status__in=PENDING_STATES)
    if not user.is_cec:
        area = _area_precincts(user)
        qs = qs.exclude(precincts__in=Precinct.objects.exclude(pk__in=area.values("pk")))
    return qs.order_by("submitted_at", "id")


def accredited_observers(user, *, election=None):
    """Approved accreditations in the user's area (a precinct commission: the observers at its precinct)."""
    qs = accreditations_for(user).filter(status=State.APPROVED).prefetch_related("precincts")
    if election is not None:
        qs = qs.filter(election=election)
    return qs.order_by("observer__surname", "observer__given_name")


def _badge_valid(accreditations) -> list:
    """Those of ``accreditations`` whose badge is valid today: neither revoked nor expired, as
    ``core.credentials.credential_status`` decides (one query for all their credentials)."""

    rows = list(accreditations)
    if not rows:
        return []
    valid = {
        c.object_id
        for c in Credential.objects.filter(
            content_type=ContentType.objects.get_for_model(ObserverAccreditation), object_id__in=[a.pk for a in rows]
        )
        if credential_status(c) == VALID
    }
    return [a for a in rows if a.pk in valid]


def observer_covers_precinct(*, user, election, precinct) -> bool:
    """True when ``user`` is an observer with an approved accreditation for ``election`` covering ``precinct``
    whose badge is valid today (neither revoked nor expired): the observers' side of who may report an incident
    there (the media's is ``media_accreditation.selectors.media_covers_precinct``)."""
    if user is None or not user.is_authenticated or election is None or precinct is None:
        return False
    return bool(
        _badge_valid(
            ObserverAccreditation.objects.filter(
                observer__user=user, election=election, status=State.APPROVED, precincts=precinct
            )
        )
    )


def reporting_accreditations(user) -> list:
    """The user's own observer accreditations they may report incidents under ("Your precincts"): approved, for
    an active election, with a valid badge (not revoked, not expired); soonest election first, precincts
    (with their districts) prefetched."""
    if not user.is_authenticated:
        return []
    precincts = Prefetch("precincts", queryset=Precinct.objects.select_related("district").order_by("district__code", "number"))
    return _badge_valid(
        ObserverAccreditation.objects.filter(observer__user=user, status=State.APPROVED, election__in=active_elections())
        .select_related("election")
        .prefetch_related(precincts)
        .order_by("election__election_day", "pk")
    )


def reporting_precincts(user) -> list[tuple]:
    """``(election, precinct)`` of each precinct of ``reporting_accreditations``: where the observer may
    report an incident or submit a protocol copy."""
    return [(a.election, p) for a in reporting_accreditations(user) for p in a.precincts.all()]


def holds_observer_accreditation(person, election) -> bool:
    """Whether ``person`` applied for or holds an observer accreditation for ``election`` (not withdrawn,
    refused or revoked): the role "observer" of ``elections.eligibility``."""

    who = Q(observer__user_id__in=person.user_ids)
    if person.pinfl:
        who |= Q(observer__pinfl=person.pinfl)
    return ObserverAccreditation.objects.filter(who, election=election, status__in=ACTIVE_STATES).exists()
