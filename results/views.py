"""Pages of election day and the count: thin; reads through ``results.selectors``, writes through services."""

from datetime import time
from itertools import islice

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.roles import Role
from core.forms import add_errors
from core.permissions import official_required, role_required
from core.workflow import workflow_actions
from elections.models import Constituency, District, Precinct, Region
from elections.selectors import active_elections, get_scoped
from observers.selectors import observer_covers_precinct, reporting_precincts
from results import forms, public, selectors, services
from results.models import ProtocolScan, ProtocolState
from results.printing import hemicycle, protocol_pdf, seat_parts, seat_sheet_pdf
from results.workflows import above_precinct, enters_for


@official_required
def results_home(request):
    """The count in the user's area: each contest's protocols in, missing and disputed, and the protocols."""
    protocols = selectors.protocols_for(request.user).filter(election__in=active_elections())
    status = request.GET.get("status", "")
    if status in ProtocolState.values:
        protocols = protocols.filter(status=status)
    election = active_elections().first()
    return render(
        request,
        "results/home.html",
        {
            "flags": selectors.flags_for(request.user, election) if election else [],
            "contests": selectors.contests_for(request.user),
            "protocols": protocols.order_by("precinct__number")[:500],
            "status": status,
            "statuses": ProtocolState.choices,
            "entry_precincts": selectors.entry_precincts(request.user),
        },
    )


def copy_side(user) -> bool:
    return user.is_official or user.role in (Role.OBSERVER, Role.OBSERVER_COORDINATOR)


@role_required(copy_side)
def copies(request):
    """Observers' protocol copies the user may see, each with the lines where it differs from the official one;
    for an observer, the precincts and contests they may submit a copy for."""
    rows = [(c, selectors.copy_differences(c)) for c in selectors.copies_for(request.user)[:300]]
    targets = []
    if request.user.role == Role.OBSERVER:
        for election, precinct in reporting_precincts(request.user):
            for constituency in precinct.constituencies.filter(election=election).order_by("number"):
                targets.append((constituency, precinct))
    return render(request, "results/copies.html", {"rows": rows, "targets": targets})


@role_required(lambda u: u.role == Role.OBSERVER)
def copy_new(request, constituency_id: int, precinct_id: int):
    constituency = get_scoped(Constituency.objects.filter(election__in=active_elections()), pk=constituency_id)
    precinct = get_scoped(constituency.precincts.select_related("district"), pk=precinct_id)
    if not observer_covers_precinct(user=request.user, election=constituency.election, precinct=precinct):
        raise Http404  # only the precincts the observer is accredited to
    form = forms.ProtocolForm(
        request.POST or None,
        request.FILES or None,
        vote_lines=selectors.contest_lines(constituency),
        on_list=selectors.listed_on_precinct(precinct),
        with_photo=True,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        photo = data.pop("photo")
        try:
            services.observer_copy_submit(
                actor=request.user, constituency=constituency, precinct=precinct, figures=data, photo=photo, request=request
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your copy of the protocol is recorded."))
            return redirect("results:copies")
    return render(
        request,
        "results/protocol_enter.html",
        {"form": form, "precinct": precinct, "constituency": constituency, "copy": True},
        status=400 if form.errors else 200,
    )


@official_required
def protocol_enter(request, constituency_id: int, precinct_id: int):
    """A member's blind entry of the precinct protocol: the other member's figures are never shown."""
    precinct = get_scoped(Precinct.objects.restrict(request.user).select_related("district"), pk=precinct_id)
    constituency = get_scoped(Constituency.objects.filter(election__in=active_elections()), pk=constituency_id)
    form = forms.ProtocolForm(
        request.POST or None, vote_lines=selectors.contest_lines(constituency), on_list=selectors.listed_on_precinct(precinct)
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.protocol_entry_submit(
                actor=request.user, constituency=constituency, precinct=precinct, figures=form.cleaned_data, request=request
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        else:
            if result.outcome == "matched":
                messages.success(request, _("Both entries match: the protocol is accepted. Print it for signature."))
                return redirect("results:protocol_detail", pk=result.protocol.pk)
            if result.outcome == "waiting":
                messages.info(
                    request,
                    _(
                        "Your entry is saved. Another member of the commission enters the "
                        "protocol too; it is accepted when both match."
                    ),
                )
                return redirect("results:home")
            form = forms.ProtocolForm(
                vote_lines=selectors.contest_lines(constituency), on_list=selectors.listed_on_precinct(precinct)
            )
            labels = [str(form.fields[k].label) if k in form.fields else k for k in result.mismatched]
            messages.error(
                request,
                _("The two entries differ in: %(lines)s. Both members enter the protocol again from the paper.")
                % {"lines": "; ".join(labels)},
            )
    return render(
        request,
        "results/protocol_enter.html",
        {"form": form, "precinct": precinct, "constituency": constituency},
        status=400 if form.errors else 200,
    )


@official_required
def protocol_detail(request, pk: int):
    protocol = get_scoped(selectors.protocols_for(request.user), pk=pk)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.protocol_transition(
                actor=request.user,
                protocol=protocol,
                name=form.cleaned_data["action"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("The protocol is now %(state)s.")
                % {"state": selectors.protocols_for(request.user).get(pk=pk).get_status_display()},
            )
            return redirect("results:protocol_detail", pk=pk)
    lines = selectors.protocol_lines(protocol)
    return render(
        request,
        "results/protocol_detail.html",
        {
            "protocol": protocol,
            "lines": lines,
            "form": form,
            "actions": [t for t in workflow_actions(protocol, request.user) if t.name != "correct"],
            "versions": protocol.versions.select_related("author", "approver").prefetch_related("scans"),
            "may_upload": enters_for(request.user, protocol.precinct) or above_precinct(request.user, protocol.precinct),
            "may_check": above_precinct(request.user, protocol.precinct),
        },
        status=400 if form.errors else 200,
    )


@official_required
def protocol_scan(request, pk: int):
    """Upload the scan or photo of the signed paper protocol (kept with the current version)."""
    protocol = get_scoped(selectors.protocols_for(request.user), pk=pk)
    if request.method != "POST":
        return redirect("results:protocol_detail", pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose the scan or photo of the signed protocol."))
    else:
        try:
            services.protocol_scan_upload(actor=request.user, protocol=protocol, uploaded_file=upload, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The signed protocol is kept with version %(n)s.") % {"n": protocol.current.number})
    return redirect("results:protocol_detail", pk=pk)


@official_required
def protocol_scan_file(request, pk: int, scan_pk: int):
    protocol = get_scoped(selectors.protocols_for(request.user), pk=pk)
    scan = get_scoped(ProtocolScan.objects.filter(version__protocol=protocol), pk=scan_pk)
    return FileResponse(scan.file.open("rb"), content_type=scan.content_type)


@official_required
def protocol_qr_check(request, pk: int):
    """A higher commission reads the QR code of a paper protocol (a photo or scan) against the stored one."""
    protocol = get_scoped(selectors.protocols_for(request.user), pk=pk)
    if request.method != "POST" or "image" not in request.FILES:
        return redirect("results:protocol_detail", pk=pk)
    try:
        check = services.protocol_qr_check(
            actor=request.user, protocol=protocol, image=request.FILES["image"].read(), request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if check.matches:
            messages.success(request, _("The paper protocol matches the stored version %(n)s.") % {"n": check.current})
        else:
            labels = dict((str(k), str(label)) for k, label in selectors.line_labels(protocol))
            messages.error(
                request,
                _("The paper protocol (version %(paper)s) differs from the stored version %(stored)s in: %(lines)s.")
                % {
                    "paper": check.version,
                    "stored": check.current,
                    "lines": "; ".join(labels.get(k, k) for k in check.differing) or "—",
                },
            )
    return redirect("results:protocol_detail", pk=pk)


@official_required
def protocol_print(request, pk: int):
    protocol = get_scoped(selectors.protocols_for(request.user), pk=pk)
    response = HttpResponse(protocol_pdf(protocol.current), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="protocol-{protocol.pk}-v{protocol.current.number}.pdf"'
    return response


@official_required
def turnout_enter(request, precinct_id: int):
    precinct = get_scoped(Precinct.objects.restrict(request.user).select_related("district"), pk=precinct_id)
    election = active_elections().first()
    if election is None:
        raise PermissionDenied(_("No election is being run."))
    times = selectors.reporting_times(election)
    form = forms.TurnoutForm(request.POST or None, times=times)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.turnout_report_enter(
                actor=request.user,
                election=election,
                precinct=precinct,
                at=time.fromisoformat(data["at"]),
                voted_station=data["voted_station"],
                voted_early=data["voted_early"],
                voted_home=data["voted_home"],
                reason=data["reason"],
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The turnout is recorded."))
            return redirect("results:turnout_enter", precinct_id=precinct.pk)
    return render(
        request,
        "results/turnout_enter.html",
        {
            "form": form,
            "precinct": precinct,
            "election": election,
            "reports": selectors.turnout_reports_for(request.user).filter(election=election, precinct=precinct),
        },
        status=400 if form.errors else 200,
    )


@official_required
def seats(request, constituency_id: int):
    """The CEC calculates a contest's winners and seats from its certified protocols, then publishes them."""
    constituency = get_scoped(Constituency.objects.select_related("election"), pk=constituency_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "publish":
                calculation = selectors.seat_calculation(constituency, published_only=False)
                if calculation is None:
                    raise ValidationError(_("Calculate the seats first."))
                services.seats_publish(actor=request.user, calculation=calculation, request=request)
                messages.success(request, _("The calculation is published."))
            else:
                services.seats_calculate(actor=request.user, constituency=constituency, request=request)
                messages.success(request, _("The seats are calculated. Check the sheet, then publish it."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("results:seats", constituency_id=constituency.pk)
    calculation = selectors.seat_calculation(constituency, published_only=False)
    labels = dict(selectors.contest_lines(constituency))
    return render(
        request,
        "results/seats.html",
        {
            "constituency": constituency,
            "calculation": calculation,
            "labels": labels,
            "chart": seat_chart(calculation, labels),
            "official": True,
        },
    )


def public_seats(request, constituency_id: int):
    """The published calculation sheet of a contest."""
    constituency = get_scoped(Constituency.objects.select_related("election"), pk=constituency_id)
    calculation = selectors.seat_calculation(constituency)
    if calculation is None:
        raise Http404
    labels = dict(selectors.contest_lines(constituency))
    return render(
        request,
        "results/seats.html",
        {
            "constituency": constituency,
            "calculation": calculation,
            "labels": labels,
            "chart": seat_chart(calculation, labels),
            "official": False,
        },
    )


def seat_chart(calculation, labels: dict) -> dict | None:
    """The seats page's hemicycle (``results.printing.hemicycle``) in SVG units (a 200 x 110 view box), one
    group of dots per party with the seats won, and its text alternative; None without list seats."""
    parts = seat_parts(calculation.sheet, labels) if calculation else []
    if not parts:
        return None
    total = sum(part.seats for part in parts)
    positions, radius = hemicycle(total)
    dots = iter(positions)
    groups = [
        {"part": part, "dots": [(f"{100 + 85 * x:.2f}", f"{97 - 85 * y:.2f}") for x, y in islice(dots, part.seats)]}
        for part in parts
    ]
    text = ngettext("%(total)s seat — %(parties)s.", "%(total)s seats — %(parties)s.", total) % {
        "total": total,
        "parties": "; ".join(
            ngettext("%(party)s: %(seats)s seat", "%(party)s: %(seats)s seats", part.seats)
            % {"party": part.name, "seats": part.seats}
            for part in parts
        ),
    }
    return {"groups": groups, "radius": f"{85 * radius:.2f}", "text": text, "total": total}


def _seat_sheet_response(calculation, pdf: bytes) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="seats-{calculation.constituency_id}-{calculation.pk}.pdf"'
    return response


@official_required
def seats_pdf(request, constituency_id: int):
    """The seats page's calculation sheet as A4 PDF: the latest calculation, published or not (a draft says so)."""
    constituency = get_scoped(Constituency.objects.select_related("election"), pk=constituency_id)
    calculation = selectors.seat_calculation(constituency, published_only=False)
    if calculation is None:
        raise Http404
    return _seat_sheet_response(calculation, seat_sheet_pdf(calculation))


def public_seats_pdf(request, constituency_id: int):
    """The published calculation sheet as A4 PDF, for everyone; cached like every public view (``results.public``)."""
    constituency = get_scoped(Constituency.objects.select_related("election"), pk=constituency_id)
    calculation = selectors.seat_calculation(constituency)
    if calculation is None:
        raise Http404
    pdf = public.cached(constituency.election_id, f"seats-pdf:{calculation.pk}", lambda: seat_sheet_pdf(calculation))
    return _seat_sheet_response(calculation, pdf)


def public_protocol_scan(request, pk: int):
    """The signed paper of a published protocol (its current version's latest scan), for everyone."""
    scan = selectors.published_scan(pk)
    if scan is None:
        raise Http404
    return FileResponse(scan.file.open("rb"), content_type=scan.content_type)


def public_results(request, election_id: int):
    """Published results of an election, for everyone: the country, or one region, district or precinct
    (``?region=`` / ``?district=`` / ``?precinct=``)."""
    election = public.public_election(election_id)
    area, level = None, ""
    for level_name, model in (("precinct", Precinct), ("district", District), ("region", Region)):
        value = request.GET.get(level_name, "")
        if value:
            area, level = get_scoped(model.objects.all(), pk=value), level_name
            break

    def body() -> str:
        results = selectors.public_results(election, **({level: area} if area else {}))
        context = {"election": election, "results": results, "area": area, "level": level}
        return render_to_string("results/public_body.html", context)

    name = f"page:{level}:{area.pk if area else ''}"

    def page(csrf_token: str | None):
        # the body is the same for every reader of a language until the next publication: rendered once
        context = {"election": election, "area": area, "body": public.cached(election.pk, name, body)}
        return render(request, "results/public.html", {**context, **({} if csrf_token is None else {"csrf_token": csrf_token})})

    return public.anonymous_page(request, election.pk, name, page)
