from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from core.credentials import credential_of_approved
from core.forms import add_errors
from core.permissions import cec_required, role_required
from core.views import credential_pdf_response, register_list_page, transition_step
from core.workflow import workflow_actions, workflow_deadline
from elections.selectors import active_elections, get_scoped
from media_accreditation import forms, selectors, services

editor_side = role_required(lambda u: u.is_cec or u.role == Role.MEDIA_EDITOR)
media_side = role_required(lambda u: u.is_cec or u.role in (Role.MEDIA_EDITOR, Role.JOURNALIST))


@editor_side
def outlet_list(request):
    return register_list_page(
        request,
        form_class=forms.OutletForm,
        register=services.outlet_register,
        done_message=_("The outlet was registered."),
        detail="media_accreditation:outlet_detail",
        template="media_accreditation/outlet_list.html",
        context={"outlets": selectors.outlets_for(request.user)},
    )


def _outlet_post(request, outlet, which: str, form):
    """Run the service behind one of the outlet page's forms; True when it succeeded."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        if which == "editor":
            services.outlet_editor_add(actor=request.user, outlet=outlet, user=data["username"], request=request)
            messages.success(request, _("Editor added."))
        elif which == "journalist":
            services.journalist_add(actor=request.user, outlet=outlet, request=request, **data)
            messages.success(request, _("Journalist added."))
        else:
            accreditation = services.accreditation_apply(actor=request.user, request=request, **data)
            messages.success(request, _("The application was submitted to the CEC press service."))
            return reverse("media_accreditation:accreditation_detail", args=[accreditation.pk])
    except ValidationError as exc:
        add_errors(form, exc)
        return False
    return True


@editor_side
def outlet_detail(request, pk: int):
    outlet = get_scoped(selectors.outlets_for(request.user), pk=pk)
    is_cec = request.user.is_cec
    post = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if post is not None else None
    journalist_form = forms.JournalistForm(
        post if which == "journalist" else None, request.FILES if which == "journalist" else None, prefix="j"
    )
    apply_form = forms.ApplyForm(post if which == "apply" else None, outlet=outlet, prefix="a")
    editor_form = forms.EditorForm(post if which == "editor" else None, prefix="e") if is_cec else None
    bound = {"journalist": journalist_form, "apply": apply_form, "editor": editor_form}.get(which)
    if post is not None:
        if bound is None:
            raise PermissionDenied
        done = _outlet_post(request, outlet, which, bound)
        if done:
            return redirect(done if isinstance(done, str) else reverse("media_accreditation:outlet_detail", args=[outlet.pk]))
    return render(
        request,
        "media_accreditation/outlet_detail.html",
        {
            "outlet": outlet,
            "editors": outlet.editors.select_related("user"),
            "journalists": selectors.journalists_for(request.user).filter(outlet=outlet),
            "accreditations": selectors.accreditations_for(request.user).filter(journalist__outlet=outlet),
            "journalist_form": journalist_form,
            "apply_form": apply_form,
            "editor_form": editor_form,
        },
        status=400 if bound is not None and bound.errors else 200,
    )


@media_side
def accreditation_detail(request, pk: int):
    accreditation = get_scoped(selectors.accreditations_for(request.user), pk=pk)
    if request.method == "POST":
        return transition_step(
            request,
            accreditation,
            lambda **kw: services.accreditation_transition(
                actor=request.user, accreditation=accreditation, request=request, **kw
            ),
            subject=f"{accreditation.journalist} · {accreditation.election}",
            back=reverse("media_accreditation:accreditation_detail", args=[accreditation.pk]),
            say_why=False,
        )
    a = accreditation
    return render(
        request,
        "media_accreditation/accreditation_detail.html",
        {
            "a": a,
            "actions": workflow_actions(a, request.user),
            "history": a.status_history(),
            "card": credential_of_approved(a),
            "deadline": workflow_deadline(a, "accreditation_closes"),
        },
    )


@media_side
def press_card(request, pk: int):
    """The press card PDF, for the outlet's editors, the journalist and the press service."""
    accreditation = get_scoped(selectors.accreditations_for(request.user), pk=pk)
    return credential_pdf_response(request, credential_of_approved(accreditation), filename="press-card")


@role_required(lambda u: u.role == Role.JOURNALIST)
def my_accreditations(request):
    return render(
        request, "media_accreditation/my_accreditations.html", {"accreditations": selectors.accreditations_for(request.user)}
    )


@cec_required
def review_queue(request):
    return render(
        request,
        "media_accreditation/review_queue.html",
        {"accreditations": selectors.decision_queue(request.user), "now": timezone.now()},
    )


def public_index(request):

    return render(request, "media_accreditation/public_index.html", {"elections": active_elections()})


def public_outlets(request, election_pk: int):

    election = get_scoped(active_elections(), pk=election_pk)
    return render(
        request,
        "media_accreditation/public_outlets.html",
        {"election": election, "outlets": selectors.accredited_outlets(election)},
    )
