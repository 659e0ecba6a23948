"""Requests to vote elsewhere (place of stay): submitted and withdrawn by the voter through the public service,
decided by the target precinct's commission in the shared workflow (``voters.workflows``)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from core.workflow import workflow_transition
from voters.models import ListEntryOverride, Voter, VotingLocationRequest

if TYPE_CHECKING:
    from datetime import date

    from django.http import HttpRequest

    from accounts.models import User
    from elections.models import Election, Precinct


class NotFoundForPublic(ValidationError):
    """The same answer for an unknown PINFL and a wrong birth date."""


def location_request_submit(
    *,
    pinfl: str,
    birth_date: date,
    election: Election,
    precinct: Precinct,
    reason: str = "",
    contact: str = "",
    request: HttpRequest | None = None,
) -> VotingLocationRequest:
    """A voter (no login) asks to vote at ``precinct`` for ``election``; returns the request with its code."""

    if not election.is_active:
        raise ValidationError(
            {"election": ValidationError(_("This election is not open for requests."), code="election_inactive")}
        )
    contact = (contact or "").strip()
    if "@" in contact:  # an e-mail address gets the decision (a phone number is read by the commission)
        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError(
                {"contact": ValidationError(_("Enter a valid e-mail address or a phone number."), code="invalid_contact")}
            )
    voter = Voter.objects.listed().filter(pinfl=(pinfl or "").strip(), birth_date=birth_date).first()
    if voter is None:
        raise NotFoundForPublic(_("No voter matches this PINFL and birth date."), code="not_found")
    current = (
        ListEntryOverride.objects.filter(voter=voter, election=election).values_list("precinct_id", flat=True).first()
        or voter.precinct_id
    )
    if precinct.pk == current:
        raise ValidationError({"precinct": _("You are already on this precinct's list.")}, code="same_precinct")
    if VotingLocationRequest.objects.filter(voter=voter, election=election, status__in=["submitted", "under_review"]).exists():
        raise ValidationError(_("You already have an open request for this election; withdraw it first."), code="open_request")
    with transaction.atomic():
        req = VotingLocationRequest.objects.create(
            tracking_code=secrets.token_hex(5).upper(),
            voter=voter,
            election=election,
            precinct=precinct,
            reason=reason.strip()[:300],
            contact=contact.strip()[:120],
        )
        workflow_transition(obj=req, name="submit", actor=None, request=request)
    req.refresh_from_db()
    return req


def location_request_decide(
    *, actor: User, req: VotingLocationRequest, approve: bool, reason: str = "", request: HttpRequest | None = None
) -> VotingLocationRequest:
    """The target precinct's commission approves (the voter moves to its list for that election) or rejects."""

    def move(locked: VotingLocationRequest) -> None:
        if approve:
            if not Voter.objects.listed().filter(pk=locked.voter_id).exists():
                raise ValidationError(
                    _(
                        "The voter is no longer on the voter list (a death, a court decision, an "
                        "exclusion or a merged duplicate since the request). Refuse the request "
                        "instead."
                    ),
                    code="voter_not_active",
                )
            ListEntryOverride.objects.update_or_create(
                voter_id=locked.voter_id,
                election_id=locked.election_id,
                defaults={"precinct_id": locked.precinct_id, "request": locked},
            )

    # the voter hears of the decision through the workflow's policy (voters.workflows)
    return workflow_transition(
        obj=req, name="approve" if approve else "reject", actor=actor, reason=reason, request=request, extra_check=move
    )


def location_request_withdraw(
    *, tracking_code: str, birth_date: date, request: HttpRequest | None = None
) -> VotingLocationRequest:
    req = VotingLocationRequest.objects.filter(
        tracking_code=(tracking_code or "").strip().upper(), voter__birth_date=birth_date
    ).first()
    if req is None:
        raise NotFoundForPublic(_("No request matches this code and birth date."), code="not_found")
    return workflow_transition(obj=req, name="withdraw", actor=None, request=request)
