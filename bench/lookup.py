"""The public lookup under load on loopback, against a minimal JSON view on the same server.

With the list holding ``rows`` voters, a sample of (PINFL, birth date) pairs is drawn from it
(active voters, who are found, and others, who are not, in the list's proportions).  gunicorn
(the production server, ``2 * cores + 1`` sync workers, ``DEBUG=0``, rate limits lifted) serves
the app, after a ``VACUUM (ANALYZE)`` of the list so that autovacuum does not run during the
measurement; then:

- throughput: wrk, closed loop (``-t2 -c32``), ``GET /api/v1/public/ping/`` (the baseline) and
  ``POST /api/v1/public/lookup/`` cycling through the sample (``bench/lookup.lua``, every request
  formatted once before the run), alternated over three rounds after a warm-up;
  ``lookup_vs_baseline`` is the ratio of the mean rates;
- latency at a fixed load: ``bench.openloop`` sends lookups at a constant 500 requests/s for 20 s
  (open loop: latency from each request's due time) and reports p50 and p99; then, for context,
  at half the closed-loop maximum (a load the server can carry), and pings at 500 requests/s.

The load generators share the machine's cores with the server, as they would on any one-box run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.base import ROOT, VAR, checkpoint, child_env, free_port, say, stop_process, voters_truncate

SAMPLE_SIZE = 20_000
LUA = Path(__file__).resolve().parent / "lookup.lua"
PING = "/api/v1/public/ping/"
LOOKUP = "/api/v1/public/lookup/"


def ensure_wrk() -> str | None:
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    say("installing wrk (Debian package)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "install", "-y", "-qq", "wrk"],
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "wrk"],
    ):
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600, check=False)
        if shutil.which("wrk"):
            break
    return shutil.which("wrk")


def ensure_voters(rows: int) -> int:
    """The list holds the benchmark's ``rows`` voters (imported in process if it does not)."""
    from django.core.files import File
    from django.db import connection, transaction

    from bench import imports
    from voters import services
    from voters.models import ImportJob, Voter

    count = Voter.objects.count()
    if count >= rows:
        return count
    path = imports.voter_file(rows)
    say(f"the list holds {count:,} voters: loading {rows:,} from {path.name}")
    voters_truncate()
    with transaction.atomic(), path.open("rb") as fh:
        job = ImportJob(original_name=f"bench-{path.name}", size=path.stat().st_size, encoding="auto", total_estimate=rows)
        job.file.save(path.name, File(fh), save=False)
        job.save()
    job = services.voter_import_run(job_id=job.pk)
    job.file.delete(save=False)
    if job.status != ImportJob.Status.DONE:
        raise RuntimeError(f"loading the list failed: {job.status} {job.message}")
    with connection.cursor() as cur:
        cur.execute("ANALYZE voters_voter")
    return Voter.objects.count()


def quiesce() -> None:
    """VACUUM (ANALYZE) the freshly loaded list, so that autovacuum does not do it during the measurement.

    (It also sets the hint bits a first reading of each new row would otherwise write.)"""
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM (ANALYZE) voters_voter")
    say(f"VACUUM (ANALYZE) of the list: {time.perf_counter() - t:.1f} s")


def write_sample(path: Path, n: int = SAMPLE_SIZE) -> dict:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT setseed(0.2026)")
        cur.execute(
            """
            SELECT pinfl, birth_date, (status = 'active' AND merged_into_id IS NULL AND precinct_id IS NOT NULL)
              FROM voters_voter ORDER BY random() LIMIT %s""",
            [n],
        )
        rows = cur.fetchall()
    with path.open("w", encoding="utf-8") as fh:
        for pinfl, born, _found in rows:
            fh.write(f"{pinfl},{born:%Y-%m-%d}\n")
    return {"pairs": len(rows), "found_share": round(sum(1 for r in rows if r[2]) / max(1, len(rows)), 3)}


def _gunicorn_cmd() -> list[str]:
    exe = Path(sys.executable).parent / "gunicorn"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "gunicorn"]


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    log = VAR / "gunicorn.log"
    cmd = [
        *_gunicorn_cmd(),
        "esaylov.wsgi:application",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    if Path("/dev/shm").is_dir():
        cmd += ["--worker-tmp-dir", "/dev/shm"]
    proc = subprocess.Popen(cmd, env=child_env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({proc.returncode}); see {log}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{PING}", timeout=2) as resp:  # noqa: S310
                if resp.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    stop_process(proc)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")


def _check_lookup(port: int) -> None:
    """One lookup of a voter who is in the list answers found (or the benchmark measures errors)."""
    import json

    from voters.models import Voter

    voter = Voter.objects.filter(status="active", merged_into__isnull=True, precinct__isnull=False).first()
    if voter is None:
        raise RuntimeError("the list has no active voter with a precinct to look up")
    body = json.dumps({"pinfl": voter.pinfl, "birth_date": f"{voter.birth_date:%Y-%m-%d}"}).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{LOOKUP}",
        data=body,  # noqa: S310
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
        answer = json.loads(resp.read())
    if not answer.get("found"):
        raise RuntimeError(f"the lookup of an active voter answered {answer}")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(value) * _UNITS[unit], 3)


def wrk(
    wrk_bin: str, url: str, seconds: int, *, script: Path | None = None, args=(), threads: int = 2, connections: int = 32
) -> dict:
    cmd = [wrk_bin, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency"]
    if script:
        cmd += ["-s", str(script)]
    cmd.append(url)
    if args:
        cmd += ["--", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    for q in ("50", "99"):
        m = re.search(rf"^\s+{q}(?:\.000)?%\s+(\S+)", out, re.M)
        if m:
            result[f"p{q}_ms"] = _ms(m.group(1))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    result["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    m = re.search(r"(\d+) requests in", out)
    result["requests"] = int(m.group(1)) if m else 0
    return result


def openloop(port: int, path: str, rate: float, seconds: float, sample: Path | None = None) -> dict:
    import json

    cmd = [
        sys.executable,
        "-m",
        "bench.openloop",
        "--port",
        str(port),
        "--path",
        path,
        "--rate",
        str(rate),
        "--duration",
        str(seconds),
    ]
    if sample:
        cmd += ["--sample", str(sample)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 120, check=True, cwd=ROOT).stdout
    return json.loads(out)


def run(
    rows: int, *, workers: int | None = None, seconds: int = 15, rounds: int = 3, rate: float = 500, rate_seconds: float = 20
) -> dict:
    wrk_bin = ensure_wrk()
    if not wrk_bin:
        say("wrk is not installed and cannot be installed: lookup benchmark skipped")
        return {"lookup_skipped": "wrk missing"}
    listed = ensure_voters(rows)
    quiesce()
    sample = VAR / "lookup-sample.csv"
    info = write_sample(sample)
    workers = workers or 2 * (os.cpu_count() or 1) + 1
    out: dict = {
        "lookup_voters": listed,
        "lookup_sample_pairs": info["pairs"],
        "lookup_sample_found_share": info["found_share"],
        "lookup_gunicorn_workers": workers,
    }
    checkpoint()
    port = free_port()
    say(f"gunicorn with {workers} workers on 127.0.0.1:{port}")
    proc = start_gunicorn(port, workers)
    try:
        _check_lookup(port)
        base_url, lookup_url = f"http://127.0.0.1:{port}{PING}", f"http://127.0.0.1:{port}{LOOKUP}"
        lookup_args = {"script": LUA, "args": [str(sample)]}
        wrk(wrk_bin, base_url, 3)  # warm-up: every worker connected, code paths loaded
        wrk(wrk_bin, lookup_url, 3, **lookup_args)
        base_runs, lookup_runs = [], []
        for i in range(rounds):
            base_runs.append(wrk(wrk_bin, base_url, seconds))
            lookup_runs.append(wrk(wrk_bin, lookup_url, seconds, **lookup_args))
            say(f"round {i + 1}: ping {base_runs[-1]['rps']:.0f} req/s, lookup {lookup_runs[-1]['rps']:.0f} req/s")
        for name, runs in (("baseline", base_runs), ("lookup", lookup_runs)):
            bad = sum(r["non_2xx"] + r["socket_errors"] for r in runs)
            if bad:
                say(f"  note: {bad} {name} answers were errors (non-2xx or socket errors)")
            out[f"{name}_errors"] = bad
        baseline_rps = sum(r["rps"] for r in base_runs) / rounds
        lookup_rps = sum(r["rps"] for r in lookup_runs) / rounds
        out.update(
            baseline_rps=round(baseline_rps),
            lookup_rps=round(lookup_rps),
            lookup_vs_baseline=round(lookup_rps / baseline_rps, 3),
            baseline_rps_runs=[round(r["rps"]) for r in base_runs],
            lookup_rps_runs=[round(r["rps"]) for r in lookup_runs],
            lookup_closed_p50_ms=lookup_runs[-1].get("p50_ms"),
            lookup_closed_p99_ms=lookup_runs[-1].get("p99_ms"),
        )

        say(f"open loop: lookups at {rate:g} req/s for {rate_seconds:g} s")
        fixed = openloop(port, LOOKUP, rate, rate_seconds, sample)
        say("  ", fixed)
        out.update(
            lookup_p50_ms=fixed["p50_ms"],
            lookup_p99_ms=fixed["p99_ms"],
            lookup_p999_ms=fixed["p999_ms"],
            lookup_max_ms=fixed["max_ms"],
            lookup_fixed_rate=rate,
            lookup_fixed_achieved_rps=fixed["achieved_rps"],
            lookup_fixed_errors=sum(fixed["errors"].values()),
        )
        half = max(10, round(lookup_rps / 2))
        say(f"open loop: lookups at {half} req/s (half the closed-loop maximum) for {rate_seconds / 2:g} s")
        fixed = openloop(port, LOOKUP, half, rate_seconds / 2, sample)
        say("  ", fixed)
        out.update(lookup_half_rate=half, lookup_half_p50_ms=fixed["p50_ms"], lookup_half_p99_ms=fixed["p99_ms"])
        say(f"open loop: ping at {rate:g} req/s for {rate_seconds:g} s")
        fixed = openloop(port, PING, rate, rate_seconds)
        out.update(baseline_p50_ms=fixed["p50_ms"], baseline_p99_ms=fixed["p99_ms"])
    finally:
        stop_process(proc)
    return out
