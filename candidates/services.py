"""Writes owned by candidates: parties and their representatives (more in step 3)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from candidates.models import (
    CONSEQUENTIAL_TRANSITIONS,
    CandidateDocument,
    DocumentKind,
    Nomination,
    Objection,
    Party,
    PartyRepresentative,
    RegistrationDecision,
    signature_check_label,
)
from candidates.selectors import (
    acts_for_party,
    latest_verified_upload,
    missing_document_labels,
    objection_standing_or_deny,
    registering_commission,
    registration_decision,
    reviews_nomination,
)
from core.files import pdf_check, sha256_hex
from core.images import image_check
from core.services import audit_record, notification_queue, object_role_grant, object_role_revoke
from core.workflow import workflow_transition
from elections.eligibility import Person, role_conflict_check
from elections.models import Constituency
from voters.selectors import citizen_voter

if TYPE_CHECKING:
    from datetime import date

    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from accounts.models import User
    from candidates.models import CandidateDocument, Nomination, Objection, SignatureSheetUpload
    from elections.models import Election

PARTY_PERMS = ("candidates.view_party", "candidates.represent_party")


@transaction.atomic
def party_register(
    *,
    actor: User,
    registration_number: str,
    name_uz: str,
    name_uz_cyrl: str = "",
    name_ru: str = "",
    name_en: str = "",
    short_name: str = "",
    leader: str = "",
    address: str = "",
    request: HttpRequest | None = None,
) -> Party:
    """The CEC registers a party."""
    if not actor.is_cec:
        raise PermissionDenied
    party = Party(
        registration_number=registration_number.strip(),
        name_uz=name_uz.strip(),
        name_uz_cyrl=name_uz_cyrl.strip(),
        name_ru=name_ru.strip(),
        name_en=name_en.strip(),
        short_name=short_name.strip(),
        leader=leader.strip(),
        address=address.strip(),
    )
    party.full_clean()
    party.save()
    audit_record(
        actor=actor,
        action="candidates.party.register",
        obj=party,
        request=request,
        after={"registration_number": party.registration_number, "name_uz": party.name_uz},
    )
    return party


@transaction.atomic
def party_representative_add(*, actor: User, party: Party, user: User, request: HttpRequest | None = None) -> PartyRepresentative:
    """The CEC makes ``user`` a representative of ``party``: object permissions on that party only."""
    if not actor.is_cec:
        raise PermissionDenied
    if user.role != Role.PARTY_REP:
        raise ValidationError({"user": _("Only users with the party representative role can represent a party.")})
    return object_role_grant(
        actor=actor,
        link_model=PartyRepresentative,
        field="party",
        obj=party,
        user=user,
        perms=PARTY_PERMS,
        action="candidates.party.representative_add",
        request=request,
    )


@transaction.atomic
def party_representative_remove(*, actor: User, rep: PartyRepresentative, request: HttpRequest | None = None) -> None:
    if not actor.is_cec:
        raise PermissionDenied
    object_role_revoke(
        actor=actor, link=rep, obj=rep.party, perms=PARTY_PERMS, action="candidates.party.representative_remove", request=request
    )


# --------------------------------------------------------------------------- nominations


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def nomination_create(
    *,
    actor: User,
    party: Party,
    election: Election,
    constituency: Constituency,
    pinfl: str,
    surname: str,
    given_name: str,
    list_position: int | None = None,
    request: HttpRequest | None = None,
) -> Nomination:
    """A party (or a commission on its behalf) nominates a registered voter; eligibility is checked here.

    The candidate is named by PINFL, surname and given name, checked against the voter list as every
    citizen's identity is (``voters.selectors.citizen_voter``): an unknown PINFL, another name and a voter who is
    not active get the same answer, so a PINFL alone tells a party neither a person's name nor their status.
    """

    if not acts_for_party(actor, party):
        raise PermissionDenied
    if constituency.election_id != election.pk:
        raise ValidationError({"constituency": _("The constituency belongs to another election.")})
    if constituency.kind == Constituency.Kind.NATIONAL and not list_position:
        raise ValidationError({"list_position": _("A candidate on the national list needs a list position.")})
    voter = citizen_voter(pinfl=pinfl, passport_number="", country="", surname=surname, given_name=given_name)
    minimum = election.rule("min_candidate_age")
    if _age_on(voter.birth_date, election.election_day) < minimum:
        raise ValidationError(
            {
                "pinfl": ValidationError(
                    _("A candidate must be at least %(age)s years old on election day.") % {"age": minimum}, code="too_young"
                )
            }
        )
    role_conflict_check(
        person=Person(pinfl=voter.pinfl), election=election, role="candidate", field="pinfl", name=voter.full_name
    )
    taken = Nomination.objects.filter(election=election, voter=voter).exclude(status__in=["withdrawn", "rejected"])
    if taken.exists():
        raise ValidationError(
            {"pinfl": ValidationError(_("This person is already nominated in this election."), code="already_nominated")}
        )
    with transaction.atomic():
        nomination = Nomination(
            party=party, election=election, constituency=constituency, voter=voter, list_position=list_position, created_by=actor
        )
        nomination.full_clean(exclude=["voter", "created_by"])
        nomination.save()
        audit_record(
            actor=actor,
            action="candidates.nomination.create",
            obj=nomination,
            request=request,
            after={
                "party": party.pk,
                "election": election.pk,
                "constituency": constituency.pk,
                "voter": voter.pk,
                "list_position": list_position,
            },
        )
    return nomination


@transaction.atomic
def nomination_transition(
    *, actor: User, nomination: Nomination, name: str, reason: str = "", request: HttpRequest | None = None
) -> Nomination:
    """Submit, withdraw, review, register or refuse: the shared workflow, with its deadlines.

    Registering or refusing records a reasoned ``RegistrationDecision`` with the signature result it weighed;
    registration is refused while the election requires signatures and the latest verified upload is not
    sufficient (unless the rules exempt the party).
    """

    if name in CONSEQUENTIAL_TRANSITIONS:
        raise ValidationError(_("A registration is cancelled only by upholding an objection to it."), code="objection_required")
    considered = {}

    def checks(locked: Nomination) -> None:
        if name in ("submit", "approve"):  # a role taken since the nomination was made (elections.eligibility)
            role_conflict_check(
                person=Person(pinfl=locked.voter.pinfl),
                election=locked.election,
                role="candidate",
                field="pinfl",
                name=locked.voter.full_name,
            )
        if name == "submit":
            _documents_complete(locked)
        if name in ("approve", "reject"):
            considered.update(_signatures_considered(locked, registering=name == "approve"))

    locked = workflow_transition(obj=nomination, name=name, actor=actor, reason=reason, request=request, extra_check=checks)
    if name in ("approve", "reject"):
        registration_decision_record(
            actor=actor,
            nomination=locked,
            outcome="registered" if name == "approve" else "refused",
            reason=reason,
            request=request,
            **considered,
        )
    return locked


def _documents_complete(nomination: Nomination) -> None:
    missing = missing_document_labels(nomination)
    if missing:
        raise ValidationError(
            _("Documents missing or to be corrected: %(kinds)s.") % {"kinds": ", ".join(missing)}, code="documents_missing"
        )


def signatures_exempt(nomination: Nomination) -> bool:
    """Signatures are not needed when the election requires none or its rules exempt the party."""
    election = nomination.election
    if int(election.rule("signatures_required") or 0) <= 0:
        return True
    return nomination.party.registration_number in (election.rule("signature_exempt_parties") or [])


def _failed_check_text(check: dict) -> str:
    """A failed check in a refusal, named by its one label (``SignatureCheck``) as on the page and in the PDF."""

    return _("%(check)s %(limit)s, found %(value)s") % {
        "check": signature_check_label(check["check"]),
        "limit": check["limit"],
        "value": check["value"],
    }


def _signatures_considered(nomination: Nomination, *, registering: bool) -> dict:
    """The signature result a registration decision weighs; refuses to register on an insufficient one."""

    exempt = signatures_exempt(nomination)
    upload = latest_verified_upload(nomination)
    if registering and not exempt:
        pending = nomination.signature_uploads.filter(status__in=["queued", "verifying"])
        if upload is not None:
            pending = pending.filter(created_at__gt=upload.created_at)
        if pending.exists():
            raise ValidationError(
                _("Cannot register yet: a newer signature upload is still being verified."), code="signatures_pending"
            )
        if upload is None:
            raise ValidationError(
                _("Cannot register: the election requires signatures and none have been verified for this nomination."),
                code="signatures_missing",
            )
        decision = (upload.result or {}).get("decision") or {}
        if not decision.get("accepted"):
            failed = [_failed_check_text(c) for c in decision.get("checks", []) if not c.get("ok")]
            raise ValidationError(
                _("Cannot register: the verified signatures are not sufficient (%(failed)s).")
                % {"failed": "; ".join(failed) or _("no result")},
                code="signatures_insufficient",
            )
    return {"signature_upload": upload, "signatures_exempt": exempt}


def signature_snapshot(upload: SignatureSheetUpload) -> dict:
    """What a decision records of an upload: file, seed, totals, reasons, and the decision under the rules."""
    if upload is None:
        return {}
    result = upload.result or {}
    return {
        "upload": upload.pk,
        "file": upload.original_name,
        "uploaded_at": upload.created_at.isoformat(),
        "seed": upload.seed,
        "totals": result.get("totals", {}),
        "by_reason": result.get("by_reason", {}),
        "decision": result.get("decision", {}),
    }


@transaction.atomic
def registration_decision_record(
    *,
    actor: User,
    nomination: Nomination,
    outcome: str,
    reason: str,
    signature_upload: SignatureSheetUpload | None = None,
    signatures_exempt: bool = False,
    request: HttpRequest | None = None,
) -> RegistrationDecision:
    """Store the decision that goes with a register/refuse transition (called inside that transaction)."""

    decision = RegistrationDecision(
        nomination=nomination,
        outcome=outcome,
        reason=(reason or "").strip(),
        decided_by=actor,
        commission=registering_commission(actor, nomination),
        signature_upload=signature_upload,
        signatures_exempt=signatures_exempt,
        signatures=signature_snapshot(signature_upload),
    )
    decision.full_clean(exclude=["nomination", "decided_by", "commission", "signature_upload"])
    decision.save()
    audit_record(
        actor=actor,
        action="candidates.decision.record",
        obj=nomination,
        request=request,
        after={
            "outcome": outcome,
            "reason": decision.reason,
            "commission": decision.commission_id,
            "signature_upload": signature_upload.pk if signature_upload else None,
            "exempt": signatures_exempt,
            "sufficient": decision.signatures.get("decision", {}).get("accepted"),
        },
    )
    return decision


# --------------------------------------------------------------------------- documents

#: Candidate documents and objection evidence are PDFs (``core.files.pdf_check``: by their first bytes, never by
#: their name); the photo is a JPEG or PNG checked by the portal's one image check (``core.images.image_check``).
MAX_BYTES = {"photo": 5 * 2**20}
DEFAULT_MAX_BYTES = 10 * 2**20


def _checked_document(uploaded_file: UploadedFile, kind: str) -> tuple[str, str]:
    """``(content type, sha256)`` of a candidate document: the photo an image, everything else a PDF."""

    limit = MAX_BYTES.get(kind, DEFAULT_MAX_BYTES)
    if kind == "photo":
        content_type = image_check(uploaded_file, max_bytes=limit, field="file")[0]
        return content_type, sha256_hex(uploaded_file)
    return "application/pdf", pdf_check(uploaded_file, limit=limit)


def document_upload(
    *, actor: User, nomination: Nomination, kind: str, uploaded_file: UploadedFile, request: HttpRequest | None = None
) -> CandidateDocument:
    """Store a candidate document after checking its content and size; older versions are kept."""

    if not acts_for_party(actor, nomination.party):
        raise PermissionDenied
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Unknown document kind.")})
    if not nomination.is_open:
        raise ValidationError(
            _("Documents can no longer be changed: the nomination is %(state)s.") % {"state": nomination.get_status_display()},
            code="closed",
        )
    detected, sha256 = _checked_document(uploaded_file, kind)
    with transaction.atomic():
        previous = (
            CandidateDocument.objects.select_for_update().filter(nomination=nomination, kind=kind).order_by("-version").first()
        )
        CandidateDocument.objects.filter(nomination=nomination, kind=kind, is_current=True).update(is_current=False)
        document = CandidateDocument(
            nomination=nomination,
            kind=kind,
            version=(previous.version + 1) if previous else 1,
            original_name=os.path.basename(uploaded_file.name)[:255],
            content_type=detected,
            size=uploaded_file.size,
            sha256=sha256,
            uploaded_by=actor,
        )
        document.file.save(
            f"{nomination.pk}-{kind}-{document.version}{os.path.splitext(uploaded_file.name)[1][:8]}", uploaded_file, save=False
        )
        document.save()
        audit_record(
            actor=actor,
            action="candidates.document.upload",
            obj=nomination,
            request=request,
            after={"kind": kind, "version": document.version, "sha256": sha256},
        )
    return document


def document_request_correction(
    *, actor: User, document: CandidateDocument, reason: str, request: HttpRequest | None = None
) -> CandidateDocument:
    """A reviewer asks the party for a corrected document; the party is notified."""

    nomination = document.nomination
    if not reviews_nomination(actor, nomination):
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say what must be corrected.")})
    with transaction.atomic():
        document.correction_requested, document.correction_reason = True, reason.strip()[:500]
        document.save(update_fields=["correction_requested", "correction_reason"])
        audit_record(
            actor=actor,
            action="candidates.document.correction",
            obj=nomination,
            request=request,
            after={"kind": document.kind, "version": document.version, "reason": reason},
        )
        for rep in nomination.party.representatives.select_related("user"):
            notification_queue(
                recipient=rep.user,
                subject=_("Correct the %(kind)s of %(name)s") % {"kind": document.get_kind_display(), "name": nomination.voter},
                body=reason,
            )
    return document


# --------------------------------------------------------------------------- objections


def objection_file(
    *, actor: User, nomination: Nomination, text: str, evidence: UploadedFile | None = None, request: HttpRequest | None = None
) -> Objection:
    """Someone with a legitimate interest objects to a registration, before the calendar's deadline.

    The objection is created and submitted in one transaction (the shared workflow checks "objections close");
    the evidence (optional, a PDF by content) is stored only once everything else has passed.
    """

    if nomination.status != "approved":
        raise ValidationError(
            _("Only a registration can be objected to: the nomination is %(state)s.")
            % {"state": nomination.get_status_display()},
            code="not_registered",
        )
    standing = objection_standing_or_deny(actor, nomination)
    decision = registration_decision(nomination)
    if decision is None or decision.outcome != "registered":
        raise ValidationError(_("This registration has no recorded decision to object to."), code="no_decision")
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Say what you object to and why."), code="required")})
    sha256 = ""
    if evidence is not None:
        sha256 = pdf_check(evidence, limit=DEFAULT_MAX_BYTES, field="evidence")
    with transaction.atomic():
        objection = Objection(
            nomination=nomination, decision=decision, filed_by=actor, standing=standing, text=text, evidence_sha256=sha256
        )
        objection.full_clean(exclude=["nomination", "decision", "filed_by", "evidence"])
        objection.save()
        audit_record(
            actor=actor,
            action="candidates.objection.file",
            obj=nomination,
            request=request,
            after={"objection": objection.pk, "standing": standing, "evidence_sha256": sha256},
        )
        objection = workflow_transition(obj=objection, name="submit", actor=actor, request=request)
        if evidence is not None:
            objection.evidence_name = os.path.basename(evidence.name)[:255]
            objection.evidence.save(f"{nomination.pk}-{objection.pk}-{sha256[:12]}.pdf", evidence, save=False)
            objection.save(update_fields=["evidence", "evidence_name"])
    return objection


@transaction.atomic
def objection_transition(
    *, actor: User, objection: Objection, name: str, reason: str = "", request: HttpRequest | None = None
) -> Objection:
    """Review, uphold, dismiss or withdraw an objection; upholding cancels the registration with the reason."""

    objection = workflow_transition(obj=objection, name=name, actor=actor, reason=reason, request=request)
    if name == "uphold":
        workflow_transition(
            obj=objection.nomination,
            name="cancel",
            actor=actor,
            request=request,
            reason=_("Registration cancelled: objection no. %(id)s was upheld. %(reason)s")
            % {"id": objection.pk, "reason": reason.strip()},
        )
    return objection
