"""The one scope rule: turn a user into the area they may see, and narrow rows to it.

Officials see rows inside their commission's area.  CEC staff and administrators see everything; users
with no official role see no area at all.  Two things are built here and nowhere else:

* ``Scope.covers(area)``: whether the whole of a region, district, mahalla or precinct lies in the
  user's area (the predicate: "may this precinct official act on this district?" is ``covers``);
* ``AreaQuerySet.restrict(user)``: the queryset method that narrows a model's rows to the user's area
  (``Voter.objects.restrict(user)``, ``Precinct.objects.restrict(user)`` ...).  Each model names the paths
  from its rows to the area once (``area_paths``); voter-scale tables are filtered by area this way,
  never by per-row grants.

Geography has a second, wider reading for browsing only: ``navigable(user)`` also gives the regions,
districts and mahallas that *hold* part of the area (a precinct official opens their district's page to
reach their precinct); what such a page lists of the district is ``restrict``-ed again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.db.models import Q

from core.sql import CompiledQuery

#: The levels of an area, from the top.
LEVELS = ("region", "district", "precinct")
Paths = dict[str, str | tuple[str, ...]]


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()
    precinct_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_ids or self.district_ids or self.precinct_ids)

    # --------------------------------------------------------------------- the predicate
    def covers(self, area) -> bool:
        """Whether the whole of ``area`` (a ``Region``, ``District``, ``Mahalla`` or ``Precinct``) is in this scope.

        A precinct commission covers its precinct only: not the district or the mahallas around it.
        """
        if self.everything:
            return True
        if area is None or self.is_empty:
            return False
        kind = area._meta.model_name
        if kind == "region":
            return area.pk in self.region_ids
        if kind == "mahalla":
            return self.covers(area.district)
        if kind == "district":
            return area.pk in self.district_ids or area.region_id in self.region_ids
        if kind == "precinct":
            return (
                area.pk in self.precinct_ids
                or area.district_id in self.district_ids
                or (bool(self.region_ids) and area.district.region_id in self.region_ids)
            )
        raise TypeError(f"not an area: {area!r}")

    def covers_all(self, areas) -> bool:
        """Whether every one of ``areas`` is covered (False for none)."""
        areas = list(areas)
        return bool(areas) and all(self.covers(a) for a in areas)

    # --------------------------------------------------------------------- the filter
    def q(
        self,
        *,
        region: str | tuple[str, ...] | None = None,
        district: str | tuple[str, ...] | None = None,
        precinct: str | tuple[str, ...] | None = None,
    ) -> Q:
        """A filter for rows whose area is reached through the given lookups.

        ``region``/``district``/``precinct`` name the paths from the model to the area ids (or several
        paths, any of which may match), e.g. for a voter ``region="district__region"``.
        """
        if self.everything:
            return Q()
        q = Q(pk__in=[])  # matches nothing
        for paths, ids in ((region, self.region_ids), (district, self.district_ids), (precinct, self.precinct_ids)):
            if not (paths and ids):
                continue
            for path in (paths,) if isinstance(paths, str) else paths:
                q |= Q(**{f"{path}__in": ids})
        return q


NO_SCOPE = Scope()
EVERYTHING = Scope(everything=True)


def scope_for(user) -> Scope:
    """The area ``user`` may see; cached on the user object for the request.

    CEC staff and administrators: everything.  Other officials: the union of their commissions' areas.
    Anybody else (parties, observers, the media, the public): no area, whatever rows link them to one.
    """
    if user is None or not user.is_authenticated or not user.is_active or not user.is_official:
        return NO_SCOPE
    cached = getattr(user, "_esaylov_scope", None)
    if cached is not None:
        return cached
    scope = EVERYTHING if user.is_cec else _union(_seats(user))
    user._esaylov_scope = scope
    return scope


def scope_forget(user) -> None:
    """Drop the seats and scope cached on ``user`` (after a seat of theirs is added or removed)."""
    for name in ("_esaylov_seats", "_esaylov_scope"):
        user.__dict__.pop(name, None)


def _seats(user) -> list[tuple]:
    """The user's commission seats as ``(level, region_id, district_id, precinct_id)``, read once per user object
    (that is, per request) for both ``scope_for`` and ``level_scope``."""
    cached = getattr(user, "_esaylov_seats", None)
    if cached is None:
        cached = _SEATS.rows(user=user.pk)
        user._esaylov_seats = cached
    return cached


#: ``_seats``' query, compiled once (it runs on every official's request).
_SEATS = CompiledQuery(
    lambda user: (
        apps.get_model("elections", "CommissionMember")
        .objects.filter(user_id=user)
        .values_list("commission__level", "commission__region_id", "commission__district_id", "commission__precinct_id")
    ),
    user=int,
)


def level_scope(user, level: str) -> Scope:
    """The area of ``user``'s commissions of one ``level`` only ("precinct", "district", "regional", "central").

    What a user may do *as* a commission of that level (a precinct commission enters its protocol, a district
    commission verifies it) is ``level_scope(user, level).covers(area)``; CEC staff act as the central
    commission.  Reading stays ``scope_for``.
    """
    if user is None or not user.is_authenticated or not user.is_active or not user.is_official:
        return NO_SCOPE
    if level == "central" and user.is_cec:
        return EVERYTHING
    return _union([seat for seat in _seats(user) if seat[0] == level])


def commission_scope(commission) -> Scope:
    """The area of one commission (what its members see through it)."""
    return _union([(commission.level, commission.region_id, commission.district_id, commission.precinct_id)])


def _union(areas) -> Scope:
    """The scope of commissions given as ``(level, region_id, district_id, precinct_id)``."""
    regions, districts, precincts = set(), set(), set()
    for level, region_id, district_id, precinct_id in areas:
        if level == "central":
            return EVERYTHING
        if level == "regional":
            regions.add(region_id)
        elif level == "district":
            districts.add(district_id)
        elif level == "precinct":
            precincts.add(precinct_id)
    return Scope(False, frozenset(regions), frozenset(districts), frozenset(precincts))


class AreaQuerySet(models.QuerySet):
    """Rows that lie in an area; ``restrict(user)`` is the one way to narrow them to a user's.

    A subclass names ``area_paths``: for each level (``region``, ``district``, ``precinct``) the lookup from
    a row to that level's id (or several lookups).  A row reached through a many-valued path (an
    accreditation's precincts) is in the area when one of its areas is.
    """

    area_paths: Paths = {}
    #: Paths that only lead *down* to part of the area (geography browsing, ``navigable``).
    reach_paths: Paths = {}
    #: Whether a path crosses a many-valued relation (rows are then matched by id, without duplicates).
    area_many: bool = False

    def restrict(self, user):
        """The rows inside ``user``'s area: all for the CEC, none for a user without one."""
        return self._in(scope_for(user), self.area_paths, many=self.area_many)

    def in_scope(self, scope: Scope):
        """The rows inside ``scope`` (a commission's, ``commission_scope``)."""
        return self._in(scope, self.area_paths, many=self.area_many)

    def navigable(self, user):
        """Areas to browse through: those inside the user's area and those holding part of it."""
        paths = {level: _paths(self.area_paths.get(level)) + _paths(self.reach_paths.get(level)) for level in LEVELS}
        return self._in(scope_for(user), paths, many=True)

    def _in(self, scope: Scope, paths: Paths, *, many: bool):
        if scope.everything:
            return self
        if scope.is_empty:
            return self.none()
        condition = scope.q(**{level: tuple(_paths(paths.get(level))) or None for level in LEVELS})
        if many:
            return self.filter(pk__in=self.model._base_manager.filter(condition).values("pk"))
        return self.filter(condition)


def _paths(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)
