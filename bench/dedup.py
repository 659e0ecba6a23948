"""Duplicate-detection benchmark: precision, recall and time of ``voters.dedup.scan`` on synthetic data.

**This wipes the voter list** of the database it runs against (``TRUNCATE voters_voter ... CASCADE``),
so it refuses to run unless the database name contains ``bench`` or ``BENCH_ALLOW_WIPE=1`` is set.

Steps: create the database if it is missing and migrate it; build the demo country
(``seed_demo --precincts 1000``, idempotent); empty the voter tables; write a registry file of
``rows`` people with ``duplicates`` of them injected near-duplicates (``demo.generator``, which
also writes the ground truth ``pinfl_a,pinfl_b,kind``); load it with the real importer; time
``dedup.scan()``; compare the proposed pairs with the truth by PINFL.

Figures:

``dedup_precision``   proposed pairs that are injected pairs / proposed pairs
``dedup_recall``      injected pairs proposed / injected pairs the scan can see (both records
                      active; the generator gives some originals another status, and a scan only
                      looks at active records).  ``dedup_recall_all`` counts every injected pair.
``dedup_crossscript_precision``  the same over proposed pairs whose records are written in
                      different scripts (Latin and Cyrillic)
``dedup_crossscript_recall``     the same over injected pairs of kind ``cyrillic``

Run::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/esaylov_bench REDIS_URL=redis://127.0.0.1:6379/0 \\
        DEBUG=1 python -m bench.dedup --rows 1000000

``--reuse`` skips generation and import when the list already holds the same benchmark data
(for tuning the scan).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/esaylov_bench"
SEED = 20260
TRUNCATE = (
    "TRUNCATE voters_voter, voters_voterchange, voters_duplicatecandidate, voters_listentryoverride, "
    "voters_votinglocationrequest CASCADE"
)


def _database_ensure(url: str) -> str:
    """Create the database named in ``url`` if it does not exist; returns its name."""
    import environ
    import psycopg
    from psycopg import sql

    cfg = environ.Env.db_url_config(url)
    name = cfg["NAME"]
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "dbname": "postgres",
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name


def setup() -> None:
    """Django against the benchmark database (created if it is missing)."""
    import django
    from django.apps import apps

    if apps.ready:  # already set up by a runner (python -m bench)
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esaylov.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    _database_ensure(os.environ["DATABASE_URL"])
    django.setup()


def _check_wipe_allowed() -> str:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if "bench" not in name and os.environ.get("BENCH_ALLOW_WIPE") != "1":
        raise RuntimeError(
            f"bench.dedup wipes the voter list: refusing to run on database {name!r} "
            "(use a database whose name contains 'bench', or set BENCH_ALLOW_WIPE=1)"
        )
    return name


def _truth_path(rows: int, duplicates: float, seed: int) -> Path:
    from django.conf import settings

    folder = Path(settings.MEDIA_ROOT) / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"dedup-truth-{rows}-{duplicates}-{seed}.csv"


def _load(rows: int, duplicates: float, seed: int, truth: Path) -> dict:
    """Empty the list, generate a file with known near-duplicates and import it; returns timings."""
    from django.core.files import File
    from django.db import connection, transaction

    from demo import generator
    from voters import services
    from voters.models import ImportJob

    with connection.cursor() as cur:
        cur.execute(TRUNCATE)
    out = {}
    with tempfile.TemporaryDirectory(prefix="bench-dedup-") as tmp:
        path = Path(tmp) / f"voters-{rows}.csv"
        t = time.perf_counter()
        generator.write_voter_file(
            path, rows, duplicates_share=duplicates, seed=seed, geography=generator.demo_geography(), truth_path=truth
        )
        out["generate_seconds"] = round(time.perf_counter() - t, 2)
        with transaction.atomic():
            job = ImportJob(original_name=path.name, size=path.stat().st_size, encoding="auto", total_estimate=rows)
            with open(path, "rb") as fh:
                job.file.save(path.name, File(fh), save=False)
            job.save()
    t = time.perf_counter()
    job = services.voter_import_run(job_id=job.pk)
    out["import_seconds"] = round(time.perf_counter() - t, 2)
    if job.status != ImportJob.Status.DONE:
        raise RuntimeError(f"import failed: {job.status} {job.message}")
    job.file.delete(save=False)  # the copy in MEDIA_ROOT
    with connection.cursor() as cur:
        cur.execute("ANALYZE voters_voter")
    return out


def _loaded(truth: Path, rows: int) -> bool:
    """Does the list hold the file this truth belongs to (for --reuse)?"""
    from voters.models import Voter

    if not truth.exists() or Voter.objects.count() != rows:
        return False
    pinfls = [p for a, b, _kind in _read_truth(truth)[:20] for p in (a, b)]
    return Voter.objects.filter(pinfl__in=pinfls).count() == len(pinfls)


def _read_truth(path: Path) -> list[tuple[str, str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["pinfl_a"], r["pinfl_b"], r["kind"]) for r in csv.DictReader(fh)]


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 1.0


def evaluate(truth: list[tuple[str, str, str]]) -> dict:
    """Compare the open candidates in the database with the injected pairs (by PINFL)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("""
            SELECT a.pinfl, b.pinfl, d.evidence->>'scripts'
              FROM voters_duplicatecandidate d
              JOIN voters_voter a ON a.id = d.voter_a_id JOIN voters_voter b ON b.id = d.voter_b_id
             WHERE d.decision = 'open'""")
        found = {frozenset((a, b)): scripts for a, b, scripts in cur.fetchall()}
        cur.execute("SELECT pinfl FROM voters_voter WHERE status = 'active' AND merged_into_id IS NULL")
        visible = {r[0] for r in cur.fetchall()}
    pairs = {frozenset((a, b)): kind for a, b, kind in truth}
    eligible = {p: k for p, k in pairs.items() if p <= visible}
    tp = sum(1 for p in found if p in pairs)
    cross_found = [p for p, s in found.items() if s and "/" in s]
    cross_tp = sum(1 for p in cross_found if p in pairs)
    cyr = [p for p, k in eligible.items() if k == "cyrillic"]
    by_kind = {}
    for kind in sorted(set(pairs.values())):
        ps = [p for p, k in eligible.items() if k == kind]
        by_kind[kind] = {
            "pairs": len(ps),
            "found": sum(1 for p in ps if p in found),
            "recall": _ratio(sum(1 for p in ps if p in found), len(ps)),
        }
    return {
        "dedup_precision": _ratio(tp, len(found)),
        "dedup_recall": _ratio(sum(1 for p in eligible if p in found), len(eligible)),
        "dedup_crossscript_precision": _ratio(cross_tp, len(cross_found)),
        "dedup_crossscript_recall": _ratio(sum(1 for p in cyr if p in found), len(cyr)),
        "dedup_recall_all": _ratio(tp, len(pairs)),
        "dedup_proposed": len(found),
        "dedup_false_positives": len(found) - tp,
        "dedup_injected": len(pairs),
        "dedup_injected_visible": len(eligible),
        "dedup_recall_by_kind": by_kind,
    }


def run(
    rows: int = 1_000_000, duplicates: float = 0.01, *, seed: int = SEED, reuse: bool = False, min_score: float | None = None
) -> dict:
    """Load ``rows`` synthetic voters (``duplicates`` share near-duplicates), scan, score against the truth."""
    setup()
    from django.core.management import call_command
    from django.db import connection

    from voters import dedup

    _check_wipe_allowed()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--precincts", "1000", "--voters", "0", "--quiet-logins", stdout=io.StringIO())
    truth_file = _truth_path(rows, duplicates, seed)
    timings = {}
    if not (reuse and _loaded(truth_file, rows)):
        timings = _load(rows, duplicates, seed, truth_file)
    with connection.cursor() as cur:
        cur.execute("TRUNCATE voters_duplicatecandidate")
    kwargs = {} if min_score is None else {"min_score": min_score}
    t = time.perf_counter()
    result = dedup.scan(**kwargs)
    seconds = time.perf_counter() - t
    out = {
        "dedup_rows": rows,
        "dedup_seconds": round(seconds, 2),
        **evaluate(_read_truth(truth_file)),
        "dedup_pairs_new": result.pairs_new,
        **timings,
    }
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dedup", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duplicates", type=float, default=0.01, help="share of injected near-duplicates")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--min-score", type=float, default=None)
    parser.add_argument("--reuse", action="store_true", help="keep the loaded list if it holds the same data")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        out = run(args.rows, args.duplicates, seed=args.seed, reuse=args.reuse, min_score=args.min_score)
    except RuntimeError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(out))
    else:
        for key, value in out.items():
            print(f"{key:32} {json.dumps(value) if isinstance(value, dict) else value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
