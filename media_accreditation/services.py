"""Writes owned by media_accreditation: outlets, editors, journalists, accreditations and press cards."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from core import credentials
from core.identity import country_code, foreign_names, foreign_passport
from core.images import image_check
from core.services import audit_record, object_role_grant, object_role_revoke
from core.workflow import workflow_transition
from elections.eligibility import Person, role_conflict_check
from media_accreditation.models import (
    CLOSED_WITHOUT_DECISION,
    PRESS_CARD_DAYS_AFTER_ELECTION,
    Journalist,
    MediaAccreditation,
    MediaOutlet,
    OutletEditor,
)
from media_accreditation.workflows import acts_for_outlet, is_press_service
from voters.selectors import citizen_voter

if TYPE_CHECKING:
    from datetime import date

    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from accounts.models import User
    from elections.models import Election, Region

OUTLET_PERMS = ("media_accreditation.view_mediaoutlet", "media_accreditation.act_for_outlet")


# --------------------------------------------------------------------------- outlets


@transaction.atomic
def outlet_register(
    *,
    actor: User,
    name: str,
    kind: str,
    certificate_number: str,
    country: str = "",
    address: str = "",
    email: str = "",
    request: HttpRequest | None = None,
) -> MediaOutlet:
    """The CEC press service registers an outlet (the certificate is that of the mass-media register)."""
    if not is_press_service(actor):
        raise PermissionDenied
    foreign = kind == MediaOutlet.Kind.FOREIGN
    country = country_code(country, required=foreign)
    if country and not foreign:
        raise ValidationError({"country": ValidationError(_("Only a foreign outlet has a country."), code="country_not_foreign")})
    outlet = MediaOutlet(
        name=(name or "").strip(),
        kind=kind,
        certificate_number=(certificate_number or "").strip(),
        country=country,
        address=(address or "").strip(),
        email=(email or "").strip(),
    )
    outlet.full_clean()
    outlet.save()
    audit_record(
        actor=actor,
        action="media_accreditation.outlet.register",
        obj=outlet,
        request=request,
        after={
            "name": outlet.name,
            "kind": outlet.kind,
            "certificate_number": outlet.certificate_number,
            "country": outlet.country,
        },
    )
    return outlet


@transaction.atomic
def outlet_editor_add(*, actor: User, outlet: MediaOutlet, user: User, request: HttpRequest | None = None) -> OutletEditor:
    """The press service makes ``user`` an editor of ``outlet``: object permissions on that outlet only."""
    if not is_press_service(actor):
        raise PermissionDenied
    if user.role != Role.MEDIA_EDITOR:
        raise ValidationError(
            {"username": ValidationError(_("Only users with the media editor role can act for an outlet."), code="not_editor")}
        )
    return object_role_grant(
        actor=actor,
        link_model=OutletEditor,
        field="outlet",
        obj=outlet,
        user=user,
        perms=OUTLET_PERMS,
        action="media_accreditation.outlet.editor_add",
        request=request,
    )


@transaction.atomic
def outlet_editor_remove(*, actor: User, editor: OutletEditor, request: HttpRequest | None = None) -> None:
    if not is_press_service(actor):
        raise PermissionDenied
    object_role_revoke(
        actor=actor,
        link=editor,
        obj=editor.outlet,
        perms=OUTLET_PERMS,
        action="media_accreditation.outlet.editor_remove",
        request=request,
    )


# --------------------------------------------------------------------------- journalists


def _check_photo(photo: UploadedFile) -> str:
    """The photo's extension; a JPEG or PNG checked by its content (``core.images``)."""

    if not photo:
        raise ValidationError({"photo": ValidationError(_("A photo is required for the press card."), code="photo_required")})
    return image_check(photo)[1]


def _journalist_account(username: str, *, pinfl: str, passport_number: str, country: str) -> User | None:
    """The journalist's own account, if one is named: an account with the journalist role that is this person's.

    An account belongs to one person: its PINFL, when recorded, must be the journalist's, and it may be linked
    only to journalist records of the same person (the same journalist at another outlet), so an editor cannot
    hand another outlet's journalist, or anyone's account, a press card naming someone else.
    """

    username = (username or "").strip()
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None or user.role != Role.JOURNALIST:
        raise ValidationError(
            {"username": ValidationError(_("No user with the journalist role has this username."), code="not_journalist")}
        )
    someone_else = Journalist.objects.filter(user=user).exclude(pinfl=pinfl, passport_number=passport_number, country=country)
    if (user.pinfl and user.pinfl != pinfl) or someone_else.exists():
        raise ValidationError(
            {
                "username": ValidationError(
                    _("This account belongs to another person: it cannot be linked to this journalist."),
                    code="account_of_another",
                )
            }
        )
    return user


def journalist_add(
    *,
    actor: User,
    outlet: MediaOutlet,
    surname: str,
    given_name: str,
    photo: UploadedFile,
    is_foreign: bool = False,
    pinfl: str = "",
    passport_number: str = "",
    country: str = "",
    patronymic: str = "",
    position: str = "",
    username: str = "",
    request: HttpRequest | None = None,
) -> Journalist:
    """An editor adds a journalist: a citizen checked against the voter list, or a foreigner by passport."""
    if not acts_for_outlet(actor, outlet):
        raise PermissionDenied
    surname, given_name, patronymic = (surname or "").strip(), (given_name or "").strip(), (patronymic or "").strip()
    pinfl = (pinfl or "").strip()
    voter = None
    if is_foreign:
        passport_number, country = foreign_passport(
            pinfl=pinfl,
            passport_number=passport_number,
            country=country,
            no_pinfl_message=_("A foreign journalist has no PINFL."),
            passport_required_message=_("A foreign journalist is identified by passport: the passport number is required."),
            home_country_allowed=True,
        )
        foreign_names(surname, given_name, patronymic)
    else:
        voter = citizen_voter(
            pinfl=pinfl, passport_number=passport_number, country=country, surname=surname, given_name=given_name
        )
        # the press card carries the name as the registry writes it
        surname, given_name, patronymic = voter.surname, voter.given_name, voter.patronymic
        passport_number, country = "", ""
    user = _journalist_account(username, pinfl=pinfl, passport_number=passport_number, country=country)
    ext = _check_photo(photo)
    journalist = Journalist(
        outlet=outlet,
        user=user,
        is_foreign=is_foreign,
        pinfl=pinfl,
        voter=voter,
        passport_number=passport_number,
        country=country,
        surname=surname,
        given_name=given_name,
        patronymic=patronymic,
        position=(position or "").strip(),
        created_by=actor,
    )
    journalist.full_clean(exclude=["photo", "voter", "user", "created_by"])
    with transaction.atomic():
        journalist.photo.save(f"{outlet.pk}-{pinfl or passport_number}{ext}", photo, save=False)
        journalist.save()
        audit_record(
            actor=actor,
            action="media_accreditation.journalist.add",
            obj=journalist,
            request=request,
            after={
                "outlet": outlet.pk,
                "is_foreign": is_foreign,
                "voter": voter.pk if voter else None,
                "country": country,
                "user": user.pk if user else None,
            },
        )
    return journalist


# --------------------------------------------------------------------------- accreditations


def accreditation_apply(
    *,
    actor: User,
    journalist: Journalist,
    election: Election,
    scope: str,
    region: Region | None = None,
    request: HttpRequest | None = None,
) -> MediaAccreditation:
    """An editor applies for a journalist's accreditation: created and submitted at once, before the deadline."""
    if not acts_for_outlet(actor, journalist.outlet):
        raise PermissionDenied
    if not election.is_active:
        raise ValidationError(
            {"election": ValidationError(_("This election is not open for accreditation."), code="election_inactive")}
        )
    if scope != MediaAccreditation.Scope.REGION:
        region = None
    elif region is None:
        raise ValidationError(
            {"region": ValidationError(_("Choose the region the journalist will cover."), code="region_required")}
        )
    taken = (
        MediaAccreditation.objects.filter(journalist=journalist, election=election)
        .exclude(status__in=CLOSED_WITHOUT_DECISION)
        .first()
    )
    if taken is not None:
        raise ValidationError(
            {
                "journalist": ValidationError(
                    _("This journalist already has an application or accreditation for this election (%(state)s).")
                    % {"state": taken.get_status_display()},
                    code="duplicate",
                )
            }
        )
    _check_eligible(journalist, election)
    with transaction.atomic():
        accreditation = MediaAccreditation(journalist=journalist, election=election, scope=scope, region=region, created_by=actor)
        accreditation.full_clean(exclude=["created_by"])
        accreditation.save()
        audit_record(
            actor=actor,
            action="media_accreditation.accreditation.create",
            obj=accreditation,
            request=request,
            after={"journalist": journalist.pk, "election": election.pk, "scope": scope, "region": region.pk if region else None},
        )
        # the deadline is the workflow's ("accreditation_closes"); a refusal rolls the application back
        workflow_transition(obj=accreditation, name="submit", actor=actor, request=request)
    return accreditation


def _check_eligible(journalist: Journalist, election: Election) -> None:
    """Where an election's rules make "journalist" an exclusive role, nobody covers it while a candidate, a
    commission member or an observer in it (``elections.eligibility``; by default a journalist is not)."""
    role_conflict_check(
        person=Person(pinfl=journalist.pinfl, user_id=journalist.user_id),
        election=election,
        role="journalist",
        field="journalist",
        name=journalist.full_name,
    )


def press_card_valid_until(election: Election) -> date:
    return election.election_day + timedelta(days=PRESS_CARD_DAYS_AFTER_ELECTION)


@transaction.atomic
def accreditation_transition(
    *, actor: User, accreditation: MediaAccreditation, name: str, reason: str = "", request: HttpRequest | None = None
) -> MediaAccreditation:
    """Any step of the shared workflow; approval issues the press card, revocation revokes it at once.

    Approval is refused once election day has passed (``core.credentials.check_accreditation_open``): nothing
    changes, no card is issued.
    """

    def rules(locked: MediaAccreditation) -> None:
        if name == "approve":
            credentials.check_accreditation_open(locked.election)
            _check_eligible(locked.journalist, locked.election)

    locked = workflow_transition(obj=accreditation, name=name, actor=actor, reason=reason, request=request, extra_check=rules)
    if name == "approve":
        journalist = locked.journalist
        locked.valid_until = press_card_valid_until(locked.election)
        locked.save(update_fields=["valid_until"])
        credentials.credential_issue(
            subject=locked,
            kind="press_card",
            holder_name=journalist.full_name,
            organisation=journalist.outlet.name,
            scope_text=locked.scope_text(),
            election=locked.election,
            photo=journalist.photo,
            valid_until=locked.valid_until,
            actor=actor,
            request=request,
        )
    elif name == "revoke":
        credentials.credential_revoke(subject=locked, reason=reason, actor=actor, request=request)
    accreditation.valid_until = locked.valid_until
    return locked
