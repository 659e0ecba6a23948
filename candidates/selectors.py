"""Reads of parties: CEC staff see every party; a representative sees only the parties granted to them."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import F, OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from accounts.roles import Role
from accounts.scope import EVERYTHING, NO_SCOPE, commission_scope, scope_for
from candidates.models import REQUIRED_DOCUMENTS, DocumentKind, Nomination, Objection, Party, SignatureSheetUpload
from core.workflow import workflow_can
from elections.models import CommissionMember, Constituency, Deadline, Precinct
from elections.selectors import active_elections


def parties_for(user):
    if not user.is_authenticated:
        return Party.objects.none()
    if user.is_cec:
        return Party.objects.all()
    return get_objects_for_user(user, "candidates.view_party", klass=Party, accept_global_perms=False)


def acts_for_party(user, party) -> bool:
    """Whether ``user`` may act for ``party`` (nominate, upload documents and signatures): CEC staff or its
    representatives."""
    return user.is_authenticated and (user.is_cec or user.has_perm("candidates.represent_party", party))


def reviews_nomination(user, nomination) -> bool:
    """Whether ``user`` reviews this nomination (asks for corrections, registers or refuses): the workflow's
    reviewer rule (``reviewed_constituencies``)."""

    return workflow_can(nomination, user, "return")


def reviewed_constituencies(user):
    """The constituencies whose nominations ``user`` reviews, and so sees (with their documents and signature
    reports, which name signers from the whole constituency): the registering commission's.

    CEC staff: all.  Another official: a single-mandate constituency whose precincts all lie in their area
    (a district commission for a constituency inside its district, a regional one for one inside its region).
    A national list is registered by the CEC only.
    """

    if not user.is_authenticated or not (user.is_cec or user.is_official):
        return _covered_constituencies(NO_SCOPE)
    return _covered_constituencies(EVERYTHING if user.is_cec else scope_for(user))


def _covered_constituencies(scope):
    """The constituencies a commission of ``scope`` registers: all for the central one; else the single-mandate
    constituencies whose every precinct lies in the area."""

    if scope.everything:
        return Constituency.objects.all()
    if scope.is_empty:
        return Constituency.objects.none()
    inside = Precinct.objects.in_scope(scope).values("pk")
    outside = Constituency.objects.filter(precincts__in=Precinct.objects.exclude(pk__in=inside)).values("pk")
    return (
        Constituency.objects.exclude(kind=Constituency.Kind.NATIONAL)
        .filter(precincts__in=inside)
        .exclude(pk__in=outside)
        .distinct()
    )


def public_parties():
    """Registered parties as the public may see them."""
    return Party.objects.filter(is_active=True)


def nominations_for(user):
    """Nominations a user may see: CEC all; a representative their party's; other officials those they review
    (``reviewed_constituencies``)."""

    if not user.is_authenticated:
        return Nomination.objects.none()
    qs = Nomination.objects.select_related("party", "election", "constituency", "voter")
    if user.is_cec:
        return qs
    if user.is_official:
        return qs.filter(constituency__in=reviewed_constituencies(user).values("pk"))
    return qs.filter(party__in=parties_for(user))


def _election_deadline(key: str, election_path: str = "election"):
    return Subquery(Deadline.objects.filter(election=OuterRef(election_path), key=key).values("due")[:1])


def review_queue(user):
    """Open nominations for a reviewer, the most urgent deadline (registration closes) first."""

    if not user.is_official:
        return nominations_for(user).none()
    return (
        nominations_for(user)
        .filter(status__in=["submitted", "under_review"])
        .annotate(decide_by=_election_deadline("registration_closes"))
        .order_by(F("decide_by").asc(nulls_last=True), "status_changed_at", "pk")
    )


def registered_candidates(election):
    """What the law publishes: name, year of birth, party, constituency."""

    return (
        Nomination.objects.filter(election=election, status="approved")
        .select_related("party", "constituency", "voter")
        .order_by("constituency__number", "list_position", "voter__surname_key")
    )


def missing_documents(nomination) -> list[str]:
    """Kinds still needed: never uploaded, or the current version must be corrected."""

    current = {d.kind: d for d in nomination.documents.all() if d.is_current}  # uses a prefetch when there is one
    return [k for k in REQUIRED_DOCUMENTS if k not in current or current[k].correction_requested]


def missing_document_labels(nomination) -> list[str]:
    """The names of the documents still needed (``missing_documents``), for pages and messages."""

    labels = dict(DocumentKind.choices)
    return [str(labels[k]) for k in missing_documents(nomination)]


def latest_verified_upload(nomination):
    """The newest upload of a nomination whose verification finished (the one a decision weighs)."""
    return nomination.signature_uploads.filter(status="done").order_by("-created_at", "-id").first()


def party_nominations_overview(user, party) -> list[dict]:
    """A party's nominations with what is still missing and the next deadline, for the party page."""
    deadlines = {}
    rows = []
    for n in nominations_for(user).filter(party=party).prefetch_related("documents", "signature_uploads"):
        missing = missing_document_labels(n)
        uploads = sorted(n.signature_uploads.all(), key=lambda u: (u.created_at, u.pk), reverse=True)
        verified = next((u for u in uploads if u.status == "done"), None)
        keys = [t.deadline for t in n.workflow.available(n.status) if t.deadline]
        if n.election_id not in deadlines:
            deadlines[n.election_id] = {d.key: d for d in n.election.deadlines.all()}
        next_deadline = next((deadlines[n.election_id][k] for k in keys if k in deadlines[n.election_id]), None)
        rows.append(
            {
                "n": n,
                "missing": missing,
                "latest_upload": uploads[0] if uploads else None,
                "verified": verified,
                "deadline": next_deadline,
            }
        )
    return rows


# --------------------------------------------------------------------------- decisions and objections

#: Commission levels from the top; an objection may come from a level below the one that registered.
LEVEL_RANK = {"central": 0, "regional": 1, "district": 2, "precinct": 3}


def commission_covers(commission, constituency) -> bool:
    """Whether a commission's area includes at least one precinct of the constituency."""

    return constituency.precincts.in_scope(commission_scope(commission)).exists()


def commission_registers(commission, constituency) -> bool:
    """Whether a commission may register candidates of the constituency (the rule of ``reviewed_constituencies``)."""

    return _covered_constituencies(commission_scope(commission)).filter(pk=constituency.pk).exists()


def registering_commission(user, nomination):
    """The commission on whose behalf ``user`` decides this nomination: the highest of theirs that registers it."""

    found = [
        m.commission
        for m in CommissionMember.objects.filter(user=user).select_related("commission")
        if commission_registers(m.commission, nomination.constituency)
    ]
    return min(found, key=lambda c: (LEVEL_RANK[c.level], c.pk)) if found else None


def registration_decision(nomination):
    return nomination.decisions.select_related("signature_upload", "decided_by", "commission").first()


def objection_standing(user, nomination, *, memo: dict | None = None) -> str | None:
    """Why ``user`` may object to this registration (an ``Objection.Standing``), or None.

    ``memo`` (a dict kept across calls) keeps what depends only on the user, the election, the party and the
    constituency, so that a list of candidates costs a few queries, not a few per candidate.
    """

    if not user.is_authenticated:
        return None
    memo = {} if memo is None else memo

    def kept(key, compute):
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    if user.role == Role.PARTY_REP and kept(
        ("party", nomination.party_id, nomination.election_id),
        lambda: (
            parties_for(user).exclude(pk=nomination.party_id).filter(nominations__election_id=nomination.election_id).exists()
        ),
    ):
        return Objection.Standing.PARTY
    own = kept(
        ("candidate", nomination.election_id),
        lambda: (
            set(
                Nomination.objects.filter(election_id=nomination.election_id, voter__pinfl=user.pinfl)
                .exclude(status__in=["withdrawn", "rejected"])
                .values_list("pk", flat=True)
            )
            if user.pinfl
            else set()
        ),
    )
    if own - {nomination.pk}:
        return Objection.Standing.CANDIDATE
    commissions = kept(
        "commissions", lambda: [m.commission for m in CommissionMember.objects.filter(user=user).select_related("commission")]
    )
    if not commissions:
        return None
    decision = registration_decision(nomination)
    top = LEVEL_RANK[decision.commission.level] if decision and decision.commission_id else 0
    for c in commissions:
        if LEVEL_RANK[c.level] > top and kept(
            ("covers", c.pk, nomination.constituency_id), lambda c=c: commission_covers(c, nomination.constituency)
        ):
            return Objection.Standing.COMMISSION
    return None


def objection_standing_or_deny(user, nomination) -> str:
    """The user's standing to object to this registration; ``PermissionDenied`` with the reason if none."""

    standing = objection_standing(user, nomination)
    if standing is None:
        raise PermissionDenied(
            _(
                "Only another party in this election, another candidate or a member of a lower "
                "commission covering the constituency may object to this registration."
            )
        )
    return standing


def may_object(user, nomination, *, memo: dict | None = None) -> bool:
    """Whether ``user`` may object to this nomination now: it is registered and the user has standing."""
    return nomination.status == "approved" and objection_standing(user, nomination, memo=memo) is not None


def objectable(user, nominations) -> set[int]:
    """The ids of those ``nominations`` ``user`` may object to (none for the public)."""
    if not user.is_authenticated:
        return set()
    memo: dict = {}
    return {n.pk for n in nominations if may_object(user, n, memo=memo)}


def party_deadlines(party):
    """The deadlines of the active elections a party has nominated in, the earliest first."""

    return (
        Deadline.objects.filter(election__nominations__party=party, election__in=active_elections())
        .select_related("election")
        .distinct()
        .order_by("due")
    )


#: The calendar dates a nomination's page shows.
NOMINATION_DEADLINE_KEYS = ("nomination_closes", "signatures_end", "registration_closes", "objections_close")


def nomination_deadlines(nomination):
    return nomination.election.deadlines.filter(key__in=NOMINATION_DEADLINE_KEYS)


def objectable_nominations(user):
    """Registrations anyone signed in may look up to object to: registered candidates are public."""

    if not user.is_authenticated:
        return Nomination.objects.none()
    return Nomination.objects.filter(status="approved").select_related("party", "election", "constituency", "voter")


def objections_for(user):
    """Objections on the nominations a user may see, and those the user filed."""

    if not user.is_authenticated:
        return Objection.objects.none()
    return Objection.objects.filter(Q(nomination__in=nominations_for(user).values("pk")) | Q(filed_by=user)).select_related(
        "nomination__party", "nomination__voter", "nomination__election", "decision", "filed_by"
    )


def objections_to_decide(user) -> list:
    """Open objections the user's commission must decide, the earliest "decide by" first."""

    if not user.is_official:
        return []
    mine = Q(decision__commission__memberships__user=user)
    if user.is_cec:
        mine |= Q(decision__commission__isnull=True)
    found = (
        Objection.objects.filter(mine, status__in=["submitted", "under_review"])
        .select_related("nomination__party", "nomination__voter", "nomination__election")
        .distinct()
    )
    return sorted(found, key=lambda o: (o.decide_by, o.pk))


def signature_uploads_for(user):
    """Signature uploads of the nominations a user may see."""

    return SignatureSheetUpload.objects.filter(nomination__in=nominations_for(user).values("pk")).select_related(
        "nomination__election", "nomination__party"
    )


def sheet_batches(nomination):
    """The paper signature sheets printed for ``nomination`` (reach it through ``nominations_for`` first)."""

    return nomination.sheet_batches.select_related(
        "nomination__election", "nomination__party", "nomination__voter", "nomination__constituency", "issued_by"
    )


#: Nominations that make a person a candidate (not withdrawn, refused or cancelled).
CANDIDATE_STATES_OVER = ("withdrawn", "rejected", "revoked")


def holds_candidacy(person, election) -> bool:
    """Whether ``person`` (``elections.eligibility.Person``) stands in ``election``: the role "candidate"."""

    return (
        bool(person.pinfl)
        and Nomination.objects.filter(election=election, voter__pinfl=person.pinfl)
        .exclude(status__in=CANDIDATE_STATES_OVER)
        .exists()
    )
