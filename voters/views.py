"""Pages of the voter list: officials (scoped) and public services (no login)."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core import ratelimit
from core.forms import add_errors
from core.permissions import cec_required, official_required, role_required
from core.tabular import csv_lines
from core.views import transition_step
from elections import selectors as geo
from elections.models import Precinct
from voters import dedup, exports, forms, selectors, services
from voters.models import AssignmentRule, ExportJob, Voter, VoterStatus, VotingLocationRequest

# --------------------------------------------------------------------------- search, detail, edit


@official_required
def search(request):
    form = forms.SearchForm(request.GET or None)
    page = None
    if form.is_valid():
        qs = selectors.voter_search(
            request.user, q=form.cleaned_data["q"], birth_date=form.cleaned_data["birth_date"], status=form.cleaned_data["status"]
        )
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "voters/search.html", {"form": form, "page": page})


@official_required
def detail(request, pk: int):
    voter = selectors.voter_detail(request.user, pk)
    services.voter_view_record(actor=request.user, voter=voter, request=request)
    history = [(change, _change_rows(change)) for change in selectors.voter_history(voter)[:200]]
    return render(request, "voters/detail.html", {"voter": voter, "history": history})


_STATUS_LABELS = dict(VoterStatus.choices)


def _change_rows(change) -> list[tuple[str, str, str]]:
    """A change's fields with their translated names and values, for the history table."""
    rows = []
    for field, pair in (change.changes or {}).items():
        name = field[:-3] if field.endswith("_id") else field
        try:
            label = str(Voter._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = {"merged_from": _("merged from")}.get(field, field)
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        if field == "status":
            old, new = _STATUS_LABELS.get(old, old), _STATUS_LABELS.get(new, new)
        rows.append((label, "" if old is None else str(old), "" if new is None else str(new)))
    return rows


@official_required
def edit(request, pk: int):
    voter = selectors.voter_detail(request.user, pk)
    initial = {f: getattr(voter, f) for f in ("surname", "given_name", "patronymic", "passport", "street", "house", "flat")}
    initial.update(mahalla=voter.mahalla_id, version=voter.version)
    form = forms.VoterEditForm(request.POST or None, initial=initial, voter=voter)
    if request.method == "POST" and form.is_valid():
        data = {k: (form.cleaned_data[k] or "").strip() for k in initial if k not in ("mahalla", "version")}
        data["mahalla_id"] = form.cleaned_data["mahalla"].pk if form.cleaned_data["mahalla"] else None
        try:
            services.voter_update(
                actor=request.user,
                voter=voter,
                data=data,
                request=request,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return render(
                request,
                "voters/edit.html",
                {"voter": voter, "form": form},
                status=409 if getattr(exc, "code", "") == "stale" else 400,
            )
        messages.success(request, _("The record was saved."))
        return redirect("voters:detail", pk=voter.pk)
    return render(request, "voters/edit.html", {"voter": voter, "form": form}, status=400 if form.errors else 200)


@official_required
def change_status(request, pk: int):
    voter = selectors.voter_detail(request.user, pk)
    form = forms.StatusForm(
        request.POST or None, request.FILES or None, initial={"status": voter.status, "version": voter.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.voter_set_status(
                actor=request.user,
                voter=voter,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                document=form.cleaned_data["document"],
                expected_version=form.cleaned_data["version"],
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return render(
                request,
                "voters/status.html",
                {"voter": voter, "form": form},
                status=409 if getattr(exc, "code", "") == "stale" else 400,
            )
        messages.success(request, _("The status was changed."))
        return redirect("voters:detail", pk=voter.pk)
    return render(request, "voters/status.html", {"voter": voter, "form": form})


@official_required
def change_document(request, pk: int, change_id: int):
    voter = selectors.voter_detail(request.user, pk)
    change = get_object_or_404(voter.changes, pk=change_id)
    if not change.document:
        raise Http404
    return FileResponse(change.document.open("rb"), as_attachment=True)


# --------------------------------------------------------------------------- lists, exports, counts


@official_required
def precinct_list(request, pk: int):
    precinct = geo.get_scoped(geo.scoped_precincts(request.user), pk=pk)
    raw = request.GET.get("election", "")
    if raw:
        # the lists of the elections being run only (another election's id is not a list to print)
        election = geo.active_elections().filter(pk=int(raw)).first() if raw.isdigit() else None
        if election is None:
            raise Http404
    else:
        election = geo.next_active_election()
    fmt = request.GET.get("format")
    if fmt == "csv":
        services.voter_list_export_record(actor=request.user, precinct=precinct, fmt="csv", request=request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="precinct-{precinct.number}.csv"'
        exports.write_precinct_csv(response, [precinct], election)
        return response
    if fmt == "pdf":
        services.voter_list_export_record(actor=request.user, precinct=precinct, fmt="pdf", request=request)
        response = HttpResponse(content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="precinct-{precinct.number}.pdf"'
        exports.write_precinct_pdf(response, precinct, election)
        return response
    page = Paginator(list(selectors.precinct_list_rows(precinct, election)), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "voters/precinct_list.html",
        {"precinct": precinct, "election": election, "page": page, "elections": geo.active_elections()},
    )


@official_required
def district_export(request, pk: int):
    district = geo.get_scoped(geo.scoped_districts(request.user), pk=pk)
    if request.method == "POST":
        try:
            job = services.export_start(
                actor=request.user,
                district=district,
                fmt=request.POST.get("format", "pdf"),
                election=geo.next_active_election(),
                language=request.LANGUAGE_CODE,  # the file is written in the language of the page that asks
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("elections:district_detail", pk=district.pk)
        return redirect("voters:export_detail", pk=job.pk)
    return redirect("elections:district_detail", pk=district.pk)


def _own_export(request, pk):
    return geo.get_scoped(selectors.own_exports(request.user), pk=pk)


@official_required
def export_detail(request, pk: int):
    job = _own_export(request, pk)
    template = "voters/_export_progress.html" if request.htmx else "voters/export_detail.html"
    return render(request, template, {"job": job})


@official_required
def export_download(request, pk: int):
    job = _own_export(request, pk)
    if job.status != ExportJob.Status.DONE:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=f"voters-{job.district.code}.{job.format}")


@official_required
def counts(request):
    level = request.GET.get("level", "region")
    if level not in ("region", "district", "precinct"):
        level = "region"
    rows = list(selectors.counts_by_area(request.user, level=level)[:2000])
    top = max((r["n"] for r in rows), default=1)
    unassigned = selectors.scoped_voters(request.user).listed().filter(precinct__isnull=True).count()
    return render(
        request,
        "voters/counts.html",
        {"rows": rows, "level": level, "top": top, "unassigned": unassigned, "total": sum(r["n"] for r in rows)},
    )


# --------------------------------------------------------------------------- imports (CEC)


@cec_required
def imports(request):
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.voter_import_start(
                actor=request.user,
                uploaded_file=form.cleaned_data["file"],
                encoding=form.cleaned_data["encoding"],
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("voters:import_detail", pk=job.pk)
    jobs = selectors.import_jobs(request.user)[:50]
    return render(request, "voters/imports.html", {"form": form, "jobs": jobs}, status=400 if form.errors else 200)


@cec_required
def import_detail(request, pk: int):
    job = get_object_or_404(selectors.import_jobs(request.user), pk=pk)
    template = "voters/_import_progress.html" if request.htmx else "voters/import_detail.html"
    return render(request, template, {"job": job, "errors": job.errors.all()[:20]})


@cec_required
def import_errors(request, pk: int):
    job = get_object_or_404(selectors.import_jobs(request.user), pk=pk)

    errors = job.errors.order_by("row", "id").values_list("row", "field", "code", "message", "value").iterator()
    lines = csv_lines([_("row"), _("field"), _("code"), _("reason"), _("value")], errors)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


# --------------------------------------------------------------------------- duplicates


@official_required
def duplicates(request):
    """The pairs to review, paged, ordered and narrowed to a district of the user's area."""
    form = forms.DuplicateFilterForm(request.GET or None, districts=geo.covered_districts(request.user))
    chosen = form.cleaned_data if form.is_valid() else {}
    pairs = selectors.duplicates_to_review(request.user, order=chosen.get("order") or "score", district=chosen.get("district"))
    page = Paginator(pairs, 50).get_page(request.GET.get("page"))
    return render(request, "voters/duplicates.html", {"page": page, "form": form})


@official_required
def duplicate_detail(request, pk: int):
    """A possible duplicate: the two records side by side, the evidence, and the decision in two steps (the
    answer with its reason, then its confirmation)."""
    candidate = get_object_or_404(selectors.duplicates_open(request.user), pk=pk)
    form = forms.DuplicateDecisionForm(request.POST or None)
    confirmed = bool(request.POST.get("confirm"))
    if request.method == "POST" and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        if not confirmed:
            return render(request, "voters/duplicate_confirm.html", {"c": candidate, "form": form, "decision": decision})
        try:
            if decision == "different":
                services.duplicate_reject(actor=request.user, candidate=candidate, reason=reason, request=request)
            else:
                keep = candidate.voter_a if decision == "keep_a" else candidate.voter_b
                services.duplicate_confirm(actor=request.user, candidate=candidate, keep=keep, reason=reason, request=request)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("voters:duplicates")
    evidence = dedup.evidence_for(candidate.voter_a, candidate.voter_b)
    return render(
        request,
        "voters/duplicate_detail.html",
        {
            "c": candidate,
            "form": form,
            "lines": selectors.duplicate_comparison(candidate),
            "evidence": [(str(_EVIDENCE_LABELS.get(k, k)), _evidence_value(v)) for k, v in evidence.items()],
        },
        status=400 if form.errors else 200,
    )


def _evidence_value(value) -> str:
    """An evidence value in the reader's language: a named outcome translated, a similarity as a local number."""
    if isinstance(value, str):
        return str(_EVIDENCE_VALUES.get(value, value))
    if isinstance(value, float):
        return number_format(value, 2)
    return str(value)


#: Module-level, so lazy: translated when a page shows them, in its reader's language.
_EVIDENCE_LABELS = {
    "surname": gettext_lazy("surname similarity"),
    "given": gettext_lazy("given name similarity"),
    "patronymic": gettext_lazy("patronymic similarity"),
    "birth_date": gettext_lazy("birth date"),
    "district": gettext_lazy("district"),
    "scripts": gettext_lazy("scripts"),
    "misspelt": gettext_lazy("misspelt names"),
    "frequency": gettext_lazy("how common the names are"),
    "sex": gettext_lazy("sex"),
    "score": gettext_lazy("score"),
}
_EVIDENCE_VALUES = {
    "exact": gettext_lazy("identical"),
    "swapped": gettext_lazy("day and month swapped"),
    "typo": gettext_lazy("one digit differs"),
    "same": gettext_lazy("same"),
    "different": gettext_lazy("different"),
    "missing": gettext_lazy("missing on one record"),
    "latin": gettext_lazy("both Latin"),
    "cyrillic": gettext_lazy("both Cyrillic"),
    "latin/cyrillic": gettext_lazy("one Latin, one Cyrillic"),
}


@require_POST
@cec_required
def duplicates_scan(request):
    services.duplicates_scan_start(actor=request.user, request=request)
    messages.success(request, _("The scan has started; new pairs appear here when it ends."))
    return redirect("voters:duplicates")


# --------------------------------------------------------------------------- assignment


@role_required(geo.covers_a_district)
def assignment(request):
    districts = geo.covered_districts(request.user)
    district = geo.get_scoped(districts, pk=request.GET.get("district")) if request.GET.get("district") else None
    form = None
    preview = []
    if district:
        form = forms.RuleForm(
            request.POST or None, mahallas=district.mahallas.all(), precincts=district.precincts.filter(abroad_country="")
        )
        if request.method == "POST" and request.POST.get("action") == "apply":
            return _assignment_apply(request, district)
        if request.method == "POST" and form.is_valid():
            try:
                services.assignment_rule_save(actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Rule saved. Check the preview, then apply it."))
                return redirect(f"{request.path}?district={district.pk}")
        preview = services.assignment_preview(district_ids=[district.pk])

        numbers = dict(
            Precinct.objects.filter(pk__in={p for m in preview for p in (m["from"], m["to"])}).values_list("pk", "number")
        )
        preview = [{**m, "from_number": numbers.get(m["from"], "—"), "to_number": numbers.get(m["to"])} for m in preview]
    rules = AssignmentRule.objects.filter(mahalla__district=district).select_related("mahalla", "precinct") if district else []
    return render(
        request,
        "voters/assignment.html",
        {"districts": districts, "district": district, "form": form, "rules": rules, "preview": preview},
    )


def _assignment_apply(request, district):
    """Applying the rules, in two steps: what will move and why, then the confirmation (the reason goes on every
    moved voter's history)."""
    preview = services.assignment_preview(district_ids=[district.pk])
    form = forms.ReasonForm(request.POST if request.POST.get("confirm") else None)
    if form.is_bound and form.is_valid():
        try:
            moved = services.assignment_apply(
                actor=request.user, district_ids=[district.pk], reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                ngettext("%(n)s voter moved to a new precinct.", "%(n)s voters moved to their new precincts.", moved)
                % {"n": moved},
            )
            return redirect(f"{request.path}?district={district.pk}")
    return render(
        request,
        "voters/assignment_confirm.html",
        {"district": district, "form": form, "moving": sum(m["voters"] for m in preview)},
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------------- requests to vote elsewhere


@official_required
def requests_queue(request):
    page = Paginator(selectors.location_requests_open(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "voters/requests.html", {"page": page})


@require_POST
@official_required
def request_decide(request, pk: int):
    """A request's decision in two steps (``core.views.transition_step``): the queue's button, then the
    confirmation with the reason."""
    req = get_object_or_404(selectors.location_requests_for(request.user), pk=pk)
    return transition_step(
        request,
        req,
        lambda *, name, reason: services.location_request_decide(
            actor=request.user, req=req, request=request, approve=name == "approve", reason=reason
        ),
        subject=_("Request %(code)s: %(voter)s to precinct No. %(number)s")
        % {"code": req.tracking_code, "voter": req.voter.full_name, "number": req.precinct.number},
        back=reverse("voters:requests"),
    )


# --------------------------------------------------------------------------- public services


def _limited(request) -> bool:
    return not (
        ratelimit.hit("lookup", ratelimit.client_ip(request), settings.PUBLIC_LOOKUP_RATE_PER_CLIENT)
        and ratelimit.hit("lookup", "all", settings.PUBLIC_LOOKUP_RATE_TOTAL)
    )


def lookup(request):
    """Check my registration: answers the polling station and nothing about the person."""
    form = forms.LookupForm(request.POST or None)
    result, searched = None, False
    if request.method == "POST":
        if _limited(request):
            return render(request, "voters/lookup.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            searched = True
            doc = form.cleaned_data["document"]
            result = selectors.public_lookup(
                pinfl=doc if doc.isdigit() else "",
                passport="" if doc.isdigit() else doc,
                birth_date=form.cleaned_data["birth_date"],
                election=selectors.active_election_id(),
            )
            if result is not None:
                form = forms.LookupForm()  # the answer page does not repeat the personal number
            # a miss keeps what was typed, to correct a mistyped digit or date
    return render(request, "voters/lookup.html", {"form": form, "result": result, "searched": searched})


def stay(request):
    """Ask to vote where I am staying (one election)."""
    form = forms.StayForm(request.POST or None)
    if request.method == "POST":
        if _limited(request):
            return render(request, "voters/stay.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            precinct = selectors.precinct_by_number(data["district"], data["precinct_number"])
            if precinct is None:
                form.add_error("precinct_number", _("There is no precinct with this number in the district."))
            else:
                try:
                    req = services.location_request_submit(
                        pinfl=data["pinfl"],
                        birth_date=data["birth_date"],
                        election=data["election"],
                        precinct=precinct,
                        reason=data["reason"],
                        contact=data["contact"],
                        request=request,
                    )
                except ValidationError as exc:
                    add_errors(form, exc)
                else:
                    return render(request, "voters/stay_done.html", {"req": req})
    return render(request, "voters/stay.html", {"form": form}, status=400 if form.errors else 200)


def stay_track(request):
    # a link carries the code only (GET): it fills the form, it does not search
    form = forms.TrackForm(request.POST or None, initial={"code": request.GET.get("code", "")[:16]})
    req = None
    if form.is_bound:
        if _limited(request):
            return render(request, "voters/stay_track.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            req = (
                VotingLocationRequest.objects.filter(
                    tracking_code=form.cleaned_data["code"].strip().upper(), voter__birth_date=form.cleaned_data["birth_date"]
                )
                .select_related("precinct", "election")
                .first()
            )
            if req and request.method == "POST" and request.POST.get("withdraw"):
                try:
                    req = services.location_request_withdraw(
                        tracking_code=req.tracking_code, birth_date=form.cleaned_data["birth_date"], request=request
                    )
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
    return render(request, "voters/stay_track.html", {"form": form, "req": req, "searched": form.is_bound and form.is_valid()})
