"""Reads of parties: CEC staff see every party; a representative sees only the parties granted to them."""

from __future__ import annotations

from guardian.shortcuts import get_objects_for_user

from candidates.models import Party


def parties_for(user):
    if not user.is_authenticated:
        return Party.objects.none()
    if user.is_cec:
        return Party.objects.all()
    return get_objects_for_user(user, "candidates.view_party", klass=Party, accept_global_perms=False)


def public_parties():
    """Registered parties as the public may see them."""
    return Party.objects.filter(is_active=True)
