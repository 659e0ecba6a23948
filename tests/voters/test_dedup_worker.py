"""The duplicate scan the CEC starts from the page runs in a real worker and its audit event names who asked."""

import pytest

from core.models import AuditEvent
from tests.conftest import verified_client, wait_for
from tests.factories import make_voter
from voters.models import DuplicateCandidate

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_scan_started_on_the_page_is_recorded_as_the_officials(country, worker):
    precinct = country.precincts["A1-1"]
    make_voter(precinct, surname="Karimov", given_name="Jasur")
    make_voter(precinct, surname="Karimov", given_name="Jasur")  # another PINFL: a possible duplicate
    cec = country.users["cec"]
    response = verified_client(cec).post("/voters/duplicates/scan/")
    assert response.status_code == 302
    assert wait_for(lambda: AuditEvent.objects.filter(action="voters.duplicates.scan").exists(), timeout=60)
    scan = AuditEvent.objects.get(action="voters.duplicates.scan")
    assert (scan.actor_id, scan.actor_repr) == (cec.pk, "cec")
    assert scan.after["pairs_new"] == 1 and DuplicateCandidate.objects.count() == 1
    started = AuditEvent.objects.get(action="voters.duplicates.scan_start")
    assert started.actor_id == cec.pk and started.id < scan.id
