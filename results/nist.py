"""Published results in the NIST SP 1500-100 v2 Election Results Reporting common data format (JSON).

Precinct-level: every published precinct protocol's votes, by selection, as ``VoteCounts`` of that precinct.
The geography is a tree of ``ReportingUnit``\\s (the country, its regions and districts as ``other`` units,
the precincts as ``precinct``), each constituency a unit composed of its precincts (a contest's
``ElectionDistrictId``).  A single-mandate contest is a ``CandidateContest``, a party list a
``PartyContest``.  Each precinct carries the voters on its list (``VotersRegistered``) and those who took
part (``VotersParticipated``), and ``BallotCounts`` its ballots cast and invalid.  Names come in the four
languages of the portal.  ``Status`` is ``certified`` once every expected protocol of every contest is
published, else ``unofficial-partial``: only published (certified) protocols are ever in the report.
Checked against NIST's own JSON schema in the tests (``tests/results/nist_v2_schema.json``).
"""

from __future__ import annotations

from datetime import UTC

from django.utils import timezone

from candidates.selectors import registered_candidates
from elections.models import Constituency, Election
from results import protocol as rules
from results import selectors

VENDOR = "E-saylov"


def _text(**by_language: str) -> dict:
    """An ``InternationalizedText`` of the non-empty names (``uz``, ``uz-Cyrl``, ``ru``, ``en``)."""
    strings = [
        {"@type": "ElectionResults.LanguageString", "Content": content, "Language": language.replace("_", "-")}
        for language, content in by_language.items()
        if content
    ]
    return {"@type": "ElectionResults.InternationalizedText", "Text": strings}


def _names(obj) -> dict:
    return _text(
        uz=getattr(obj, "name_uz", ""),
        uz_Cyrl=getattr(obj, "name_uz_cyrl", ""),
        ru=getattr(obj, "name_ru", ""),
        en=getattr(obj, "name_en", ""),
    )


def _unit(unit_id: str, kind: str, name: dict, composing: list[str], **extra) -> dict:
    unit = {"@id": unit_id, "@type": "ElectionResults.ReportingUnit", "Name": name, **extra}
    if kind in ("precinct", "country"):
        unit["Type"] = kind
    else:
        unit["Type"], unit["OtherType"] = "other", kind
    if composing:
        unit["ComposingGpUnitIds"] = composing
    return unit


def election_report(election: Election) -> dict:
    """The election's published results as one ``ElectionResults.ElectionReport``."""
    protocols = list(selectors.published_protocols(election))
    constituencies = list(election.constituencies.order_by("number").prefetch_related("precincts__district__region"))
    precincts, districts, regions = {}, {}, {}
    for constituency in constituencies:
        for precinct in constituency.precincts.all():
            precincts[precinct.pk] = precinct
            districts[precinct.district_id] = precinct.district
            regions[precinct.district.region_id] = precinct.district.region
    took_part: dict[int, int] = {}
    registered: dict[int, int] = {}
    cast: dict[int, tuple[int, int]] = {}
    for p in protocols:  # one list count per precinct: take the largest of its contests' protocols
        figures = p.current.figures
        registered[p.precinct_id] = max(registered.get(p.precinct_id, 0), rules.on_list(figures))
        took_part[p.precinct_id] = max(took_part.get(p.precinct_id, 0), rules.took_part(figures))
    gp_units = [
        _unit(
            "gpu-country",
            "country",
            _text(uz="Oʻzbekiston Respublikasi", uz_Cyrl="Ўзбекистон Республикаси", ru="Республика Узбекистан", en="Uzbekistan"),
            [f"gpu-region-{pk}" for pk in sorted(regions)],
        )
    ]
    by_region: dict[int, list[int]] = {}
    for pk, district in districts.items():
        by_region.setdefault(district.region_id, []).append(pk)
    for pk in sorted(regions):
        gp_units.append(
            _unit(f"gpu-region-{pk}", "region", _names(regions[pk]), [f"gpu-district-{d}" for d in sorted(by_region[pk])])
        )
    by_district: dict[int, list[int]] = {}
    for pk, precinct in precincts.items():
        by_district.setdefault(precinct.district_id, []).append(pk)
    for pk in sorted(districts):
        gp_units.append(
            _unit(
                f"gpu-district-{pk}",
                "district",
                _names(districts[pk]),
                [f"gpu-precinct-{p}" for p in sorted(by_district[pk])],
            )
        )
    for pk in sorted(precincts):
        precinct = precincts[pk]
        extra = {"Number": str(precinct.number)}
        if pk in registered:
            extra.update(VotersRegistered=registered[pk], VotersParticipated=took_part[pk])
        gp_units.append(_unit(f"gpu-precinct-{pk}", "precinct", _text(uz=str(precinct)), [], **extra))
    for constituency in constituencies:
        gp_units.append(
            _unit(
                f"gpu-constituency-{constituency.pk}",
                "constituency",
                _names(constituency),
                [f"gpu-precinct-{p.pk}" for p in sorted(constituency.precincts.all(), key=lambda p: p.pk)],
                Number=str(constituency.number),
            )
        )

    nominations = list(registered_candidates(election))
    parties = {n.party_id: n.party for n in nominations}
    candidates = [
        {
            "@id": f"cand-n{n.pk}",
            "@type": "ElectionResults.Candidate",
            "BallotName": _text(uz=f"{n.voter.surname} {n.voter.given_name}"),
            "PartyId": f"party-{n.party_id}",
        }
        for n in nominations
        if n.constituency.kind == Constituency.Kind.SINGLE
    ]
    contests = []
    published_by_contest: dict[int, list] = {}
    for p in protocols:
        published_by_contest.setdefault(p.constituency_id, []).append(p)
    complete = True
    for constituency in constituencies:
        done = published_by_contest.get(constituency.pk, [])
        complete = complete and len(done) == len(constituency.precincts.all())
        selections = []
        for order, (line, _label) in enumerate(selectors.contest_lines(constituency), start=1):
            key = line.removeprefix(rules.VOTE_PREFIX)
            counts = [
                {
                    "@type": "ElectionResults.VoteCounts",
                    "Count": p.current.figures.get(line, 0),
                    "GpUnitId": f"gpu-precinct-{p.precinct_id}",
                    "Type": "total",
                }
                for p in done
            ]
            if constituency.kind == Constituency.Kind.NATIONAL:
                selection = {"@type": "ElectionResults.PartySelection", "PartyIds": [f"party-{key.removeprefix('p')}"]}
            else:
                selection = {"@type": "ElectionResults.CandidateSelection", "CandidateIds": [f"cand-{key}"]}
            selections.append({"@id": f"sel-{constituency.pk}-{key}", "SequenceOrder": order, "VoteCounts": counts, **selection})
        contest = {
            "@id": f"contest-{constituency.pk}",
            "@type": "ElectionResults.PartyContest"
            if constituency.kind == Constituency.Kind.NATIONAL
            else "ElectionResults.CandidateContest",
            "Name": str(constituency),
            "ElectionDistrictId": f"gpu-constituency-{constituency.pk}",
            "SequenceOrder": constituency.number,
            "ContestSelection": selections,
            "SubUnitsReported": len(done),
            "TotalSubUnits": len(constituency.precincts.all()),
        }
        if constituency.kind == Constituency.Kind.SINGLE:
            contest.update(VotesAllowed=1, NumberElected=1)
        contests.append(contest)
    for p in protocols:
        figures = p.current.figures
        cast[p.precinct_id] = (
            max(cast.get(p.precinct_id, (0, 0))[0], figures.get("found_in_boxes", 0)),
            max(cast.get(p.precinct_id, (0, 0))[1], figures.get("invalid", 0)),
        )
    return {
        "@type": "ElectionResults.ElectionReport",
        "Format": "precinct-level",
        "GeneratedDate": timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Issuer": "Central Election Commission of the Republic of Uzbekistan",
        "IssuerAbbreviation": "CEC",
        "VendorApplicationId": VENDOR,
        "SequenceStart": 1,
        "SequenceEnd": 1,
        "Status": "certified" if complete and protocols else "unofficial-partial",
        "GpUnit": gp_units,
        "Party": [
            {"@id": f"party-{pk}", "@type": "ElectionResults.Party", "Name": _names(party)}
            for pk, party in sorted(parties.items())
        ],
        "Election": [
            {
                "@type": "ElectionResults.Election",
                "Name": _names(election),
                "StartDate": election.election_day.isoformat(),
                "EndDate": election.election_day.isoformat(),
                "Type": "general",
                "ElectionScopeId": "gpu-country",
                "Candidate": candidates,
                "Contest": contests,
                "BallotCounts": [
                    {
                        "@type": "ElectionResults.BallotCounts",
                        "GpUnitId": f"gpu-precinct-{pk}",
                        "Type": "total",
                        "BallotsCast": found,
                        "BallotsRejected": invalid,
                    }
                    for pk, (found, invalid) in sorted(cast.items())
                ],
            }
        ],
    }
