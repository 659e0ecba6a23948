"""Turn a user into the area they may see.

Officials see rows inside their commission's area.  Voter-scale tables are
filtered by area with one queryset filter built here (``Scope.q``), never by
per-row grants.  CEC staff and administrators see everything; users with no
official role see no area at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    region_ids: frozenset[int] = frozenset()
    district_ids: frozenset[int] = frozenset()
    precinct_ids: frozenset[int] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.region_ids or self.district_ids or self.precinct_ids)

    def q(self, *, region: str | None = None, district: str | None = None, precinct: str | None = None) -> Q:
        """A filter for a model whose area is reached through the given lookups.

        ``region``/``district``/``precinct`` name the paths from the model to the
        area ids, e.g. for a voter ``region="precinct__district__region"``.
        """
        if self.everything:
            return Q()
        q = Q(pk__in=[])  # matches nothing
        if region and self.region_ids:
            q |= Q(**{f"{region}__in": self.region_ids})
        if district and self.district_ids:
            q |= Q(**{f"{district}__in": self.district_ids})
        if precinct and self.precinct_ids:
            q |= Q(**{f"{precinct}__in": self.precinct_ids})
        return q

    # Ready-made filters for the geography models.
    def regions_q(self) -> Q:
        if self.everything:
            return Q()
        return (
            Q(pk__in=self.region_ids)
            | Q(districts__in=self.district_ids)
            | Q(districts__precincts__in=self.precinct_ids)
        )

    def districts_q(self) -> Q:
        return self.q(region="region", district="pk", precinct="precincts")

    def precincts_q(self) -> Q:
        return self.q(region="district__region", district="district", precinct="pk")

    def mahallas_q(self) -> Q:
        # a precinct commission's mahallas are those of its district
        return self.q(region="district__region", district="district", precinct="district__precincts")


NO_SCOPE = Scope()
EVERYTHING = Scope(everything=True)


def scope_for(user) -> Scope:
    """The area ``user`` may see; cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_esaylov_scope", None)
    if cached is not None:
        return cached
    if user.is_cec:
        scope = EVERYTHING
    else:
        from elections.models import CommissionMember

        scope = _union(CommissionMember.objects.filter(user=user).values_list(
            "commission__level", "commission__region_id", "commission__district_id", "commission__precinct_id"))
    user._esaylov_scope = scope
    return scope


def commission_scope(commission) -> Scope:
    """The area of one commission (what its members see through it)."""
    return _union([(commission.level, commission.region_id, commission.district_id, commission.precinct_id)])


def _union(areas) -> Scope:
    """The scope of commissions given as ``(level, region_id, district_id, precinct_id)``."""
    from elections.models import Commission

    regions, districts, precincts = set(), set(), set()
    for level, region_id, district_id, precinct_id in areas:
        if level == Commission.Level.CENTRAL:
            return EVERYTHING
        if level == Commission.Level.REGIONAL:
            regions.add(region_id)
        elif level == Commission.Level.DISTRICT:
            districts.add(district_id)
        elif level == Commission.Level.PRECINCT:
            precincts.add(precinct_id)
    return Scope(False, frozenset(regions), frozenset(districts), frozenset(precincts))
