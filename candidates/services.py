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


# --------------------------------------------------------------------------- nominations

def _age_on(born, day) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def nomination_create(*, actor, party: Party, election, constituency, pinfl: str, list_position=None,
                      request=None):
    """A party (or a commission on its behalf) nominates a registered voter; eligibility is checked here."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from candidates.models import Nomination
    from elections.models import CommissionMember, Constituency
    from voters.models import Voter, VoterStatus

    if not (actor.is_cec or actor.has_perm("candidates.represent_party", party)):
        raise PermissionDenied
    if constituency.election_id != election.pk:
        raise ValidationError({"constituency": _("The constituency belongs to another election.")})
    if constituency.kind == Constituency.Kind.NATIONAL and not list_position:
        raise ValidationError({"list_position": _("A candidate on the national list needs a list position.")})
    voter = Voter.objects.filter(pinfl=(pinfl or "").strip(), merged_into__isnull=True).first()
    if voter is None:
        raise ValidationError({"pinfl": ValidationError(_("No voter with this PINFL is on the voter list."),
                                                        code="unknown_voter")})
    if voter.status != VoterStatus.ACTIVE:
        raise ValidationError({"pinfl": ValidationError(_("This person is not an active voter (%(status)s).")
                               % {"status": voter.get_status_display()}, code="not_active")})
    minimum = election.rule("min_candidate_age")
    if _age_on(voter.birth_date, election.election_day) < minimum:
        raise ValidationError({"pinfl": ValidationError(_("A candidate must be at least %(age)s years old on election day.")
                               % {"age": minimum}, code="too_young")})
    if CommissionMember.objects.filter(user__pinfl=voter.pinfl).exists():
        raise ValidationError({"pinfl": ValidationError(
            _("Members of election commissions cannot stand as candidates."), code="commission_member")})
    taken = Nomination.objects.filter(election=election, voter=voter).exclude(status__in=["withdrawn", "rejected"])
    if taken.exists():
        raise ValidationError({"pinfl": ValidationError(_("This person is already nominated in this election."),
                                                        code="already_nominated")})
    with transaction.atomic():
        nomination = Nomination(party=party, election=election, constituency=constituency, voter=voter,
                                list_position=list_position, created_by=actor)
        nomination.full_clean(exclude=["voter", "created_by"])
        nomination.save()
        audit_record(actor=actor, action="candidates.nomination.create", obj=nomination, request=request,
                     after={"party": party.pk, "election": election.pk, "constituency": constituency.pk,
                            "voter": voter.pk, "list_position": list_position})
    return nomination


def nomination_transition(*, actor, nomination, name: str, reason: str = "", request=None):
    """Submit, withdraw, review, register or refuse: the shared workflow, with its deadlines."""
    from core.workflow import workflow_transition

    return workflow_transition(obj=nomination, name=name, actor=actor, reason=reason, request=request)
