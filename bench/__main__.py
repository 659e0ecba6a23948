"""``python -m bench [--rows 1000000] [--only import,lookup,dedup] [--quick]`` (``make bench``).

Runs against a dedicated database: ``BENCH_DATABASE_URL``, or
``postgres://postgres@127.0.0.1:5432/esaylov_bench`` (created if missing), or with no local
server the embedded PostgreSQL (a database ``esaylov_bench`` in it).  The benchmarks empty and
reload that database's voter list.  Results are merged into ``bench/results.json``
(``var/bench/results-quick.json`` for ``--quick``) and printed as a table.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

from bench.base import RESULTS, VAR, configure_environment, django_setup, machine_info, results_merge, say

BENCHES = ("import", "lookup", "dedup", "signatures", "results")

#: (metric, comparison, target); {small} and {full} stand for the sizes of the run.
TARGETS = [
    ("copy_rows_per_s", "", "reference"),
    ("import_rows_per_s", "", ""),
    ("import_vs_copy", ">=", 0.5),
    ("reimport_rows_per_s", "", ""),
    ("reimport_vs_copy", ">=", 1.0),
    ("import_stage_seconds", "", ""),
    ("import_merge_seconds", "", ""),
    ("import_floor_seconds", "", ""),
    ("import_floor_vs_copy", "", ""),
    ("import_check_budget_seconds", "", ""),
    ("reimport_stage_seconds", "", ""),
    ("reimport_merge_seconds", "", ""),
    ("import_peak_rss_mb_{small}", "<", 400),
    ("import_peak_rss_mb_{full}", "<", 400),
    ("import_peak_rss_growth", "<=", 1.25),
    ("dedup_precision", "", ""),
    ("dedup_recall", "", ""),
    ("dedup_seconds", "", ""),
    ("lookup_rps", "", ""),
    ("baseline_rps", "", "reference"),
    ("lookup_vs_baseline", ">=", 0.7),
    ("lookup_p50_ms", "", ""),
    ("lookup_p99_ms", "<", 50),
    ("lookup_fixed_achieved_rps", ">=", 490),
    ("lookup_half_rate", "", ""),
    ("lookup_half_p99_ms", "", ""),
    ("baseline_p99_ms", "", ""),
    ("signatures_per_s", ">=", 20_000),
    ("signature_verdict_accuracy", ">=", 1.0),
    ("results_protocols_per_s", ">=", 200),
    ("results_aggregate_seconds", "<", 1.0),
    ("results_baseline_rps", "", "reference"),
    ("results_page_rps", "", ""),
    ("results_page_vs_baseline", ">=", 0.8),
    ("results_page_p50_ms", "", ""),
    ("results_page_p99_ms", "<", 50),
    ("results_page_fixed_achieved_rps", ">=", 980),
]


def _verdict(value, op: str, target) -> str:
    if not op or not isinstance(value, (int, float)):
        return ""
    ok = {">=": value >= target, "<": value < target, "<=": value <= target}[op]
    return "pass" if ok else "FAIL"


def table(results: dict, rows: int, extra_targets: dict) -> str:
    from bench.imports import label

    lines = [f"{'metric':32} {'value':>14}  {'target':>12}  result", "-" * 70]
    seen = set()
    specs = [(m.format(small=label(rows // 4), full=label(rows)), op, t) for m, op, t in TARGETS]
    specs += [(m, op, t) for m, (op, t) in extra_targets.items()]
    for metric, op, target in specs:
        if metric not in results or metric in seen:
            continue
        seen.add(metric)
        value = results[metric]
        shown = (
            f"{value:,.3f}"
            if isinstance(value, float) and abs(value) < 100
            else (f"{value:,.0f}" if isinstance(value, (int, float)) else str(value))
        )
        lines.append(f"{metric:32} {shown:>14}  {(op + ' ' + str(target)).strip():>12}  {_verdict(value, op, target)}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="voters in the list (default 1,000,000)")
    parser.add_argument("--only", default=",".join(BENCHES), help="comma-separated: import,lookup,dedup,signatures,results")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 100,000 rows, shorter load runs")
    parser.add_argument("--gunicorn-workers", type=int, default=None, help="default 2 * cores + 1")
    parser.add_argument("--duplicates", type=float, default=0.01, help="share of near-duplicates (dedup)")
    args = parser.parse_args(argv)
    only = [b.strip() for b in args.only.split(",") if b.strip()]
    unknown = set(only) - set(BENCHES)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    rows = 100_000 if args.quick else args.rows
    results_path = VAR / "results-quick.json" if args.quick else RESULTS  # a smoke run keeps the real figures

    started = time.perf_counter()
    load_start = [round(x, 2) for x in os.getloadavg()]
    os.chdir(Path(__file__).resolve().parent.parent)
    notes = configure_environment()
    django_setup()
    results: dict = {"bench_rows": rows, **{f"bench_note_{k}": v for k, v in notes.items()}}
    extra_targets: dict = {}
    failed = []
    for name in BENCHES:
        if name not in only:
            continue
        say(f"=== {name} ({rows:,} rows) ===")
        t = time.perf_counter()
        try:
            if name == "import":
                from bench import imports

                out = imports.run(rows)
                small, full = (
                    out.get(f"import_peak_rss_mb_{imports.label(rows // 4)}"),
                    out.get(f"import_peak_rss_mb_{imports.label(rows)}"),
                )
                if small and full:
                    out["import_peak_rss_growth"] = round(full / small, 3)
            elif name == "lookup":
                from bench import lookup

                kwargs = {"seconds": 5, "rounds": 1, "rate_seconds": 10} if args.quick else {}
                out = lookup.run(rows, workers=args.gunicorn_workers, **kwargs)
            elif name == "results":
                from bench import results as results_bench

                out = results_bench.run(rows=rows, quick=args.quick, workers=args.gunicorn_workers)
            elif name == "signatures":
                from bench import signatures

                out = signatures.run(rows, signatures=min(100_000, rows // 10))
            else:
                try:
                    from bench import dedup
                except ImportError as exc:
                    say(f"bench/dedup.py is not available ({exc}): duplicate detection skipped")
                    results["dedup_skipped"] = str(exc)
                    continue
                out = dedup.run(rows, args.duplicates)
                # its own figures (e.g. the time of its in-process import) must not overwrite ours
                out = {k if k.startswith("dedup_") else f"dedup_{k}": v for k, v in out.items()}
                for metric, spec in (getattr(dedup, "TARGETS", None) or {}).items():
                    extra_targets[metric] = spec
        except Exception as exc:  # report, and go on with the next benchmark
            traceback.print_exc()
            failed.append(name)
            results[f"{name}_error"] = f"{type(exc).__name__}: {exc}"
            continue
        results.update(out)
        results[f"{name}_bench_seconds"] = round(time.perf_counter() - t, 1)

    results["bench_wall_seconds"] = round(time.perf_counter() - started, 1)
    machine = {
        **machine_info(),
        "rows": rows,
        "only": only,
        "loadavg_start": load_start,
        "loadavg_end": [round(x, 2) for x in os.getloadavg()],
    }
    drop = [f"{name}_error" for name in only if name not in failed] + ["dedup_skipped"]
    results_merge(results_path, results, machine, drop=[k for k in drop if k not in results])
    print()
    print(table(results, rows, extra_targets))
    print(
        f"\n{len(only)} benchmark(s) in {results['bench_wall_seconds']:.0f} s on {machine['cpu_count']} cores "
        f"({machine['cpu_model']}), commit {machine['git_commit'][:12] or '?'}; written to "
        f"{results_path.relative_to(Path.cwd())}"
    )
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
