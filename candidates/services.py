"""Writes owned by candidates: parties and their representatives (more in step 3)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from guardian.shortcuts import assign_perm, remove_perm

from accounts.roles import Role
from candidates.models import Party, PartyRepresentative
from core.services import audit_record

PARTY_PERMS = ("candidates.view_party", "candidates.represent_party")


@transaction.atomic
def party_register(*, actor, registration_number: str, name_uz: str, name_uz_cyrl: str = "", name_ru: str = "",
                   name_en: str = "", short_name: str = "", leader: str = "", address: str = "",
                   request=None) -> Party:
    """The CEC registers a party."""
    if not actor.is_cec:
        raise PermissionDenied
    party = Party(registration_number=registration_number.strip(), name_uz=name_uz.strip(),
                  name_uz_cyrl=name_uz_cyrl.strip(), name_ru=name_ru.strip(), name_en=name_en.strip(),
                  short_name=short_name.strip(), leader=leader.strip(), address=address.strip())
    party.full_clean()
    party.save()
    audit_record(actor=actor, action="candidates.party.register", obj=party, request=request,
                 after={"registration_number": party.registration_number, "name_uz": party.name_uz})
    return party


@transaction.atomic
def party_representative_add(*, actor, party: Party, user, request=None) -> PartyRepresentative:
    """The CEC makes ``user`` a representative of ``party``: object permissions on that party only."""
    if not actor.is_cec:
        raise PermissionDenied
    if user.role != Role.PARTY_REP:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"user": _("Only users with the party representative role can represent a party.")})
    rep, _created = PartyRepresentative.objects.get_or_create(party=party, user=user)
    for perm in PARTY_PERMS:
        assign_perm(perm, user, party)
    audit_record(actor=actor, action="candidates.party.representative_add", obj=party, request=request,
                 after={"user": user.pk})
    return rep


@transaction.atomic
def party_representative_remove(*, actor, rep: PartyRepresentative, request=None) -> None:
    if not actor.is_cec:
        raise PermissionDenied
    for perm in PARTY_PERMS:
        remove_perm(perm, rep.user, rep.party)
    audit_record(actor=actor, action="candidates.party.representative_remove", obj=rep.party, request=request,
                 before={"user": rep.user_id})
    rep.delete()
