from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core import ratelimit
from core.permissions import official_required
from elections import selectors as election_selectors

#: Verification requests allowed per client (tokens cannot be guessed by brute force).
CREDENTIAL_VERIFY_RATE = "20/m"
CREDENTIAL_PHOTO_RATE = "60/m"


def home(request):
    elections = election_selectors.elections_visible(request.user).filter(is_active=True)[:3]
    return render(request, "core/home.html", {"elections": elections})


@official_required
def dashboard(request):
    counts = election_selectors.dashboard_counts(request.user)
    return render(request, "core/dashboard.html", {
        "counts": counts,
        "regions": election_selectors.region_counts(request.user),
        "elections": election_selectors.elections_visible(request.user).filter(is_active=True),
    })


def _credential_lookup(request, token: str, *, scope: str, setting: str, default_rate: str):
    """``(credential or None, None)``, or ``(None, 429 response)`` when this client checked too often."""
    from core.selectors import credential_by_token

    if not ratelimit.hit(scope, ratelimit.client_ip(request), getattr(settings, setting, default_rate)):
        return None, render(request, "core/credential_verify.html", {"limited": True}, status=429)
    return credential_by_token(token), None


@require_safe
@never_cache
def credential_verify(request, token: str):
    """Public (no login): is this badge or press card valid?  Name, photo, organisation, scope and validity only."""
    from core.credentials import credential_status

    credential, limited = _credential_lookup(request, token, scope="credential_verify",
                                             setting="CREDENTIAL_VERIFY_RATE_PER_CLIENT",
                                             default_rate=CREDENTIAL_VERIFY_RATE)
    if limited:
        return limited
    if credential is None:
        return render(request, "core/credential_verify.html", {"unknown": True}, status=404)
    response = render(request, "core/credential_verify.html", {
        "credential": credential, "status": credential_status(credential)})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@never_cache
def credential_photo(request, token: str):
    """The holder's photo, only for a known token (the photo lives in private storage)."""
    credential, limited = _credential_lookup(request, token, scope="credential_photo",
                                             setting="CREDENTIAL_PHOTO_RATE_PER_CLIENT",
                                             default_rate=CREDENTIAL_PHOTO_RATE)
    if limited:
        return limited
    if credential is None or not credential.photo:
        raise Http404
    content_type = "image/png" if credential.photo.name.lower().endswith(".png") else "image/jpeg"
    return FileResponse(credential.photo.open("rb"), content_type=content_type)
