"""Reads of the media side, already scoped to the caller.

The CEC press service (CEC staff, administrators) sees everything; an editor sees
the outlets granted to them (django-guardian) and their journalists and
accreditations; a journalist sees only their own accreditations; commission staff
below the CEC and everybody else see nothing.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from accounts.roles import Role
from core.models import StatusChange
from core.workflow import State
from media_accreditation.models import Journalist, MediaAccreditation, MediaOutlet


def outlets_for(user):
    if not user.is_authenticated:
        return MediaOutlet.objects.none()
    if user.is_cec:
        return MediaOutlet.objects.all()
    if user.role != Role.MEDIA_EDITOR:
        return MediaOutlet.objects.none()
    return get_objects_for_user(user, "media_accreditation.view_mediaoutlet", klass=MediaOutlet, accept_global_perms=False)


def _by_role(user, qs, *, outlet: str, account: str):
    """``qs`` narrowed to the caller: all for the press service, the outlets' rows for an editor, their own
    rows for a journalist, nothing for anybody else (``outlet``/``account`` are the paths to the outlet and user)."""
    if not user.is_authenticated:
        return qs.none()
    if user.is_cec:
        return qs
    if user.role == Role.MEDIA_EDITOR:
        return qs.filter(**{f"{outlet}__in": outlets_for(user)})
    if user.role == Role.JOURNALIST:
        return qs.filter(**{account: user})
    return qs.none()


def journalists_for(user):
    return _by_role(user, Journalist.objects.select_related("outlet", "user"), outlet="outlet", account="user")


def accreditations_for(user):
    qs = MediaAccreditation.objects.select_related("journalist", "journalist__outlet", "election", "region")
    return _by_role(user, qs, outlet="journalist__outlet", account="journalist__user")


def decision_queue(user) -> list:
    """Open applications for the press service, the one to decide first on top.

    Each row carries ``submitted_at`` (its last submission) and the queue is ordered by ``decide_by()``: the
    submission plus the election's ``accreditation_decision_days``, then by election day.
    """

    if not user.is_authenticated or not user.is_cec:
        return []
    submissions = (
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(MediaAccreditation), object_id=OuterRef("pk"), transition="submit"
        )
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    rows = (
        accreditations_for(user)
        .filter(status__in=[State.SUBMITTED, State.UNDER_REVIEW])
        .annotate(submitted_at=Subquery(submissions))
    )
    return sorted(rows, key=lambda a: (a.decide_by(), a.election.election_day, a.pk))


def accredited_outlets(election):
    """The public list: outlets with at least one journalist accredited (approved, not revoked) for the election.

    Only the outlet's name, kind and country and the number of accredited journalists: no personal data.
    """
    approved = Q(journalists__accreditations__election=election, journalists__accreditations__status=State.APPROVED)
    return (
        MediaOutlet.objects.filter(approved)
        .annotate(accredited=Count("journalists__accreditations", filter=approved, distinct=True))
        .order_by("kind", "name")
    )


def media_covers_precinct(*, user, election, precinct) -> bool:
    """True when ``user`` is a journalist accredited (approved, unrevoked, unexpired) for ``election`` with a
    scope that covers ``precinct``: all precincts, or the precinct's region; the press centre covers none."""
    if user is None or not user.is_authenticated or user.role != Role.JOURNALIST:
        return False
    scope = Q(scope=MediaAccreditation.Scope.ALL_PRECINCTS) | Q(
        scope=MediaAccreditation.Scope.REGION, region_id=precinct.district.region_id
    )
    return MediaAccreditation.objects.filter(
        scope,
        journalist__user=user,
        election=election,
        status=State.APPROVED,
        valid_until__gte=timezone.localdate(),
    ).exists()


def holds_press_accreditation(person, election) -> bool:
    """Whether ``person`` applied for or holds a press accreditation for ``election`` (not withdrawn, refused or
    revoked): the role "journalist", exclusive where an election's rule ``exclusive_roles`` names it."""
    who = Q(journalist__user_id__in=person.user_ids)
    if person.pinfl:
        who |= Q(journalist__pinfl=person.pinfl)
    return (
        MediaAccreditation.objects.filter(who, election=election)
        .exclude(status__in=[State.WITHDRAWN, State.REJECTED, State.REVOKED])
        .exists()
    )
