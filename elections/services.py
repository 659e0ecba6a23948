"""Writes owned by elections: commission membership (with django-guardian grants)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from accounts.scope import scope_forget
from core.services import audit_record
from elections.eligibility import Person, role_conflict_check_active
from elections.models import Commission, CommissionMember

if TYPE_CHECKING:
    from datetime import date

    from django.http import HttpRequest

    from accounts.models import User

#: Object permissions a member holds on their own commission (organisation-level grants).
MEMBER_PERMS = ("elections.view_commission",)
LEADER_PERMS = ("elections.view_commission", "elections.change_commission")


def _perms_for(role: str) -> tuple[str, ...]:
    leaders = (CommissionMember.Role.CHAIR, CommissionMember.Role.DEPUTY, CommissionMember.Role.SECRETARY)
    return LEADER_PERMS if role in leaders else MEMBER_PERMS


@transaction.atomic
def commission_member_add(
    *,
    actor: User,
    commission: Commission,
    user: User,
    role: str = CommissionMember.Role.MEMBER,
    since: date | None = None,
    request: HttpRequest | None = None,
) -> CommissionMember:
    """Put ``user`` on ``commission`` (or change their role): their scope follows, and guardian grants them the
    commission itself.  The one way in, the admin's member rows included (``elections.admin``)."""
    if actor is not None and not (actor.is_cec or actor.has_perm("elections.change_commission", commission)):
        raise PermissionDenied
    # a commission serves in every election it runs: nobody sits on one while a candidate or an observer
    role_conflict_check_active(
        person=Person(pinfl=user.pinfl, user_id=user.pk),
        role="commission_member",
        field="user",
        name=user.get_full_name() or user.get_username(),
    )
    member, created = CommissionMember.objects.get_or_create(
        commission=commission, user=user, defaults={"role": role, **({"since": since} if since else {})}
    )
    if not created and since is not None and member.since != since:
        member.since = since
        member.save(update_fields=["since"])
    if not created and member.role != role:
        for perm in _perms_for(member.role):
            remove_perm(perm, user, commission)
        member.role = role
        member.save(update_fields=["role"])
    for perm in _perms_for(role):
        assign_perm(perm, user, commission)
    audit_record(
        actor=actor,
        action="elections.commission.member_add",
        obj=commission,
        request=request,
        after={"user": user.pk, "role": role, "since": member.since},
    )
    scope_forget(user)
    return member


@transaction.atomic
def commission_member_remove(*, actor: User, member: CommissionMember, request: HttpRequest | None = None) -> None:
    commission, user = member.commission, member.user
    if not (actor.is_cec or actor.has_perm("elections.change_commission", commission)):
        raise PermissionDenied
    for perm in LEADER_PERMS:
        remove_perm(perm, user, commission)
    member.delete()
    scope_forget(user)
    audit_record(
        actor=actor, action="elections.commission.member_remove", obj=commission, request=request, before={"user": user.pk}
    )


@transaction.atomic
def commission_member_set(
    *,
    actor: User,
    commission: Commission,
    member: CommissionMember | None,
    user: User,
    role: str,
    since: date | None = None,
    request: HttpRequest | None = None,
) -> CommissionMember:
    """A member row as an editor of the commission's members writes it (the admin): a row that now names
    another person takes the old member off (their grants go) and puts the new one on."""
    if member is not None and member.user_id != user.pk:
        commission_member_remove(actor=actor, member=member, request=request)
    return commission_member_add(actor=actor, commission=commission, user=user, role=role, since=since, request=request)
