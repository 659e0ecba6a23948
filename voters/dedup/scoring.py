"""Duplicate detection, the pure part: scoring a pair of records and blocking the list into the groups
compared pair by pair (``voters.dedup`` explains both).  Nothing here reads or writes the database: the
scan's loading and storing are ``voters.dedup.scan``'s.
"""

from __future__ import annotations

import operator
from array import array
from collections import Counter

from rapidfuzz.distance import OSA, JaroWinkler

from core.names import normalize_name, normalize_patronymic

#: Largest block compared pair by pair; larger blocks are split by a finer key.
BLOCK_CAP = 50
#: Two different name keys are a spelling variant of one name when their Jaro-Winkler
#: similarity is at least VARIANT_SIMILARITY, or when one letter is changed, added, dropped or
#: swapped (VARIANT_EDITS); a shorter rare spelling (at most RARE_MAX voters) of a common name may
#: be up to RARE_EDITS edits away (Yusuf / Yuf: letters lost), when the other names are exact.
VARIANT_SIMILARITY = 0.8
VARIANT_EDITS = 1
RARE_MAX = 2
RARE_EDITS = 2
#: Two different name keys that are both common (among the scanned voters of the same sex)
#: are two names, not a misspelling of one: Kamila / Jamila, Marina / Maria, Hasan / Husan.
#: Common: written at least COMMON_MIN times and at least COMMON_RATIO times as often as
#: the other (a systematic misspelling of a very common name stays a variant).
COMMON_MIN = 5
COMMON_RATIO = 0.02
#: Weights of surname, given name, patronymic in the name score (Jaro-Winkler of the keys).
W_SURNAME, W_GIVEN, W_PATRONYMIC = 0.4, 0.35, 0.25
#: Multiplier of the name score by birth-date evidence.
DATE_FACTOR = {"exact": 1.0, "swapped": 0.98, "typo": 0.92}
#: Added when both records live in the same district.
SAME_DISTRICT_BONUS = 0.01
#: Taken off when a patronymic is missing on one side (less evidence).
NO_PATRONYMIC_PENALTY = 0.04

CYRILLIC_CLASS = "[\u0400-\u052f]"
_jw = JaroWinkler.normalized_similarity
_edits = OSA.distance


# --------------------------------------------------------------------------- scoring


def _date_relation(a: str, b: str) -> str | None:
    """How two ISO dates relate: ``exact``, ``swapped`` (day and month), ``typo`` or None.

    ``typo``: same year, and the month and day differ in one digit or by two neighbouring
    digits transposed (1985-03-12 / 1985-03-21 / 1985-08-12).
    """
    if a == b:
        return "exact"
    if a[:4] == b[:4] and a[5:7] == b[8:10] and a[8:10] == b[5:7]:
        return "swapped"
    if a[:4] != b[:4]:
        return None
    da, db = a[5:7] + a[8:10], b[5:7] + b[8:10]
    diff = [k for k in range(4) if da[k] != db[k]]
    if len(diff) == 1:
        return "typo"
    if len(diff) == 2 and diff[1] == diff[0] + 1 and da[diff[0]] == db[diff[1]] and da[diff[1]] == db[diff[0]]:
        return "typo"
    return None


def _both_common(count_a: int | None, count_b: int | None) -> bool:
    if count_a is None or count_b is None:
        return False
    low, high = min(count_a, count_b), max(count_a, count_b)
    return low >= COMMON_MIN and low >= COMMON_RATIO * high


def _misspelling(count_a: int | None, count_b: int | None) -> bool:
    """One key is rare and the other common: the rare one is likely a misspelling of the other."""
    if count_a is None or count_b is None:
        return False
    return min(count_a, count_b) <= RARE_MAX and max(count_a, count_b) >= COMMON_MIN


def compare_names(a: str, b: str, count_a: int | None = None, count_b: int | None = None) -> tuple[float, str]:
    """(Jaro-Winkler similarity, verdict) of two name keys.

    Verdicts: ``exact``; ``variant`` (similar, see :data:`VARIANT_SIMILARITY`); ``misspelt`` (similar,
    and a rare spelling of a common name); ``misspelt-far`` (a shorter rare spelling of a common name,
    up to :data:`RARE_EDITS` edits away); ``different``; ``missing``
    (one or both empty).  ``count_a``/``count_b``: how many scanned voters of the same sex have each
    key (None: unknown, only the similarity decides).
    """
    if a == b:
        return (1.0, "exact") if a else (0.0, "missing")
    if not a or not b:
        return 0.0, "missing"
    sim = _jw(a, b)
    if _both_common(count_a, count_b):
        return sim, "different"
    if sim >= VARIANT_SIMILARITY:
        return sim, "misspelt" if _misspelling(count_a, count_b) else "variant"
    edits = _edits(a, b)
    if edits <= VARIANT_EDITS:
        return sim, "misspelt" if _misspelling(count_a, count_b) else "variant"
    if (
        edits <= RARE_EDITS
        and _misspelling(count_a, count_b)
        and len(a if count_a < count_b else b) < len(b if count_a < count_b else a)
    ):
        return sim, "misspelt-far"  # letters lost from a common name: Yusuf / Yuf, Aziza / Aza
    return sim, "different"


def score_pair(
    a: tuple[str, str, str, str], b: tuple[str, str, str, str], *, same_district: bool, counts: tuple | None = None
) -> tuple[float, dict]:
    """Score (0..1) and evidence for two records of one sex, each ``(surname_key, given_key, patronymic_key,
    ISO birth date)``.  A score of 0 means "not the same person".

    ``counts``: six counts (surname, given, patronymic of ``a``, then of ``b``) of voters of this sex
    with that key, or None when unknown (then only the similarity decides).

    Rules:

    * the birth dates are equal or have day and month swapped; or, only with identical
      surname, given name and patronymic keys and the same district, one digit of the month
      or day differs (or two neighbouring digits are transposed);
    * each of surname and given name is exact, a variant or a misspelling (:func:`compare_names`),
      never two different common names; so is the patronymic when both records have one; a far
      misspelling (two edits) only when the other names are exact;
    * name score = weighted mean of the Jaro-Winkler similarities (surname :data:`W_SURNAME`,
      given :data:`W_GIVEN`, patronymic :data:`W_PATRONYMIC`; without a patronymic on one side
      the other two, minus :data:`NO_PATRONYMIC_PENALTY`); a rare spelling of a common name
      (likely a clerk's typo) costs half its dissimilarity;
    * score = name score x :data:`DATE_FACTOR` of the date evidence, + :data:`SAME_DISTRICT_BONUS`
      for the same district, at most 1.
    """
    relation = _date_relation(a[3], b[3])
    ca = counts or (None,) * 6
    fields = (
        ("surname", *compare_names(a[0], b[0], ca[0], ca[3])),
        ("given", *compare_names(a[1], b[1], ca[1], ca[4])),
        ("patronymic", *compare_names(a[2], b[2], ca[2], ca[5])),
    )
    evidence: dict = {name: round(sim, 3) if verdict != "missing" else "missing" for name, sim, verdict in fields}
    evidence["birth_date"] = relation or "different"
    evidence["district"] = "same" if same_district else "different"
    verdicts = [verdict for _name, _sim, verdict in fields]
    different = [
        name for name, _sim, verdict in fields if verdict == "different" or (verdict == "missing" and name != "patronymic")
    ]
    if "misspelt-far" in verdicts and sum(v not in ("exact", "missing") for v in verdicts) > 1:
        different += [name for name, _sim, verdict in fields if verdict == "misspelt-far"]
    misspelt = [name for name, _sim, verdict in fields if verdict.startswith("misspelt")]
    if misspelt:
        evidence["misspelt"] = misspelt
    if different:
        evidence["different"] = different
    if relation is None or different:
        return 0.0, evidence
    if relation == "typo" and not (verdicts[0] == verdicts[1] == verdicts[2] == "exact" and same_district):
        return 0.0, evidence
    sims = [1 - (1 - sim) / 2 if verdict.startswith("misspelt") else sim for _name, sim, verdict in fields]
    if verdicts[2] == "missing":
        name = (W_SURNAME * sims[0] + W_GIVEN * sims[1]) / (W_SURNAME + W_GIVEN) - NO_PATRONYMIC_PENALTY
    else:
        name = W_SURNAME * sims[0] + W_GIVEN * sims[1] + W_PATRONYMIC * sims[2]
    score = name * DATE_FACTOR[relation] + (SAME_DISTRICT_BONUS if same_district else 0.0)
    return round(min(1.0, max(0.0, score)), 4), evidence


def scripts(cyr_a: bool, cyr_b: bool) -> str:
    if cyr_a != cyr_b:
        return "latin/cyrillic"
    return "cyrillic" if cyr_a else "latin"


def is_cyrillic(*texts: str) -> bool:
    return any("\u0400" <= ch <= "\u052f" for t in texts for ch in t or "")


def name_keys(v) -> tuple[str, str, str, str]:
    return (
        v.surname_key or normalize_name(v.surname),
        v.given_key or normalize_name(v.given_name),
        v.patronymic_key or normalize_patronymic(v.patronymic),
        str(v.birth_date),
    )


NAME_FIELDS = ("surname", "given", "patronymic")


NAME_FIELDS = ("surname", "given", "patronymic")


def pair_evidence(a, b, *, counts: tuple | None = None) -> dict:
    """Why two voters (model instances) may be one person: similarity of each name, birth date,
    district, sex, scripts and the score the scan gives them.

    The scan also weighs how common each name is among the voters (two different common names
    are two people; a rare spelling next to a common name is a misspelling): ``counts`` as for
    :func:`score_pair`; without them the similarity alone decides.
    """
    score, evidence = score_pair(name_keys(a), name_keys(b), same_district=a.district_id == b.district_id, counts=counts)
    evidence["sex"] = "same" if a.sex == b.sex else "different"
    if a.sex != b.sex:
        score = 0.0
    if a.pinfl == b.pinfl:
        score = 0.0
        evidence["pinfl"] = "same"
    evidence["scripts"] = scripts(is_cyrillic(a.surname, a.given_name), is_cyrillic(b.surname, b.given_name))
    evidence["score"] = score
    return evidence


# --------------------------------------------------------------------------- the scanned rows


class Rows:
    """The scanned voters as parallel columns (index = position in the stream)."""

    __slots__ = ("ids", "sur", "giv", "pat", "born", "sex", "district", "pinfl", "cyr")

    def __init__(self):
        self.ids = array("q")
        self.sur: list[str] = []
        self.giv: list[str] = []
        self.pat: list[str] = []
        self.born: list[str] = []
        self.sex: list[str] = []
        self.district = array("q")
        self.pinfl = array("q")
        self.cyr = bytearray()

    def __len__(self) -> int:
        return len(self.ids)


# --------------------------------------------------------------------------- blocking


def _swap(d: str) -> str | None:
    day, month = d[8:10], d[5:7]
    if day <= "12" and day != month:
        return f"{d[:4]}-{day}-{month}"
    return None


class Scanner:
    """Compares the rows that share a block; each pair at most once (the passes skip pairs an
    earlier pass has compared)."""

    def __init__(self, rows: Rows, decided: set[tuple[int, int]], min_score: float):
        self.rows = rows
        self.decided = decided
        self.min_score = min_score
        self.found: dict[tuple[int, int], tuple[float, dict]] = {}
        self.compared = 0
        self.blocks_skipped = 0
        self.n = len(rows)
        # how many scanned voters of each sex carry each key: "M" + key -> count
        self.counts = [Counter(map(operator.add, rows.sex, column)) for column in (rows.sur, rows.giv, rows.pat)]

    def compare(self, i: int, j: int) -> None:
        r = self.rows
        sex = r.sex[i]
        if sex != r.sex[j] or r.pinfl[i] == r.pinfl[j]:
            return
        self.compared += 1
        a = (r.sur[i], r.giv[i], r.pat[i], r.born[i])
        b = (r.sur[j], r.giv[j], r.pat[j], r.born[j])
        cs, cg, cp = self.counts
        counts = (cs[sex + a[0]], cg[sex + a[1]], cp[sex + a[2]], cs[sex + b[0]], cg[sex + b[1]], cp[sex + b[2]])
        for k in range(3):  # two different common names: not one person (most compared pairs end here)
            if a[k] != b[k] and a[k] and b[k] and _both_common(counts[k], counts[k + 3]):
                return
        score, evidence = score_pair(a, b, same_district=r.district[i] == r.district[j], counts=counts)
        if score <= 0 or score < self.min_score:
            return
        flip = r.ids[i] > r.ids[j]
        pair = (r.ids[j], r.ids[i]) if flip else (r.ids[i], r.ids[j])
        if pair in self.decided:
            return
        evidence["scripts"] = scripts(bool(r.cyr[i]), bool(r.cyr[j]))
        # how many voters write each differing name (voter_a's first): what tells a typo from two names
        frequency = {
            f: ([counts[k + 3], counts[k]] if flip else [counts[k], counts[k + 3]])
            for k, f in enumerate(NAME_FIELDS)
            if a[k] != b[k]
        }
        if frequency:
            evidence["frequency"] = frequency
        self.found[pair] = (score, evidence)

    @staticmethod
    def _runs(keys: list):
        """Groups (of two or more) of row indexes with equal keys; None keys are left out."""
        order = sorted([k for k in range(len(keys)) if keys[k] is not None], key=keys.__getitem__)
        ordered = [keys[k] for k in order]
        # positions whose key equals the previous one: the tails of the groups
        tails = [x for x in range(1, len(ordered)) if ordered[x] == ordered[x - 1]]
        del ordered
        k, total = 0, len(tails)
        while k < total:
            start = end = tails[k]
            k += 1
            while k < total and tails[k] == end + 1:
                end = tails[k]
                k += 1
            yield order[start - 1 : end + 1]

    def _pairs(self, members: list[int], fine, skip) -> None:
        """Compare every pair of ``members`` (row indexes) unless ``skip(i, j)``; a block larger
        than :data:`BLOCK_CAP` is split by ``fine(row)`` first (parts still too large are skipped)."""
        if len(members) > BLOCK_CAP:
            parts: dict = {}
            for m in members:
                parts.setdefault(fine(m), []).append(m)
            for part in parts.values():
                if len(part) > BLOCK_CAP:
                    self.blocks_skipped += 1
                elif len(part) > 1:
                    self._pairs(part, fine, skip)
            return
        compare = self.compare
        for x in range(len(members) - 1):
            i = members[x]
            for y in range(x + 1, len(members)):
                j = members[y]
                if skip is None or not skip(i, j):
                    compare(i, j)

    def _cross(self, left: list[int], right: list[int], fine, skip) -> None:
        """Compare each row of ``left`` with each of ``right`` unless ``skip(i, j)``; split like :meth:`_pairs`."""
        limit = BLOCK_CAP * BLOCK_CAP // 2
        if len(left) * len(right) > limit:
            parts: dict = {}
            for m in left:
                parts.setdefault(fine(m), ([], []))[0].append(m)
            for m in right:
                parts.setdefault(fine(m), ([], []))[1].append(m)
            for lp, rp in parts.values():
                if lp and rp:
                    if len(lp) * len(rp) > limit:
                        self.blocks_skipped += 1
                    else:
                        self._cross(lp, rp, fine, skip)
            return
        compare = self.compare
        for i in left:
            for j in right:
                if skip is None or not skip(i, j):
                    compare(i, j)

    def block_on(self, field: list[str], fine, skip=None) -> None:
        """Same birth date and sex, same first 3 letters of ``field``; then the same with one
        side's day and month swapped."""
        r = self.rows
        born = r.born
        keys: list = [f"{d}{s}{x[:3]}" for d, s, x in zip(born, r.sex, field, strict=True)]
        for run in self._runs(keys):
            self._pairs(run, fine, skip)
        # Rows whose day can be a month, under their swapped date, met with the rows born on that
        # date.  A pair meets twice (once under each date): it is compared where the native row
        # has the earlier date.
        swapped: dict[str, list[int]] = {}
        for i, w in enumerate(map(_swap, born)):
            if w is not None:
                swapped.setdefault(f"{w}{r.sex[i]}{field[i][:3]}", []).append(i)
        natives: dict[str, list[int]] = {}
        for i, key in enumerate(keys):
            if key in swapped:
                natives.setdefault(key, []).append(i)
        del keys

        def skip_swapped(i: int, j: int) -> bool:
            return born[i] > born[j] or (skip is not None and skip(i, j))

        for key, left in natives.items():
            self._cross(left, swapped[key], fine, skip_swapped)

    def block_date_typo(self) -> None:
        """Identical name keys (with a patronymic), sex and district; dates equal or swapped were
        compared already."""
        r = self.rows
        born = r.born
        keys: list = [
            f"{s}|{g}|{p}|{x}|{d}" if p else None for s, g, p, x, d in zip(r.sur, r.giv, r.pat, r.sex, r.district, strict=True)
        ]

        def skip(i: int, j: int) -> bool:
            return born[i] == born[j] or _swap(born[i]) == born[j]

        for run in self._runs(keys):
            if len(run) > BLOCK_CAP:
                self.blocks_skipped += 1
            else:
                self._pairs(run, None, skip)

    def run(self) -> None:
        r = self.rows
        sur, giv = r.sur, r.giv
        self.block_on(sur, lambda m: (sur[m], giv[m][:2]))
        # given-name blocks: pairs with the same surname prefix were compared above
        self.block_on(giv, lambda m: (giv[m], sur[m][:2]), lambda i, j: sur[i][:3] == sur[j][:3])
        self.block_date_typo()
