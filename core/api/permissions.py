from rest_framework.authtoken.models import Token
from rest_framework.permissions import BasePermission


def is_verified_request(request) -> bool:
    """Signed in, and (for officials) past the second factor: by TOTP in this session, or by a token (tokens are
    issued only to a verified session)."""
    user = request.user
    if not (user and user.is_authenticated):
        return False
    if isinstance(request.auth, Token):
        return True  # tokens are issued only to a session that passed the second factor
    if user.requires_two_factor:
        is_verified = getattr(user, "is_verified", None)
        return bool(is_verified and is_verified())
    return True


class IsVerifiedUser(BasePermission):
    """Signed in, and officials have confirmed their TOTP code."""

    def has_permission(self, request, view):
        return is_verified_request(request)


class IsOfficial(BasePermission):
    def has_permission(self, request, view):
        return is_verified_request(request) and request.user.is_official


class IsCEC(BasePermission):
    """Central Election Commission staff and administrators."""

    def has_permission(self, request, view):
        return is_verified_request(request) and request.user.is_cec
