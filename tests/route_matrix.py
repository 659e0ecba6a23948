"""The permission matrix: for every URL pattern and API route, who may open it.

One entry per route name (``namespace:name``; a DRF route's suffix variants share their name).  Each entry says
how to build the route's arguments from the objects of tests/route_world.py (an object in region A, district A1,
precinct A1-1), the method and body to send, the roles that get through (``allowed``: the answer is one of
``ok``) and, for objects that lie in an area or belong to someone, objects of the same kind that those roles
must not open (``outside``: another region, district, precinct, party, outlet or organisation: 404).

Every other role is refused: 403 or 404; an anonymous visitor of a page is sent to the login, an anonymous API
caller gets 401 or 403.  tests/test_routes.py fails for a route without an entry here and for an entry whose
route is gone.  The Django admin is one rule, ``admin:*``: administrators only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import conftest

ALL = frozenset(conftest.ROLES)
SIGNED_IN = ALL - {"anon"}
OFFICIALS = frozenset(conftest.OFFICIALS)
CEC = frozenset({"admin", "cec"})
#: Officials whose area holds the whole of district A1 (a precinct commission's does not).
A1_WHOLE = CEC | {"region", "district"}
PARTY_SIDE = CEC | {"party"}
#: Who sees nomination A (own party, constituency of precincts A1-1 and A1-2, registered by district A1).
NOMINATION_A = A1_WHOLE | {"party"}
EDITOR_SIDE = CEC | {"editor"}
MEDIA_SIDE = CEC | {"editor", "journalist"}
COORDINATOR_SIDE = CEC | {"coordinator"}
#: Who sees observer A and their accreditation at precinct A1-1.
OBSERVER_A = OFFICIALS | {"coordinator", "observer"}
REPORTERS = frozenset({"observer", "journalist"})

#: Success for a write: saved (200/201/204), a redirect to the next page, or the form's errors.
WRITE_OK = frozenset({200, 201, 204, 302, 400})
LOGIN = "/accounts/login/"


def no_kwargs(w) -> dict:
    return {}


def pk(key: str, name: str = "pk") -> Callable:
    return lambda w: {name: w[key].pk}


def area(kind: str, key: str, name: str = "pk") -> Callable:
    """The pk of ``country.<kind>[key]`` (``regions["A"]``, ``districts["A1"]``, ``precincts["A1-1"]``)."""
    return lambda w: {name: getattr(w.country, kind)[key].pk}


def election(name: str = "pk") -> Callable:
    return lambda w: {name: w.country.election.pk}


@dataclass(frozen=True)
class Outside:
    """An object of the entry's kind that only ``allowed`` may open (the rest of the entry's roles: 404/403)."""

    label: str
    kwargs: Callable
    allowed: frozenset


@dataclass(frozen=True)
class Entry:
    allowed: frozenset
    kwargs: Callable = no_kwargs
    method: str = "get"
    data: dict | Callable | None = None  # a callable takes the world
    query: str = ""
    ok: frozenset = frozenset({200})
    outside: tuple[Outside, ...] = ()
    #: Request with a client of its own (the request ends the session: logout).
    fresh_client: bool = False
    #: ``before(client, world)`` runs first with the same client (keeps something in the session).
    before: Callable | None = None
    #: The route requested for a prefix rule (``admin:*``).
    sample: str | None = None
    #: Where a refused page sends its visitor.
    login: str = LOGIN
    notes: str = field(default="", compare=False)


def cec_only_outside(label: str, kwargs: Callable) -> tuple[Outside, ...]:
    return (Outside(label, kwargs, CEC),)


#: A precinct in A1 that is not the precinct commission's; a precinct in region B.
PRECINCT_OUTSIDE = (
    Outside("precinct A1-2", area("precincts", "A1-2"), A1_WHOLE),
    Outside("precinct B1-1", area("precincts", "B1-1"), CEC),
)


VOTER_OUTSIDE = (Outside("voter at A1-2", pk("voter_a12"), A1_WHOLE), Outside("voter at B1-1", pk("voter_b"), CEC))
DUP_OUTSIDE = (Outside("pair at A1-2", pk("dup_a12"), A1_WHOLE), Outside("pair at B1-1", pk("dup_b"), CEC))
#: Requests to vote at A1-2 and at B1-1 (a request lies at the precinct asked for).
REQUEST_OUTSIDE = (Outside("request for A1-2", pk("request_a12"), A1_WHOLE), Outside("request for B1-1", pk("request_b"), CEC))
#: Another organisation's observers, at A1-2 and at B1-1.
ACCREDITATION_OUTSIDE = (
    Outside("other organisation's, at A1-2", pk("accreditation_a12"), A1_WHOLE),
    Outside("other organisation's, at B1-1", pk("accreditation_b"), CEC),
)


#: A protocol in region B (only the CEC opens it); within district A1 they are all at A1-1 or A1-2.
PROTOCOL_OUTSIDE = (Outside("protocol at B1-1", pk("protocol_b"), CEC),)
#: A contest whose seat calculation is not published: its public sheet (page and PDF) is 404 to everyone.
SEATS_UNPUBLISHED = (Outside("unpublished seat sheet", pk("single_b", "constituency_id"), frozenset()),)


def _bad_bulk_file(client, w) -> None:
    """A refused bulk file, so that its error report is kept for the caller."""

    content = b"pinfl,passport_number,country,surname,given_name,birth_date\n123,,,X,Y,1990-01-01\n"
    client.post(
        reverse("observers:bulk_upload", kwargs={"pk": w["org_a"].pk}),
        {"file": SimpleUploadedFile("observers.csv", content, content_type="text/csv")},
    )


def _token(w) -> dict:
    return {"token": w["credential_a"].token}


MATRIX: dict[str, Entry] = {
    # ------------------------------------------------------------------ project pages, accounts, i18n
    "home": Entry(ALL),
    "dashboard": Entry(OFFICIALS),
    "landing": Entry(ALL, ok=frozenset({302})),  # each role's own starting page
    "accounts:login": Entry(ALL, ok=frozenset({200, 302})),  # a signed-in user is sent on
    "accounts:logout": Entry(ALL, method="post", ok=frozenset({200, 302}), fresh_client=True),
    "accounts:two_factor": Entry(SIGNED_IN, ok=frozenset({302})),  # everyone here is already verified
    "set_language": Entry(ALL, method="post", data={"language": "en", "next": "/"}, ok=frozenset({302})),
    "admin:*": Entry(frozenset({"admin"}), sample="admin:index", login="/admin/login/"),
    # ------------------------------------------------------------------ public credentials check (no login)
    "core:credential_verify": Entry(ALL, _token),
    "core:credential_photo": Entry(ALL, _token),
    # ------------------------------------------------------------------ geography, elections, commissions
    "elections:region_list": Entry(OFFICIALS),
    "elections:region_detail": Entry(OFFICIALS, area("regions", "A"), outside=cec_only_outside("region B", area("regions", "B"))),
    "elections:district_detail": Entry(
        OFFICIALS,
        area("districts", "A1"),
        outside=(
            Outside("district A2", area("districts", "A2"), CEC | {"region"}),
            Outside("district B1", area("districts", "B1"), CEC),
        ),
    ),
    "elections:precinct_detail": Entry(OFFICIALS, area("precincts", "A1-1"), outside=PRECINCT_OUTSIDE),
    "elections:commission_detail": Entry(
        OFFICIALS,
        pk("commission_a"),
        outside=(
            Outside("precinct commission A1-2", pk("commission_a12"), A1_WHOLE),
            Outside("regional commission A", pk("commission_region_a"), CEC | {"region"}),
            Outside("district commission B1", pk("commission_b"), CEC),
        ),
    ),
    "elections:election_list": Entry(OFFICIALS),
    "elections:election_detail": Entry(OFFICIALS, election()),
    # ------------------------------------------------------------------ the voter list
    "voters:search": Entry(OFFICIALS),
    "voters:detail": Entry(
        OFFICIALS,
        pk("voter_a"),
        outside=VOTER_OUTSIDE,
    ),
    "voters:edit": Entry(
        OFFICIALS,
        pk("voter_a"),
        outside=VOTER_OUTSIDE,
    ),
    "voters:status": Entry(
        OFFICIALS,
        pk("voter_a"),
        outside=VOTER_OUTSIDE,
    ),
    "voters:change_document": Entry(
        OFFICIALS,
        lambda w: {"pk": w["changed_a"].pk, "change_id": w["change_a"].pk},
        outside=cec_only_outside("voter at B1-1", lambda w: {"pk": w["changed_b"].pk, "change_id": w["change_b"].pk}),
    ),
    "voters:precinct_list": Entry(OFFICIALS, area("precincts", "A1-1"), outside=PRECINCT_OUTSIDE),
    # a district's lists at once: only for an area holding the whole district
    "voters:district_export": Entry(
        A1_WHOLE,
        area("districts", "A1"),
        method="post",
        data={"format": "csv"},
        ok=frozenset({302}),
        outside=cec_only_outside("district B1", area("districts", "B1")),
    ),
    # an export is its creator's (district A1's here; the B1 one is CEC staff's)
    "voters:export_detail": Entry(
        frozenset({"district"}), pk("export_a"), outside=(Outside("CEC export of B1", pk("export_b"), frozenset({"cec"})),)
    ),
    "voters:export_download": Entry(
        frozenset({"district"}), pk("export_a"), outside=(Outside("CEC export of B1", pk("export_b"), frozenset({"cec"})),)
    ),
    "voters:counts": Entry(OFFICIALS),
    "voters:imports": Entry(CEC),
    "voters:import_detail": Entry(CEC, pk("import")),
    "voters:import_errors": Entry(CEC, pk("import")),
    "voters:duplicates": Entry(OFFICIALS),
    "voters:duplicates_scan": Entry(CEC, method="post", ok=frozenset({302})),
    "voters:duplicate_detail": Entry(OFFICIALS, pk("dup_a"), outside=DUP_OUTSIDE),
    "voters:assignment": Entry(A1_WHOLE),  # precinct commissions do not assign voters
    "voters:requests": Entry(OFFICIALS),
    "voters:request_decide": Entry(OFFICIALS, pk("request_a"), method="post", ok=frozenset({302}), outside=REQUEST_OUTSIDE),
    "voters:lookup": Entry(ALL),
    "voters:stay": Entry(ALL),
    "voters:stay_track": Entry(ALL),
    # ------------------------------------------------------------------ parties and candidates
    "candidates:party_list": Entry(PARTY_SIDE),
    "candidates:party_detail": Entry(PARTY_SIDE, pk("party_a"), outside=cec_only_outside("other party", pk("party_b"))),
    "candidates:party_nominations": Entry(PARTY_SIDE, pk("party_a"), outside=cec_only_outside("other party", pk("party_b"))),
    "candidates:nomination_detail": Entry(
        NOMINATION_A, pk("nomination_a"), outside=cec_only_outside("nomination in B", pk("nomination_b"))
    ),
    "candidates:review_queue": Entry(OFFICIALS),
    "candidates:document_upload": Entry(
        NOMINATION_A,
        pk("nomination_a"),
        method="post",
        ok=frozenset({302}),
        outside=cec_only_outside("nomination in B", pk("nomination_b")),
    ),
    "candidates:document_download": Entry(
        NOMINATION_A,
        lambda w: {"pk": w["nomination_a"].pk, "document_pk": w["document_a"].pk},
        outside=(
            Outside("nomination in B", lambda w: {"pk": w["nomination_b"].pk, "document_pk": w["document_b"].pk}, CEC),
            Outside(
                "B's document under A", lambda w: {"pk": w["nomination_a"].pk, "document_pk": w["document_b"].pk}, frozenset()
            ),
        ),
    ),
    "candidates:document_correction": Entry(
        A1_WHOLE,
        lambda w: {"pk": w["nomination_a"].pk, "document_pk": w["document_a"].pk},
        method="post",
        ok=frozenset({302}),
        outside=cec_only_outside("nomination in B", lambda w: {"pk": w["nomination_b"].pk, "document_pk": w["document_b"].pk}),
    ),
    "candidates:signatures": Entry(
        NOMINATION_A, pk("nomination_a"), outside=cec_only_outside("nomination in B", pk("nomination_b"))
    ),
    **{
        f"candidates:{name}": Entry(
            NOMINATION_A,
            lambda w: {"pk": w["nomination_a"].pk, "upload_pk": w["signatures_a"].pk},
            outside=(
                Outside("nomination in B", lambda w: {"pk": w["nomination_b"].pk, "upload_pk": w["signatures_b"].pk}, CEC),
                Outside(
                    "B's upload under A", lambda w: {"pk": w["nomination_a"].pk, "upload_pk": w["signatures_b"].pk}, frozenset()
                ),
            ),
        )
        for name in ("signatures_detail", "signatures_report", "signatures_report_pdf")
    },
    # nomination A is approved: its sheets are read, no more are issued (a POST is refused)
    "candidates:sheets": Entry(NOMINATION_A, pk("nomination_a"), outside=cec_only_outside("nomination in B", pk("nomination_b"))),
    "candidates:sheets_pdf": Entry(
        NOMINATION_A,
        lambda w: {"pk": w["nomination_a"].pk, "batch_pk": w["sheets_a"].pk},
        outside=(
            Outside("nomination in B", lambda w: {"pk": w["nomination_b"].pk, "batch_pk": w["sheets_b"].pk}, CEC),
            Outside("B's sheets under A", lambda w: {"pk": w["nomination_a"].pk, "batch_pk": w["sheets_b"].pk}, frozenset()),
        ),
    ),
    "candidates:nomination_objections": Entry(
        NOMINATION_A, pk("nomination_a"), outside=cec_only_outside("nomination in B", pk("nomination_b"))
    ),
    # standing to object to A (registered by district A1): a lower commission covering the constituency
    "candidates:objection_file": Entry(frozenset({"precinct"}), pk("nomination_a")),
    "candidates:objection_detail": Entry(
        NOMINATION_A, pk("objection_a"), outside=(Outside("objection to B (filed by the party)", pk("objection_b"), PARTY_SIDE),)
    ),
    "candidates:objection_evidence": Entry(
        NOMINATION_A, pk("objection_a"), outside=(Outside("objection to B (filed by the party)", pk("objection_b"), PARTY_SIDE),)
    ),
    "candidates:public_parties": Entry(ALL),
    "candidates:public_candidates": Entry(ALL, election("election_pk")),
    # ------------------------------------------------------------------ media
    "media_accreditation:outlet_list": Entry(EDITOR_SIDE),
    "media_accreditation:outlet_detail": Entry(
        EDITOR_SIDE, pk("outlet_a"), outside=cec_only_outside("other outlet", pk("outlet_b"))
    ),
    "media_accreditation:accreditation_detail": Entry(
        MEDIA_SIDE, pk("press_a"), outside=cec_only_outside("other outlet's", pk("press_b"))
    ),
    "media_accreditation:press_card": Entry(MEDIA_SIDE, pk("press_a"), outside=cec_only_outside("other outlet's", pk("press_b"))),
    "media_accreditation:my_accreditations": Entry(frozenset({"journalist"})),
    "media_accreditation:review_queue": Entry(CEC),
    "media_accreditation:public_index": Entry(ALL),
    "media_accreditation:public_outlets": Entry(ALL, election("election_pk")),
    # ------------------------------------------------------------------ observers
    "observers:register": Entry(ALL, ok=frozenset({200, 302})),  # the signed-in are sent on
    "observers:my_accreditations": Entry(frozenset({"observer"})),
    "observers:observer_photo": Entry(
        COORDINATOR_SIDE | {"observer"},
        pk("observer_a"),
        method="post",
        ok=frozenset({302}),
        outside=cec_only_outside("other organisation's", pk("observer_b")),
    ),
    "observers:accreditation_detail": Entry(OBSERVER_A, pk("accreditation_a"), outside=ACCREDITATION_OUTSIDE),
    "observers:badge": Entry(OBSERVER_A, pk("accreditation_a"), outside=ACCREDITATION_OUTSIDE),
    "observers:organization_list": Entry(COORDINATOR_SIDE),
    "observers:organization_detail": Entry(
        COORDINATOR_SIDE, pk("org_a"), outside=cec_only_outside("other organisation", pk("org_b"))
    ),
    "observers:bulk_upload": Entry(COORDINATOR_SIDE, pk("org_a"), outside=cec_only_outside("other organisation", pk("org_b"))),
    "observers:bulk_errors": Entry(COORDINATOR_SIDE, pk("org_a"), before=_bad_bulk_file),
    "observers:organization_accreditations": Entry(
        COORDINATOR_SIDE, pk("org_a"), outside=cec_only_outside("other organisation", pk("org_b"))
    ),
    "observers:queue": Entry(OFFICIALS),
    "observers:accredited": Entry(OFFICIALS),
    # ------------------------------------------------------------------ incidents
    "incidents:incident_new": Entry(REPORTERS),
    "incidents:my_incidents": Entry(REPORTERS),
    "incidents:incident_inbox": Entry(OFFICIALS),
    "incidents:incident_overview": Entry(OFFICIALS),
    # A: reported by the observer at A1-1; B: by the journalist at B1-1
    "incidents:incident_detail": Entry(
        OFFICIALS | {"observer"},
        pk("incident_a"),
        outside=(
            Outside("at A1-2", pk("incident_a12"), A1_WHOLE | {"journalist"}),
            Outside("at B1-1", pk("incident_b"), CEC | {"journalist"}),
        ),
    ),
    "incidents:incident_photo": Entry(
        OFFICIALS | {"observer"},
        lambda w: {"pk": w["incident_a"].pk, "photo_pk": w["incident_photo_a"].pk},
        outside=(
            Outside(
                "at A1-2",
                lambda w: {"pk": w["incident_a12"].pk, "photo_pk": w["incident_photo_a12"].pk},
                A1_WHOLE | {"journalist"},
            ),
            Outside("at B1-1", lambda w: {"pk": w["incident_b"].pk, "photo_pk": w["incident_photo_b"].pk}, CEC | {"journalist"}),
            Outside("B's photo under A", lambda w: {"pk": w["incident_a"].pk, "photo_pk": w["incident_photo_b"].pk}, frozenset()),
        ),
    ),
    # ------------------------------------------------------------------ API: geography, elections, commissions
    "api-root": Entry(SIGNED_IN),
    "region-list": Entry(OFFICIALS),
    "region-detail": Entry(OFFICIALS, area("regions", "A"), outside=cec_only_outside("region B", area("regions", "B"))),
    "district-list": Entry(OFFICIALS),
    "district-detail": Entry(
        OFFICIALS,
        area("districts", "A1"),
        outside=(
            Outside("district A2", area("districts", "A2"), CEC | {"region"}),
            Outside("district B1", area("districts", "B1"), CEC),
        ),
    ),
    "mahalla-list": Entry(OFFICIALS),
    "mahalla-detail": Entry(
        OFFICIALS,
        area("mahallas", "A1"),
        outside=(
            Outside("mahalla of A2", area("mahallas", "A2"), CEC | {"region"}),
            Outside("mahalla of B1", area("mahallas", "B1"), CEC),
        ),
    ),
    "precinct-list": Entry(OFFICIALS),
    "precinct-detail": Entry(OFFICIALS, area("precincts", "A1-1"), outside=PRECINCT_OUTSIDE),
    "election-list": Entry(SIGNED_IN),
    "election-detail": Entry(SIGNED_IN, election()),
    "commission-list": Entry(OFFICIALS),
    "commission-detail": Entry(
        OFFICIALS,
        pk("commission_a"),
        outside=(
            Outside("precinct commission A1-2", pk("commission_a12"), A1_WHOLE),
            Outside("regional commission A", pk("commission_region_a"), CEC | {"region"}),
            Outside("district commission B1", pk("commission_b"), CEC),
        ),
    ),
    # ------------------------------------------------------------------ API: the voter list
    "voter-list": Entry(OFFICIALS),
    "voter-detail": Entry(
        OFFICIALS,
        pk("voter_a"),
        outside=VOTER_OUTSIDE,
    ),
    "voter-history": Entry(
        OFFICIALS,
        pk("voter_a"),
        outside=VOTER_OUTSIDE,
    ),
    "import-list": Entry(CEC),
    "import-detail": Entry(CEC, pk("import")),
    "import-errors": Entry(CEC, pk("import")),
    "duplicate-list": Entry(OFFICIALS),
    "duplicate-detail": Entry(OFFICIALS, pk("dup_a"), outside=DUP_OUTSIDE),
    "duplicate-confirm": Entry(OFFICIALS, pk("dup_a"), method="post", data={}, ok=frozenset({400}), outside=DUP_OUTSIDE),
    "duplicate-reject": Entry(OFFICIALS, pk("dup_a"), method="post", ok=WRITE_OK, outside=DUP_OUTSIDE),
    "location-request-list": Entry(OFFICIALS),
    "location-request-detail": Entry(OFFICIALS, pk("request_a"), outside=REQUEST_OUTSIDE),
    "location-request-decide": Entry(
        OFFICIALS,
        pk("request_a"),
        method="post",
        data={"decision": "reject", "reason": "No room."},
        ok=WRITE_OK,
        outside=REQUEST_OUTSIDE,
    ),
    "public-lookup": Entry(ALL, method="post", data={}, ok=frozenset({400})),
    "public-location-request": Entry(ALL, method="post", data={}, ok=frozenset({400})),
    "public-ping": Entry(ALL),
    # ------------------------------------------------------------------ API: parties and candidates
    "party-list": Entry(SIGNED_IN),  # narrowed to the caller's parties (none: an empty list)
    "party-detail": Entry(PARTY_SIDE, pk("party_a"), outside=cec_only_outside("other party", pk("party_b"))),
    "nomination-list": Entry(SIGNED_IN),
    "nomination-detail": Entry(NOMINATION_A, pk("nomination_a"), outside=cec_only_outside("nomination in B", pk("nomination_b"))),
    # a registered nomination cannot be submitted: 400 once the nomination is found
    "nomination-transition": Entry(
        NOMINATION_A,
        pk("nomination_a"),
        method="post",
        data={"action": "submit", "reason": ""},
        ok=frozenset({400}),
        outside=cec_only_outside("nomination in B", pk("nomination_b")),
    ),
    "signature-upload-list": Entry(SIGNED_IN),
    **{
        name: Entry(NOMINATION_A, pk("signatures_a"), outside=cec_only_outside("nomination in B", pk("signatures_b")))
        for name in (
            "signature-upload-detail",
            "signature-upload-result",
            "signature-upload-report-csv",
            "signature-upload-report-pdf",
        )
    },
    "objection-list": Entry(SIGNED_IN),
    "objection-detail": Entry(
        NOMINATION_A, pk("objection_a"), outside=(Outside("objection to B (filed by the party)", pk("objection_b"), PARTY_SIDE),)
    ),
    # upholding needs a reason: 400 once the objection is found
    "objection-transition": Entry(
        NOMINATION_A,
        pk("objection_a"),
        method="post",
        data={"action": "uphold", "reason": ""},
        ok=frozenset({400}),
        outside=(Outside("objection to B (filed by the party)", pk("objection_b"), PARTY_SIDE),),
    ),
    # ------------------------------------------------------------------ API: media
    "media-outlet-list": Entry(EDITOR_SIDE),
    "media-outlet-detail": Entry(EDITOR_SIDE, pk("outlet_a"), outside=cec_only_outside("other outlet", pk("outlet_b"))),
    "journalist-list": Entry(MEDIA_SIDE),
    "journalist-detail": Entry(MEDIA_SIDE, pk("journalist_a"), outside=cec_only_outside("other outlet's", pk("journalist_b"))),
    "media-accreditation-list": Entry(MEDIA_SIDE),
    "media-accreditation-detail": Entry(MEDIA_SIDE, pk("press_a"), outside=cec_only_outside("other outlet's", pk("press_b"))),
    # an approved accreditation cannot be submitted: 400 once it is found
    "media-accreditation-transition": Entry(
        MEDIA_SIDE,
        pk("press_a"),
        method="post",
        data={"action": "submit", "reason": ""},
        ok=frozenset({400}),
        outside=cec_only_outside("other outlet's", pk("press_b")),
    ),
    # ------------------------------------------------------------------ API: observers
    "observer-organization-list": Entry(SIGNED_IN),
    "observer-organization-detail": Entry(
        COORDINATOR_SIDE, pk("org_a"), outside=cec_only_outside("other organisation", pk("org_b"))
    ),
    "observer-list": Entry(SIGNED_IN),
    "observer-detail": Entry(
        OBSERVER_A,
        pk("observer_a"),
        outside=(
            Outside("other organisation's, at A1-2", pk("observer_a12"), A1_WHOLE),
            Outside("other organisation's, at B1-1", pk("observer_b"), CEC),
        ),
    ),
    "observer-accreditation-list": Entry(SIGNED_IN),
    "observer-accreditation-detail": Entry(OBSERVER_A, pk("accreditation_a"), outside=ACCREDITATION_OUTSIDE),
    "observer-accreditation-transition": Entry(
        OBSERVER_A,
        pk("accreditation_a"),
        method="post",
        data={"action": "submit", "reason": ""},
        ok=frozenset({400}),
        outside=ACCREDITATION_OUTSIDE,
    ),
    # ------------------------------------------------------------------ API: incidents
    "incident-list": Entry(SIGNED_IN),
    "incident-detail": Entry(
        OFFICIALS | {"observer"},
        pk("incident_a"),
        outside=(
            Outside("at A1-2", pk("incident_a12"), A1_WHOLE | {"journalist"}),
            Outside("at B1-1", pk("incident_b"), CEC | {"journalist"}),
        ),
    ),
    "incident-answer": Entry(
        OFFICIALS,
        pk("incident_a"),
        method="post",
        data={"answer": "Sealed now."},
        ok=WRITE_OK,
        outside=(Outside("at A1-2", pk("incident_a12"), A1_WHOLE), Outside("at B1-1", pk("incident_b"), CEC)),
    ),
    "incident-close": Entry(
        OFFICIALS,
        pk("incident_a"),
        method="post",
        data={"answer": "Sealed now."},
        ok=WRITE_OK,
        outside=(Outside("at A1-2", pk("incident_a12"), A1_WHOLE), Outside("at B1-1", pk("incident_b"), CEC)),
    ),
    # ------------------------------------------------------------------ results (election day and the count)
    "results:home": Entry(OFFICIALS),
    # officials whose area covers the precinct open the entry form; only its members may submit
    "results:protocol_enter": Entry(
        OFFICIALS,
        lambda w: {"constituency_id": w["single_a"].pk, "precinct_id": w.country.precincts["A1-1"].pk},
        outside=(
            Outside(
                "precinct A1-2",
                lambda w: {"constituency_id": w["single_a"].pk, "precinct_id": w.country.precincts["A1-2"].pk},
                A1_WHOLE,
            ),
            Outside(
                "precinct B1-1",
                lambda w: {"constituency_id": w["single_b"].pk, "precinct_id": w.country.precincts["B1-1"].pk},
                CEC,
            ),
        ),
    ),
    "results:protocol_detail": Entry(OFFICIALS, pk("protocol_a"), outside=PROTOCOL_OUTSIDE),
    "results:protocol_print": Entry(OFFICIALS, pk("protocol_a"), outside=PROTOCOL_OUTSIDE),
    "results:protocol_scan": Entry(OFFICIALS, pk("protocol_a"), method="post", ok=frozenset({302}), outside=PROTOCOL_OUTSIDE),
    "results:protocol_scan_file": Entry(
        OFFICIALS,
        lambda w: {"pk": w["protocol_a"].pk, "scan_pk": w["scan_a"].pk},
        outside=(Outside("B1-1", lambda w: {"pk": w["protocol_b"].pk, "scan_pk": w["scan_b"].pk}, CEC),),
    ),
    "results:protocol_qr_check": Entry(OFFICIALS, pk("protocol_a"), method="post", ok=frozenset({302}), outside=PROTOCOL_OUTSIDE),
    "results:turnout_enter": Entry(
        OFFICIALS,
        area("precincts", "A1-1", "precinct_id"),
        outside=(
            Outside("precinct A1-2", area("precincts", "A1-2", "precinct_id"), A1_WHOLE),
            Outside("precinct B1-1", area("precincts", "B1-1", "precinct_id"), CEC),
        ),
    ),
    "results:copies": Entry(OFFICIALS | {"observer", "coordinator"}),
    # an observer records a copy at a precinct they are accredited to (A1-1), nowhere else
    "results:copy_new": Entry(
        frozenset({"observer"}),
        lambda w: {"constituency_id": w["single_a"].pk, "precinct_id": w.country.precincts["A1-1"].pk},
        outside=(
            Outside(
                "not accredited to A1-2",
                lambda w: {"constituency_id": w["single_a"].pk, "precinct_id": w.country.precincts["A1-2"].pk},
                frozenset(),
            ),
        ),
    ),
    "results:seats": Entry(OFFICIALS, pk("single_a", "constituency_id")),
    # the sheet as PDF: the same as its page (officials see the latest calculation, a draft too)
    "results:seats_pdf": Entry(
        OFFICIALS,
        pk("single_a", "constituency_id"),
        outside=(Outside("unpublished, constituency 2", pk("single_b", "constituency_id"), OFFICIALS),),
    ),
    "results:public_results": Entry(ALL, election("election_id")),
    "results:public_results_csv": Entry(ALL, election("election_id")),
    "results:public_results_json": Entry(ALL, election("election_id")),
    "results:public_results_feed": Entry(ALL, election("election_id")),
    "results:public_results_nist": Entry(ALL, election("election_id")),
    # the signed scan of a published protocol, for everyone; an unpublished protocol's scan is nobody's here
    "results:public_protocol_scan": Entry(
        ALL, pk("protocol_published"), outside=(Outside("unpublished protocol", pk("protocol_a"), frozenset()),)
    ),
    "results:public_seats": Entry(ALL, pk("single_a", "constituency_id"), outside=SEATS_UNPUBLISHED),
    "results:public_seats_pdf": Entry(ALL, pk("single_a", "constituency_id"), outside=SEATS_UNPUBLISHED),
    "public-results": Entry(ALL, election("election_id")),
    # the API of the count: entry by the precinct's members (the A1-1 protocol is accepted already: 400)
    "protocol-entry": Entry(
        frozenset({"precinct"}),
        method="post",
        data=lambda w: {"constituency": w["single_a"].pk, "precinct": w.country.precincts["A1-1"].pk, "figures": {}},
        ok=WRITE_OK,
    ),
    "protocol-list": Entry(OFFICIALS),
    "protocol-detail": Entry(OFFICIALS, pk("protocol_a"), outside=PROTOCOL_OUTSIDE),
    "protocol-pdf": Entry(OFFICIALS, pk("protocol_a"), outside=PROTOCOL_OUTSIDE),
    "protocol-verify": Entry(
        frozenset({"district"}),
        pk("protocol_a"),
        method="post",
        ok=WRITE_OK,
        outside=(Outside("B1-1", pk("protocol_b"), frozenset()),),
    ),
    "protocol-certify": Entry(CEC, pk("protocol_a12"), method="post", ok=WRITE_OK),
    "protocol-publish": Entry(CEC, pk("protocol_national_a"), method="post", ok=WRITE_OK),
    # any commission covering the precinct may propose a correction before certification (here a bad body: 400)
    "protocol-corrections": Entry(OFFICIALS, pk("protocol_a"), method="post", ok=WRITE_OK, outside=PROTOCOL_OUTSIDE),
    "protocol-correction-list": Entry(OFFICIALS),
    "protocol-correction-detail": Entry(OFFICIALS, pk("correction_a"), outside=(Outside("B1-1", pk("correction_b"), CEC),)),
    # approved by a commission above the precinct other than the one who opened it (district A1; CEC staff for B)
    # approved by a commission above the precinct other than the one who opened it (district A1 did); the region
    # of B is checked in tests/results/test_api.py (CEC staff opened B's, so "outside" cannot say 404 for them)
    "protocol-correction-approve": Entry(CEC | {"region"}, pk("correction_a"), method="post", ok=WRITE_OK),
    "turnout-list": Entry(OFFICIALS),
    "turnout-detail": Entry(OFFICIALS, pk("turnout_a"), outside=(Outside("B1-1", pk("turnout_b"), CEC),)),
    # publishing a time: the CEC (before that time of election day: 400)
    "turnout-publish": Entry(CEC, method="post", data=lambda w: {"election": w.country.election.pk, "at": "10:00"}, ok=WRITE_OK),
    # ------------------------------------------------------------------ API: the caller, tokens, schema, docs
    "api-me": Entry(SIGNED_IN),
    "api-token": Entry(SIGNED_IN, method="post", ok=frozenset({201})),
    "api-schema": Entry(ALL),
    "api-docs": Entry(ALL),
}

#: Prefix rules: every route whose name starts with the key, or whose path starts with the value, is the entry's.
PREFIX_RULES = {"admin:*": ("admin:", "admin/")}
