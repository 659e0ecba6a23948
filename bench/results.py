"""Election night: the national count entered through the API, the summaries, the public results page.

Runs in a child process on a database of its own (``esaylov_bench_results`` on the benchmark server, made by
``seed_demo --precincts 10700``, the national size), so that the other benchmarks keep their 1,000-precinct
country.  The child loads the voter list (``--rows``, as the lookup benchmark does), registers five party lists
in the demo election's national constituency, gives every precinct commission two members with API tokens,
and moves election day to yesterday.  Then, against gunicorn (``2 * cores + 1`` sync workers, ``DEBUG=0``):

- ``results_protocols_per_s``: every precinct's protocol is entered twice, blind, by its two members
  (``POST /api/v1/protocol-entries/``, 32 client threads, each precinct's two entries in order), every entry
  through the whole service (scope, the list count, control relations, comparison, audit); the rate is the
  protocols accepted per second of the whole run.  The run fails unless every protocol is accepted and the
  stored national sum equals the sum of the figures sent;
- ``results_aggregate_seconds``: the national contest's summary at every level (the country, each region,
  each district) computed after the last protocol (``results.selectors.summary``), best of three;
- ``results_page_vs_baseline``: with every protocol published, wrk on the public national results page
  (``/public/elections/<id>/results/``) against the minimal JSON view (``/api/v1/public/ping/``), alternated
  over three rounds; then the page in open loop at 1,000 requests/s for p50 and p99.

``python -m bench --only results`` (``--quick``: 1,070 precincts' protocols of the national country, shorter
load runs).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import subprocess
import sys
import threading
import time
import urllib.request
from http.client import HTTPConnection
from urllib.parse import urlsplit

from bench.base import ROOT, checkpoint, free_port, say, stop_process

PRECINCTS = 10_700
ENTRY = "/api/v1/protocol-entries/"
PING = "/api/v1/public/ping/"
DB_NAME = "esaylov_bench_results"
BENCH_ELECTION = "E-saylov benchmark: the national count"
THREADS = 32
RESULT_PREFIX = "BENCH-RESULTS-JSON "


# --------------------------------------------------------------------------- the parent: a child process


def run(*, rows: int = 1_000_000, quick: bool = False, workers: int | None = None) -> dict:
    """Run the benchmark in a child process on its own database; return its figures."""
    url = urlsplit(os.environ["DATABASE_URL"])
    env = {**os.environ, "BENCH_DATABASE_URL": url._replace(path=f"/{DB_NAME}").geturl()}
    cmd = [sys.executable, "-m", "bench.results", "--rows", str(rows)]
    if quick:
        cmd.append("--quick")
    if workers:
        cmd += ["--gunicorn-workers", str(workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    out = None
    for line in proc.stdout:
        if line.startswith(RESULT_PREFIX):
            out = json.loads(line[len(RESULT_PREFIX) :])
        else:
            print(line, end="", flush=True)
    if proc.wait() != 0 or out is None:
        raise RuntimeError(f"the results benchmark's child process failed ({proc.returncode})")
    return out


# --------------------------------------------------------------------------- the child: set-up


def _contest():
    """An election of the benchmark's own, held yesterday, whose national constituency spans every precinct, with
    five registered party lists (the demo election and its calendar stay as they are for the other seeders)."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from candidates.models import Nomination, Party
    from elections.models import Constituency, Election, Precinct
    from elections.rules import PRESETS
    from voters.models import Voter

    election, _created = Election.objects.get_or_create(
        name_uz=BENCH_ELECTION,
        defaults={
            "name_en": BENCH_ELECTION,
            "kind": Election.Kind.PARLIAMENTARY,
            "election_day": timezone.localdate() - timedelta(days=1),
            "rules": dict(PRESETS["uz_parliament"]),
        },
    )
    election.election_day = timezone.localdate() - timedelta(days=1)
    election.save(update_fields=["election_day"])
    national, _created = Constituency.objects.get_or_create(
        election=election, number=0, defaults={"kind": Constituency.Kind.NATIONAL, "seats": 75, "name_uz": BENCH_ELECTION}
    )
    through = Constituency.precincts.through
    have = set(through.objects.filter(constituency_id=national.pk).values_list("precinct_id", flat=True))
    through.objects.bulk_create(
        [
            through(constituency_id=national.pk, precinct_id=pk)
            for pk in Precinct.objects.values_list("pk", flat=True)
            if pk not in have
        ],
        batch_size=5000,
    )
    parties = list(Party.objects.order_by("registration_number")[:5])
    if len(parties) < 5:
        raise RuntimeError("seed_demo made fewer than five parties")
    if not Nomination.objects.filter(constituency=national, status="approved").exists():
        voters = list(Voter.objects.listed().order_by("pk")[: 5 * 3])
        Nomination.objects.bulk_create(
            [
                Nomination(
                    election=election,
                    party=party,
                    constituency=national,
                    voter=voters[i * 3 + position - 1],
                    list_position=position,
                    status="approved",
                )
                for i, party in enumerate(parties)
                for position in (1, 2, 3)
            ]
        )
    with connection.cursor() as cur:  # a clean count: the results of the previous run go
        cur.execute(
            "TRUNCATE results_protocolentry, results_protocolcorrection, results_protocolscan, results_protocolversion, "
            "results_protocol, results_seatcalculation, results_observerprotocolcopy CASCADE"
        )
    return election, national, parties


def _members(national) -> dict[int, tuple[str, str]]:
    """Two members (with API tokens) of each precinct commission of the contest: precinct id -> (token, token)."""
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from accounts.roles import Role
    from elections.models import Commission, CommissionMember

    commissions = dict(
        Commission.objects.filter(level="precinct", precinct__in=national.precincts.all()).values_list("precinct_id", "pk")
    )
    names = [f"bench-m{k}-{pid}" for pid in commissions for k in (1, 2)]
    have = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    new = [User(username=n, role=Role.COMMISSION_STAFF, password="!") for n in names if n not in have]  # noqa: S106 - unusable
    User.objects.bulk_create(new, batch_size=5000)
    users = dict(User.objects.filter(username__in=names).values_list("username", "pk"))
    members = set(CommissionMember.objects.filter(user_id__in=users.values()).values_list("user_id", flat=True))
    CommissionMember.objects.bulk_create(
        [
            CommissionMember(commission_id=commissions[int(name.rsplit("-", 1)[1])], user_id=pk)
            for name, pk in users.items()
            if pk not in members
        ],
        batch_size=5000,
    )
    tokens = set(Token.objects.filter(user_id__in=users.values()).values_list("user_id", flat=True))
    Token.objects.bulk_create(
        [Token(user_id=pk, key=Token.generate_key()) for pk in users.values() if pk not in tokens], batch_size=5000
    )
    keys = dict(Token.objects.filter(user_id__in=users.values()).values_list("user_id", "key"))
    return {pid: (keys[users[f"bench-m1-{pid}"]], keys[users[f"bench-m2-{pid}"]]) for pid in commissions}


def _figures(on_list: int, parties: list, rng: random.Random) -> dict[str, int]:
    """A protocol that keeps every control relation, for a precinct of ``on_list`` voters."""
    station = round(on_list * rng.uniform(0.55, 0.8))
    early, home = rng.randint(0, on_list - station) if on_list > station else 0, 0
    if on_list - station - early > 0:
        home = rng.randint(0, min(3, on_list - station - early))
    issued = station + early + home
    received = on_list + rng.randint(0, 10)
    found = issued - rng.randint(0, min(2, issued))
    invalid = rng.randint(0, found // 40) if found else 0
    valid = found - invalid
    cuts = sorted(rng.randint(0, valid) for _ in parties[1:])
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, valid], strict=True)]
    figures = {
        "voters_added": 0,
        "ballots_received": received,
        "issued_station": station,
        "issued_early": early,
        "issued_home": home,
        "cancelled_unused": received - issued,
        "ballots_lost": 0,
        "found_in_boxes": found,
        "invalid": invalid,
        "valid": valid,
    }
    figures.update({f"votes:p{party.pk}": n for party, n in zip(parties, shares, strict=True)})
    return figures


# --------------------------------------------------------------------------- the child: measurements


def _enter_all(port: int, jobs: list[tuple[int, tuple[str, str], bytes]]) -> dict:
    """Each precinct's two entries in order, over ``THREADS`` client threads; outcomes counted."""
    work: queue.Queue = queue.Queue()
    for job in jobs:
        work.put(job)
    counts: dict[str, int] = {}
    lock = threading.Lock()

    def post(token: str, body: bytes) -> str:
        conn = HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(
                "POST", ENTRY, body=body, headers={"Authorization": f"Token {token}", "Content-Type": "application/json"}
            )
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        if resp.status != 201:
            return f"http_{resp.status}:{data[:200].decode(errors='replace')}"
        return json.loads(data)["outcome"]

    def worker() -> None:
        while True:
            try:
                _pid, (first, second), body = work.get_nowait()
            except queue.Empty:
                return
            outcomes = (post(first, body), post(second, body))
            with lock:
                for outcome in outcomes:
                    counts[outcome] = counts.get(outcome, 0) + 1

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    t = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"seconds": time.perf_counter() - t, "outcomes": counts}


def _aggregate(national) -> tuple[float, int]:
    """Seconds for the summary protocols of every level (best of three) and how many areas they cover."""
    from results.selectors import summary_tree

    best, tree = None, None
    for _ in range(3):
        t = time.perf_counter()
        tree = summary_tree(national)
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
    return best, 1 + len(tree.regions) + len(tree.districts)


def _publish_all(election) -> None:
    """Every accepted protocol published at once (the workflow's own speed is not this benchmark's)."""
    from django.db import transaction
    from django.utils import timezone

    from results.models import Protocol, ProtocolState
    from results.services import results_changed

    with transaction.atomic():
        Protocol.objects.filter(election=election, current__isnull=False).update(
            status=ProtocolState.PUBLISHED, status_changed_at=timezone.now()
        )
        results_changed(election.pk)


def child(rows: int, quick: bool, workers: int | None) -> dict:
    from bench.base import configure_environment, django_setup

    configure_environment()
    django_setup(precincts=PRECINCTS)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count

    from bench.lookup import ensure_voters, ensure_wrk, openloop, start_gunicorn, wrk
    from results import selectors
    from voters.models import Voter

    listed = ensure_voters(rows)
    election, national, parties = _contest()
    tokens = _members(national)
    precinct_ids = sorted(tokens)
    if quick:
        precinct_ids = precinct_ids[:: max(1, len(precinct_ids) // 1070)][:1070]
    on_list = dict(
        Voter.objects.listed()
        .filter(precinct_id__in=precinct_ids)
        .values("precinct_id")
        .annotate(n=Count("pk"))
        .values_list("precinct_id", "n")
    )  # what the service prefills (results.selectors.listed_on_precinct), counted once here
    rng = random.Random(2026_12)
    sent: dict[str, int] = {}
    jobs = []
    for pid in precinct_ids:
        figures = _figures(on_list.get(pid, 0), parties, rng)
        for key, value in figures.items():
            sent[key] = sent.get(key, 0) + value
        sent["voters_on_list"] = sent.get("voters_on_list", 0) + on_list.get(pid, 0)
        body = json.dumps({"constituency": national.pk, "precinct": pid, "figures": figures}).encode()
        jobs.append((pid, tokens[pid], body))
    out: dict = {
        "results_precincts": len(precinct_ids),
        "results_voters": listed,
        "results_parties": len(parties),
    }
    call_command("collectstatic", "--noinput", verbosity=0)  # the pages' assets, as in production (DEBUG=0)
    workers = workers or 2 * (os.cpu_count() or 1) + 1
    out["results_gunicorn_workers"] = workers
    with connection.cursor() as cur:  # fresh statistics for the list and the members, users and tokens just made
        cur.execute("VACUUM (ANALYZE) voters_voter")
        cur.execute("ANALYZE")
    checkpoint()
    port = free_port()
    say(f"gunicorn with {workers} workers on 127.0.0.1:{port}; {len(jobs):,} protocols, two entries each")
    proc = start_gunicorn(port, workers)
    try:
        entered = _enter_all(port, jobs)
        outcomes = entered["outcomes"]
        accepted = outcomes.get("matched", 0)
        say(f"entered in {entered['seconds']:.1f} s: {outcomes}")
        if accepted != len(jobs) or outcomes.get("waiting", 0) != len(jobs):
            raise RuntimeError(f"not every protocol was accepted: {outcomes}")
        total = selectors.summary(national)
        if total.accepted != len(jobs) or any(total.figures.get(k, 0) != v for k, v in sent.items()):
            raise RuntimeError("the national sum differs from the figures sent")
        out.update(
            results_protocols_per_s=round(accepted / entered["seconds"], 1),
            results_entries_per_s=round(2 * accepted / entered["seconds"], 1),
            results_entry_seconds=round(entered["seconds"], 1),
        )
        seconds, levels = _aggregate(national)
        out.update(results_aggregate_seconds=round(seconds, 3), results_aggregate_summaries=levels)
        say(f"summaries of {levels} areas (every level) in {seconds:.3f} s")

        _publish_all(election)
        wrk_bin = ensure_wrk()
        if not wrk_bin:
            say("wrk is not installed and cannot be installed: the public page's load runs skipped")
            out["results_page_skipped"] = "wrk missing"
            return out
        page = f"/public/elections/{election.pk}/results/"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{page}", timeout=30) as resp:  # noqa: S310 - loopback
            text = resp.read().decode()
        if f"{len(jobs):,}".replace(",", "") not in text.replace("\u00a0", "").replace(" ", "").replace(",", ""):
            raise RuntimeError("the public results page does not show the published protocols")
        seconds_each, rounds = (5, 1) if quick else (15, 3)
        base_url, page_url = f"http://127.0.0.1:{port}{PING}", f"http://127.0.0.1:{port}{page}"
        wrk(wrk_bin, base_url, 3)
        wrk(wrk_bin, page_url, 3)
        base_runs, page_runs = [], []
        for i in range(rounds):
            base_runs.append(wrk(wrk_bin, base_url, seconds_each))
            page_runs.append(wrk(wrk_bin, page_url, seconds_each))
            say(f"round {i + 1}: ping {base_runs[-1]['rps']:.0f} req/s, results page {page_runs[-1]['rps']:.0f} req/s")
        baseline = sum(r["rps"] for r in base_runs) / rounds
        page_rps = sum(r["rps"] for r in page_runs) / rounds
        out.update(
            results_baseline_rps=round(baseline),
            results_page_rps=round(page_rps),
            results_page_vs_baseline=round(page_rps / baseline, 3),
            results_page_errors=sum(r["non_2xx"] + r["socket_errors"] for r in page_runs),
        )
        rate, rate_seconds = 1000, (5 if quick else 20)
        say(f"open loop: the results page at {rate} req/s for {rate_seconds} s")
        fixed = openloop(port, page, rate, rate_seconds)
        say("  ", fixed)
        out.update(
            results_page_p50_ms=fixed["p50_ms"],
            results_page_p99_ms=fixed["p99_ms"],
            results_page_fixed_rate=rate,
            results_page_fixed_achieved_rps=fixed["achieved_rps"],
            results_page_fixed_errors=sum(fixed["errors"].values()),
        )
    finally:
        stop_process(proc)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.results")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--gunicorn-workers", type=int, default=None)
    args = parser.parse_args(argv)
    os.chdir(ROOT)
    out = child(100_000 if args.quick else args.rows, args.quick, args.gunicorn_workers)
    print(RESULT_PREFIX + json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
