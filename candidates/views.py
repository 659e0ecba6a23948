from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from candidates import forms, selectors, services
from candidates import sheets as sheet_print
from candidates import signatures as sig
from candidates.models import CONSEQUENTIAL_TRANSITIONS, SignatureReason, signature_check_label
from candidates.reports import report_response
from core.forms import add_errors
from core.permissions import role_required
from core.views import register_list_page, transition_step
from core.workflow import workflow_actions
from elections.selectors import active_elections, get_scoped

party_side = role_required(lambda u: u.is_cec or u.role == Role.PARTY_REP)


@party_side
def party_list(request):
    return register_list_page(
        request,
        form_class=forms.PartyForm,
        register=services.party_register,
        done_message=_("The party was registered."),
        detail="candidates:party_detail",
        template="candidates/party_list.html",
        context={"parties": selectors.parties_for(request.user)},
    )


@party_side
def party_detail(request, pk: int):
    party = get_scoped(selectors.parties_for(request.user), pk=pk)
    form = forms.RepresentativeForm(request.POST or None) if request.user.is_cec else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.party_representative_add(
                    actor=request.user, party=party, user=form.cleaned_data["username"], request=request
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Representative added."))
                return redirect("candidates:party_detail", pk=party.pk)
    return render(
        request,
        "candidates/party_detail.html",
        {"party": party, "representatives": party.representatives.select_related("user"), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


def public_party_list(request):
    return render(
        request, "candidates/public_parties.html", {"parties": selectors.public_parties(), "elections": active_elections()}
    )


@party_side
def party_nominations(request, pk: int):
    party = get_scoped(selectors.parties_for(request.user), pk=pk)
    form = forms.NominationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(actor=request.user, party=party, request=request, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The nomination was saved as a draft. Submit it before the deadline."))
            return redirect("candidates:nomination_detail", pk=nomination.pk)
    return render(
        request,
        "candidates/party_nominations.html",
        {
            "party": party,
            "form": form,
            "overview": selectors.party_nominations_overview(request.user, party),
            "deadlines": selectors.party_deadlines(party),
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def nomination_detail(request, pk: int):
    nomination = get_scoped(selectors.nominations_for(request.user), pk=pk)
    if request.method == "POST":
        return transition_step(
            request,
            nomination,
            lambda **kw: services.nomination_transition(actor=request.user, nomination=nomination, request=request, **kw),
            subject=f"{nomination.voter} · {nomination.party} · {nomination.election}",
            back=reverse("candidates:nomination_detail", args=[nomination.pk]),
        )

    actions = [t for t in workflow_actions(nomination, request.user) if t.name not in CONSEQUENTIAL_TRANSITIONS]
    can_upload = selectors.acts_for_party(request.user, nomination.party)
    can_review = selectors.reviews_nomination(request.user, nomination)
    return render(
        request,
        "candidates/nomination_detail.html",
        {
            "n": nomination,
            "actions": actions,
            "history": nomination.status_history(),
            "deadlines": selectors.nomination_deadlines(nomination),
            "documents": nomination.documents.order_by("kind", "-version"),
            "missing": selectors.missing_document_labels(nomination),
            "document_form": forms.DocumentForm() if can_upload else None,
            "can_review": can_review,
            "decision": selectors.registration_decision(nomination),
            "latest_verified": selectors.latest_verified_upload(nomination),
            "objections": selectors.objections_for(request.user).filter(nomination=nomination),
            "can_object": selectors.may_object(request.user, nomination),
        },
    )


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def document_upload(request, pk: int):
    nomination = get_scoped(selectors.nominations_for(request.user), pk=pk)
    form = forms.DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                actor=request.user,
                nomination=nomination,
                kind=form.cleaned_data["kind"],
                uploaded_file=form.cleaned_data["file"],
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Document uploaded."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("candidates:nomination_detail", pk=nomination.pk)


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def document_download(request, pk: int, document_pk: int):
    """Documents live outside the web root; only those who may see the nomination get them."""

    nomination = get_scoped(selectors.nominations_for(request.user), pk=pk)
    document = get_scoped(nomination.documents.all(), pk=document_pk)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name, content_type=document.content_type
    )


@role_required(lambda u: u.is_official)
def document_correction(request, pk: int, document_pk: int):
    nomination = get_scoped(selectors.nominations_for(request.user), pk=pk)
    document = get_scoped(nomination.documents.filter(is_current=True), pk=document_pk)
    try:
        services.document_request_correction(
            actor=request.user, document=document, reason=request.POST.get("reason", ""), request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The party was asked for a corrected document."))
    return redirect("candidates:nomination_detail", pk=nomination.pk)


@role_required(lambda u: u.is_official)
def review_queue(request):
    return render(
        request,
        "candidates/review_queue.html",
        {"nominations": selectors.review_queue(request.user), "objections": selectors.objections_to_decide(request.user)},
    )


def public_candidates(request, election_pk: int):

    election = get_scoped(active_elections(), pk=election_pk)
    candidates = list(selectors.registered_candidates(election))
    return render(
        request,
        "candidates/public_candidates.html",
        {"election": election, "candidates": candidates, "objectable": selectors.objectable(request.user, candidates)},
    )


# --------------------------------------------------------------------------- signature sheets


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def signatures(request, pk: int):
    nomination = get_scoped(selectors.nominations_for(request.user), pk=pk)
    can_upload = selectors.acts_for_party(request.user, nomination.party)
    form = forms.SignatureUploadForm(request.POST or None, request.FILES or None) if can_upload else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                upload = sig.signatures_upload(
                    actor=request.user,
                    nomination=nomination,
                    request=request,
                    uploaded_file=form.cleaned_data["file"],
                    scans=form.cleaned_data.get("scans"),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The signatures were uploaded and are being verified."))
                return redirect("candidates:signatures_detail", pk=nomination.pk, upload_pk=upload.pk)
    return render(
        request,
        "candidates/signatures.html",
        {
            "n": nomination,
            "form": form,
            "uploads": nomination.signature_uploads.all(),
            "columns": sig.COLUMNS,
            "max_mb": round(sig.max_bytes() / 2**20, 1),
        },
        status=400 if form is not None and form.errors else 200,
    )


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def signatures_detail(request, pk: int, upload_pk: int):
    upload = _scoped_upload(request, pk, upload_pk)
    nomination = upload.nomination
    labels = dict(SignatureReason.choices)
    result = upload.result or {}
    by_reason = [(code, labels.get(code, code), count) for code, count in (result.get("by_reason") or {}).items()]
    decision = result.get("decision") or {}
    checks = [{**c, "label": signature_check_label(c["check"])} for c in decision.get("checks", [])]
    context = {
        "n": nomination,
        "upload": upload,
        "result": result,
        "by_reason": by_reason,
        "decision": decision,
        "checks": checks,
    }
    template = "candidates/signatures_progress.html" if getattr(request, "htmx", False) else "candidates/signatures_detail.html"
    return render(request, template, context)


def _scoped_upload(request, pk: int, upload_pk: int):
    """One upload of the nomination, 404 unless the caller may see the nomination."""
    return get_scoped(selectors.signature_uploads_for(request.user), pk=upload_pk, nomination_id=pk)


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def signatures_report(request, pk: int, upload_pk: int):
    return report_response(_scoped_upload(request, pk, upload_pk), "csv")


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def signatures_report_pdf(request, pk: int, upload_pk: int):
    """The verification report as PDF: only for those who may see the nomination."""

    return report_response(_scoped_upload(request, pk, upload_pk), "pdf")


# --------------------------------------------------------------------------- printed signature sheets


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def sheets(request, pk: int):
    """The nomination's printed sheets; the party asks for more here."""
    nomination = get_scoped(selectors.nominations_for(request.user), pk=pk)
    form = None
    if sheet_print.may_issue_sheets(request.user, nomination):
        form = forms.SheetIssueForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                batch = sheet_print.sheets_issue(
                    actor=request.user,
                    nomination=nomination,
                    count=form.cleaned_data["count"],
                    language=form.cleaned_data["language"],
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Sheets No. %(first)s to %(last)s are ready to print.") % {"first": batch.first, "last": batch.last},
                )
                return redirect("candidates:sheets", pk=nomination.pk)
    return render(
        request,
        "candidates/sheets.html",
        {
            "n": nomination,
            "form": form,
            "batches": selectors.sheet_batches(nomination),
            "sheet_form": sheet_print.form_for(nomination),
            "exempt": services.signatures_exempt(nomination),
        },
        status=400 if form is not None and form.errors else 200,
    )


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def sheets_pdf(request, pk: int, batch_pk: int):
    nomination = get_scoped(selectors.nominations_for(request.user), pk=pk)
    batch = get_scoped(selectors.sheet_batches(nomination), pk=batch_pk)
    response = HttpResponse(sheet_print.sheets_pdf(batch), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="signature-sheets-{nomination.pk}-{batch.first}-{batch.last}.pdf"'
    return response


# --------------------------------------------------------------------------- objections


@role_required(lambda u: u.is_official or u.role == Role.PARTY_REP)
def nomination_objections(request, pk: int):
    """The objections to one nomination, for those who may see the nomination."""
    nomination = get_scoped(selectors.nominations_for(request.user), pk=pk)
    return render(
        request,
        "candidates/objection_list.html",
        {
            "n": nomination,
            "objections": selectors.objections_for(request.user).filter(nomination=nomination),
            "can_object": selectors.may_object(request.user, nomination),
        },
    )


@login_required
def objection_file(request, pk: int):
    """File an objection to a registration: registered candidates are public; standing is checked."""
    nomination = get_scoped(selectors.objectable_nominations(request.user), pk=pk)
    selectors.objection_standing_or_deny(request.user, nomination)
    form = forms.ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.objection_file(
                actor=request.user,
                nomination=nomination,
                request=request,
                text=form.cleaned_data["text"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your objection was filed. The commission that registered the candidate will decide it."))
            return redirect("candidates:objection_detail", pk=objection.pk)
    return render(request, "candidates/objection_file.html", {"n": nomination, "form": form}, status=400 if form.errors else 200)


@login_required
def objection_detail(request, pk: int):
    """An objection, its history and (for the deciding commission) the decision form."""
    objection = get_scoped(selectors.objections_for(request.user), pk=pk)
    if request.method == "POST":
        return transition_step(
            request,
            objection,
            lambda **kw: services.objection_transition(actor=request.user, objection=objection, request=request, **kw),
            subject=_("Objection to the registration of %(name)s") % {"name": objection.nomination.voter},
            back=reverse("candidates:objection_detail", args=[objection.pk]),
        )
    return render(
        request,
        "candidates/objection_detail.html",
        {
            "o": objection,
            "n": objection.nomination,
            "actions": workflow_actions(objection, request.user),
            "history": objection.status_history(),
        },
    )


@login_required
def objection_evidence(request, pk: int):
    objection = get_scoped(selectors.objections_for(request.user), pk=pk)
    if not objection.evidence:
        raise Http404
    return FileResponse(
        objection.evidence.open("rb"),
        as_attachment=True,
        filename=objection.evidence_name or "evidence.pdf",
        content_type="application/pdf",
    )
