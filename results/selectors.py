"""Reads of election day and the count: reporting times, contest lines, turnout and the summary protocols.

Summary protocols of a district, a region and the country are computed from the precincts' current
versions in one SQL statement (never typed again), so a newly accepted protocol counts at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.scope import level_scope
from candidates.selectors import registered_candidates
from core.sql import CompiledQuery
from elections.models import Constituency, District, Election, Precinct, Region
from elections.selectors import active_elections
from observers.selectors import organizations_for
from results import protocol as rules
from results.models import (
    ObserverProtocolCopy,
    Protocol,
    ProtocolCorrection,
    ProtocolEntry,
    ProtocolScan,
    ProtocolState,
    TurnoutPublication,
    TurnoutReport,
)
from results.workflows import moved_on_by
from voters.models import Voter


def reporting_times(election: Election) -> list[time]:
    """The election's turnout reporting times (rule ``turnout_times``, "HH:MM" local time), in order."""
    return sorted(time.fromisoformat(value) for value in election.rule("turnout_times"))


def reporting_moment(election: Election, at: time) -> datetime:
    """Reporting time ``at`` of election day, in the portal's time zone."""
    return timezone.make_aware(datetime.combine(election.election_day, at))


def listed_on_precinct(precinct: Precinct) -> int:
    """Voters on the precinct's list today (active, not merged): the protocol's first line, prefilled."""
    return Voter.objects.listed().filter(precinct=precinct).count()


def _line_source(constituency: Constituency) -> str:
    """What a contest's vote lines stand for: each party with a registered list in a national constituency, each
    registered candidate elsewhere (the column of ``registered_candidates`` that names them)."""
    return "party_id" if constituency.kind == Constituency.Kind.NATIONAL else "pk"


def _vote_keys(constituency: Constituency, ids) -> list[str]:
    """The vote-line keys for ``ids`` of ``_line_source`` (in the registered candidates' order)."""
    if constituency.kind == Constituency.Kind.NATIONAL:
        return [rules.vote_line(f"p{pk}") for pk in sorted(set(ids))]
    return [rules.vote_line(f"n{pk}") for pk in ids]


def contest_keys(constituency: Constituency) -> list[str]:
    """The keys of ``contest_lines`` without their labels (one light query, for checking an entry's lines)."""
    registered = registered_candidates(constituency.election).filter(constituency=constituency)
    return _vote_keys(constituency, registered.values_list(_line_source(constituency), flat=True))


@dataclass(frozen=True)
class EntryContext:
    """What checking one protocol entry reads, in one query: whether the contest includes the precinct, the
    precinct's list count (``listed_on_precinct``) and the contest's vote lines (``contest_keys``)."""

    holds: bool
    on_list: int
    keys: list[str]


def _entry_context_query(source: str):
    def build(constituency, precinct, election):
        through = Constituency.precincts.through
        listed = (
            Voter.objects.listed()
            .filter(precinct_id=precinct)
            .order_by()
            .values("precinct_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        registered = registered_candidates(election).filter(constituency_id=OuterRef("pk"))  # its order kept
        return (
            Constituency.objects.filter(pk=constituency)
            .annotate(
                holds=Exists(through.objects.filter(constituency_id=OuterRef("pk"), precinct_id=precinct)),
                on_list=Subquery(listed),
                ids=ArraySubquery(registered.values(source)),
            )
            .order_by()
            .values_list("holds", "on_list", "ids")
        )

    return CompiledQuery(build, constituency=int, precinct=int, election=int)


#: ``entry_context``'s query for each ``_line_source``, compiled once (it runs for every entry of a protocol).
_ENTRY_CONTEXT = {source: _entry_context_query(source) for source in ("party_id", "pk")}


def entry_context(constituency: Constituency, precinct: Precinct) -> EntryContext:
    """``EntryContext`` of ``precinct`` in ``constituency``: the same rules as ``listed_on_precinct`` and
    ``contest_keys`` (the listed voters, the registered candidates), asked together."""
    row = _ENTRY_CONTEXT[_line_source(constituency)].first(
        constituency=constituency.pk, precinct=precinct.pk, election=constituency.election_id
    )
    if row is None:
        return EntryContext(False, 0, [])
    holds, on_list, ids = row
    return EntryContext(bool(holds), on_list or 0, _vote_keys(constituency, ids))


@dataclass(frozen=True)
class EntryRow:
    """One member's entry as the comparison reads it."""

    pk: int
    round: int
    outcome: str
    entered_by_id: int
    figures: dict


def entry_state(constituency: Constituency, precinct: Precinct) -> tuple[int | None, bool, list[EntryRow]]:
    """The precinct's protocol in ``constituency`` (its id, or None, and whether a version is accepted) and every
    entry of it, latest round first.  Inside the caller's transaction it first takes the precinct's row lock, which
    orders its entries: the reads come after it, in a statement of their own, so they see what the previous
    holder committed."""
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM elections_precinct WHERE id = %s FOR UPDATE", [precinct.pk])
        cur.execute(
            "SELECT NULL, NULL, NULL, NULL, NULL, id, current_id FROM results_protocol "
            " WHERE constituency_id = %s AND precinct_id = %s "
            "UNION ALL SELECT id, round, outcome, entered_by_id, figures, NULL, NULL FROM results_protocolentry "
            " WHERE constituency_id = %s AND precinct_id = %s ORDER BY 2 DESC NULLS FIRST, 1",
            [constituency.pk, precinct.pk, constituency.pk, precinct.pk],
        )
        rows = cur.fetchall()
    protocol_id, accepted, out = None, False, []
    for pk, round_, outcome, by, figures, protocol, current in rows:
        if pk is None:
            protocol_id, accepted = protocol, current is not None
        else:
            out.append(EntryRow(pk, round_, outcome, by, json.loads(figures) if isinstance(figures, str) else figures))
    return protocol_id, accepted, out


def contest_lines(constituency: Constituency) -> list[tuple[str, str]]:
    """The vote lines of a contest's protocol, ``(votes:<key>, label)``: each registered candidate of a
    single-mandate constituency (``n<nomination id>``), or each party with a registered list in a national
    one (``p<party id>``)."""
    registered = registered_candidates(constituency.election).filter(constituency=constituency)
    if constituency.kind == Constituency.Kind.NATIONAL:
        parties = {}
        for nomination in registered:
            parties.setdefault(nomination.party_id, nomination.party)
        return [(rules.vote_line(f"p{pk}"), str(party)) for pk, party in sorted(parties.items())]
    return [(rules.vote_line(f"n{n.pk}"), f"{n.voter.surname} {n.voter.given_name} ({n.party})") for n in registered]


# --------------------------------------------------------------------------- turnout


def published_times(election: Election) -> list[time]:
    return sorted(TurnoutPublication.objects.filter(election=election).values_list("at", flat=True))


@dataclass(frozen=True)
class TurnoutRow:
    """Turnout of one area at one reporting time, over the precincts that reported."""

    at: time
    voted: int
    on_list: int
    reported: int  # precincts that reported for this time
    precincts: int  # precincts in the area

    @property
    def share(self) -> float:
        return self.voted / self.on_list if self.on_list else 0.0


def turnout_by_time(election: Election, precincts, *, published_only: bool = False) -> list[TurnoutRow]:
    """Turnout of the area made of ``precincts`` (a queryset) at each reporting time."""
    times = published_times(election) if published_only else reporting_times(election)
    total = precincts.count()
    rows = {
        r["at"]: r
        for r in TurnoutReport.objects.filter(election=election, precinct__in=precincts, at__in=times)
        .values("at")
        .annotate(**_turnout_sums())
    }
    return [
        TurnoutRow(
            at=t,
            voted=rows[t]["voted"] if t in rows else 0,
            on_list=rows[t]["on_list"] if t in rows else 0,
            reported=rows[t]["reported"] if t in rows else 0,
            precincts=total,
        )
        for t in times
    ]


def _turnout_sums() -> dict:
    return {
        "voted": Sum(F("voted_station") + F("voted_early") + F("voted_home")),
        "on_list": Sum("on_list"),
        "reported": Count("id"),
    }


def turnout_valid(election: Election, row: TurnoutRow | None) -> bool | None:
    """Whether the turnout clears the validity threshold (None before any report)."""
    if row is None or not row.on_list:
        return None
    return row.share > float(election.rule("turnout_validity_share"))


# --------------------------------------------------------------------------- tabulation


@dataclass
class Summary:
    """A summary protocol: the sum of its precincts' current versions, and how many are in."""

    figures: dict[str, int]
    expected: int  # precincts of the contest in the area
    accepted: int  # with an accepted protocol
    by_status: dict[str, int]
    disputed: int  # entries that did not match and no protocol yet, or a correction open

    @property
    def missing(self) -> int:
        return self.expected - self.accepted


def summary(
    constituency: Constituency,
    *,
    region=None,
    district=None,
    within=None,
    published_only: bool = False,
    certified_only: bool = False,
) -> Summary:
    """The summary protocol of a contest for the country, a region or a district (or the precincts ``within``
    a queryset, a user's area), from the level below."""
    precincts = constituency.precincts.all()
    if within is not None:
        precincts = precincts.filter(pk__in=within.values("pk"))
    if district is not None:
        precincts = precincts.filter(district=district)
    elif region is not None:
        precincts = precincts.filter(district__region=region)
    protocols = Protocol.objects.filter(constituency=constituency, precinct__in=precincts, current__isnull=False)
    if published_only:
        protocols = protocols.filter(status=ProtocolState.PUBLISHED)
    elif certified_only:
        protocols = protocols.filter(status__in=[ProtocolState.CERTIFIED, ProtocolState.PUBLISHED])
    figures = _summed_figures(protocols)
    statuses = dict.fromkeys(ProtocolState.values, 0)
    for status in protocols.values_list("status", flat=True):
        statuses[status] += 1
    disputed = (
        ProtocolEntry.objects.filter(constituency=constituency, precinct__in=precincts, outcome=ProtocolEntry.Outcome.MISMATCHED)
        .exclude(precinct__in=protocols.values("precinct"))
        .values("precinct")
        .distinct()
        .count()
        + protocols.filter(Q(corrections__version__isnull=True) & Q(corrections__isnull=False)).distinct().count()
    )
    return Summary(
        figures=figures, expected=precincts.count(), accepted=sum(statuses.values()), by_status=statuses, disputed=disputed
    )


@dataclass(frozen=True)
class SummaryTree:
    """The summary protocols of a contest at every level: the country, each region, each district."""

    country: Summary
    regions: dict[int, Summary]
    districts: dict[int, Summary]


def _add(into: dict[str, int], figures: dict[str, int]) -> None:
    for key, value in figures.items():
        into[key] = into.get(key, 0) + value


def _rolled_up(parts: list[Summary]) -> Summary:
    figures: dict[str, int] = {}
    statuses = dict.fromkeys(ProtocolState.values, 0)
    for part in parts:
        _add(figures, part.figures)
        _add(statuses, part.by_status)
    return Summary(
        figures=figures,
        expected=sum(p.expected for p in parts),
        accepted=sum(p.accepted for p in parts),
        by_status=statuses,
        disputed=sum(p.disputed for p in parts),
    )


def summary_tree(constituency: Constituency, *, published_only: bool = False, certified_only: bool = False) -> SummaryTree:
    """Every summary protocol of a contest at once, each level from the one below: the districts' from their
    precincts' current versions (one SQL pass over the figures, grouped by district), the regions' from their
    districts', the country's from the regions'.  The same figures as ``summary`` for each area."""
    protocols = Protocol.objects.filter(constituency=constituency, current__isnull=False)
    if published_only:
        protocols = protocols.filter(status=ProtocolState.PUBLISHED)
    elif certified_only:
        protocols = protocols.filter(status__in=[ProtocolState.CERTIFIED, ProtocolState.PUBLISHED])
    sql, params = protocols.values("current_id").query.sql_with_params()
    figures: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.district_id, f.key, SUM(f.value::bigint) FROM results_protocolversion v "  # noqa: S608 - ids from the ORM
            "JOIN results_protocol r ON r.current_id = v.id JOIN elections_precinct p ON p.id = r.precinct_id, "
            f"jsonb_each_text(v.figures) AS f WHERE v.id IN ({sql}) GROUP BY p.district_id, f.key",
            params,
        )
        for district_id, key, total in cursor.fetchall():
            figures.setdefault(district_id, {})[key] = int(total)
    statuses: dict[int, dict[str, int]] = {}
    for district_id, status, n in protocols.values_list("precinct__district_id", "status").annotate(n=Count("pk")).order_by():
        statuses.setdefault(district_id, dict.fromkeys(ProtocolState.values, 0))[status] = n
    expected = dict(constituency.precincts.values_list("district_id").annotate(n=Count("pk")).order_by())
    disputed: dict[int, int] = {}
    accepted_precincts = protocols.values("precinct")
    mismatched = (
        ProtocolEntry.objects.filter(constituency=constituency, outcome=ProtocolEntry.Outcome.MISMATCHED)
        .exclude(precinct__in=accepted_precincts)
        .values_list("precinct__district_id")
        .annotate(n=Count("precinct", distinct=True))
        .order_by()
    )
    corrected = (
        protocols.filter(corrections__isnull=False, corrections__version__isnull=True)
        .values_list("precinct__district_id")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for district_id, n in [*mismatched, *corrected]:
        disputed[district_id] = disputed.get(district_id, 0) + n
    districts: dict[int, Summary] = {}
    for district_id, n in expected.items():
        by_status = statuses.get(district_id, dict.fromkeys(ProtocolState.values, 0))
        districts[district_id] = Summary(
            figures=figures.get(district_id, {}),
            expected=n,
            accepted=sum(by_status.values()),
            by_status=by_status,
            disputed=disputed.get(district_id, 0),
        )
    in_region: dict[int, list[Summary]] = {}
    for district_id, region_id in District.objects.filter(pk__in=districts).values_list("pk", "region_id"):
        in_region.setdefault(region_id, []).append(districts[district_id])
    regions = {region_id: _rolled_up(parts) for region_id, parts in in_region.items()}
    return SummaryTree(country=_rolled_up(list(regions.values())), regions=regions, districts=districts)


def _summed_figures(protocols) -> dict[str, int]:
    """Sum of every line over the protocols' current versions, in SQL (one pass over the figures)."""
    ids = protocols.values("current_id")
    sql, params = ids.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT f.key, SUM(f.value::bigint) FROM results_protocolversion v, "  # noqa: S608 - ids from the ORM
            f"jsonb_each_text(v.figures) AS f WHERE v.id IN ({sql}) GROUP BY f.key",
            params,
        )
        return {key: int(total) for key, total in cursor.fetchall()}


def contests_for(user) -> list[tuple[Constituency, Summary]]:
    """The contests of the elections being run that reach the user's area, each summed over that area."""
    area = Precinct.objects.restrict(user)
    contests = (
        Constituency.objects.filter(election__in=active_elections(), precincts__in=area)
        .distinct()
        .select_related("election")
        .order_by("election_id", "number")
    )
    return [(c, summary(c, within=area)) for c in contests]


@dataclass(frozen=True)
class EntryTask:
    """A protocol a precinct member enters: the contest, the precinct, and where it stands."""

    constituency: Constituency
    precinct: Precinct
    protocol: Protocol | None
    entered_by_me: bool


def entry_precincts(user) -> list[EntryTask]:
    """The protocols the user enters as a member of a precinct commission, in the elections being run."""
    scope = level_scope(user, "precinct")
    if scope.is_empty or scope.everything:
        return []
    precincts = Precinct.objects.filter(pk__in=scope.precinct_ids).select_related("district")
    tasks = []
    for precinct in precincts:
        for constituency in precinct.constituencies.filter(election__in=active_elections()).order_by("number"):
            protocol = Protocol.objects.filter(constituency=constituency, precinct=precinct).first()
            mine = ProtocolEntry.objects.filter(
                constituency=constituency, precinct=precinct, entered_by=user, outcome=ProtocolEntry.Outcome.WAITING
            ).exists()
            tasks.append(EntryTask(constituency, precinct, protocol, mine))
    return tasks


def line_labels(protocol: Protocol) -> list[tuple[str, str]]:
    """Every line of a protocol in the printed order: ``(key, label)``."""
    return [(k, str(label)) for k, label in rules.LINES] + contest_lines(protocol.constituency)


def protocol_lines(protocol: Protocol) -> list[tuple[int, str, int]]:
    """The current version's lines in the printed order: ``(number, label, figure)``."""
    figures = protocol.current.figures if protocol.current else {}
    labels = line_labels(protocol)
    return [(i, label, figures.get(key, 0)) for i, (key, label) in enumerate(labels, start=1)]


def published_protocols(election: Election):
    """Every published precinct protocol of an election with its current version, in a stable order."""
    return (
        Protocol.objects.published()
        .filter(election=election)
        .select_related("current", "constituency", "precinct__district__region")
        .order_by("constituency__number", "precinct__district__region__code", "precinct__district__code", "precinct__number")
    )


def open_data_rows(election: Election) -> tuple[list[str], list[list]]:
    """The open data of an election: one row per published precinct protocol, every line a column
    (``votes:<key>`` columns named by the candidate or party)."""
    protocols = list(published_protocols(election))
    vote_columns: dict[str, str] = {}
    for constituency in election.constituencies.order_by("number"):
        vote_columns.update(contest_lines(constituency))
    header = [
        "constituency",
        "region_code",
        "district_code",
        "precinct",
        "status",
        "version",
        "checksum",
        *rules.LINE_KEYS,
        *vote_columns.values(),
    ]
    rows = []
    for p in protocols:
        figures = p.current.figures
        rows.append(
            [
                p.constituency.number,
                p.precinct.district.region.code,
                p.precinct.district.code,
                p.precinct.number,
                p.status,
                p.current.number,
                p.current.checksum,
                *(figures.get(k, 0) for k in rules.LINE_KEYS),
                *(figures.get(k, "") for k in vote_columns),
            ]
        )
    return header, rows


def results_version(election_id: int) -> int:
    """A counter bumped whenever something of the election is published: the key of every cached public view."""
    return cache.get_or_set(f"results:version:{election_id}", 1, timeout=None)


def list_elected(constituency: Constituency, key: str, seats: int) -> list[dict]:
    """The first ``seats`` registered candidates of party ``p<id>``'s list in ``constituency``, in list order."""
    party_id = int(key.removeprefix("p"))
    nominations = (
        registered_candidates(constituency.election)
        .filter(constituency=constituency, party_id=party_id)
        .order_by(F("list_position").asc(nulls_last=True), "pk")[:seats]
    )
    return [
        {"nomination": n.pk, "name": f"{n.voter.surname} {n.voter.given_name}", "position": n.list_position} for n in nominations
    ]


def seat_calculation(constituency: Constituency, *, published_only: bool = True):
    """The latest (published) seat calculation of a contest, or None."""
    rows = constituency.seat_calculations.all()
    if published_only:
        rows = rows.filter(published_at__isnull=False)
    return rows.order_by("-calculated_at", "-pk").first()


def protocols_for(user):
    """Protocols in the user's area (officials)."""
    return Protocol.objects.restrict(user).select_related("precinct", "constituency", "current")


def protocols_awaiting(user, state: str):
    """The protocols of the elections being run, in ``state``, that ``user`` moves on to the next state
    (``results.workflows.moved_on_by``)."""
    rows = Protocol.objects.filter(election__in=active_elections(), status=state)
    return moved_on_by(user, state, rows).select_related("precinct", "constituency")


def turnout_reports_for(user):
    """Turnout reports in the user's area (officials)."""
    return TurnoutReport.objects.restrict(user).select_related("precinct")


def corrections_for(user):
    """Corrections of protocols in the user's area."""
    return ProtocolCorrection.objects.filter(protocol__in=Protocol.objects.restrict(user)).select_related("protocol")


def published_scan(protocol_id: int) -> ProtocolScan | None:
    """The latest signed scan of a published protocol's current version (what the public may open), or None."""
    return (
        ProtocolScan.objects.filter(
            version__protocol_id=protocol_id,
            version__protocol__in=Protocol.objects.published(),
            version=F("version__protocol__current"),
        )
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def public_results(election: Election, *, region=None, district=None, precinct=None) -> dict:
    """What the public sees of an election's count, for the country or one region, district or precinct:
    published protocols summed per contest, the published turnout, the count of protocols published against
    those expected, the seats when their calculation is published, and the areas one level down.  Nothing
    unpublished."""
    precincts = Precinct.objects.filter(constituencies__election=election).distinct()
    if precinct is not None:
        precincts = precincts.filter(pk=precinct.pk)
    elif district is not None:
        precincts = precincts.filter(district=district)
    elif region is not None:
        precincts = precincts.filter(district__region=region)
    turnout = turnout_by_time(election, precincts, published_only=True)
    contests = []
    for constituency in election.constituencies.filter(precincts__in=precincts).distinct().order_by("number"):
        total = summary(constituency, within=precincts, published_only=True)
        labels = dict(contest_lines(constituency))
        valid = total.figures.get("valid", 0)
        calculation = seat_calculation(constituency) if precinct is None and district is None and region is None else None
        scan = None
        if precinct is not None:  # one precinct: the scan of its signed protocol, once published
            published = Protocol.objects.published().filter(constituency=constituency, precinct=precinct).first()
            scan = published.pk if published and published_scan(published.pk) else None
        contests.append(
            {
                "constituency": constituency.pk,
                "number": constituency.number,
                "name": str(constituency),
                "kind": constituency.kind,
                "protocols_published": total.accepted,
                "protocols_expected": total.expected,
                "figures": {k: v for k, v in total.figures.items() if not k.startswith(rules.VOTE_PREFIX)},
                "votes": [
                    {
                        "line": key,
                        "name": label,
                        "votes": total.figures.get(key, 0),
                        "share": round(total.figures.get(key, 0) / valid, 4) if valid else 0.0,
                    }
                    for key, label in labels.items()
                ],
                "seats": (calculation.sheet.get("allocation", {}).get("seats") if calculation else None),
                "outcome": calculation.outcome if calculation else None,
                "scan": scan,
            }
        )
    if precinct is not None:
        children = []
    elif district is not None:
        children = [{"kind": "precinct", "id": p.pk, "name": str(p)} for p in precincts.order_by("number")]
    elif region is not None:
        children = [
            {"kind": "district", "id": d.pk, "name": str(d)}
            for d in District.objects.filter(precincts__in=precincts).distinct().order_by("code")
        ]
    else:
        children = [
            {"kind": "region", "id": r.pk, "name": str(r)}
            for r in Region.objects.filter(districts__precincts__in=precincts).distinct().order_by("code")
        ]
    return {
        "election": election.pk,
        "turnout": [
            {
                "at": r.at.strftime("%H:%M"),
                "voted": r.voted,
                "on_list": r.on_list,
                "share": round(r.share, 4),
                "precincts_reported": r.reported,
                "precincts": r.precincts,
            }
            for r in turnout
        ],
        "validity_share": election.rule("turnout_validity_share"),
        "contests": contests,
        "areas": children,
    }


# --------------------------------------------------------------------------- observers' copies and flags


def copies_for(user):
    """Observers' protocol copies a user may see: the commissions of the precinct's area, the coordinators of
    the observer's organisation, and the observer who submitted it."""
    if not user.is_authenticated:
        return ObserverProtocolCopy.objects.none()
    own = Q(submitted_by=user) | Q(organization__in=organizations_for(user))
    in_area = ObserverProtocolCopy.objects.restrict(user).values("pk")
    return ObserverProtocolCopy.objects.filter(own | Q(pk__in=in_area)).select_related(
        "precinct__district", "constituency", "observer", "organization"
    )


@dataclass(frozen=True)
class Difference:
    line: str
    label: str
    copy: int | None
    official: int | None


def copy_differences(copy: ObserverProtocolCopy) -> list[Difference] | None:
    """The lines where an observer's copy differs from the official protocol's current version (None: there
    is no accepted official protocol yet)."""
    protocol = (
        Protocol.objects.filter(constituency=copy.constituency, precinct=copy.precinct, current__isnull=False)
        .select_related("current")
        .first()
    )
    if protocol is None:
        return None
    official = protocol.current.figures
    labels = dict(line_labels(protocol))
    return [
        Difference(k, labels.get(k, k), copy.figures.get(k), official.get(k))
        for k, _label in line_labels(protocol)
        if copy.figures.get(k) != official.get(k)
    ]


@dataclass(frozen=True)
class Flag:
    """Something in the count a commission should look at: what, where, and the figures behind it."""

    kind: str
    label: str
    precinct: Precinct
    detail: str
    protocol: Protocol | None = None


FLAG_LABELS = {
    "turnout_over_list": _("turnout over 100%"),
    "turnout_jump": _("turnout jump between two reporting times"),
    "invalid_outlier": _("invalid ballots far above the district's"),
    "identical_figures": _("two protocols with identical figures"),
    "late_protocol": _("protocol entered long after the polls closed"),
    "copy_differs": _("an observer's copy differs"),
}


def flags_for(user, election: Election) -> list[Flag]:
    """The anomaly flags of the user's area for the district and CEC queues (rule data: ``turnout_jump_share``,
    ``protocol_late_hours``).  Invalid ballots are an outlier above three times the district's median share and
    above 5%; identical figures compare every line but the list."""
    flags: list[Flag] = []
    labels = {k: str(v) for k, v in FLAG_LABELS.items()}
    area = Precinct.objects.restrict(user)
    reports = (
        TurnoutReport.objects.filter(election=election, precinct__in=area)
        .select_related("precinct")
        .order_by("precinct_id", "at")
    )
    jump = float(election.rule("turnout_jump_share"))
    previous = None
    for report in reports:
        if report.on_list and report.voted > report.on_list:
            flags.append(
                Flag(
                    "turnout_over_list",
                    labels["turnout_over_list"],
                    report.precinct,
                    f"{report.at:%H:%M}: {report.voted} / {report.on_list}",
                )
            )
        if previous is not None and previous.precinct_id == report.precinct_id and report.on_list:
            growth = (report.voted - previous.voted) / report.on_list
            if growth > jump:
                flags.append(
                    Flag(
                        "turnout_jump",
                        labels["turnout_jump"],
                        report.precinct,
                        f"{previous.at:%H:%M}–{report.at:%H:%M}: +{growth:.0%}",
                    )
                )
        previous = report
    protocols = list(
        Protocol.objects.filter(election=election, precinct__in=area, current__isnull=False).select_related(
            "current", "precinct__district"
        )
    )
    by_district: dict[int, list[float]] = {}
    for p in protocols:
        found = p.current.figures.get("found_in_boxes", 0)
        if found:
            by_district.setdefault(p.precinct.district_id, []).append(p.current.figures.get("invalid", 0) / found)
    closed = reporting_moment(election, max(reporting_times(election)))
    late = closed + timedelta(hours=int(election.rule("protocol_late_hours")))
    seen: dict[tuple, Protocol] = {}
    for p in protocols:
        figures = p.current.figures
        found = figures.get("found_in_boxes", 0)
        shares = sorted(by_district.get(p.precinct.district_id, []))
        if found and len(shares) >= 3:
            median = shares[len(shares) // 2]
            share = figures.get("invalid", 0) / found
            if share > 0.05 and share > 3 * median:
                flags.append(Flag("invalid_outlier", labels["invalid_outlier"], p.precinct, f"{share:.1%} / {median:.1%}", p))
        key = (p.constituency_id, tuple(sorted((k, v) for k, v in figures.items() if k != "voters_on_list")))
        if key in seen:
            flags.append(Flag("identical_figures", labels["identical_figures"], p.precinct, str(seen[key].precinct), p))
        else:
            seen[key] = p
        first = p.versions.order_by("number").first() if p.current.number > 1 else p.current
        if first.created_at > late:
            flags.append(
                Flag(
                    "late_protocol",
                    labels["late_protocol"],
                    p.precinct,
                    date_format(timezone.localtime(first.created_at), "DATETIME_FORMAT"),
                    p,
                )
            )
    for copy in copies_for(user).filter(constituency__election=election, precinct__in=area):
        differences = copy_differences(copy)
        if differences:
            flags.append(
                Flag(
                    "copy_differs",
                    labels["copy_differs"],
                    copy.precinct,
                    "; ".join(f"{d.label}: {d.copy} / {d.official}" for d in differences[:5]),
                )
            )
    return flags
