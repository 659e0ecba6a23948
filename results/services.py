"""Every write of election day and the count: turnout reports, protocol entries, versions, corrections.

Each service checks who may act (``results.workflows``), validates the figures (``results.protocol``), writes
in one transaction and records the audit event.  Nothing is stored when a check fails.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.errors import field_error
from core.files import scan_check
from core.images import image_check
from core.services import audit_append, audit_event, audit_record
from core.text import text_error
from core.workflow import workflow_transition
from elections.models import Constituency, Election, Precinct
from observers.selectors import observer_covers_precinct, observer_profile
from results import allocation, qr, selectors
from results import protocol as rules
from results.models import (
    ObserverProtocolCopy,
    Protocol,
    ProtocolCorrection,
    ProtocolEntry,
    ProtocolScan,
    ProtocolState,
    ProtocolVersion,
    SeatCalculation,
    TurnoutPublication,
    TurnoutReport,
)
from results.selectors import contest_keys, contest_lines, listed_on_precinct, reporting_moment, reporting_times
from results.workflows import above_precinct, central, enters_for, verifies_for

TURNOUT_LINES = ("voted_station", "voted_early", "voted_home")
REASON_LIMIT = 2000


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise field_error("reason", _("Give the reason for the correction."), "reason_required")
    problem = text_error(reason, REASON_LIMIT)
    if problem:
        raise field_error("reason", problem[1], problem[0])
    return reason


# --------------------------------------------------------------------------- turnout


def turnout_report_enter(
    *,
    actor: User,
    election: Election,
    precinct: Precinct,
    at: time,
    voted_station: int,
    voted_early: int = 0,
    voted_home: int = 0,
    reason: str = "",
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> TurnoutReport:
    """Record how many voters of ``precinct`` had voted by reporting time ``at``.

    The precinct commission enters its own figures from that time on; once the CEC has published the time,
    only the district commission corrects them, with a reason.  A figure never goes down from one time to
    the next (nor above the next time's, for a correction) and the total never exceeds the list.
    """
    now = now or timezone.now()
    if at not in reporting_times(election):
        raise field_error(
            "at",
            _("%(time)s is not one of this election's reporting times.") % {"time": at.strftime("%H:%M")},
            "not_a_reporting_time",
        )
    published = TurnoutPublication.objects.filter(election=election, at=at).exists()
    if published:
        if not verifies_for(actor, precinct):
            raise PermissionDenied(_("The turnout of this time is published: only the district commission corrects it."))
        reason = _reason(reason, required=True)
    elif not (enters_for(actor, precinct) or verifies_for(actor, precinct)):
        raise PermissionDenied(_("Only the precinct's own commission enters its turnout."))
    if now < reporting_moment(election, at):
        raise field_error(
            "at",
            _("The turnout by %(time)s can be entered from %(time)s on election day.") % {"time": at.strftime("%H:%M")},
            "too_early",
        )
    figures = {"voted_station": voted_station, "voted_early": voted_early, "voted_home": voted_home}
    for name, value in figures.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise field_error(name, _("Enter a whole number of at least 0."), "not_a_count")

    with transaction.atomic():
        Precinct.objects.select_for_update().get(pk=precinct.pk)  # one writer per precinct at a time
        on_list = listed_on_precinct(precinct)
        total = sum(figures.values())
        if total > on_list:
            raise field_error(
                "voted_station",
                _("%(total)s voted is more than the %(list)s voters on the list.") % {"total": total, "list": on_list},
                "above_list",
            )
        reports = {r.at: r for r in TurnoutReport.objects.filter(election=election, precinct=precinct)}
        earlier = [t for t in reports if t < at]
        later = [t for t in reports if t > at]
        for name, value in figures.items():
            if earlier:
                before = reports[max(earlier)]
                if value < getattr(before, name):
                    raise field_error(
                        name,
                        _("A turnout figure never goes down: %(value)s is less than the %(before)s reported by %(time)s.")
                        % {"value": value, "before": getattr(before, name), "time": before.at.strftime("%H:%M")},
                        "decreasing",
                    )
            if later:
                after = reports[min(later)]
                if value > getattr(after, name):
                    raise field_error(
                        name,
                        _("%(value)s is more than the %(after)s already reported by %(time)s.")
                        % {"value": value, "after": getattr(after, name), "time": after.at.strftime("%H:%M")},
                        "above_later",
                    )
        existing = reports.get(at)
        before_audit = {n: getattr(existing, n) for n in TURNOUT_LINES} if existing else None
        if existing is None:
            report = TurnoutReport(election=election, precinct=precinct, at=at)
        else:
            report = existing
            report.corrections += 1
        for name, value in figures.items():
            setattr(report, name, value)
        report.on_list, report.entered_by, report.entered_at = on_list, actor, now
        report.full_clean(exclude=["election", "precinct", "entered_by"])
        report.save()
        action = "results.turnout.correct" if published else "results.turnout.enter"
        if published:
            results_changed(election.pk)
        audit_record(
            actor=actor,
            action=action,
            obj=report,
            before=before_audit,
            after={**figures, "at": at.strftime("%H:%M"), "reason": reason},
            request=request,
        )
    return report


def turnout_publish(
    *, actor: User, election: Election, at: time, request: HttpRequest | None = None, now: datetime | None = None
) -> TurnoutPublication:
    """The CEC publishes the turnout of reporting time ``at`` (after that time)."""
    now = now or timezone.now()
    if not central(actor):
        raise PermissionDenied(_("Only the Central Election Commission publishes the turnout."))
    if at not in reporting_times(election):
        raise field_error(
            "at",
            _("%(time)s is not one of this election's reporting times.") % {"time": at.strftime("%H:%M")},
            "not_a_reporting_time",
        )
    if now < reporting_moment(election, at):
        raise field_error(
            "at",
            _("The turnout by %(time)s can be published only after %(time)s on election day.") % {"time": at.strftime("%H:%M")},
            "too_early",
        )
    with transaction.atomic():
        publication, created = TurnoutPublication.objects.get_or_create(
            election=election, at=at, defaults={"published_by": actor, "published_at": now}
        )
        if created:
            results_changed(election.pk)
            audit_record(
                actor=actor,
                action="results.turnout.publish",
                obj=publication,
                after={"at": at.strftime("%H:%M")},
                request=request,
            )
    return publication


# --------------------------------------------------------------------------- protocols


def clean_figures(
    constituency: Constituency, precinct: Precinct, figures: dict, *, context: selectors.EntryContext | None = None
) -> dict[str, int]:
    """Every line of the contest's protocol as a whole number of at least 0, ``voters_on_list`` from the
    unified list; a missing, unknown or bad line is an error on that line.  ``context`` (``entry_context``)
    gives the vote lines and the list count read already."""
    lines = [*rules.LINE_KEYS, *(context.keys if context else contest_keys(constituency))]
    unknown = sorted(set(figures) - set(lines))
    if unknown:
        raise ValidationError(_("Unknown lines: %(lines)s.") % {"lines": ", ".join(unknown)}, code="unknown_line")
    clean: dict[str, int] = {}
    errors: dict[str, ValidationError] = {}
    for key in lines:
        if key == "voters_on_list":
            clean[key] = context.on_list if context else listed_on_precinct(precinct)
            continue
        value = figures.get(key, 0 if key == "ballots_lost" else None)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value.strip())
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[key] = ValidationError(_("Enter a whole number of at least 0."), code="not_a_count")
        else:
            clean[key] = value
    if errors:
        raise ValidationError(errors)
    return clean


def relations_for(election: Election) -> list[dict]:
    return list(election.rule("protocol_relations") or rules.DEFAULT_RELATIONS)


def check_figures(election: Election, figures: dict[str, int]) -> None:
    """Refuse figures that break a control relation: which relation, its two sides and the difference."""
    breaches = rules.check_relations(figures, relations_for(election))
    if breaches:
        raise ValidationError(
            [
                ValidationError(
                    _("%(relation)s: %(left)s against %(right)s (a difference of %(difference)s)."),
                    code="relation_broken",
                    params={"relation": b.label, "left": b.left, "right": b.right, "difference": b.difference, "key": b.key},
                )
                for b in breaches
            ]
        )


@dataclass
class EntryResult:
    """What a member learns after entering: waiting for the second member, accepted, or which lines differ
    (never the other member's figures)."""

    outcome: str
    entry: ProtocolEntry
    protocol: Protocol | None = None
    mismatched: list[str] = field(default_factory=list)


def protocol_entry_submit(
    *,
    actor: User,
    constituency: Constituency,
    precinct: Precinct,
    figures: dict,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> EntryResult:
    """One member's blind entry of the precinct's protocol.

    The first entry waits; a second by another member is compared line by line: a match writes version 1 of
    the protocol (status "entered"), a mismatch names the lines that differ and both members enter again.
    Figures that break a control relation are refused and nothing is stored.
    """
    now = now or timezone.now()
    context = selectors.entry_context(constituency, precinct) if enters_for(actor, precinct) else None
    if context is None or not context.holds:
        raise PermissionDenied(_("Only members of the precinct's own commission enter its protocol."))
    clean = clean_figures(constituency, precinct, figures, context=context)
    check_figures(constituency.election, clean)
    with transaction.atomic():
        # the precinct's row lock orders the entries of its protocols; then the protocol and this contest's entries
        protocol_id, accepted, entries = selectors.entry_state(constituency, precinct)
        if accepted:
            raise ValidationError(_("This protocol is already accepted; a change is a correction."), code="already_accepted")
        round_ = entries[0].round if entries else 1
        waiting = [e for e in entries if e.round == round_ and e.outcome == ProtocolEntry.Outcome.WAITING]
        if entries and not waiting:
            round_ += 1  # the last round ended in a mismatch: a new one starts
        if any(e.entered_by_id == actor.pk for e in waiting):
            raise ValidationError(_("You have entered this protocol; another member enters it too."), code="already_entered")
        entry = ProtocolEntry.objects.create(
            constituency=constituency, precinct=precinct, round=round_, figures=clean, entered_by=actor, created_at=now
        )
        events = [
            audit_event(
                actor=actor,
                action="results.protocol.enter",
                obj=entry,
                after={"constituency": constituency.pk, "precinct": precinct.pk, "round": round_},
                request=request,
            )
        ]
        if not waiting:
            audit_append(events)
            return EntryResult(outcome=ProtocolEntry.Outcome.WAITING, entry=entry)
        first = waiting[0]
        differ = sorted(k for k in clean if first.figures.get(k) != clean[k])
        if differ:
            ProtocolEntry.objects.filter(pk__in=[first.pk, entry.pk]).update(
                outcome=ProtocolEntry.Outcome.MISMATCHED, mismatched_fields=differ
            )
            events.append(
                audit_event(actor=actor, action="results.protocol.mismatch", obj=entry, after={"lines": differ}, request=request)
            )
            audit_append(events)
            entry.outcome, entry.mismatched_fields = ProtocolEntry.Outcome.MISMATCHED, differ
            return EntryResult(outcome=entry.outcome, entry=entry, mismatched=differ)
        ProtocolEntry.objects.filter(pk__in=[first.pk, entry.pk]).update(outcome=ProtocolEntry.Outcome.MATCHED)
        if protocol_id is None:  # the precinct's row lock keeps a second one out
            protocol = Protocol.objects.create(
                constituency=constituency,
                precinct=precinct,
                election_id=constituency.election_id,
                status=ProtocolState.ENTERED,
                status_changed_at=now,
            )
        else:
            protocol = Protocol.objects.get(pk=protocol_id)
        version = ProtocolVersion.objects.create(
            protocol=protocol,
            number=1,
            kind=ProtocolVersion.Kind.COUNT,
            figures=clean,
            checksum=rules.checksum(rules.subject_of(protocol), clean),
            author_id=first.entered_by_id,
            approver=actor,
            created_at=now,
        )
        protocol.current = version
        protocol.save(update_fields=["current"])
        events.append(
            audit_event(
                actor=actor,
                action="results.protocol.accept",
                obj=protocol,
                after={"version": 1, "checksum": version.checksum},
                request=request,
            )
        )
        audit_append(events)
        entry.outcome = ProtocolEntry.Outcome.MATCHED
        return EntryResult(outcome=entry.outcome, entry=entry, protocol=protocol)


def results_changed(election_id: int) -> None:
    """After commit, make every cached public view of the election stale (``selectors.results_version``)."""

    def bump() -> None:
        key = f"results:version:{election_id}"
        cache.add(key, 1, timeout=None)
        cache.incr(key)

    transaction.on_commit(bump)


def protocol_transition(
    *, actor: User, protocol: Protocol, name: str, reason: str = "", request: HttpRequest | None = None
) -> Protocol:
    """Verify (district), certify or publish (CEC) a protocol through its workflow."""
    with transaction.atomic():
        done = workflow_transition(obj=protocol, name=name, actor=actor, reason=reason, request=request)
        if name == "publish":
            results_changed(protocol.election_id)
    return done


def protocol_correction_open(
    *,
    actor: User,
    protocol: Protocol,
    figures: dict,
    reason: str,
    recount: bool = False,
    request: HttpRequest | None = None,
) -> ProtocolCorrection:
    """Propose corrected figures (or a recount's) for an accepted protocol, with a reason.

    Before certification the precinct commission or a commission above it may open one; after
    certification only a commission above the precinct.  The figures pass the same checks as an entry.
    """
    reason = _reason(reason, required=True)
    certified = protocol.status in (ProtocolState.CERTIFIED, ProtocolState.PUBLISHED)
    may = above_precinct(actor, protocol.precinct) or (not certified and enters_for(actor, protocol.precinct))
    if not may:
        if certified and enters_for(actor, protocol.precinct):
            raise PermissionDenied(_("The protocol is certified: only a higher commission may open a correction."))
        raise PermissionDenied(_("You may not correct this protocol."))
    clean = clean_figures(protocol.constituency, protocol.precinct, figures)
    check_figures(protocol.election, clean)
    if protocol.current and clean == protocol.current.figures:
        raise ValidationError(_("The figures are the same as the current version's."), code="no_change")
    with transaction.atomic():
        Protocol.objects.select_for_update().get(pk=protocol.pk)
        if ProtocolCorrection.objects.filter(protocol=protocol, version__isnull=True).exists():
            raise ValidationError(_("A correction of this protocol is already open."), code="correction_open")
        correction = ProtocolCorrection.objects.create(
            protocol=protocol, recount=recount, reason=reason, figures=clean, opened_by=actor
        )
        audit_record(
            actor=actor,
            action="results.protocol.correction_open",
            obj=protocol,
            after={"correction": correction.pk, "recount": recount, "reason": reason},
            request=request,
        )
    return correction


def protocol_correction_approve(
    *, actor: User, correction: ProtocolCorrection, request: HttpRequest | None = None
) -> ProtocolVersion:
    """A commission above the precinct (not the one who opened it) approves a correction: a new version, the
    protocol back to "entered" to be verified again; the earlier versions stay as they were."""
    protocol = correction.protocol
    if not above_precinct(actor, protocol.precinct):
        raise PermissionDenied(_("Only a commission above the precinct approves a correction."))
    if correction.opened_by_id == actor.pk:
        raise PermissionDenied(_("Another official approves the correction you opened."))
    with transaction.atomic():
        locked = ProtocolCorrection.objects.select_for_update().get(pk=correction.pk)
        if locked.version_id is not None:
            raise ValidationError(_("This correction is already approved."), code="already_approved")
        number = (protocol.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        kind = ProtocolVersion.Kind.RECOUNT if locked.recount else ProtocolVersion.Kind.CORRECTION
        version = ProtocolVersion.objects.create(
            protocol=protocol,
            number=number,
            kind=kind,
            figures=locked.figures,
            reason=locked.reason,
            checksum=rules.checksum(rules.subject_of(protocol), locked.figures),
            author=locked.opened_by,
            approver=actor,
        )
        locked.version = version
        locked.save(update_fields=["version"])
        was_published = protocol.status == ProtocolState.PUBLISHED
        workflow_transition(obj=protocol, name="correct", actor=actor, reason=locked.reason, request=request)
        if was_published:
            results_changed(protocol.election_id)  # the public figures go back to unpublished
        Protocol.objects.filter(pk=protocol.pk).update(current=version)
        protocol.current = version
        audit_record(
            actor=actor,
            action="results.protocol.correct",
            obj=protocol,
            after={"version": number, "kind": kind, "checksum": version.checksum},
            request=request,
        )
    return version


SCAN_MAX_BYTES = 15 * 2**20


def protocol_scan_upload(
    *, actor: User, protocol: Protocol, uploaded_file: UploadedFile, request: HttpRequest | None = None
) -> ProtocolScan:
    """Keep the scan or photo of the signed paper protocol with the current version (PDF, JPEG or PNG by content)."""
    if not (enters_for(actor, protocol.precinct) or above_precinct(actor, protocol.precinct)):
        raise PermissionDenied(_("Only the precinct's commission or one above it uploads the signed protocol."))
    if protocol.current is None:
        raise ValidationError(_("The protocol has no accepted version yet."), code="no_version")
    content_type, digest = scan_check(uploaded_file, limit=SCAN_MAX_BYTES, field="file")
    with transaction.atomic():
        scan = ProtocolScan(version=protocol.current, content_type=content_type, sha256=digest, uploaded_by=actor)
        scan.file.save(uploaded_file.name or "scan", uploaded_file, save=False)
        scan.save()
        audit_record(
            actor=actor,
            action="results.protocol.scan",
            obj=protocol,
            after={"version": protocol.current.number, "sha256": digest},
            request=request,
        )
    return scan


@dataclass
class QrCheck:
    """A paper protocol's QR code read against the stored protocol."""

    protocol: Protocol
    version: int  # the version the paper carries
    current: int  # the stored current version
    differing: list[str]  # lines whose paper figure differs from the stored current version

    @property
    def matches(self) -> bool:
        return not self.differing and self.version == self.current


def protocol_qr_check(*, actor: User, protocol: Protocol, image: bytes, request: HttpRequest | None = None) -> QrCheck:
    """A commission above the precinct reads the QR code of a paper protocol (a photo or scan) and compares it with
    the stored one; a code of another protocol or with a wrong checksum is refused."""
    if not above_precinct(actor, protocol.precinct):
        raise PermissionDenied(_("A commission above the precinct checks a paper protocol."))
    try:
        paper = qr.decode_image(image)
    except qr.QrError as exc:
        raise field_error("image", str(exc), "qr_unreadable") from exc
    if paper.subject != rules.subject_of(protocol):
        raise field_error("image", _("This QR code belongs to another protocol."), "qr_other_protocol")
    stored = protocol.current.figures
    differing = sorted(k for k in set(stored) | set(paper.figures) if stored.get(k) != paper.figures.get(k))
    result = QrCheck(protocol=protocol, version=paper.version, current=protocol.current.number, differing=differing)
    audit_record(
        actor=actor,
        action="results.protocol.qr_check",
        obj=protocol,
        after={"paper_version": paper.version, "differing": differing},
        request=request,
    )
    return result


# --------------------------------------------------------------------------- winners and seats


def seats_calculate(*, actor: User, constituency: Constituency, request: HttpRequest | None = None) -> SeatCalculation:
    """The CEC computes who won a contest from its certified (or published) protocols, by the election's rules.

    Single-mandate: elected with more than ``majority_share`` of those who took part, else a repeat vote
    between the two leading candidates; invalid below the turnout threshold.  National list: the parties past
    ``list_threshold_share`` (with the runner-up rule) share the seats by ``seat_method``, and the seats go down
    each party's list in order.  A tie is decided by a lot whose seed is drawn here and stored with the result.
    """
    if not central(actor):
        raise PermissionDenied(_("Only the Central Election Commission calculates the seats."))
    election = constituency.election
    total = selectors.summary(constituency, certified_only=True)
    if total.missing:
        raise ValidationError(
            _("%(n)s of %(total)s precinct protocols are not certified yet.") % {"n": total.missing, "total": total.expected},
            code="protocols_missing",
        )
    figures = total.figures
    took_part, on_list = rules.took_part(figures), rules.on_list(figures)
    votes = {k.removeprefix(rules.VOTE_PREFIX): figures.get(k, 0) for k, _label in contest_lines(constituency)}
    seed = secrets.randbits(62)
    validity = election.rule("turnout_validity_share")
    base = {"took_part": took_part, "on_list": on_list, "validity_share": validity, "votes": votes}
    if constituency.kind == Constituency.Kind.SINGLE:
        result = allocation.single_mandate_outcome(
            votes,
            took_part=took_part,
            on_list=on_list,
            majority_share=election.rule("majority_share"),
            validity_share=validity,
            repeat_vote=election.rule("repeat_vote"),
            seed=seed,
        )
        sheet = {
            **base,
            "kind": "single",
            "majority_share": election.rule("majority_share"),
            "winner": result.winner,
            "runoff": list(result.runoff),
            "tied": list(result.tied),
            "seed": result.seed,
        }
        outcome, method = result.kind, ""
    elif not allocation.election_valid(took_part=took_part, on_list=on_list, share=validity):
        sheet, outcome, method = {**base, "kind": "list"}, "invalid", ""
    else:
        method = election.rule("seat_method")
        passing = allocation.parties_passing(
            votes,
            took_part=took_part,
            share=election.rule("list_threshold_share"),
            runner_up_joins=election.rule("list_runner_up_joins"),
        )
        calc = allocation.allocate({k: votes[k] for k in passing}, constituency.seats, method, seed=seed)
        elected = {key: selectors.list_elected(constituency, key, n) for key, n in calc.seats.items()}
        sheet = {
            **base,
            "kind": "list",
            "threshold_share": election.rule("list_threshold_share"),
            "passing": passing,
            "allocation": allocation.sheet(calc),
            "elected": elected,
        }
        outcome = "allocated"
    with transaction.atomic():
        calculation = SeatCalculation.objects.create(
            election=election,
            constituency=constituency,
            outcome=outcome,
            method=method,
            seed=seed,
            sheet=sheet,
            calculated_by=actor,
        )
        audit_record(
            actor=actor,
            action="results.seats.calculate",
            obj=calculation,
            after={"outcome": outcome, "seed": seed},
            request=request,
        )
    return calculation


def seats_publish(*, actor: User, calculation: SeatCalculation, request: HttpRequest | None = None) -> SeatCalculation:
    """The CEC publishes a calculation: its sheet becomes public."""
    if not central(actor):
        raise PermissionDenied(_("Only the Central Election Commission publishes the seats."))
    with transaction.atomic():
        locked = SeatCalculation.objects.select_for_update().get(pk=calculation.pk)
        if locked.published_at is None:
            locked.published_at = timezone.now()
            locked.save(update_fields=["published_at"])
            results_changed(locked.election_id)
            audit_record(actor=actor, action="results.seats.publish", obj=locked, request=request)
    return locked


# --------------------------------------------------------------------------- observers' copies


def observer_copy_submit(
    *,
    actor: User,
    constituency: Constituency,
    precinct: Precinct,
    figures: dict,
    photo: UploadedFile,
    request: HttpRequest | None = None,
) -> ObserverProtocolCopy:
    """An observer accredited to the precinct (valid badge) records the copy of the protocol given to them: the
    figures as written on it (kept as they are, even when they break a relation: it is evidence) and a photo."""
    observer = observer_profile(actor)
    if observer is None or not observer_covers_precinct(user=actor, election=constituency.election, precinct=precinct):
        raise PermissionDenied(_("You are not accredited to this precinct for this election."))
    if not constituency.precincts.filter(pk=precinct.pk).exists():
        raise field_error("precinct", _("This precinct does not vote in this constituency."), "not_in_constituency")
    clean = clean_figures(constituency, precinct, figures)
    content_type = image_check(photo, field="photo")[0]
    with transaction.atomic():
        copy = ObserverProtocolCopy(
            constituency=constituency,
            precinct=precinct,
            observer=observer,
            organization_id=observer.organization_id,
            figures=clean,
            photo_type=content_type,
            submitted_by=actor,
        )
        copy.photo.save(photo.name or "copy.jpg", photo, save=False)
        copy.save()
        audit_record(
            actor=actor,
            action="results.observer_copy.submit",
            obj=copy,
            after={"constituency": constituency.pk, "precinct": precinct.pk},
            request=request,
        )
    return copy
