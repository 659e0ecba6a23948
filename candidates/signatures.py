"""Signature sheets: upload, verification against the voter list, and the decision under the election's rules.

``signatures_upload`` checks the whole file before anything is stored (header, encoding, size, formula
cells) and queues ``signatures_verify`` on commit.  Verification parses the rows once in Python (name keys
through the shared normaliser), ``COPY``s them into a temporary staging table and gives every signature its
verdict in one set-based ``INSERT ... SELECT`` joining the voter list on PINFL.

Each upload is the nomination's complete set of signatures (a corrected file replaces an earlier one):
"signed twice" is counted inside the upload, "signed for a competitor" against the latest verified upload
of every other nomination of the same election.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import tempfile
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidates import tasks  # the module, not its names: tasks import services
from candidates.models import Nomination, Signature, SignatureCheck, SignatureReason, SignatureSheetUpload
from candidates.selectors import acts_for_party
from core.files import pdf_check
from core.names import normalize_name, normalize_patronymic
from core.pinfl import PinflError, parse_pinfl
from core.services import audit_record
from core.tabular import ColumnLayout, FileRejected, open_registry_file, registry_date
from core.text import TEXT_BAD, formula_value, is_name

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.db.backends.utils import CursorWrapper
    from django.http import HttpRequest

    from accounts.models import User
    from elections.models import Election

REQUIRED = ("pinfl", "surname", "given_name", "birth_date", "date_signed", "sheet_number", "collector")
OPTIONAL = ("patronymic", "address", "online")
COLUMNS = (
    "pinfl",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "address",
    "date_signed",
    "sheet_number",
    "collector",
    "online",
)
LAYOUT = ColumnLayout(COLUMNS, REQUIRED)
REASONS = tuple(SignatureReason.values)
DEFAULT_MAX_BYTES = 50 * 2**20
ONLINE = {
    "": False,
    "0": False,
    "no": False,
    "n": False,
    "false": False,
    "yoʻq": False,
    "yo'q": False,
    "нет": False,
    "1": True,
    "yes": True,
    "y": True,
    "true": True,
    "ha": True,
    "да": True,
}
_LOCK = 0x5167  # advisory lock namespace of verifications


def max_bytes() -> int:
    return getattr(settings, "SIGNATURE_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


# --------------------------------------------------------------------------- reading


def open_signature_file(path: str) -> tuple[list[str], Iterator[list[str]]]:
    """The header and the data rows of a signature file: the portal's one reader with the signature layout."""
    opened = open_registry_file(path, layout=LAYOUT)
    return opened.header, opened.rows


def check_file(path: str) -> int:
    """Read the whole file once: raise ``FileRejected`` for a file we refuse; return the number of rows."""
    header, rows = open_signature_file(path)
    count = 0
    for row_no, row in enumerate(rows, start=2):
        value = formula_value(row)
        if value is not None:
            raise FileRejected(
                "formula",
                _(
                    "Row %(row)s holds a spreadsheet formula or a value starting with "
                    "= + - @ (%(value)s). Remove formulas and upload the file again."
                )
                % {"row": row_no, "value": value[:40]},
            )
        if any(c.strip() for c in row):
            count += 1
    if count == 0:
        raise FileRejected("empty", _("The file has a header but no data rows."))
    return count


def _name_ok(value: str, required: bool) -> bool:
    """The one name rule (``core.text``), as for the voter list the row is checked against."""
    return is_name(value, required)


def parse_row(row: list[str], getter_idx: list[int], width: int, row_no: int, today: date) -> tuple | None:
    """A staging tuple for one row (malformed rows are kept, flagged), or None for a blank line."""
    if not any(c.strip() for c in row):
        return None
    cells = [row[i].strip() if 0 <= i < len(row) else "" for i in getter_idx]
    pinfl, surname, given, patronymic, raw_born, address, raw_signed, sheet, collector, raw_online = cells
    malformed = len(row) != width
    born, signed = registry_date(raw_born), registry_date(raw_signed)
    online = ONLINE.get(raw_online.lower())
    try:
        parse_pinfl(pinfl, latest_birth=today)
    except PinflError:
        malformed = True
    if (
        born is None
        or signed is None
        or online is None
        or not _name_ok(surname, True)
        or not _name_ok(given, True)
        or not _name_ok(patronymic, False)
        or len(address) > 300
        or len(sheet) > 20
        or len(collector) > 200
        or TEXT_BAD.search(address + sheet + collector)
    ):
        malformed = True
    if malformed:
        return (
            row_no,
            pinfl[:14],
            surname[:100],
            given[:100],
            patronymic[:100],
            "",
            "",
            "",
            born,
            address[:300],
            signed,
            sheet[:20],
            collector[:200],
            bool(online),
            True,
        )
    return (
        row_no,
        pinfl,
        surname,
        given,
        patronymic,
        normalize_name(surname),
        normalize_name(given),
        normalize_patronymic(patronymic) if patronymic else "",
        born,
        address,
        signed,
        sheet,
        collector,
        online,
        False,
    )


# --------------------------------------------------------------------------- upload


def signatures_upload(
    *,
    actor: User,
    nomination: Nomination,
    uploaded_file: UploadedFile,
    scans: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> SignatureSheetUpload:
    """Check a signature file completely, store it with its scans and queue the verification on commit."""
    if not acts_for_party(actor, nomination.party):
        raise PermissionDenied
    # only while the nomination is open: a decision weighed the upload that was latest then, and a later one
    # would replace it (and count in competitors' checks) after the fact
    if not nomination.is_open:
        raise ValidationError(
            _("Signatures cannot be uploaded: the nomination is %(state)s.") % {"state": nomination.get_status_display()},
            code="closed",
        )
    limit = max_bytes()
    if uploaded_file.size > limit:
        raise ValidationError(
            _("The file %(name)s is larger than %(mb)s MB.")
            % {"name": os.path.basename(uploaded_file.name), "mb": round(limit / 2**20, 1)},
            code="too_large",
        )
    if uploaded_file.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if scans is not None:
        pdf_check(scans, limit=limit, field="scans")  # its size and its content
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(suffix=".dat") as tmp:
        for chunk in uploaded_file.chunks():
            tmp.write(chunk)
            digest.update(chunk)
        tmp.flush()
        uploaded_file.seek(0)
        try:
            rows = check_file(tmp.name)
        except FileRejected as exc:
            raise ValidationError(exc.message, code=exc.code)
    with transaction.atomic():
        upload = SignatureSheetUpload(
            nomination=nomination, uploaded_by=actor, original_name=os.path.basename(uploaded_file.name)[:255], total=rows
        )
        upload.file.save(
            f"{nomination.pk}-{timezone.now():%Y%m%d%H%M%S}-{digest.hexdigest()[:12]}.dat", uploaded_file, save=False
        )
        if scans is not None:
            upload.scans.save(f"{nomination.pk}-{digest.hexdigest()[:12]}.pdf", scans, save=False)
        upload.save()
        audit_record(
            actor=actor,
            action="candidates.signatures.upload",
            obj=nomination,
            request=request,
            after={"upload": upload.pk, "sha256": digest.hexdigest(), "rows": rows, "seed": upload.seed, "scans": bool(scans)},
        )
        transaction.on_commit(lambda: _enqueue(upload.pk))
    return upload


def _enqueue(upload_id: int) -> None:
    tasks.signatures_verify_task.delay(upload_id)


# --------------------------------------------------------------------------- verification

_STAGE_COLUMNS = (
    "row_no",
    "pinfl",
    "surname",
    "given_name",
    "patronymic",
    "surname_key",
    "given_key",
    "patronymic_key",
    "birth_date",
    "address",
    "date_signed",
    "sheet_number",
    "collector",
    "online",
    "malformed",
)

_VERDICT_SQL = """
INSERT INTO candidates_signature (upload_id, row_no, pinfl, surname, given_name, patronymic, surname_key, given_key,
    patronymic_key, birth_date, address, date_signed, sheet_number, collector, online, voter_id, valid, reasons)
SELECT %(upload)s, r.row_no, r.pinfl, r.surname, r.given_name, r.patronymic, r.surname_key, r.given_key,
       r.patronymic_key, r.birth_date, r.address, r.date_signed, r.sheet_number, r.collector, r.online, r.vid,
       cardinality(r.reasons) = 0, r.reasons
FROM (
    SELECT t.*, v.id AS vid, array_remove(ARRAY[
        CASE WHEN t.malformed THEN 'malformed' END,
        CASE WHEN NOT t.malformed AND v.id IS NULL THEN 'unknown_voter' END,
        CASE WHEN v.id IS NOT NULL AND (v.surname_key <> t.surname_key OR v.given_key <> t.given_key
                  OR (t.patronymic_key <> '' AND v.patronymic_key <> '' AND v.patronymic_key <> t.patronymic_key)
                  OR v.birth_date <> t.birth_date) THEN 'data_mismatch' END,
        CASE WHEN v.id IS NOT NULL AND (v.status <> 'active' OR v.merged_into_id IS NOT NULL)
             THEN 'not_active' END,
        CASE WHEN v.id IS NOT NULL AND t.date_signed < v.birth_date + make_interval(years => %(min_age)s)
             THEN 'under_18' END,
        CASE WHEN NOT t.malformed AND (t.date_signed < %(start)s::date OR t.date_signed > %(end)s::date)
             THEN 'outside_period' END,
        CASE WHEN NOT t.malformed AND row_number() OVER (PARTITION BY t.malformed, t.pinfl ORDER BY t.row_no) > 1
             THEN 'duplicate' END,
        CASE WHEN %(competitors)s AND NOT t.malformed AND EXISTS (
                SELECT 1 FROM candidates_signature o
                 WHERE o.pinfl = t.pinfl AND o.upload_id = ANY(%(others)s) AND NOT ('malformed' = ANY(o.reasons)))
             THEN 'competitor' END,
        CASE WHEN %(check_area)s AND v.id IS NOT NULL AND cp.id IS NULL THEN 'outside_constituency' END
    ]::varchar[], NULL) AS reasons
    FROM sig_stage t
    LEFT JOIN voters_voter v ON v.pinfl = t.pinfl AND NOT t.malformed
    LEFT JOIN elections_constituency_precincts cp ON cp.constituency_id = %(constituency)s
                                                 AND cp.precinct_id = v.precinct_id
) r
"""


def _other_uploads(nomination: Nomination) -> list[int]:
    """The latest verified upload of every other nomination of the same election."""
    latest = (
        SignatureSheetUpload.objects.filter(
            nomination__election_id=nomination.election_id, status=SignatureSheetUpload.Status.DONE
        )
        .exclude(nomination=nomination)
        .order_by("nomination_id", "-created_at", "-id")
        .distinct("nomination_id")
        .values_list("id", flat=True)
    )
    return list(latest)


def _stage(upload: SignatureSheetUpload, cur: CursorWrapper) -> int:
    header, rows = open_signature_file(upload.file.path)
    idx = [header.index(c) if c in header else -1 for c in COLUMNS]
    width = len(header)
    today = timezone.localdate()
    cur.execute("DROP TABLE IF EXISTS sig_stage")
    cur.execute("""CREATE TEMP TABLE sig_stage (
        row_no integer, pinfl varchar(14), surname varchar(100), given_name varchar(100), patronymic varchar(100),
        surname_key varchar(100), given_key varchar(100), patronymic_key varchar(100), birth_date date,
        address varchar(300), date_signed date, sheet_number varchar(20), collector varchar(200), online boolean,
        malformed boolean) ON COMMIT DROP""")
    n = 0
    with cur.copy(f"COPY sig_stage ({', '.join(_STAGE_COLUMNS)}) FROM STDIN") as copy:
        for row_no, row in enumerate(rows, start=2):
            staged = parse_row(row, idx, width, row_no, today)
            if staged is not None:
                copy.write_row(staged)
                n += 1
    return n


def _deadline_date(election: Election, key: str) -> date | None:
    due = election.deadline_due(key)
    return timezone.localdate(due) if due else None


def signatures_verify(*, upload_id: int) -> SignatureSheetUpload | None:
    """Verify every signature of an upload; safe to call again (a finished upload is left as it is)."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_lock(%s, %s)", [_LOCK, upload_id])
        if not cur.fetchone()[0]:
            return None
    try:
        upload = SignatureSheetUpload.objects.select_related(
            "nomination__election", "nomination__constituency", "nomination__party"
        ).get(pk=upload_id)
        if upload.is_finished:
            return upload
        SignatureSheetUpload.objects.filter(pk=upload.pk).update(status=SignatureSheetUpload.Status.VERIFYING)
        try:
            with transaction.atomic():
                _verify(upload)
        except FileRejected as exc:
            with transaction.atomic():
                SignatureSheetUpload.objects.filter(pk=upload.pk).update(
                    status=SignatureSheetUpload.Status.REJECTED, message=exc.message[:1000], finished_at=timezone.now()
                )
                audit_record(
                    actor=upload.uploaded_by,
                    action="candidates.signatures.rejected",
                    obj=upload.nomination,
                    after={"upload": upload.pk, "reason": exc.message},
                )
        upload.refresh_from_db()
        return upload
    finally:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s, %s)", [_LOCK, upload_id])


def _verify(upload: SignatureSheetUpload) -> None:
    nomination = upload.nomination
    election = nomination.election
    Signature.objects.filter(upload=upload).delete()  # an earlier attempt that died midway
    with connection.cursor() as cur:
        _stage(upload, cur)
        others = _other_uploads(nomination) if election.rule("forbid_signing_for_competitors") else []
        cur.execute(
            _VERDICT_SQL,
            {
                "upload": upload.pk,
                "min_age": int(election.rule("min_voter_age")),
                "start": _deadline_date(election, "signatures_start"),
                "end": _deadline_date(election, "signatures_end"),
                "competitors": bool(others),
                "others": others or [0],
                "check_area": nomination.constituency.kind != "national",
                "constituency": nomination.constituency_id,
            },
        )
        cur.execute("DROP TABLE IF EXISTS sig_stage")
    result = summarize(upload)
    SignatureSheetUpload.objects.filter(pk=upload.pk).update(
        status=SignatureSheetUpload.Status.DONE,
        total=result["totals"]["total"],
        valid=result["totals"]["valid"],
        invalid=result["totals"]["invalid"],
        result=result,
        finished_at=timezone.now(),
        message="",
    )
    audit_record(
        actor=upload.uploaded_by,
        action="candidates.signatures.verify",
        obj=nomination,
        after={
            "upload": upload.pk,
            "totals": result["totals"],
            "seed": upload.seed,
            "decision": result["decision"]["accepted"],
            "sample": result["decision"]["sample"].get("accepted"),
        },
    )


# --------------------------------------------------------------------------- totals and decision


_BREAKDOWN_SQL = {
    column: f"""SELECT {column}, count(*), count(*) FILTER (WHERE valid) FROM candidates_signature
                 WHERE upload_id = %s GROUP BY {column} ORDER BY {column}"""  # noqa: S608 - fixed column names
    for column in ("sheet_number", "collector")
}


def _breakdown(cur: CursorWrapper, upload_id: int, column: str) -> list[dict]:
    cur.execute(_BREAKDOWN_SQL[column], [upload_id])
    out = []
    for key, total, valid in cur.fetchall():
        out.append(
            {
                "key": key,
                "total": total,
                "valid": valid,
                "invalid": total - valid,
                "invalid_share": round((total - valid) / total, 4) if total else 0.0,
            }
        )
    return out


def summarize(upload: SignatureSheetUpload) -> dict:
    with connection.cursor() as cur:
        cur.execute(
            """SELECT count(*), count(*) FILTER (WHERE valid), count(*) FILTER (WHERE online)
                         FROM candidates_signature WHERE upload_id = %s""",
            [upload.pk],
        )
        total, valid, online = cur.fetchone()
        cur.execute(
            """SELECT r, count(*) FROM candidates_signature, unnest(reasons) r
                        WHERE upload_id = %s GROUP BY r""",
            [upload.pk],
        )
        found = dict(cur.fetchall())
        per_sheet = _breakdown(cur, upload.pk, "sheet_number")
        per_collector = _breakdown(cur, upload.pk, "collector")
        cur.execute("SELECT array_agg(valid ORDER BY row_no) FROM candidates_signature WHERE upload_id = %s", [upload.pk])
        flags = cur.fetchone()[0] or []
    invalid = total - valid
    mean = invalid / total if total else 0.0
    for c in per_collector:
        n, share = c["total"], c["invalid_share"]
        spread = math.sqrt(mean * (1 - mean) / n) if n and 0 < mean < 1 else 0.0
        c["flagged"] = bool(n >= 5 and share > 2 * mean and share - mean > 3 * spread and share >= 0.1)
    return {
        "totals": {
            "total": total,
            "valid": valid,
            "invalid": invalid,
            "online": online,
            "invalid_share": round(mean, 4),
            "online_share": round(online / total, 4) if total else 0.0,
        },
        "by_reason": {code: found.get(code, 0) for code in REASONS},
        "per_sheet": per_sheet,
        "per_collector": per_collector,
        "decision": decide(upload.nomination.election, flags, online=online, seed=upload.seed),
    }


def draw_sample(total: int, size: int, seed: int, exclude: set | None = None) -> list[int]:
    """Indices (0-based, in row order) of a random sample; the same seed draws the same sample."""
    rng = random.Random(seed)
    population = range(total) if not exclude else [i for i in range(total) if i not in exclude]
    return sorted(rng.sample(population, min(size, len(population))))


def decide(election: Election, flags: list[bool], *, online: int, seed: int) -> dict:
    """The decision on all signatures under the election's rules, and what the sampling rule would decide."""
    total = len(flags)
    valid = sum(flags)
    invalid = total - valid
    required = int(election.rule("signatures_required"))
    max_invalid = float(election.rule("signature_max_invalid_share"))
    max_online = election.rule("signature_max_online_share")
    invalid_share = invalid / total if total else 1.0
    online_share = online / total if total else 0.0
    checks = [
        {"check": SignatureCheck.REQUIRED.value, "value": valid, "limit": required, "ok": valid >= required},
        {
            "check": SignatureCheck.INVALID_SHARE.value,
            "value": round(invalid_share, 4),
            "limit": max_invalid,
            "ok": invalid_share <= max_invalid,
        },
    ]
    if max_online is not None:
        checks.append(
            {
                "check": SignatureCheck.ONLINE_SHARE.value,
                "value": round(online_share, 4),
                "limit": max_online,
                "ok": online_share <= float(max_online),
            }
        )
    return {
        "accepted": all(c["ok"] for c in checks),
        "checks": checks,
        "sample": sample_decision(election, flags, online_share=online_share, seed=seed),
    }


def sample_decision(election: Election, flags: list[bool], *, online_share: float, seed: int) -> dict:
    total = len(flags)
    size_rule = election.rule("signature_sample_size")
    share_rule = election.rule("signature_sample_share")
    if size_rule:
        size = int(size_rule)
    elif share_rule:
        size = math.ceil(float(share_rule) * total)
    else:
        return {"rule": "none"}
    required = int(election.rule("signatures_required"))
    max_invalid = float(election.rule("signature_max_invalid_share"))
    max_online = election.rule("signature_max_online_share")
    first = draw_sample(total, size, seed)
    first_invalid = sum(1 for i in first if not flags[i])
    first_share = first_invalid / len(first) if first else 0.0
    out = {
        "rule": "size" if size_rule else "share",
        "seed": seed,
        "size": len(first),
        "invalid": first_invalid,
        "invalid_share": round(first_share, 4),
        "extra_size": 0,
        "extra_invalid": 0,
    }
    share = first_share
    extra = int(election.rule("signature_sample_extra") or 0)
    threshold = election.rule("signature_sample_extra_threshold")
    if extra and threshold is not None and first_share > float(threshold) and len(first) < total:
        more = draw_sample(total, extra, seed + 1, exclude=set(first))
        more_invalid = sum(1 for i in more if not flags[i])
        out.update(extra_size=len(more), extra_invalid=more_invalid)
        checked = len(first) + len(more)
        share = (first_invalid + more_invalid) / checked if checked else 0.0
    out["checked_invalid_share"] = round(share, 4)
    out["estimated_valid"] = round(total * (1 - share))
    out["accepted"] = bool(
        total >= required and share <= max_invalid and (max_online is None or online_share <= float(max_online))
    )
    return out


def upload_sample(upload: SignatureSheetUpload) -> list[int]:
    """Row numbers of the first sample of an upload, drawn again from its recorded seed."""
    rows = list(upload.signatures.order_by("row_no").values_list("row_no", flat=True))
    election = upload.nomination.election
    size_rule, share_rule = election.rule("signature_sample_size"), election.rule("signature_sample_share")
    size = int(size_rule) if size_rule else math.ceil(float(share_rule or 0) * len(rows))
    return [rows[i] for i in draw_sample(len(rows), size, upload.seed)]
