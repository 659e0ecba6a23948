"""Demo media: three outlets, the demo editor on the first, the demo journalist accredited with a press card,
and a foreign journalist's application waiting for the CEC press service.  Idempotent and fast."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from core.images import placeholder_portrait
from elections.selectors import next_active_election
from media_accreditation import services
from media_accreditation.models import CLOSED_WITHOUT_DECISION, Journalist, MediaAccreditation, MediaOutlet
from voters.models import Voter, VoterStatus

OUTLETS = (
    ("DEMO-TV-001", "Oʻzbekiston 24", MediaOutlet.Kind.TV, ""),
    ("DEMO-PR-002", "Xalq soʻzi", MediaOutlet.Kind.PRINT, ""),
    ("DEMO-KZ-003", "Kazinform", MediaOutlet.Kind.FOREIGN, "KZ"),
)


def _journalist(outlet, **kw) -> Journalist | None:
    key = {"pinfl": kw["pinfl"]} if kw.get("pinfl") else {"passport_number": kw["passport_number"]}
    existing = Journalist.objects.filter(outlet=outlet, **key).first()
    if existing is not None:
        return existing
    try:
        return services.journalist_add(outlet=outlet, photo=placeholder_portrait("demo.png"), **kw)
    except ValidationError:
        return None


def _apply(actor, journalist, election, scope, region=None) -> MediaAccreditation | None:
    open_or_done = (
        MediaAccreditation.objects.filter(journalist=journalist, election=election)
        .exclude(status__in=CLOSED_WITHOUT_DECISION)
        .first()
    )
    if open_or_done is not None:
        return None
    try:
        return services.accreditation_apply(actor=actor, journalist=journalist, election=election, scope=scope, region=region)
    except ValidationError:  # e.g. the demo election's accreditation deadline has passed
        return None


def seed_media() -> dict[str, int]:
    """Returns what was created, by name (empty when everything was already there)."""
    users = get_user_model().objects
    cec, editor, journalist_user = (users.filter(username=n).first() for n in ("cec", "editor", "journalist"))
    created: dict[str, int] = {}
    if cec is None:
        return created
    outlets = {}
    for number, name, kind, country in OUTLETS:
        outlet = MediaOutlet.objects.filter(certificate_number=number).first()
        if outlet is None:
            outlet = services.outlet_register(actor=cec, name=name, kind=kind, certificate_number=number, country=country)
            created["media outlets"] = created.get("media outlets", 0) + 1
        outlets[number] = outlet
    tv, foreign = outlets["DEMO-TV-001"], outlets["DEMO-KZ-003"]
    if editor is not None and not tv.editors.filter(user=editor).exists():
        services.outlet_editor_add(actor=cec, outlet=tv, user=editor)
    before = Journalist.objects.count()
    citizen = None
    voter = Voter.objects.filter(status=VoterStatus.ACTIVE, merged_into__isnull=True).order_by("pk").first()
    if voter is not None:  # the voter list may be empty (seed_demo --voters 0)
        citizen = _journalist(
            tv,
            actor=cec,
            pinfl=voter.pinfl,
            surname=voter.surname,
            given_name=voter.given_name,
            position="correspondent",
            username=journalist_user.username if journalist_user else "",
        )
    visitor = _journalist(
        foreign,
        actor=cec,
        is_foreign=True,
        passport_number="N0000001",
        country="KZ",
        surname="Abenov",
        given_name="Yerlan",
        position="camera operator",
    )
    if Journalist.objects.count() > before:
        created["journalists"] = Journalist.objects.count() - before
    election = next_active_election()
    if election is None:
        return created
    if citizen is not None:
        accreditation = _apply(cec, citizen, election, MediaAccreditation.Scope.ALL_PRECINCTS)
        if accreditation is not None:
            services.accreditation_transition(actor=cec, accreditation=accreditation, name="approve")
            created["press cards"] = 1
    if visitor is not None and _apply(cec, visitor, election, MediaAccreditation.Scope.PRESS_CENTRE):
        created["media applications"] = 1
    return created
