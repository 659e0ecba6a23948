"""The demo media data: outlets, the demo editor and journalist wired up, a press card; idempotent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core import credentials
from core.models import AuditEvent
from demo.media import seed_media
from media_accreditation.models import Journalist, MediaAccreditation, MediaOutlet
from media_accreditation.selectors import accreditations_for, outlets_for
from tests.factories import make_voter

pytestmark = pytest.mark.django_db


def test_seed_media_builds_a_working_demo_and_is_idempotent(country):
    country.election.election_day = timezone.localdate() + timedelta(days=90)
    country.election.save()
    make_voter(country.precincts["A1-1"], surname="Xolmatov", given_name="Rustam")
    created = seed_media()
    assert created == {"media outlets": 3, "journalists": 2, "press cards": 1, "media applications": 1}
    assert list(outlets_for(country.users["editor"]).values_list("name", flat=True)) == ["Oʻzbekiston 24"]
    mine = accreditations_for(country.users["journalist"]).get()
    assert mine.status == "approved" and credentials.credential_for(mine) is not None
    assert MediaAccreditation.objects.filter(status="submitted", journalist__is_foreign=True).count() == 1
    events = AuditEvent.objects.count()
    assert seed_media() == {}
    assert AuditEvent.objects.count() == events
    assert (MediaOutlet.objects.count(), Journalist.objects.count(), MediaAccreditation.objects.count()) == (3, 2, 2)


def test_seed_media_without_voters_still_makes_outlets(country):
    created = seed_media()
    assert created["media outlets"] == 3 and created["journalists"] == 1
    assert not Journalist.objects.filter(user=country.users["journalist"]).exists()
