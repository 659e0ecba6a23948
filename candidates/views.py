from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.roles import Role
from candidates import forms, selectors, services
from core.permissions import role_required
from elections.selectors import get_scoped

party_side = role_required(lambda u: u.is_cec or u.role == Role.PARTY_REP)


def _add_errors(form, exc: ValidationError):
    for field, errs in (exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]):
        form.add_error(field if field in form.fields else None, errs)


@party_side
def party_list(request):
    form = forms.PartyForm(request.POST or None) if request.user.is_cec else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                party = services.party_register(actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("The party was registered."))
                return redirect("candidates:party_detail", pk=party.pk)
    return render(request, "candidates/party_list.html", {"parties": selectors.parties_for(request.user),
                                                          "form": form}, status=400 if form and form.errors else 200)


@party_side
def party_detail(request, pk: int):
    party = get_scoped(selectors.parties_for(request.user), pk=pk)
    form = forms.RepresentativeForm(request.POST or None) if request.user.is_cec else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            user = get_user_model().objects.filter(username=form.cleaned_data["username"]).first()
            if user is None:
                form.add_error("username", _("No such user."))
            else:
                try:
                    services.party_representative_add(actor=request.user, party=party, user=user, request=request)
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("Representative added."))
                    return redirect("candidates:party_detail", pk=party.pk)
    return render(request, "candidates/party_detail.html", {
        "party": party, "representatives": party.representatives.select_related("user"), "form": form})


def public_party_list(request):
    return render(request, "candidates/public_parties.html", {"parties": selectors.public_parties()})
