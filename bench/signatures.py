"""Signature verification through a real Celery worker, and its accuracy on planted defects.

1. The voter list of the benchmark database is used as the import benchmark left it; if it holds fewer
   than ``voters_rows`` voters it is loaded the same way (``bench.imports``: the registry file imported
   through ``voter_import_start`` and a worker).
2. A parliamentary election (Uzbek preset, signing for competitors forbidden, a collection period)
   with a single-mandate constituency of half of the precincts, a party and a nomination are made.
   A rival nomination's sheet is verified first, so that the competitor check has something to find.
3. ``signatures_per_s``: a sheet of ``signatures`` rows drawn from the voters of the constituency is
   uploaded as a party representative would (``signatures_upload``, queued on commit) and verified by a
   freshly started worker; time runs from the upload call to the moment the upload is seen ``done``.
4. ``signature_verdict_accuracy``: a sheet with known planted defects of every reason code (and valid
   rows, a tenth of them written in Cyrillic) is verified the same way; the share of rows whose reason
   codes are exactly the planted ones.
"""

from __future__ import annotations

import csv
import random
import time
from datetime import date, timedelta

from bench.base import VAR, Worker, checkpoint, say

SEED = 2026_3
POLL = 0.05
PER_DEFECT = 100
TARGETS = {"signatures_per_s": (">=", 20_000), "signature_verdict_accuracy": (">=", 1.0)}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _ensure_voters(rows: int, worker: Worker) -> int:
    from voters.models import Voter

    have = Voter.objects.count()
    if have >= rows:
        return have
    from bench import imports
    from bench.base import voters_truncate

    say(f"the voter list holds {have:,} voters: importing {rows:,}")
    voters_truncate()
    imports.measured_import(imports.voter_file(rows), worker)
    return Voter.objects.count()


def _setup():
    from django.utils import timezone

    from accounts.models import User
    from candidates.models import Nomination, Party
    from elections.models import Constituency, Deadline, Election, Precinct
    from elections.rules import PRESETS
    from voters.models import Voter

    today = timezone.localdate()
    stamp = int(time.time())
    election = Election.objects.create(
        kind=Election.Kind.PARLIAMENTARY,
        election_day=today + timedelta(days=60),
        name_uz=f"Bench {stamp}",
        rules={**PRESETS["uz_parliament"], "forbid_signing_for_competitors": True, "signatures_required": 1000},
    )
    start, end = today - timedelta(days=400), today
    for key, day in (("signatures_start", start), ("signatures_end", end)):
        Deadline.objects.create(
            election=election, key=key, due=timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))
        )
    precincts = list(Precinct.objects.order_by("pk").values_list("pk", flat=True))
    inside = precincts[: len(precincts) // 2]
    constituency = Constituency.objects.create(election=election, number=1, name_uz="Bench okrug")
    constituency.precincts.set(inside)
    party = Party.objects.create(registration_number=f"B{stamp}", name_uz="Bench party")
    rival_party = Party.objects.create(registration_number=f"R{stamp}", name_uz="Rival party")
    old = _years_before(today, 40)
    cands = list(Voter.objects.filter(status="active", birth_date__lt=old).order_by("pk")[:2])
    cec = User.objects.get(username="cec")
    own = Nomination.objects.create(party=party, election=election, constituency=constituency, voter=cands[0], created_by=cec)
    rival = Nomination.objects.create(
        party=rival_party, election=election, constituency=constituency, voter=cands[1], created_by=cec
    )
    return {
        "election": election,
        "constituency": constituency,
        "inside": set(inside),
        "own": own,
        "rival": rival,
        "cec": cec,
        "today": today,
        "start": start,
        "end": end,
    }


def _write(path, rows):
    from candidates.signatures import COLUMNS

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([r.get(c, "") for c in COLUMNS])


def _row(v, signed: date, sheet: int, collector: int, **kw) -> dict:
    pinfl, surname, given, patronymic, born = v
    r = {
        "pinfl": pinfl,
        "surname": surname,
        "given_name": given,
        "patronymic": patronymic,
        "birth_date": born.isoformat(),
        "address": "Bench street 1",
        "date_signed": signed.isoformat(),
        "sheet_number": str(sheet),
        "collector": f"Collector {collector}",
        "online": "no",
    }
    r.update(kw)
    return r


def _voters(sql: str, params: list, limit: int) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            f"""SELECT pinfl, surname, given_name, patronymic, birth_date FROM voters_voter v
                         WHERE v.merged_into_id IS NULL AND {sql} ORDER BY md5(pinfl || %s) LIMIT %s""",  # noqa: S608
            [*params, str(SEED), limit],
        )
        return cur.fetchall()


def _measured(upload_path, nomination, actor, worker: Worker, timeout: float = 1800) -> tuple[float, object]:
    from django.core.files import File
    from django.db import transaction

    from candidates.models import SignatureSheetUpload
    from candidates.signatures import signatures_upload

    checkpoint()
    t0 = time.perf_counter()
    with upload_path.open("rb") as fh, transaction.atomic():
        upload = signatures_upload(actor=actor, nomination=nomination, uploaded_file=File(fh, name=upload_path.name))
    t_queued = time.perf_counter()
    deadline = t0 + timeout
    while True:
        status = SignatureSheetUpload.objects.filter(pk=upload.pk).values_list("status", flat=True).first()
        if status in ("done", "rejected"):
            break
        if not worker.alive():
            raise RuntimeError(f"the worker died during verification {upload.pk}; see {worker.log}")
        if time.perf_counter() > deadline:
            raise RuntimeError(f"verification {upload.pk} did not finish within {timeout} s")
        time.sleep(POLL)
    seconds = time.perf_counter() - t0
    upload.refresh_from_db()
    if upload.status != "done":
        raise RuntimeError(f"verification {upload.pk} ended {upload.status}: {upload.message}")
    upload.upload_seconds = t_queued - t0
    return seconds, upload


def run(voters_rows: int = 1_000_000, signatures: int = 100_000) -> dict:
    from django.db import connection

    from candidates.models import Signature
    from core.names import to_cyrillic
    from core.pinfl import make_pinfl

    out: dict = {"signatures_rows": signatures}
    worker = Worker()
    try:
        worker.start()
        out["signatures_voters"] = _ensure_voters(voters_rows, worker)
        if not worker.alive():
            worker.start()
        s = _setup()
        inside = list(s["inside"])
        today, start = s["today"], s["start"]
        signed = today - timedelta(days=30)
        adult = _years_before(signed, 19)
        rng = random.Random(SEED)

        # the rival's sheet, verified first: its signers are "competitors" in ours
        rival_signers = _voters("status = 'active' AND birth_date < %s AND precinct_id = ANY(%s)", [adult, inside], PER_DEFECT)
        rival_path = VAR / "signatures-rival.csv"
        _write(rival_path, [_row(v, signed, 1, 1) for v in rival_signers])
        _measured(rival_path, s["rival"], s["cec"], worker)
        rival_pinfls = {v[0] for v in rival_signers}

        # throughput: `signatures` rows from the constituency's voters
        pool = _voters(
            "status = 'active' AND birth_date < %s AND precinct_id = ANY(%s)", [adult, inside], signatures + 6 * PER_DEFECT + 5000
        )
        pool = [v for v in pool if v[0] not in rival_pinfls]
        big = pool[:signatures]
        path = VAR / f"signatures-{signatures}.csv"
        _write(path, [_row(v, signed, 1 + i // 20, 1 + i // 2000) for i, v in enumerate(big)])
        say(f"verifying {len(big):,} signatures against {out['signatures_voters']:,} voters (fresh worker)")
        worker.start()
        seconds, upload = _measured(path, s["own"], s["cec"], worker)
        out.update(
            signatures_seconds=round(seconds, 2),
            signatures_per_s=round(len(big) / seconds),
            signatures_upload_seconds=round(upload.upload_seconds, 2),
            signatures_server_seconds=round((upload.finished_at - upload.created_at).total_seconds(), 2),
            signatures_valid=upload.valid,
            signatures_invalid=upload.invalid,
        )
        say("  ", {k: v for k, v in out.items() if k.startswith("signatures_")})

        # accuracy: planted defects of every reason code
        rest = pool[signatures:] if len(pool) > signatures + 6 * PER_DEFECT else pool[: 6 * PER_DEFECT + 2000]
        valid_pool, rest = rest[:2000], rest[2000:]
        planted: list[tuple[dict, list[str]]] = []
        for i, v in enumerate(valid_pool):
            if i % 10 == 0:  # written in Cyrillic: still the same person
                r = _row(
                    v,
                    signed,
                    1 + i // 20,
                    1 + i // 200,
                    surname=to_cyrillic(v[1]),
                    given_name=to_cyrillic(v[2]),
                    patronymic=to_cyrillic(v[3]) if v[3] else "",
                )
            else:
                r = _row(v, signed, 1 + i // 20, 1 + i // 200)
            planted.append((r, []))
        take = iter(rest)
        # signed before the period opened by voters who were adults on that day too (a voter who was 17 then
        # would also be "under_18": every planted defect carries one reason code, whatever day the run is on)
        too_early = start - timedelta(days=10)
        used = {v[0] for v in pool} | rival_pinfls
        take_old = iter(
            [
                v
                for v in _voters(
                    "status = 'active' AND birth_date < %s AND precinct_id = ANY(%s)",
                    [_years_before(too_early, 19), inside],
                    PER_DEFECT + len(used),
                )
                if v[0] not in used
            ]
        )
        for _ in range(PER_DEFECT):
            v = next(take)
            bad = v[0][:-1] + str((int(v[0][-1]) + 1) % 10)
            planted.append((_row(v, signed, 900, 9, pinfl=bad), ["malformed"]))
            planted.append((_row(next(take), signed, 901, 9, surname="Boshqaboshqa"), ["data_mismatch"]))
            planted.append((_row(next(take_old), too_early, 902, 9), ["outside_period"]))
            dup = next(take)
            planted.append((_row(dup, signed, 903, 9), []))
            planted.append((_row(dup, signed, 904, 9), ["duplicate"]))
        for v in rival_signers:
            planted.append((_row(v, signed, 905, 9), ["competitor"]))
        unknown = set()
        while len(unknown) < PER_DEFECT:
            born = date(1960, 1, 1) + timedelta(days=rng.randrange(12000))
            unknown.add((make_pinfl(born, "M", rng.randrange(900, 999), rng.randrange(1, 999)), born))
        with connection.cursor() as cur:
            cur.execute("SELECT pinfl FROM voters_voter WHERE pinfl = ANY(%s)", [[p for p, _ in unknown]])
            known = {p for (p,) in cur.fetchall()}
        for p, born in unknown:
            if p not in known:
                planted.append((_row((p, "Nomalum", "Shaxs", "", born), signed, 906, 9), ["unknown_voter"]))
        for v in _voters("status <> 'active' AND birth_date < %s AND precinct_id = ANY(%s)", [adult, inside], PER_DEFECT):
            planted.append((_row(v, signed, 907, 9), ["not_active"]))
        young_from, young_to = _years_before(today, 18) - timedelta(days=300), _years_before(today, 18) - timedelta(days=40)
        for v in _voters(
            "status = 'active' AND birth_date BETWEEN %s AND %s AND precinct_id = ANY(%s)",
            [young_from, young_to, inside],
            PER_DEFECT,
        ):
            eighteen = date(v[4].year + 18, v[4].month, min(v[4].day, 28))
            planted.append((_row(v, eighteen - timedelta(days=5), 908, 9), ["under_18"]))
        for v in _voters("status = 'active' AND birth_date < %s AND NOT (precinct_id = ANY(%s))", [adult, inside], PER_DEFECT):
            planted.append((_row(v, signed, 909, 9), ["outside_constituency"]))
        rng.shuffle(planted)
        # a duplicate's first occurrence must come first: put every second one after the first
        seen: dict[str, int] = {}
        for i, (r, reasons) in enumerate(planted):
            if r["pinfl"] in seen and reasons == [] and planted[seen[r["pinfl"]]][1] == ["duplicate"]:
                j = seen[r["pinfl"]]
                planted[i], planted[j] = planted[j], planted[i]
            seen.setdefault(r["pinfl"], i)
        path = VAR / "signatures-planted.csv"
        _write(path, [r for r, _ in planted])
        worker.start()
        _seconds, upload = _measured(path, s["own"], s["cec"], worker)
        got = dict(Signature.objects.filter(upload=upload).values_list("row_no", "reasons"))
        right, wrong = 0, {}
        for i, (_r, expected) in enumerate(planted):
            found = got.get(i + 2)
            if found == expected:
                right += 1
            else:
                key = f"{'/'.join(expected) or 'valid'} -> {'/'.join(found or []) or 'valid'}"
                wrong[key] = wrong.get(key, 0) + 1
        codes = sorted({c for _, e in planted for c in e})
        out.update(
            signature_verdict_accuracy=round(right / len(planted), 4),
            signature_planted_rows=len(planted),
            signature_planted_codes=len(codes),
        )
        if wrong:
            out["signature_verdict_errors"] = wrong
        say("  accuracy", out["signature_verdict_accuracy"], "on", len(planted), "rows,", len(codes), "codes", wrong or "")
    finally:
        worker.stop()
    return out
