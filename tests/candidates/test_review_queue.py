"""The reviewers' queue comes in deadline order; the party page says what is missing and by when."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from django.utils.formats import date_format

from candidates import selectors, services
from elections.models import Deadline
from tests import factories as f
from tests.candidates.helpers import submitted
from tests.candidates.test_nominations import PDF, _nominate, setup, upload_all  # noqa: F401 - the fixture
from tests.candidates.test_signatures import row, signers, verify  # noqa: F401 - fixtures
from tests.conftest import ROLES, verified_client
from tests.factories import make_voter

pytestmark = pytest.mark.django_db


def test_queue_is_ordered_by_the_registration_deadline(country, setup):  # noqa: F811
    later = setup["election"]
    Deadline.objects.create(election=later, key="registration_closes", due=timezone.now() + timedelta(days=20))
    sooner = f.ElectionFactory(name_uz="Sooner", election_day=timezone.localdate() + timedelta(days=30))
    Deadline.objects.create(election=sooner, key="registration_closes", due=timezone.now() + timedelta(days=3))
    c = f.ConstituencyFactory(election=sooner, number=1, name_uz="1")
    c.precincts.set([country.precincts["A1-1"]])
    first = submitted(country, setup)  # submitted first, but its deadline is later
    voter = make_voter(country.precincts["A1-2"], surname="Sobirov", given_name="Oybek", birth_date=date(1971, 5, 6))
    second = submitted(country, setup, election=sooner, constituency=c, pinfl=voter.pinfl)
    no_deadline = f.ElectionFactory(name_uz="Undated", election_day=timezone.localdate() + timedelta(days=90))
    c3 = f.ConstituencyFactory(election=no_deadline, number=1, name_uz="1")
    c3.precincts.set([country.precincts["A1-1"]])
    third = submitted(country, setup, election=no_deadline, constituency=c3)
    queue = list(selectors.review_queue(country.users["district"]))
    assert queue == [second, first, third]
    page = verified_client(country.users["district"]).get("/nominations/review/").content.decode()
    assert (
        page.index(f'data-nomination="{second.pk}"')
        < page.index(f'data-nomination="{first.pk}"')
        < page.index(f'data-nomination="{third.pk}"')
    )


def test_queue_is_for_officials_only(country, setup):  # noqa: F811
    submitted(country, setup)
    assert not selectors.review_queue(country.users["party"]).exists()
    assert verified_client(country.users["party"]).get("/nominations/review/").status_code == 403
    for official in ("cec", "region", "district"):
        assert len(selectors.review_queue(country.users[official])) == 1, official
    for other in ("precinct", "observer", "journalist", "coordinator"):  # precinct A1-1 does not register it
        assert not selectors.review_queue(country.users[other]).exists()


def test_party_page_shows_what_is_missing_and_the_deadlines(country, setup, signers, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    election = setup["election"]
    closes = timezone.now() + timedelta(days=7)
    Deadline.objects.create(election=election, key="nomination_closes", due=closes)
    Deadline.objects.create(election=election, key="registration_closes", due=closes + timedelta(days=10))
    n = _nominate(country, setup)

    services.document_upload(
        actor=country.users["party"], nomination=n, kind="application", uploaded_file=SimpleUploadedFile("a.pdf", PDF)
    )
    verify(country, n, [row(signers[0])])
    client = verified_client(country.users["party"])
    page = client.get(f"/parties/{setup['own'].pk}/nominations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    start = page.index(f'data-nomination="{n.pk}"')
    line = page[start : page.index("</tr>", start)]
    assert "consent to stand" in line and "biography" in line and "photo" in line and "application," not in line
    assert "not sufficient (1/1)" in line
    with translation.override("en"):
        shown = date_format(closes.astimezone(timezone.get_current_timezone()), "DATETIME_FORMAT")
    assert "Nomination closes" in line and shown in line
    assert 'data-deadline="nomination_closes"' in page and 'data-deadline="registration_closes"' in page
    # once everything is in and submitted, nothing is missing and the next deadline is registration
    upload_all(country, n)
    services.nomination_transition(actor=country.users["party"], nomination=n, name="submit")
    page = client.get(f"/parties/{setup['own'].pk}/nominations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    start = page.index(f'data-nomination="{n.pk}"')
    line = page[start : page.index("</tr>", start)]
    assert "<td data-missing>—</td>" in line and "Candidate registration closes" in line


@pytest.mark.parametrize("role", ROLES)
def test_queue_page_per_role(clients, country, setup, role):  # noqa: F811
    """The commissions whose area holds the whole constituency see the nomination in the queue; nobody else."""
    n = submitted(country, setup)
    response = clients[role].get("/nominations/review/")
    if role == "anon":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role in ("admin", "cec", "region", "district"):
        assert response.status_code == 200 and f'data-nomination="{n.pk}"' in response.content.decode()
    elif role == "precinct":  # an official, but not of a commission that registers constituency 1
        assert response.status_code == 200 and f'data-nomination="{n.pk}"' not in response.content.decode()
    else:
        assert response.status_code == 403


def test_queue_page_leaves_out_other_areas(country, setup):  # noqa: F811
    submitted(country, setup)
    far = f.UserFactory(username="far", role="commission_staff")
    f.add_member(far, f.commission_for(level="district", district=country.districts["B1"]))
    page = verified_client(far).get("/nominations/review/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-nomination=" not in page and "Nothing to review." in page
