"""Pages of observers: thin; every read through a selector, every write through a service."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import Role
from core import ratelimit
from core.credentials import credential_of_approved, credential_status
from core.forms import add_errors
from core.permissions import role_required
from core.views import credential_pdf_response, register_list_page, transition_step
from core.workflow import workflow_actions
from elections.selectors import get_scoped
from observers import forms, reports, selectors, services

coordinator_side = role_required(lambda u: u.is_cec or u.role == Role.OBSERVER_COORDINATOR)
observer_side = role_required(lambda u: u.role == Role.OBSERVER)
accreditation_side = role_required(lambda u: u.is_official or u.role in (Role.OBSERVER, Role.OBSERVER_COORDINATOR))
official_side = role_required(lambda u: u.is_official)

#: Self-registration checks a PINFL against the voter list: limited like the public lookup.
REGISTER_RATE = "10/m"


def _identity(data: dict) -> dict:
    keys = (
        "is_foreign",
        "pinfl",
        "passport_number",
        "country",
        "surname",
        "given_name",
        "patronymic",
        "birth_date",
        "phone",
        "photo",
    )
    return {k: data.get(k) for k in keys}


# --------------------------------------------------------------------------- observers


def register(request):
    """Online self-registration: anyone (an account is created) or a logged-in observer without a record."""
    user = request.user
    if user.is_authenticated and (user.role != Role.OBSERVER or selectors.observer_profile(user) is not None):
        return redirect("observers:my_accreditations") if user.role == Role.OBSERVER else redirect("home")
    with_account = not user.is_authenticated
    form = forms.RegisterForm(request.POST or None, request.FILES or None, with_account=with_account)
    if request.method == "POST":
        if not ratelimit.hit("observer_register", ratelimit.client_ip(request), REGISTER_RATE):
            return render(request, "observers/register.html", {"form": form, "limited": True}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if with_account:
                    observer = services.observer_self_register(
                        username=data["username"],
                        password=data["password"],
                        email=data["email"],
                        organization=data["organization"],
                        request=request,
                        **_identity(data),
                    )
                else:
                    observer = services.observer_register(
                        actor=user,
                        user=user,
                        organization=data["organization"],
                        email=user.email,
                        request=request,
                        **_identity(data),
                    )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                if with_account:
                    login(request, observer.user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("You are registered as an observer. Apply for accreditation below."))
                return redirect("observers:my_accreditations")
    return render(
        request, "observers/register.html", {"form": form, "with_account": with_account}, status=400 if form.errors else 200
    )


@observer_side
def my_accreditations(request):
    observer = selectors.observer_profile(request.user)
    if observer is None:
        return redirect("observers:register")
    form = forms.ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accreditation = services.accreditation_apply(
                actor=request.user,
                observer=observer,
                request=request,
                election=form.cleaned_data["election"],
                precincts=form.cleaned_data["precincts"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Your application was submitted to the commission."))
            return redirect("observers:accreditation_detail", pk=accreditation.pk)
    return render(
        request,
        "observers/my_accreditations.html",
        {
            "observer": observer,
            "form": form,
            "accreditations": selectors.accreditations_for(request.user).filter(observer=observer),
        },
        status=400 if form.errors else 200,
    )


@role_required(lambda u: u.role in (Role.OBSERVER, Role.OBSERVER_COORDINATOR) or u.is_cec)
@require_POST
def observer_photo(request, pk: int):
    observer = get_scoped(selectors.observers_for(request.user), pk=pk)
    try:
        services.observer_photo_set(actor=request.user, observer=observer, photo=request.FILES.get("photo"), request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The photo was saved."))
    if request.user.role == Role.OBSERVER:
        return redirect("observers:my_accreditations")
    return redirect("observers:organization_detail", pk=observer.organization_id)


@accreditation_side
def accreditation_detail(request, pk: int):
    accreditation = get_scoped(selectors.accreditations_for(request.user), pk=pk)
    if request.method == "POST":
        return transition_step(
            request,
            accreditation,
            lambda **kw: services.accreditation_transition(
                actor=request.user, accreditation=accreditation, request=request, **kw
            ),
            subject=f"{accreditation.observer.full_name} · {accreditation.election}",
            back=reverse("observers:accreditation_detail", args=[accreditation.pk]),
            say_why=False,
        )

    credential = credential_of_approved(accreditation)
    return render(
        request,
        "observers/accreditation_detail.html",
        {
            "a": accreditation,
            "actions": workflow_actions(accreditation, request.user),
            "history": accreditation.status_history(),
            "precincts": accreditation.precincts.select_related("district"),
            "credential": credential,
            "credential_status": credential_status(credential) if credential else None,
        },
    )


@accreditation_side
def badge(request, pk: int):
    """The observer badge as PDF, for those who see the accreditation, while it has a badge."""

    accreditation = get_scoped(selectors.accreditations_for(request.user), pk=pk)
    return credential_pdf_response(request, credential_of_approved(accreditation), filename="badge")


# --------------------------------------------------------------------------- coordinators


@coordinator_side
def organization_list(request):
    return register_list_page(
        request,
        form_class=forms.OrganizationForm,
        register=services.organization_register,
        done_message=_("The organisation was registered."),
        detail="observers:organization_detail",
        template="observers/organization_list.html",
        context={"organizations": selectors.organizations_for(request.user)},
    )


@coordinator_side
def organization_detail(request, pk: int):
    org = get_scoped(selectors.organizations_for(request.user), pk=pk)
    which = request.POST.get("form") if request.method == "POST" else None
    observer_form = forms.ObserverForm(
        request.POST if which == "observer" else None, request.FILES if which == "observer" else None
    )
    coordinator_form = forms.CoordinatorForm(request.POST if which == "coordinator" else None) if request.user.is_cec else None
    if which == "coordinator":
        if coordinator_form is None:
            raise PermissionDenied
        if coordinator_form.is_valid():
            try:
                services.organization_coordinator_add(
                    actor=request.user, organization=org, request=request, user=coordinator_form.cleaned_data["username"]
                )
            except ValidationError as exc:
                add_errors(coordinator_form, exc)
            else:
                messages.success(request, _("Coordinator added."))
                return redirect("observers:organization_detail", pk=org.pk)
    elif which == "observer" and observer_form.is_valid():
        try:
            services.observer_register(
                actor=request.user,
                organization=org,
                request=request,
                email=observer_form.cleaned_data["email"],
                **_identity(observer_form.cleaned_data),
            )
        except ValidationError as exc:
            add_errors(observer_form, exc)
        else:
            messages.success(request, _("Observer added."))
            return redirect("observers:organization_detail", pk=org.pk)
    errors = observer_form.errors or (coordinator_form is not None and coordinator_form.errors)
    return render(
        request,
        "observers/organization_detail.html",
        {
            "org": org,
            "observers": selectors.observers_for(request.user).filter(organization=org),
            "coordinators": org.coordinators.select_related("user"),
            "observer_form": observer_form,
            "coordinator_form": coordinator_form,
            "bulk_form": forms.BulkForm(),
            "columns": services.BULK_COLUMNS,
        },
        status=400 if errors else 200,
    )


@coordinator_side
def bulk_upload(request, pk: int):
    org = get_scoped(selectors.organizations_for(request.user), pk=pk)
    form = forms.BulkForm(request.POST or None, request.FILES or None)
    result, downloadable = None, False
    if request.method == "POST" and form.is_valid():
        try:
            result = services.observers_bulk_submit(
                actor=request.user, organization=org, uploaded_file=form.cleaned_data["file"], request=request
            )
        except ValidationError as exc:
            add_errors(form, exc)
        # the report is of this file's rows (none when the whole file was refused or accepted)
        downloadable = reports.bulk_errors_keep(request, org, result.errors if result else [])
        if result is not None and result.ok:
            messages.success(request, _("%(n)s observers were added.") % {"n": len(result.created)})
            return redirect("observers:organization_detail", pk=org.pk)
    failed = bool(form.errors or (result and not result.ok))
    return render(
        request,
        "observers/bulk_upload.html",
        {
            "org": org,
            "form": form,
            "result": result,
            "downloadable": downloadable,
            "columns": services.BULK_COLUMNS,
            "required": services.BULK_REQUIRED,
            "max_rows": services.BULK_MAX_ROWS,
        },
        status=400 if failed else 200,
    )


@coordinator_side
def bulk_errors(request, pk: int):
    """The errors of the caller's last refused bulk file for the organisation, as CSV (404 when none is kept)."""
    org = get_scoped(selectors.organizations_for(request.user), pk=pk)
    errors = reports.bulk_errors_recall(request, org)
    if errors is None:
        raise Http404
    response = HttpResponse(reports.bulk_errors_csv(errors), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="observers-{org.pk}-errors.csv"'
    return response


@coordinator_side
def organization_accreditations(request, pk: int):
    org = get_scoped(selectors.organizations_for(request.user), pk=pk)
    observers = selectors.observers_for(request.user).filter(organization=org)
    form = forms.ApplyForm(request.POST or None, observers=observers)
    if request.method == "POST" and form.is_valid():
        try:
            accreditation = services.accreditation_apply(
                actor=request.user,
                request=request,
                observer=form.cleaned_data["observer"],
                election=form.cleaned_data["election"],
                precincts=form.cleaned_data["precincts"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The application was submitted to the commission."))
            return redirect("observers:accreditation_detail", pk=accreditation.pk)
    return render(
        request,
        "observers/organization_accreditations.html",
        {"org": org, "form": form, "accreditations": selectors.accreditations_for(request.user).filter(organization=org)},
        status=400 if form.errors else 200,
    )


# --------------------------------------------------------------------------- commissions


@official_side
def queue(request):
    return render(request, "observers/queue.html", {"accreditations": selectors.review_queue(request.user)})


@official_side
def accredited(request):
    return render(request, "observers/accredited.html", {"accreditations": selectors.accredited_observers(request.user)})
