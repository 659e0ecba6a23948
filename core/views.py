from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import ratelimit
from core.credentials import credential_pdf, credential_status, credential_verify_path
from core.forms import DecisionForm, add_errors
from core.selectors import credential_by_token
from core.workflow import workflow_actions


def _credential_lookup(request, token: str, *, scope: str, rate: str):
    """``(credential or None, None)``, or ``(None, 429 response)`` when this client checked too often
    (the rates are settings: tokens cannot be guessed by brute force)."""

    if not ratelimit.hit(scope, ratelimit.client_ip(request), rate):
        return None, render(request, "core/credential_verify.html", {"limited": True}, status=429)
    return credential_by_token(token), None


@require_safe
@never_cache
def credential_verify(request, token: str):
    """Public (no login): is this badge or press card valid?  Name, photo, organisation, scope and validity only."""

    credential, limited = _credential_lookup(
        request, token, scope="credential_verify", rate=settings.CREDENTIAL_VERIFY_RATE_PER_CLIENT
    )
    if limited:
        return limited
    if credential is None:
        return render(request, "core/credential_verify.html", {"unknown": True}, status=404)
    response = render(request, "core/credential_verify.html", {"credential": credential, "status": credential_status(credential)})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@never_cache
def credential_photo(request, token: str):
    """The holder's photo, only for a known token (the photo lives in private storage)."""
    credential, limited = _credential_lookup(
        request, token, scope="credential_photo", rate=settings.CREDENTIAL_PHOTO_RATE_PER_CLIENT
    )
    if limited:
        return limited
    if credential is None or not credential.photo:
        raise Http404
    content_type = "image/png" if credential.photo.name.lower().endswith(".png") else "image/jpeg"
    return FileResponse(credential.photo.open("rb"), content_type=content_type)


def credential_pdf_response(request, credential, *, filename: str) -> HttpResponse:
    """The credential's card as a PDF download (``filename`` + its number); 404 when there is none to print."""

    if credential is None:
        raise Http404
    pdf = credential_pdf(credential, verify_url=request.build_absolute_uri(credential_verify_path(credential)))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}-{credential.number}.pdf"'
    return response


def register_list_page(request, *, form_class, register, done_message: str, detail: str, template: str, context: dict):
    """A register's list page (parties, outlets, organisations): the CEC also registers a new entry on it.

    ``register`` is the service (called with the form's data); on success the page
    redirects to the new entry's ``detail`` view, else it answers 400 with the errors.
    """
    form = form_class(request.POST or None) if request.user.is_cec else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                entry = register(actor=request.user, request=request, **form.cleaned_data)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, done_message)
                return redirect(detail, pk=entry.pk)
    return render(request, template, {**context, "form": form}, status=400 if form and form.errors else 200)


def transition_step(request, obj, apply, *, subject: str, back: str, say_why: bool = True):
    """A page's workflow action, in two steps so that it cannot be mis-clicked (``apply(name=..., reason=...)``).

    The action's button posts its name only and gets the confirmation page: what will happen, to whom, the
    reason (asked where ``Transition.asks_reason``) and a button named after the action, beside "Go back".
    That page's form posts ``confirm``; only then is the transition applied.  A missing reason or a refusal by
    the workflow is shown on the confirmation page with an error summary (400), and nothing changes.  A
    refusal says the workflow's reason, or only "You may not do this." where ``say_why`` is false.

    Returns the response to send: the confirmation page, or a redirect to ``back`` once applied.
    """
    actions = {t.name: t for t in workflow_actions(obj, request.user)}
    transition = actions.get(request.POST.get("action", ""))
    if transition is None:
        messages.error(request, _("This action is not available now."))
        return redirect(back)
    confirmed = bool(request.POST.get("confirm"))
    form = DecisionForm(request.POST if confirmed else None, initial={"action": transition.name}, transition=transition)
    if confirmed and form.is_valid():
        try:
            apply(name=transition.name, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, (say_why and str(exc)) or _("You may not do this."))
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": transition.label})
            return redirect(back)
    return render(
        request,
        "core/decision_confirm.html",
        {"form": form, "transition": transition, "subject": subject, "back": back, "obj": obj},
        status=400 if form.errors else 200,
    )
