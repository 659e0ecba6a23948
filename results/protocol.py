"""The precinct result protocol as data: its lines and the control relations between them.

Both are kept as data with defaults from Uzbek and Russian practice (an election may replace them in its
rules: ``protocol_relations``, docs/results.md).  This module is pure (no database): services call
``check_relations`` before anything is stored, and the summary protocols of the levels above are
checked with the same relations.

Lines of every protocol (the votes for each registered candidate or party follow them, one line each,
keyed ``votes:<key>``):
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: The fixed lines, in the order of the printed form; ``voters_on_list`` is prefilled from the unified list.
LINES: tuple[tuple[str, object], ...] = (
    ("voters_on_list", _("Voters on the list at the close of voting")),
    ("voters_added", _("Voters added to the list on election day")),
    ("ballots_received", _("Ballots received by the precinct commission")),
    ("issued_station", _("Ballots issued at the polling station on election day")),
    ("issued_early", _("Ballots issued to early voters")),
    ("issued_home", _("Ballots issued to voters at home")),
    ("cancelled_unused", _("Unused ballots cancelled")),
    ("ballots_lost", _("Ballots lost")),
    ("found_in_boxes", _("Ballots found in the ballot boxes")),
    ("invalid", _("Invalid ballots")),
    ("valid", _("Valid ballots")),
)
LINE_KEYS = tuple(key for key, _label in LINES)
LINE_LABELS = dict(LINES)
#: The lines whose sum is the voters who took part.
ISSUED = ("issued_station", "issued_early", "issued_home")
#: In a relation, the sum of every ``votes:<key>`` line.
VOTES = "votes"
VOTE_PREFIX = "votes:"

#: The control relations: ``left`` (a sum of lines) ``op`` ``right`` (a sum of lines).
DEFAULT_RELATIONS: tuple[dict, ...] = (
    {
        "key": "ballots_balance",
        "left": ["ballots_received"],
        "op": "=",
        "right": ["issued_station", "issued_early", "issued_home", "cancelled_unused", "ballots_lost"],
    },
    {"key": "boxes_are_valid_and_invalid", "left": ["found_in_boxes"], "op": "=", "right": ["valid", "invalid"]},
    {"key": "valid_are_the_votes", "left": ["valid"], "op": "=", "right": [VOTES]},
    {
        "key": "found_within_issued",
        "left": ["found_in_boxes"],
        "op": "<=",
        "right": ["issued_station", "issued_early", "issued_home"],
    },
    {
        "key": "voted_within_list",
        "left": ["issued_station", "issued_early", "issued_home"],
        "op": "<=",
        "right": ["voters_on_list", "voters_added"],
    },
)
RELATION_LABELS = {
    "ballots_balance": _("Ballots received = issued (at the station, early, at home) + cancelled + lost"),
    "boxes_are_valid_and_invalid": _("Ballots found in the boxes = valid + invalid"),
    "valid_are_the_votes": _("Valid ballots = the sum of the votes"),
    "found_within_issued": _("Ballots found in the boxes ≤ ballots issued"),
    "voted_within_list": _("Ballots issued ≤ voters on the list (with those added on the day)"),
}
OPS = {"=": lambda a, b: a == b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


@dataclass(frozen=True)
class Breach:
    """A control relation a protocol breaks: which one, its two sides and the difference (left - right)."""

    key: str
    label: str
    op: str
    left: int
    right: int

    @property
    def difference(self) -> int:
        return self.left - self.right


def vote_line(key: str) -> str:
    return f"{VOTE_PREFIX}{key}"


def relation_label(relation: Mapping) -> str:
    return str(relation.get("label") or RELATION_LABELS.get(relation["key"], relation["key"]))


def validate_relations(relations: Iterable[Mapping]) -> list[str]:
    """Problems with relations kept as data (an unknown line or operator), for the rules form and admin."""
    problems = []
    for rel in relations:
        if rel.get("op") not in OPS:
            problems.append(f"{rel.get('key')}: unknown operator {rel.get('op')!r}")
        for name in [*rel.get("left", []), *rel.get("right", [])]:
            if name != VOTES and name not in LINE_KEYS:
                problems.append(f"{rel.get('key')}: unknown line {name!r}")
    return problems


def side(figures: Mapping[str, int], names: Iterable[str]) -> int:
    total = 0
    for name in names:
        if name == VOTES:
            total += sum(v for k, v in figures.items() if k.startswith(VOTE_PREFIX))
        else:
            total += figures.get(name, 0)
    return total


def check_relations(figures: Mapping[str, int], relations: Iterable[Mapping] = DEFAULT_RELATIONS) -> list[Breach]:
    """Every relation ``figures`` (line key -> number) breaks, in the relations' order; empty when it holds."""
    breaches = []
    for rel in relations:
        left, right = side(figures, rel["left"]), side(figures, rel["right"])
        if not OPS[rel["op"]](left, right):
            breaches.append(Breach(key=rel["key"], label=relation_label(rel), op=rel["op"], left=left, right=right))
    return breaches


def took_part(figures: Mapping[str, int]) -> int:
    """Voters who took part: those who were issued a ballot, at the station, early or at home (the base of
    the turnout, the validity threshold, the majority and the list threshold, as the CEC counts turnout)."""
    return side(figures, ISSUED)


def on_list(figures: Mapping[str, int]) -> int:
    return figures.get("voters_on_list", 0) + figures.get("voters_added", 0)


def canonical(figures: Mapping[str, int]) -> str:
    """The figures as one line of text in a fixed order (the QR code's payload and the checksum's input)."""
    return ";".join(f"{key}={int(figures[key])}" for key in sorted(figures))


def checksum(subject: str, figures: Mapping[str, int]) -> str:
    """SHA-256 of the protocol's subject (``<election>/<constituency>/<precinct>``) and its figures."""
    return hashlib.sha256(f"{subject}|{canonical(figures)}".encode()).hexdigest()


def subject_of(protocol) -> str:
    """What a protocol's checksum and QR code name: ``<election>/<constituency>/<precinct>`` ids."""
    return f"{protocol.election_id}/{protocol.constituency_id}/{protocol.precinct_id}"
