"""Writes owned by accounts: users, TOTP devices, API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from core.services import audit_record

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

User = get_user_model()


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    role: str,
    actor: User | None = None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        role=role,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="accounts.user.create", obj=user, after={"username": username, "role": role})
    return user


def totp_device_for_setup(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device, created on first use (shown as a QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, request: HttpRequest | None = None) -> TOTPDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    audit_record(actor=device.user, action="accounts.totp.confirm", obj=device.user, request=request)
    return device


@transaction.atomic
def api_token_issue(*, user: User, request: HttpRequest | None = None) -> Token:
    """Replace the user's API token with a new one."""
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(actor=user, action="accounts.token.issue", obj=user, request=request)
    return token
