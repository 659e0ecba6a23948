"""Pages of incident reports: thin; every read through a selector, every write through a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.forms import add_errors
from core.permissions import role_required
from elections.selectors import get_scoped
from incidents import forms, selectors, services
from incidents.models import Incident
from observers.selectors import reporting_precincts

official_side = role_required(lambda u: u.is_official)
reporter_side = role_required(lambda u: u.role in (Role.OBSERVER, Role.JOURNALIST))
incident_side = role_required(lambda u: u.is_official or u.role in (Role.OBSERVER, Role.JOURNALIST))


@reporter_side
def incident_new(request):
    """Report an incident. The form starts filled from the reporter's accreditation: the precinct chosen in
    "Your precincts" (``?precinct=``), or the only one they hold; nothing is typed again."""
    targets = reporting_precincts(request.user)
    chosen = request.GET.get("precinct", "")
    pick = next((t for t in targets if str(t[1].pk) == chosen), None) or (targets[0] if len(targets) == 1 else None)
    initial = {"election": pick[0].pk, "district": pick[1].district_id, "precinct_number": pick[1].number} if pick else {}
    form = forms.IncidentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_report(
                actor=request.user,
                election=data["election"],
                precinct=data["precinct"],
                category=data["category"],
                description=data["description"],
                occurred_at=data["occurred_at"],
                photos=data["photos"],
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error("precinct_number", str(exc) or _("You may not report at this precinct."))
        else:
            messages.success(request, _("The incident was reported to the precinct commission."))
            return redirect("incidents:incident_detail", pk=incident.pk)
    return render(
        request,
        "incidents/incident_new.html",
        {"form": form, "targets": targets, "picked": pick},
        status=400 if form.errors else 200,
    )


@reporter_side
def my_incidents(request):
    return render(
        request,
        "incidents/incident_list.html",
        {"incidents": selectors.incidents_for(request.user).filter(reporter=request.user), "mine": True},
    )


@official_side
def incident_inbox(request):
    status = request.GET.get("status", "")
    incidents = selectors.incidents_for(request.user)
    if status in Incident.Status.values:
        incidents = incidents.filter(status=status)
    return render(
        request, "incidents/incident_list.html", {"incidents": incidents, "status": status, "statuses": Incident.Status.choices}
    )


@official_side
def incident_overview(request):
    return render(
        request,
        "incidents/incident_overview.html",
        {"regions": selectors.open_incidents_by_region(request.user), "incidents": selectors.open_incidents(request.user)},
    )


@incident_side
def incident_detail(request, pk: int):
    incident = get_scoped(selectors.incidents_for(request.user), pk=pk)
    form = forms.AnswerForm(request.POST or None) if request.user.is_official else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            service = services.incident_close if form.cleaned_data["action"] == "close" else services.incident_answer
            try:
                service(actor=request.user, incident=incident, answer=form.cleaned_data["answer"], request=request)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Done."))
                return redirect("incidents:incident_detail", pk=incident.pk)
    return render(
        request,
        "incidents/incident_detail.html",
        {"incident": incident, "photos": incident.photos.all(), "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@incident_side
def incident_photo(request, pk: int, photo_pk: int):
    """Photos live outside the web root; only those who see the incident get them."""
    incident = get_scoped(selectors.incidents_for(request.user), pk=pk)
    photo = get_scoped(incident.photos.all(), pk=photo_pk)
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)
