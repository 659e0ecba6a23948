"""Seats from votes: a pure module (no Django, no database), so every rule can be checked by hand.

``allocate_seats(votes, seats, method)`` gives each party key its seats by one of three methods:

* ``"hare"``: the Hare quota (total votes / seats); each party first gets the whole number of quotas
  in its votes, then the seats left go to the largest remainders;
* ``"dhondt"``: highest averages with the divisors 1, 2, 3 ...;
* ``"sainte_lague"``: highest averages with the divisors 1, 3, 5 ...

Arithmetic is exact (``fractions.Fraction``): a remainder of 0.6 and one of 0.6000000001 are never
confused.  When the last seats fall on a tie (equal remainders, equal averages) that more parties share
than there are seats left, they go by a **lot**: a ``random.Random(seed)`` draw over the tied keys in
sorted order, so the same seed gives the same result on any machine and the order of the mapping never
decides.  ``allocate`` gives the whole calculation (quota or divisors, each party's whole seats and
remainder, who took the remaining seats and why, the lot) for the published calculation sheet.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

METHODS = ("hare", "dhondt", "sainte_lague")


class AllocationError(ValueError):
    """The input cannot be allocated (no seats, no votes, negative votes, an unknown method)."""


@dataclass(frozen=True)
class Award:
    """One seat given past the whole quotas (Hare) or one seat of a highest-averages count."""

    key: str
    value: Fraction  # the remainder (Hare) or the average (highest averages) that won it
    by_lot: bool = False


@dataclass
class Allocation:
    method: str
    seats_total: int
    votes: dict[str, int]
    seats: dict[str, int]
    quota: Fraction | None = None  # Hare
    whole: dict[str, int] = field(default_factory=dict)  # Hare: seats from whole quotas
    remainders: dict[str, Fraction] = field(default_factory=dict)  # Hare
    awards: list[Award] = field(default_factory=list)  # in the order given
    divisors: tuple[int, ...] = ()  # highest averages
    tied: tuple[str, ...] = ()  # the keys a lot was drawn among (empty when none was needed)
    seed: int | None = None

    @property
    def by_lot(self) -> bool:
        return bool(self.tied)


def allocate_seats(votes: Mapping[str, int], seats: int, method: str, *, seed: int | None = None) -> dict[str, int]:
    """Party key -> seats, for ``votes`` (party key -> votes), ``seats`` to fill and ``method``.

    ``seed`` is the recorded lot: it decides a tie for the last seats, and only that.  A tie with no seed
    is an error (the caller stores the seed it draws with the result).
    """
    return allocate(votes, seats, method, seed=seed).seats


def allocate(votes: Mapping[str, int], seats: int, method: str, *, seed: int | None = None) -> Allocation:
    """The whole calculation behind ``allocate_seats``."""
    clean = _checked(votes, seats, method)
    if method == "hare":
        return _hare(clean, seats, seed)
    step = 1 if method == "dhondt" else 2
    return _highest_averages(clean, seats, method, step, seed)


def _checked(votes: Mapping[str, int], seats: int, method: str) -> dict[str, int]:
    if method not in METHODS:
        raise AllocationError(f"unknown method {method!r}; one of {', '.join(METHODS)}")
    if not isinstance(seats, int) or seats < 1:
        raise AllocationError("seats must be a whole number of at least 1")
    clean: dict[str, int] = {}
    for key, value in votes.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise AllocationError(f"votes for {key!r} must be a whole number of at least 0")
        clean[str(key)] = value
    if sum(clean.values()) == 0:
        raise AllocationError("no votes to allocate seats by")
    return clean


def _draw(tied: list[str], wanted: int, seed: int | None) -> list[str]:
    """``wanted`` of ``tied`` by the recorded lot."""
    if seed is None:
        raise AllocationError(f"a tie between {', '.join(sorted(tied))} needs a lot: give a seed")
    return random.Random(seed).sample(sorted(tied), wanted)


def _take(ranked: list[tuple[Fraction, str]], count: int, seed: int | None) -> tuple[list[tuple[Fraction, str]], list[str]]:
    """The ``count`` best of ``ranked`` (value, key); a tie across the cut goes by lot. Returns (taken, tied keys)."""
    ranked = sorted(ranked, key=lambda vk: (-vk[0], vk[1]))
    if count <= 0:
        return [], []
    if count >= len(ranked):
        return ranked, []
    cut = ranked[count - 1][0]
    if ranked[count][0] != cut:
        return ranked[:count], []
    above = [vk for vk in ranked if vk[0] > cut]
    at_cut = [vk for vk in ranked if vk[0] == cut]
    chosen = set(_draw([k for _v, k in at_cut], count - len(above), seed))
    return above + [vk for vk in at_cut if vk[1] in chosen], [k for _v, k in at_cut]


def _hare(votes: dict[str, int], seats: int, seed: int | None) -> Allocation:
    total = sum(votes.values())
    quota = Fraction(total, seats)
    whole = {k: int(Fraction(v) // quota) for k, v in votes.items()}
    remainders = {k: Fraction(v) / quota - whole[k] for k, v in votes.items()}
    left = seats - sum(whole.values())
    taken, tied = _take([(r, k) for k, r in remainders.items() if votes[k] > 0], left, seed)
    result = dict(whole)
    awards = []
    for value, key in taken:
        result[key] += 1
        awards.append(Award(key=key, value=value, by_lot=key in tied))
    return Allocation(
        method="hare",
        seats_total=seats,
        votes=votes,
        seats=result,
        quota=quota,
        whole=whole,
        remainders=remainders,
        awards=awards,
        tied=tuple(sorted(tied)),
        seed=seed if tied else None,
    )


def _highest_averages(votes: dict[str, int], seats: int, method: str, step: int, seed: int | None) -> Allocation:
    divisors = tuple(1 + step * i for i in range(seats))
    # one entry per (party, divisor); a party's averages fall as its divisor grows, so the best
    # ``seats`` entries are the same as giving the seats one by one to the highest average
    entries = [(Fraction(v, d), k, d) for k, v in votes.items() if v > 0 for d in divisors]
    entries.sort(key=lambda e: (-e[0], e[1], e[2]))
    result = dict.fromkeys(votes, 0)
    awards: list[Award] = []
    tied: list[str] = []
    if len(entries) <= seats:
        chosen = entries
    else:
        cut = entries[seats - 1][0]
        above = [e for e in entries if e[0] > cut]
        at_cut = [e for e in entries if e[0] == cut]
        if len(above) + len(at_cut) == seats:
            chosen = above + at_cut
        else:
            # each party has at most one entry at any one average (its divisors differ)
            tied = [k for _v, k, _d in at_cut]
            lucky = set(_draw(tied, seats - len(above), seed))
            chosen = above + [e for e in at_cut if e[1] in lucky]
    for value, key, _d in chosen:
        result[key] += 1
        awards.append(Award(key=key, value=value, by_lot=key in tied and value == chosen[-1][0]))
    return Allocation(
        method=method,
        seats_total=seats,
        votes=votes,
        seats=result,
        awards=awards,
        divisors=divisors,
        tied=tuple(sorted(tied)),
        seed=seed if tied else None,
    )


# --------------------------------------------------------------------------- the rules around the count


def election_valid(*, took_part: int, on_list: int, share: float | Fraction) -> bool:
    """Whether an election is valid: **more than** ``share`` of the voters on the lists took part
    (Uzbekistan's Electoral Code: more than 33%)."""
    if on_list <= 0:
        return False
    return Fraction(took_part, on_list) > Fraction(str(share))


def parties_passing(
    votes: Mapping[str, int], *, took_part: int, share: float | Fraction, runner_up_joins: bool = True
) -> list[str]:
    """The parties that take part in the distribution of list seats, best first.

    A party passes with at least ``share`` of the voters who took part (Uzbekistan: 7%).  When only one
    passes and ``runner_up_joins``, the party with the next most votes takes part too (a parliament of one
    party is not formed).  Parties tied for that place both join; no lot is drawn for a threshold.
    """
    if took_part <= 0:
        return []
    bound = Fraction(str(share)) * took_part
    ranked = sorted(votes, key=lambda k: (-votes[k], k))
    passing = [k for k in ranked if votes[k] > 0 and votes[k] >= bound]
    if len(passing) == 1 and runner_up_joins:
        rest = [k for k in ranked if k not in passing and votes[k] > 0]
        if rest:
            passing += [k for k in rest if votes[k] == votes[rest[0]]]
    return passing


@dataclass(frozen=True)
class MandateOutcome:
    """A single-mandate constituency's count: an elected winner, a repeat vote, or no election."""

    kind: str  # "elected", "repeat_vote", "no_winner" (no repeat vote by the rules), "invalid"
    winner: str | None = None
    runoff: tuple[str, ...] = ()
    tied: tuple[str, ...] = ()  # the keys a lot was drawn among for a place in the repeat vote
    seed: int | None = None


def single_mandate_outcome(
    votes: Mapping[str, int],
    *,
    took_part: int,
    on_list: int,
    majority_share: float | Fraction = Fraction(1, 2),
    validity_share: float | Fraction = Fraction(33, 100),
    repeat_vote: bool = True,
    seed: int | None = None,
) -> MandateOutcome:
    """Who is elected in a single-mandate constituency.

    Invalid below the turnout threshold; elected with **more than** ``majority_share`` of the votes of
    those who took part; else a repeat vote between the two leading candidates (when the rules hold one),
    a tie for a place in it decided by the recorded lot.
    """
    if not election_valid(took_part=took_part, on_list=on_list, share=validity_share):
        return MandateOutcome(kind="invalid")
    ranked = sorted(votes, key=lambda k: (-votes[k], k))
    if ranked and Fraction(votes[ranked[0]]) > Fraction(str(majority_share)) * took_part:
        return MandateOutcome(kind="elected", winner=ranked[0])
    if not repeat_vote or len(ranked) < 2:
        return MandateOutcome(kind="no_winner")
    taken, tied = _take([(Fraction(votes[k]), k) for k in ranked], 2, seed)
    return MandateOutcome(
        kind="repeat_vote", runoff=tuple(k for _v, k in taken), tied=tuple(sorted(tied)), seed=seed if tied else None
    )


def sheet(allocation: Allocation) -> dict:
    """The calculation as plain data for the published sheet (fractions as "p/q" and as decimals)."""

    def number(value: Fraction | None) -> dict | None:
        if value is None:
            return None
        return {"exact": f"{value.numerator}/{value.denominator}", "decimal": round(float(value), 6)}

    return {
        "method": allocation.method,
        "seats_total": allocation.seats_total,
        "votes": allocation.votes,
        "seats": allocation.seats,
        "quota": number(allocation.quota),
        "whole": allocation.whole,
        "remainders": {k: number(v) for k, v in allocation.remainders.items()},
        "divisors": list(allocation.divisors),
        "awards": [{"key": a.key, "value": number(a.value), "by_lot": a.by_lot} for a in allocation.awards],
        "tied": list(allocation.tied),
        "seed": allocation.seed,
    }
