"""Duplicate detection, the I/O part: load the listed voters with ``COPY``, run the blocking and scoring of
``voters.dedup.scoring``, store the new pairs in one set-based statement, audit the scan."""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass

from django.db import connection, transaction
from psycopg import sql

from core.services import audit_record
from voters.dedup.scoring import CYRILLIC_CLASS, NAME_FIELDS, Rows, Scanner, pair_evidence
from voters.models import DuplicateCandidate, listed_sql

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanResult:
    pairs_found: int
    pairs_new: int
    seconds: float


def _stored_counts(a, b) -> tuple | None:
    """The name counts a scan recorded for this pair (evidence ``frequency``), in (a, b) order."""
    if a.pk is None or b.pk is None:
        return None
    low, high = (a.pk, b.pk) if a.pk < b.pk else (b.pk, a.pk)
    evidence = DuplicateCandidate.objects.filter(voter_a_id=low, voter_b_id=high).values_list("evidence", flat=True).first()
    frequency = (evidence or {}).get("frequency") if isinstance(evidence, dict) else None
    if not frequency:
        return None
    flip = a.pk != low
    pairs = [frequency.get(f) or [None, None] for f in NAME_FIELDS]
    if flip:
        pairs = [[y, x] for x, y in pairs]
    return tuple(x for x, _y in pairs) + tuple(y for _x, y in pairs)


def evidence_for(a, b, *, counts: tuple | None = None) -> dict:
    """Why two voters (model instances) may be one person (``scoring.pair_evidence``), with the name counts of
    ``counts``, else those the scan recorded for the pair if it proposed it, else none."""
    return pair_evidence(a, b, counts=counts if counts is not None else _stored_counts(a, b))


def _load(region_id: int | None) -> Rows:
    where = sql.SQL(listed_sql("v"))
    if region_id is not None:
        where += sql.SQL(" AND v.district_id IN (SELECT id FROM elections_district WHERE region_id = {})").format(
            sql.Literal(int(region_id))
        )
    query = sql.SQL("""COPY (SELECT v.id, v.surname_key, v.given_key, v.patronymic_key, v.birth_date, v.sex,
                                    v.district_id, v.pinfl,
                                    CASE WHEN (v.surname || v.given_name) ~ {} THEN 1 ELSE 0 END
                               FROM voters_voter v WHERE {}) TO STDOUT""").format(sql.Literal(CYRILLIC_CLASS), where)
    rows = Rows()
    intern = sys.intern
    ids, sur, giv, pat, born, sex = rows.ids, rows.sur, rows.giv, rows.pat, rows.born, rows.sex
    district, pinfl, cyr = rows.district, rows.pinfl, rows.cyr
    with connection.cursor() as cur, cur.copy(query) as copy:
        tail = b""
        for chunk in copy:
            data = tail + bytes(chunk)
            lines = data.split(b"\n")
            tail = lines.pop()
            for line in lines:
                f = line.decode().split("\t")
                ids.append(int(f[0]))
                sur.append(intern(f[1]))
                giv.append(intern(f[2]))
                pat.append(intern(f[3]) if f[3] != r"\N" else "")
                born.append(intern(f[4]))
                sex.append(intern(f[5]))
                district.append(int(f[6]))
                pinfl.append(int(f[7]) if f[7].isdigit() else -len(ids))
                cyr.append(f[8] == "1")
    return rows


# --------------------------------------------------------------------------- scan


def _decided_pairs() -> set[tuple[int, int]]:
    with connection.cursor() as cur:
        cur.execute("SELECT voter_a_id, voter_b_id FROM voters_duplicatecandidate WHERE decision <> 'open'")
        return {(a, b) for a, b in cur.fetchall()}


def _insert(found: dict[tuple[int, int], tuple[float, dict]]) -> int:
    """Insert the pairs not already present (one set-based statement); returns how many were new."""
    if not found:
        return 0
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS dedup_found")
        cur.execute("CREATE TEMP TABLE dedup_found (a bigint, b bigint, score double precision, evidence jsonb)")
        with cur.copy("COPY dedup_found (a, b, score, evidence) FROM STDIN") as copy:
            for (a, b), (score, evidence) in found.items():
                copy.write_row((a, b, score, json.dumps(evidence, sort_keys=True)))
        cur.execute("""
            INSERT INTO voters_duplicatecandidate (voter_a_id, voter_b_id, score, evidence, decision, created_at)
            SELECT f.a, f.b, f.score, f.evidence, 'open', now()
              FROM dedup_found f
             WHERE EXISTS (SELECT 1 FROM voters_voter v WHERE v.id = f.a)
               AND EXISTS (SELECT 1 FROM voters_voter v WHERE v.id = f.b)
            ON CONFLICT (voter_a_id, voter_b_id) DO NOTHING""")
        new = cur.rowcount
        cur.execute("DROP TABLE dedup_found")
        return new


def scan(*, min_score: float = 0.9, region_id: int | None = None, actor=None) -> ScanResult:
    """Find possible duplicates among the active voters (of one region, or all) and record the new pairs.

    ``pairs_found``: pairs scoring at least ``min_score`` (pairs already decided left out);
    ``pairs_new``: those not already recorded.  One audit event ``voters.duplicates.scan``.
    A regional scan compares the voters of that region with each other only.
    """
    started = time.perf_counter()
    rows = _load(region_id)
    loaded = time.perf_counter()
    scanner = Scanner(rows, _decided_pairs(), min_score)
    scanner.run()
    scored = time.perf_counter()
    del rows, scanner.rows, scanner.counts
    with transaction.atomic():
        new = _insert(scanner.found)
        seconds = round(time.perf_counter() - started, 2)
        after = {
            "voters": scanner.n,
            "compared": scanner.compared,
            "pairs_found": len(scanner.found),
            "pairs_new": new,
            "blocks_skipped": scanner.blocks_skipped,
            "min_score": min_score,
            "region_id": region_id,
            "seconds": seconds,
            "load_seconds": round(loaded - started, 2),
            "score_seconds": round(scored - loaded, 2),
        }
        audit_record(
            actor=actor,
            action="voters.duplicates.scan",
            object_type="voters.duplicates",
            object_id=str(region_id or ""),
            after=after,
        )
    log.info("duplicate scan: %s", after)
    return ScanResult(pairs_found=len(scanner.found), pairs_new=new, seconds=seconds)
