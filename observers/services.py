"""Writes owned by observers: organisations and coordinators, observers (one by one, self-registered or in bulk),
and accreditations through the shared workflow with their badges (incident reports: ``incidents.services``)."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.services import user_create
from core import credentials
from core.errors import field_error
from core.identity import country_code, foreign_names, foreign_passport
from core.images import image_check
from core.services import audit_record, object_role_grant, object_role_revoke
from core.tabular import ColumnLayout, FileRejected, open_registry_file
from core.text import formula_value
from core.workflow import State, workflow_transition
from elections.eligibility import Person, role_conflict_check
from observers.models import (
    PENDING_STATES,
    Observer,
    ObserverAccreditation,
    ObserverOrganization,
    OrganizationCoordinator,
)
from observers.workflows import coordinates
from voters.selectors import citizen_voter, voters_by_pinfl

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

    from accounts.models import User
    from candidates.models import Party
    from elections.models import Election, Mahalla, Precinct
    from observers.models import ObserverOrganization

COORDINATOR_PERMS = ("observers.view_observerorganization", "observers.coordinate_organization")
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{4,30}")
#: An application names at most this many precincts (a mobile group of observers).
MAX_PRECINCTS_PER_APPLICATION = 30
#: Bulk files: at most this many rows and bytes.
BULK_MAX_ROWS = 2000
BULK_MAX_BYTES = 5 * 2**20


# --------------------------------------------------------------------------- organisations


@transaction.atomic
def organization_register(
    *,
    actor: User,
    name: str,
    kind: str,
    registration_number: str = "",
    party: Party | None = None,
    mahalla: Mahalla | None = None,
    country: str = "",
    address: str = "",
    email: str = "",
    request: HttpRequest | None = None,
) -> ObserverOrganization:
    """The CEC registers an organisation that may nominate observers."""
    if not (actor and actor.is_authenticated and actor.is_cec):
        raise PermissionDenied
    # only an international organisation has a country (optional)
    country = country_code(country, required=False) if kind == ObserverOrganization.Kind.INTERNATIONAL else ""
    org = ObserverOrganization(
        name=(name or "").strip(),
        kind=kind,
        registration_number=(registration_number or "").strip(),
        party=party,
        mahalla=mahalla,
        country=country,
        address=(address or "").strip(),
        email=(email or "").strip(),
    )
    org.full_clean()
    org.save()
    audit_record(
        actor=actor,
        action="observers.organization.register",
        obj=org,
        request=request,
        after={"name": org.name, "kind": kind, "party": party.pk if party else None, "mahalla": mahalla.pk if mahalla else None},
    )
    return org


@transaction.atomic
def organization_coordinator_add(
    *, actor: User, organization: ObserverOrganization, user: User, request: HttpRequest | None = None
) -> OrganizationCoordinator:
    """The CEC makes ``user`` a coordinator of ``organization``: object permissions on that organisation only."""
    if not (actor and actor.is_authenticated and actor.is_cec):
        raise PermissionDenied
    if user.role != Role.OBSERVER_COORDINATOR:
        raise field_error("user", _("Only users with the coordinator role can coordinate an organisation."), "not_coordinator")
    return object_role_grant(
        actor=actor,
        link_model=OrganizationCoordinator,
        field="organization",
        obj=organization,
        user=user,
        perms=COORDINATOR_PERMS,
        action="observers.organization.coordinator_add",
        request=request,
    )


@transaction.atomic
def organization_coordinator_remove(
    *, actor: User, coordinator: OrganizationCoordinator, request: HttpRequest | None = None
) -> None:
    if not (actor and actor.is_authenticated and actor.is_cec):
        raise PermissionDenied
    object_role_revoke(
        actor=actor,
        link=coordinator,
        obj=coordinator.organization,
        perms=COORDINATOR_PERMS,
        action="observers.organization.coordinator_remove",
        request=request,
    )


# --------------------------------------------------------------------------- observers


@dataclass
class Identity:
    """A person's checked identity, ready to become an ``Observer``."""

    is_foreign: bool
    pinfl: str
    passport_number: str
    country: str
    surname: str
    given_name: str
    patronymic: str
    birth_date: date
    voter: object | None = None


def _identify(
    *,
    is_foreign: bool,
    pinfl: str,
    passport_number: str,
    country: str,
    surname: str,
    given_name: str,
    patronymic: str,
    birth_date: date | None,
    voters: dict | None = None,
) -> Identity:
    """Check who the person is; raise ``ValidationError`` naming the field and why.

    A citizen must be an active voter: the PINFL, surname and given name must match the
    voter list (in either script); the observer carries the names as the registry writes
    them.  A foreigner is identified by passport number and country.  ``voters`` (PINFL ->
    voter) lets a bulk check look every row up in one query.
    """
    surname, given_name, patronymic = (surname or "").strip(), (given_name or "").strip(), (patronymic or "").strip()
    pinfl = (pinfl or "").strip()
    if is_foreign:
        passport_number, country = foreign_passport(
            pinfl=pinfl,
            passport_number=passport_number,
            country=country,
            no_pinfl_message=_("A foreign observer has no PINFL."),
            passport_required_message=_("A foreign observer is identified by passport: the passport number is required."),
            home_country_allowed=False,
        )
        foreign_names(surname, given_name, patronymic)
        if birth_date is None:
            raise field_error("birth_date", _("This field is required."), "required")
        return Identity(True, "", passport_number, country, surname, given_name, patronymic, birth_date)
    voter = citizen_voter(
        pinfl=pinfl, passport_number=passport_number, country=country, surname=surname, given_name=given_name, voters=voters
    )
    if birth_date is not None and birth_date != voter.birth_date:
        raise field_error("birth_date", _("The birth date does not match the voter list."), "birth_date_mismatch")
    return Identity(False, pinfl, "", "", voter.surname, voter.given_name, voter.patronymic, voter.birth_date, voter)


def _already_registered(identity: Identity) -> Observer | None:
    if identity.pinfl:
        return Observer.objects.filter(pinfl=identity.pinfl).first()
    return Observer.objects.filter(country=identity.country, passport_number=identity.passport_number).first()


def observer_register(
    *,
    actor: User,
    organization: ObserverOrganization,
    surname: str,
    given_name: str,
    is_foreign: bool = False,
    pinfl: str = "",
    passport_number: str = "",
    country: str = "",
    patronymic: str = "",
    birth_date: date | None = None,
    email: str = "",
    phone: str = "",
    photo: UploadedFile | None = None,
    user: User | None = None,
    request: HttpRequest | None = None,
) -> Observer:
    """Register an observer of ``organization``: by its coordinator, or a user registering themselves (``user``)."""

    if user is not None:
        if actor != user or user.role != Role.OBSERVER:
            raise PermissionDenied
        if Observer.objects.filter(user=user).exists():
            raise field_error("user", _("You are already registered as an observer."), "already_registered")
    elif not coordinates(actor, organization):
        raise PermissionDenied
    if not organization.is_active:
        raise field_error("organization", _("This organisation does not nominate observers now."), "inactive")
    identity = _identify(
        is_foreign=is_foreign,
        pinfl=pinfl,
        passport_number=passport_number,
        country=country,
        surname=surname,
        given_name=given_name,
        patronymic=patronymic,
        birth_date=birth_date,
    )
    if _already_registered(identity) is not None:
        raise field_error(
            "pinfl" if identity.pinfl else "passport_number", _("This person is already registered as an observer."), "duplicate"
        )
    ext = image_check(photo)[1] if photo else ""
    observer = Observer(
        organization=organization,
        user=user,
        is_foreign=identity.is_foreign,
        pinfl=identity.pinfl,
        voter=identity.voter,
        passport_number=identity.passport_number,
        country=identity.country,
        surname=identity.surname,
        given_name=identity.given_name,
        patronymic=identity.patronymic,
        birth_date=identity.birth_date,
        email=(email or "").strip(),
        phone=(phone or "").strip(),
        created_by=actor if actor and actor.is_authenticated else None,
    )
    observer.full_clean(exclude=["photo", "voter", "user", "created_by"])
    with transaction.atomic():
        if photo:
            observer.photo.save(f"{organization.pk}-{identity.pinfl or identity.passport_number}{ext}", photo, save=False)
        observer.save()
        audit_record(
            actor=actor,
            action="observers.observer.register",
            obj=observer,
            request=request,
            after={
                "organization": organization.pk,
                "is_foreign": identity.is_foreign,
                "voter": identity.voter.pk if identity.voter else None,
                "country": identity.country,
                "self": user is not None,
            },
        )
    return observer


@transaction.atomic
def observer_self_register(
    *,
    username: str,
    password: str,
    email: str,
    organization: ObserverOrganization,
    surname: str,
    given_name: str,
    is_foreign: bool = False,
    pinfl: str = "",
    passport_number: str = "",
    country: str = "",
    patronymic: str = "",
    birth_date: date | None = None,
    phone: str = "",
    photo: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> Observer:
    """Online self-registration: an account with the observer role and the observer record, or nothing."""

    username = (username or "").strip()
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise field_error("username", _("This username is taken."), "username_taken")
    try:
        validate_password(password, get_user_model()(username=username, email=email))
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list})
    user = user_create(
        username=username,
        password=password,
        role=Role.OBSERVER,
        email=(email or "").strip(),
        first_name=(given_name or "").strip()[:150],
        last_name=(surname or "").strip()[:150],
    )
    return observer_register(
        actor=user,
        user=user,
        organization=organization,
        surname=surname,
        given_name=given_name,
        is_foreign=is_foreign,
        pinfl=pinfl,
        passport_number=passport_number,
        country=country,
        patronymic=patronymic,
        birth_date=birth_date,
        email=email,
        phone=phone,
        photo=photo,
        request=request,
    )


def observer_photo_set(*, actor: User, observer: Observer, photo: UploadedFile, request: HttpRequest | None = None) -> Observer:
    """The observer or their coordinator replaces the photo printed on the badge."""

    if not (coordinates(actor, observer.organization) or (observer.user_id and observer.user_id == actor.pk)):
        raise PermissionDenied
    if not photo:
        raise field_error("photo", _("Choose a photo."), "required")
    ext = image_check(photo)[1]
    with transaction.atomic():
        observer.photo.save(f"{observer.organization_id}-{observer.pinfl or observer.passport_number}{ext}", photo, save=False)
        observer.save(update_fields=["photo"])
        audit_record(actor=actor, action="observers.observer.photo", obj=observer, request=request)
    return observer


# --------------------------------------------------------------------------- bulk submission

BULK_COLUMNS = ("pinfl", "passport_number", "country", "surname", "given_name", "patronymic", "birth_date", "email", "phone")
BULK_REQUIRED = ("pinfl", "passport_number", "country", "surname", "given_name", "birth_date")


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class BulkResult:
    """What a bulk file did: the observers created, or (and then nothing was stored) the errors by row."""

    created: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(raw: str) -> date | None:
    """YYYY-MM-DD or DD.MM.YYYY (the voter import's formats), else None."""

    try:
        return forms.DateField(input_formats=["%Y-%m-%d", "%d.%m.%Y"]).clean(raw.strip())
    except ValidationError:
        return None


def observers_bulk_submit(
    *, actor: User, organization: ObserverOrganization, uploaded_file: UploadedFile, request: HttpRequest | None = None
) -> BulkResult:
    """A coordinator submits many observers in one CSV or XLSX file: all rows are stored, or none.

    The file is read by the voter import's reader (encoding, header and formula checks);
    every row is then checked like a single registration, and repeated people are refused.
    """

    if not coordinates(actor, organization):
        raise PermissionDenied
    if not organization.is_active:
        raise field_error("organization", _("This organisation does not nominate observers now."), "inactive")
    if uploaded_file.size > BULK_MAX_BYTES:
        raise field_error("file", _("The file is larger than %(mb)s MB.") % {"mb": BULK_MAX_BYTES // 2**20}, "too_large")
    result = BulkResult()
    parsed: list[tuple[int, dict]] = []
    with tempfile.NamedTemporaryFile(suffix=".dat") as tmp:
        for chunk in uploaded_file.chunks():
            tmp.write(chunk)
        tmp.flush()
        try:
            opened = open_registry_file(tmp.name, layout=ColumnLayout(BULK_COLUMNS, BULK_REQUIRED))
            for row_no, row in enumerate(opened.rows, start=2):
                if not any(c.strip() for c in row):
                    continue
                if len(parsed) >= BULK_MAX_ROWS:
                    raise field_error(
                        "file", _("The file has more than %(n)s rows: split it.") % {"n": BULK_MAX_ROWS}, "too_many_rows"
                    )
                if len(row) != len(opened.header):
                    result.errors.append(
                        RowError(
                            row_no, "row", _("Expected %(n)s columns, found %(m)s.") % {"n": len(opened.header), "m": len(row)}
                        )
                    )
                    continue
                # a phone number may start with "+": that column is checked by its own pattern below
                bad = formula_value([v for name, v in zip(opened.header, row, strict=True) if name != "phone"])
                if bad is not None:
                    result.errors.append(
                        RowError(
                            row_no,
                            "row",
                            _("Values may not start with = + - @ (spreadsheet formulas): %(value)s") % {"value": bad[:40]},
                        )
                    )
                    continue
                parsed.append((row_no, {name: value.strip() for name, value in zip(opened.header, row, strict=True) if name}))
        except FileRejected as exc:
            raise field_error("file", exc.message, exc.code)
    if not parsed and not result.errors:
        raise field_error("file", _("The file has a header but no data rows."), "empty")
    result.rows = len(parsed) + len(result.errors)
    pinfls = [values.get("pinfl", "") for _row, values in parsed if values.get("pinfl")]
    voters = voters_by_pinfl(pinfls)
    taken_pinfls = set(Observer.objects.filter(pinfl__in=pinfls).values_list("pinfl", flat=True))
    seen: dict[tuple, int] = {}
    identities: list[tuple[int, Identity, dict]] = []
    for row_no, values in parsed:
        is_foreign = bool(values.get("passport_number") or values.get("country")) and not values.get("pinfl")
        raw_date = values.get("birth_date", "")
        born = _parse_date(raw_date)
        if born is None:
            result.errors.append(
                RowError(row_no, "birth_date", _("Use YYYY-MM-DD or DD.MM.YYYY.") if raw_date else _("This field is required."))
            )
            continue
        try:
            identity = _identify(
                is_foreign=is_foreign,
                pinfl=values.get("pinfl", ""),
                passport_number=values.get("passport_number", ""),
                country=values.get("country", ""),
                surname=values.get("surname", ""),
                given_name=values.get("given_name", ""),
                patronymic=values.get("patronymic", ""),
                birth_date=born,
                voters=voters,
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                result.errors.extend(RowError(row_no, name, m) for m in messages)
            continue
        key = (identity.pinfl,) if identity.pinfl else (identity.country, identity.passport_number)
        if key in seen:
            result.errors.append(
                RowError(
                    row_no,
                    "pinfl" if identity.pinfl else "passport_number",
                    _("The same person is already in row %(row)s.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = row_no
        if (identity.pinfl in taken_pinfls) or (not identity.pinfl and _already_registered(identity)):
            result.errors.append(
                RowError(
                    row_no,
                    "pinfl" if identity.pinfl else "passport_number",
                    _("This person is already registered as an observer."),
                )
            )
            continue
        email = values.get("email", "")
        if email:
            try:
                validate_email(email)
            except ValidationError:
                result.errors.append(RowError(row_no, "email", _("Enter a valid email address.")))
                continue
        if values.get("phone") and not _PHONE.fullmatch(values["phone"]):
            result.errors.append(
                RowError(row_no, "phone", _("A phone number has digits, spaces, ( ) and -, optionally after a leading +."))
            )
            continue
        identities.append((row_no, identity, values))
    if result.errors:
        result.errors.sort(key=lambda e: e.row)
        return result
    with transaction.atomic():
        for _row_no, identity, values in identities:
            observer = Observer(
                organization=organization,
                is_foreign=identity.is_foreign,
                pinfl=identity.pinfl,
                voter=identity.voter,
                passport_number=identity.passport_number,
                country=identity.country,
                surname=identity.surname,
                given_name=identity.given_name,
                patronymic=identity.patronymic,
                birth_date=identity.birth_date,
                email=values.get("email", ""),
                phone=values.get("phone", ""),
                created_by=actor,
            )
            observer.save()
            result.created.append(observer)
        audit_record(
            actor=actor,
            action="observers.observer.bulk_submit",
            obj=organization,
            request=request,
            after={"file": os.path.basename(uploaded_file.name)[:200], "created": len(result.created)},
        )
    return result


# --------------------------------------------------------------------------- accreditations


def _check_eligible(observer: Observer, election: Election) -> None:
    """Nobody observes an election in which they hold another exclusive role (``elections.eligibility``)."""
    role_conflict_check(
        person=Person(pinfl=observer.pinfl, user_id=observer.user_id),
        election=election,
        role="observer",
        field="observer",
        name=observer.full_name,
    )


def _check_limit(
    organization: ObserverOrganization, election: Election, precincts: Iterable[Precinct], *, exclude_pk: int | None = None
) -> None:
    """At most ``observers_per_org_per_precinct`` observers of one organisation at one precinct (pending ones count)."""
    limit = int(election.rule("observers_per_org_per_precinct"))
    ObserverOrganization.objects.select_for_update().filter(pk=organization.pk).first()  # one decision at a time
    for precinct in precincts:
        taken = (
            ObserverAccreditation.objects.filter(
                organization=organization, election=election, precincts=precinct, status__in=[*PENDING_STATES, State.APPROVED]
            )
            .exclude(pk=exclude_pk)
            .count()
        )
        if taken >= limit:
            raise field_error(
                "precincts",
                _(
                    "%(org)s already has %(n)s observer(s) at %(precinct)s (%(district)s); the "
                    "limit is %(limit)s per organisation and precinct."
                )
                % {"org": organization, "n": taken, "precinct": precinct, "district": precinct.district, "limit": limit},
                "limit_reached",
            )


def accreditation_apply(
    *, actor: User, observer: Observer, election: Election, precincts: Iterable[Precinct], request: HttpRequest | None = None
) -> ObserverAccreditation:
    """The observer (or their coordinator) applies for an election and precincts: created and submitted at once.

    The rules are checked again when the commission decides (things may change in between).
    """
    if not (coordinates(actor, observer.organization) or (observer.user_id and observer.user_id == actor.pk)):
        raise PermissionDenied
    if not election.is_active:
        raise field_error("election", _("This election is not open for accreditation."), "election_inactive")
    precincts = list({p.pk: p for p in precincts}.values())
    if not precincts:
        raise field_error("precincts", _("Choose at least one precinct."), "precincts_required")
    if len(precincts) > MAX_PRECINCTS_PER_APPLICATION:
        raise field_error(
            "precincts",
            _("At most %(n)s precincts in one application.") % {"n": MAX_PRECINCTS_PER_APPLICATION},
            "too_many_precincts",
        )
    taken = (
        ObserverAccreditation.objects.filter(observer=observer, election=election)
        .exclude(status__in=[State.WITHDRAWN, State.REJECTED, State.REVOKED])
        .first()
    )
    if taken is not None:
        raise field_error(
            "observer",
            _("%(name)s already has an application or accreditation for this election (%(state)s).")
            % {"name": observer.full_name, "state": taken.get_status_display()},
            "duplicate",
        )
    _check_eligible(observer, election)
    with transaction.atomic():
        accreditation = ObserverAccreditation(
            observer=observer, organization=observer.organization, election=election, created_by=actor
        )
        accreditation.full_clean(exclude=["created_by"])
        accreditation.save()
        accreditation.precincts.set(precincts)
        audit_record(
            actor=actor,
            action="observers.accreditation.create",
            obj=accreditation,
            request=request,
            after={"observer": observer.pk, "election": election.pk, "precincts": sorted(p.pk for p in precincts)},
        )
        # the deadline is the workflow's ("accreditation_closes"); a refusal rolls the application back
        accreditation = accreditation_transition(actor=actor, accreditation=accreditation, name="submit", request=request)
    return accreditation


@transaction.atomic
def accreditation_transition(
    *, actor: User, accreditation: ObserverAccreditation, name: str, reason: str = "", request: HttpRequest | None = None
) -> ObserverAccreditation:
    """Any step of the shared workflow; approval issues the badge, revocation revokes it at once.

    Approval is refused once election day has passed (``core.credentials.check_accreditation_open``)."""

    def rules(locked: ObserverAccreditation) -> None:
        if name == "approve":
            credentials.check_accreditation_open(locked.election)
        if name in ("submit", "approve"):
            _check_eligible(locked.observer, locked.election)
            _check_limit(
                locked.organization, locked.election, list(locked.precincts.select_related("district")), exclude_pk=locked.pk
            )

    locked = workflow_transition(obj=accreditation, name=name, actor=actor, reason=reason, request=request, extra_check=rules)
    if name == "submit":
        locked.submitted_at = locked.status_changed_at
        locked.save(update_fields=["submitted_at"])
    elif name == "approve":
        observer = locked.observer
        credentials.credential_issue(
            subject=locked,
            kind="observer_badge",
            holder_name=observer.full_name,
            organisation=locked.organization.name,
            scope_text=locked.precincts_text(),
            election=locked.election,
            photo=observer.photo or None,
            valid_until=locked.badge_valid_until,
            actor=actor,
            request=request,
        )
    elif name == "revoke":
        credentials.credential_revoke(subject=locked, reason=reason, actor=actor, request=request)
    accreditation.submitted_at = locked.submitted_at
    return locked
