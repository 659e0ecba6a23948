"""Helpers of the media tests: a media world on top of ``country`` (two outlets, each with an editor and a
journalist; the election in 60 days), photos, applications."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from media_accreditation import services
from media_accreditation.models import MediaOutlet
from tests import factories as f
from tests.conftest import verified_client
from tests.core.test_credentials import png_bytes
from tests.factories import make_voter


def photo(name="photo.png", content=None):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type="image/png")


@dataclass
class Media:
    own: MediaOutlet
    other: MediaOutlet
    other_editor: object
    other_editor_client: object
    voter: object
    journalist: object  # of ``own``, linked to the "journalist" user
    other_journalist: object  # of ``other``, a foreigner
    election: object


def build_media(country) -> Media:
    cec = country.users["cec"]
    election = country.election
    election.election_day = timezone.localdate() + timedelta(days=60)
    election.save()
    own = services.outlet_register(actor=cec, name="Oʻzbekiston 24", kind=MediaOutlet.Kind.TV, certificate_number="0001")
    other = services.outlet_register(
        actor=cec, name="Kazinform", kind=MediaOutlet.Kind.FOREIGN, certificate_number="KZ-77", country="kz"
    )
    for user, mail in ((country.users["editor"], "editor@example.org"), (country.users["journalist"], "journalist@example.org")):
        user.email = mail
        user.save()
    services.outlet_editor_add(actor=cec, outlet=own, user=country.users["editor"])
    other_editor = f.UserFactory(username="editor2", role=Role.MEDIA_EDITOR, email="editor2@example.org")
    services.outlet_editor_add(actor=cec, outlet=other, user=other_editor)
    voter = make_voter(
        country.precincts["A1-1"], surname="Xolmatov", given_name="Rustam", patronymic="Akmalovich", birth_date=date(1988, 2, 11)
    )
    journalist = services.journalist_add(
        actor=country.users["editor"],
        outlet=own,
        pinfl=voter.pinfl,
        surname="Xolmatov",
        given_name="Rustam",
        photo=photo(),
        position="correspondent",
        username="journalist",
    )
    other_journalist = services.journalist_add(
        actor=other_editor,
        outlet=other,
        is_foreign=True,
        passport_number="N1234567",
        country="KZ",
        surname="Abenov",
        given_name="Yerlan",
        photo=photo(),
    )
    return Media(own, other, other_editor, verified_client(other_editor), voter, journalist, other_journalist, election)


def apply(media, journalist=None, actor=None, scope="all_precincts", region=None, election=None):
    journalist = journalist or media.journalist
    if actor is None:
        actor = journalist.outlet.editors.first().user
    return services.accreditation_apply(
        actor=actor, journalist=journalist, election=election or media.election, scope=scope, region=region
    )


def approve(country, accreditation):
    return services.accreditation_transition(actor=country.users["cec"], accreditation=accreditation, name="approve")
