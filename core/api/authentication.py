"""API token authentication: DRF's ``TokenAuthentication`` with its one query compiled once per process.

The same rule as DRF's (the token's key names an active user, else 401), read without rebuilding the
ORM query on every request: an entry of a protocol on election night is signed with a token.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from core.sql import CompiledQuery, instance_from, model_fields


def _token_user(key):
    return Token.objects.filter(key=key).values_list("created", *model_fields(get_user_model(), "user__"))


_TOKEN_USER = CompiledQuery(_token_user, key=str)


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key):
        row = _TOKEN_USER.first(key=key)
        if row is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        user = instance_from(get_user_model(), row[1:])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        token = Token(key=key, user=user, created=row[0])
        token._state.adding, token._state.db = False, "default"
        return (user, token)
