from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

#: Paths an official may open between the password step and the TOTP step.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/accounts/2fa/", "/accounts/logout/", "/favicon")


class RequireTwoFactorMiddleware:
    """Officials and administrators must confirm a TOTP code before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.requires_two_factor
            and not user.is_verified()
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"status": 403, "code": "two_factor_required", "detail": _("Confirm your one-time code to continue.")},
                    status=403,
                )
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
