"""Registry import through a real Celery worker, against raw ``COPY`` of the same rows.

1. A registry file of ``rows`` distinct people is generated once into ``var/bench/``
   (``demo.generator.write_voter_file`` over the demo country).
2. The reference: ``COPY ... FROM STDIN WITH (FORMAT csv, HEADER true)`` of that file, streamed by
   psycopg, into a fresh bare table (every column ``text``) with a unique index on PINFL.
   Measured twice; the faster counts (the ratios below are then the harder ones to meet).
3. The voter list is emptied and the first quarter of the file is imported, then (list emptied
   again) the whole file, then the whole file once more (nothing changes).  Each import is started
   the way the web page starts it (``voter_import_start`` by the CEC user, queued on commit) and
   runs in a freshly started Celery worker (solo pool, this run's private queue), so that the
   worker's ``VmHWM`` afterwards is the peak memory of that import.  Time runs from the moment the
   task is queued to the moment the job is seen ``done`` (polled every 50 ms).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from bench.base import VAR, Worker, checkpoint, say, voters_truncate

SEED = 2026_1
POLL = 0.05


def label(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


def voter_file(rows: int, seed: int = SEED) -> Path:
    """The benchmark's registry file of ``rows`` distinct people (generated once, then reused)."""
    from demo import generator

    geography = generator.demo_geography()
    digest = hashlib.sha256(json.dumps(geography).encode()).hexdigest()[:16]
    path = VAR / f"voters-{rows}-s{seed}.csv"
    meta = path.with_suffix(".json")
    want = {"rows": rows, "seed": seed, "geography": digest, "columns": list(generator.COLUMNS)}
    if path.exists() and meta.exists() and json.loads(meta.read_text()) == want:
        return path
    say(f"generating {rows:,} voters into {path.relative_to(VAR.parent.parent)}")
    t = time.perf_counter()
    tmp = path.with_suffix(".tmp")
    generator.write_voter_file(tmp, rows, duplicates_share=0, seed=seed, geography=geography)
    tmp.replace(path)
    meta.write_text(json.dumps(want))
    say(f"  generated in {time.perf_counter() - t:.0f} s ({path.stat().st_size / 2**20:.0f} MB)")
    return path


def head_file(path: Path, rows: int) -> Path:
    """The header and the first ``rows`` rows of ``path`` (generated rows hold no line breaks)."""
    out = path.with_name(f"{path.stem}-head{rows}.csv")
    if out.exists() and out.stat().st_mtime >= path.stat().st_mtime:
        return out
    tmp = out.with_suffix(".tmp")
    with path.open("rb") as src, tmp.open("wb") as dst:
        for i, line in enumerate(src):
            if i > rows:
                break
            dst.write(line)
    tmp.replace(out)
    return out


def copy_reference(path: Path, rows: int) -> float:
    """Seconds to COPY the file into a bare table with a unique index on PINFL (and commit)."""
    from django.db import connection, transaction

    from demo.generator import COLUMNS

    table = "bench_copy_reference"
    with connection.cursor() as cur:
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(f"CREATE TABLE {table} ({', '.join(f'{c} text' for c in COLUMNS)})")
        cur.execute(f"CREATE UNIQUE INDEX {table}_pinfl ON {table} (pinfl)")
    checkpoint()
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur, path.open("rb") as fh:
        with cur.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
            while block := fh.read(1 << 20):
                copy.write(block)
    seconds = time.perf_counter() - t
    with connection.cursor() as cur:
        cur.execute(f"SELECT count(*) FROM {table}")
        copied = cur.fetchone()[0]
        cur.execute(f"DROP TABLE {table}")
    if copied != rows:
        raise RuntimeError(f"the reference COPY loaded {copied} rows, not {rows}")
    return seconds


def list_write_floor() -> dict:
    """Seconds to write the voter list as it now stands into a new logged table and build its keys and indexes.

    The least any first import into an empty list must spend after the file is read and checked:
    the rows are already in the database, typed and final, and nothing is parsed, checked, joined
    or numbered.  Same statements as the import's bulk load (``CREATE TABLE AS`` with the same
    parallel settings, then every index and unique key of ``voters_voter`` from its own
    definition), one transaction, rolled back.  Printed as seconds and as ``copy / floor``: where
    that is below 1.0 (the floor alone is slower than the reference), the import's ratio can only
    reach 0.5 if reading and checking the file take less than ``2 * copy - floor``.
    """
    from django.db import connection, transaction

    from voters.imports.fastpath import PARALLEL

    with connection.cursor() as cur:
        cur.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = 'voters_voter'::regclass"
        )
        indexes = cur.fetchall()
        cur.execute("SELECT count(*) FROM voters_voter")
        rows = cur.fetchone()[0]
    checkpoint()
    steps: dict[str, float] = {}
    t = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for setting in PARALLEL:
            cur.execute(setting)
        s = time.perf_counter()
        cur.execute("CREATE TABLE bench_floor AS SELECT * FROM voters_voter")
        steps["rows"] = time.perf_counter() - s
        for name, definition in indexes:
            s = time.perf_counter()
            cur.execute(
                definition.replace(f" INDEX {name} ON ", f" INDEX bench_floor_{name} ON ", 1).replace(
                    " public.voters_voter ", " bench_floor ", 1
                )
            )
            steps[name] = time.perf_counter() - s
        seconds = time.perf_counter() - t
        transaction.set_rollback(True)
    return {"rows": rows, "seconds": round(seconds, 2), "steps": {k: round(v, 2) for k, v in steps.items()}}


def measured_import(path: Path, worker: Worker, *, timeout: float = 3600) -> dict:
    """Start an import as the CEC user would, in a fresh worker; time it from queued to done."""
    from django.core.files import File
    from django.db import transaction

    from accounts.models import User
    from voters import services
    from voters.models import ImportJob

    worker.start()
    idle = worker.peak_rss_mb()
    checkpoint()
    cec = User.objects.get(username="cec")
    with path.open("rb") as fh, transaction.atomic():
        job = services.voter_import_start(actor=cec, uploaded_file=File(fh, name=f"bench-{path.name}"))
    t0 = time.perf_counter()  # the task went to the broker when the transaction committed
    seen: dict[str, float] = {}
    finished = {ImportJob.Status.DONE, ImportJob.Status.REJECTED, ImportJob.Status.FAILED}
    deadline = t0 + timeout
    while True:
        status = ImportJob.objects.filter(pk=job.pk).values_list("status", flat=True).first()
        now = time.perf_counter()
        seen.setdefault(status, now)
        if status in finished:
            break
        if not worker.alive():
            raise RuntimeError(f"the worker died during import {job.pk}; see {worker.log}")
        if now > deadline:
            raise RuntimeError(f"import {job.pk} did not finish within {timeout} s (status {status})")
        time.sleep(POLL)
    seconds = seen[status] - t0
    peak = worker.peak_rss_mb()
    worker.stop()
    job.refresh_from_db()
    if job.status != ImportJob.Status.DONE:
        raise RuntimeError(f"import {job.pk} ended {job.status}: {job.message}")
    job.file.delete(save=False)  # the copy in MEDIA_ROOT
    out = {
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak,
        "idle_rss_mb": idle,
        "inserted": job.inserted,
        "updated": job.updated,
        "unchanged": job.unchanged,
        "invalid": job.rows_invalid,
        "server_seconds": round((job.finished_at - job.started_at).total_seconds(), 2),
    }
    v, m = seen.get(ImportJob.Status.VALIDATING), seen.get(ImportJob.Status.MERGING)
    if v is not None:
        out["queue_seconds"] = round(v - t0, 2)
    if v is not None and m is not None:
        out["stage_seconds"] = round(m - v, 2)  # read, validate, COPY into the staging table
        out["merge_seconds"] = round(seen[status] - m, 2)  # set-based merge into the list
    return out


def run(rows: int, *, seed: int = SEED) -> dict:
    path = voter_file(rows, seed)
    small_rows = rows // 4
    small = head_file(path, small_rows)
    out: dict = {"import_rows": rows}

    copies = []
    for i in (1, 2):
        copies.append(copy_reference(path, rows))
        say(f"reference COPY {i}: {rows:,} rows in {copies[-1]:.2f} s")
    copy_seconds = min(copies)
    copy_rate = rows / copy_seconds
    out.update(
        copy_seconds=round(copy_seconds, 2), copy_seconds_runs=[round(c, 2) for c in copies], copy_rows_per_s=round(copy_rate)
    )

    worker = Worker()
    try:
        voters_truncate()
        say(f"import of {small_rows:,} rows into an empty list (fresh worker)")
        r = measured_import(small, worker)
        say("  ", r)
        out[f"import_peak_rss_mb_{label(small_rows)}"] = r["peak_rss_mb"]
        out[f"import_{label(small_rows)}_seconds"] = r["seconds"]
        out[f"import_{label(small_rows)}_rows_per_s"] = round(small_rows / r["seconds"])
        out["worker_idle_rss_mb"] = r["idle_rss_mb"]

        voters_truncate()
        say(f"import of {rows:,} rows into an empty list (fresh worker)")
        r = measured_import(path, worker)
        say("  ", r)
        if r["inserted"] != rows:
            say(f"  note: {r['inserted']:,} voters inserted of {rows:,} rows ({r['invalid']:,} refused)")
        out.update(
            import_seconds=r["seconds"],
            import_rows_per_s=round(rows / r["seconds"]),
            import_vs_copy=round(copy_seconds / r["seconds"], 3),
            import_inserted=r["inserted"],
            import_refused=r["invalid"],
        )
        out[f"import_peak_rss_mb_{label(rows)}"] = r["peak_rss_mb"]
        for key in ("queue_seconds", "stage_seconds", "merge_seconds", "server_seconds"):
            if key in r:
                out[f"import_{key}"] = r[key]

        floor = list_write_floor()
        say(f"floor: write the {floor['rows']:,} listed voters and their {len(floor['steps']) - 1} indexes", floor)
        out.update(
            import_floor_seconds=floor["seconds"],
            import_floor_vs_copy=round(copy_seconds / floor["seconds"], 3),
            import_floor_steps=floor["steps"],
            import_check_budget_seconds=round(2 * copy_seconds - floor["seconds"], 2),
        )

        say(f"re-import of the same {rows:,} rows (nothing changes; fresh worker)")
        r = measured_import(path, worker)
        say("  ", r)
        if r["updated"] or r["inserted"]:
            say(f"  note: the re-import changed the list: {r['inserted']} inserted, {r['updated']} updated")
        out.update(
            reimport_seconds=r["seconds"],
            reimport_rows_per_s=round(rows / r["seconds"]),
            reimport_vs_copy=round(copy_seconds / r["seconds"], 3),
            reimport_unchanged=r["unchanged"],
            reimport_peak_rss_mb=r["peak_rss_mb"],
        )
        for key in ("queue_seconds", "stage_seconds", "merge_seconds", "server_seconds"):
            if key in r:
                out[f"reimport_{key}"] = r[key]
    finally:
        worker.stop()
    return out
