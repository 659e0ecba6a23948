"""The results app in the Django admin: every list and page opens for an administrator with real rows, nothing
can be added, changed or deleted there, and a protocol version cannot be changed even past the admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from results import services
from results.models import (
    ObserverProtocolCopy,
    Protocol,
    ProtocolEntry,
    ProtocolScan,
    ProtocolVersion,
    SeatCalculation,
    TurnoutPublication,
    TurnoutReport,
)
from tests.observers.helpers import build, png
from tests.results.conftest import figures
from tests.results.test_protocol_entry import accepted

pytestmark = pytest.mark.django_db

#: Every model of the results app (a new one is covered without being listed here).
MODELS = tuple(apps.get_app_config("results").get_models())


def url(model, view: str, *args) -> str:
    return reverse(f"admin:results_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def rows(country, contest, settings, tmp_path):
    """One row of every results model: an accepted protocol with a correction and a scan, an entry waiting at
    another precinct, turnout, a seat calculation and an observer's copy."""
    settings.MEDIA_ROOT = tmp_path
    protocol = accepted(contest)
    correction = services.protocol_correction_open(
        actor=country.users["district"],
        protocol=protocol,
        figures=figures(contest, ballots_received=21, cancelled_unused=6),
        reason="Unused ballots were miscounted.",
    )
    scan = ProtocolScan.objects.create(
        version=protocol.current, content_type="image/png", sha256="0" * 64, file=ContentFile(png().read(), name="s.png")
    )
    # the second contest precinct of A1 has one entry waiting for its second member
    waiting = ProtocolEntry.objects.create(
        constituency=contest["constituency"],
        precinct=country.precincts["A1-2"],
        figures={"valid": 7},
        entered_by=country.users["precinct"],
    )
    election = contest["election"]
    TurnoutReport.objects.create(election=election, precinct=contest["precinct"], at="10:00", voted_station=3, on_list=20)
    TurnoutPublication.objects.create(election=election, at="10:00")
    SeatCalculation.objects.create(
        election=election,
        constituency=contest["constituency"],
        outcome="elected",
        seed=5,
        sheet={"kind": "single", "votes": {}, "winner": None, "runoff": [], "took_part": 15, "on_list": 20},
    )
    setup = build(country)
    ObserverProtocolCopy.objects.create(
        constituency=contest["constituency"],
        precinct=contest["precinct"],
        observer=setup.observer,
        organization=setup.own,
        figures=figures(contest),
        photo=ContentFile(png().read(), name="copy.png"),
        photo_type="image/png",
        submitted_by=country.users["observer"],
    )
    return {"protocol": protocol, "correction": correction, "scan": scan, "waiting": waiting}


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.model_name for m in MODELS])
def test_changelist_and_page_open_for_the_administrator(clients, rows, model):
    assert model in admin.site._registry
    listing = clients["admin"].get(url(model, "changelist"))
    assert listing.status_code == 200
    assert 'value="delete_selected"' not in listing.content.decode()  # no bulk delete offered
    obj = model.objects.order_by("pk").first()
    page = clients["admin"].get(url(model, "change", obj.pk))
    assert page.status_code == 200
    assert url(model, "delete", obj.pk) not in page.content.decode()  # no "Delete" link
    assert clients["cec"].get(url(model, "changelist")).status_code == 302  # administrators only


@pytest.mark.parametrize("model", MODELS, ids=[m._meta.model_name for m in MODELS])
def test_nothing_is_added_changed_or_deleted_in_the_admin(clients, country, rows, rf, model):
    obj = model.objects.order_by("pk").first()
    assert clients["admin"].get(url(model, "add")).status_code == 403
    assert clients["admin"].post(url(model, "change", obj.pk), {}).status_code == 403
    assert clients["admin"].get(url(model, "delete", obj.pk)).status_code == 403
    assert clients["admin"].post(url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = country.users["admin"]
    assert not model_admin.has_change_permission(request, obj)
    assert not model_admin.has_delete_permission(request, obj)
    assert "delete_selected" not in model_admin.get_actions(request)
    # the bulk delete action is refused too
    response = clients["admin"].post(
        url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    assert model.objects.filter(pk=obj.pk).exists()
    assert response.status_code in (200, 302)


def test_a_version_cannot_be_edited_through_the_admin_nor_past_it(clients, rows):
    version = rows["protocol"].current
    before = dict(version.figures)
    response = clients["admin"].post(
        url(ProtocolVersion, "change", version.pk),
        {"number": 1, "kind": "count", "figures": '{"valid": 999}', "checksum": "0" * 64, "reason": "x"},
    )
    assert response.status_code == 403
    version.refresh_from_db()
    assert version.figures == before
    # the database refuses it whatever the code does
    with pytest.raises(DatabaseError, match="protocol versions are never edited"), transaction.atomic():
        ProtocolVersion.objects.filter(pk=version.pk).update(reason="edited")
    for sql in (
        "UPDATE results_protocolversion SET figures = '{}' WHERE id = %s",
        "DELETE FROM results_protocolversion WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="protocol versions are never edited"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [version.pk])
    version.refresh_from_db()
    assert version.reason == "" and version.figures == before


def test_protocol_page_shows_its_figures_by_line_and_its_versions(clients, contest, rows):
    protocol = rows["protocol"]
    page = clients["admin"].get(url(Protocol, "change", protocol.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Valid ballots" in page and "Nomzod0" in page  # the lines with their labels
    assert protocol.current.checksum in page  # the versions inline, read-only
    assert 'name="versions-0-reason"' not in page


def test_a_waiting_blind_entry_hides_its_figures(clients, contest, rows):
    waiting = rows["waiting"]
    page = clients["admin"].get(url(ProtocolEntry, "change", waiting.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Valid ballots" not in page
    # precinct A1-1's two entries matched: a decided round shows its figures
    matched = ProtocolEntry.objects.filter(outcome=ProtocolEntry.Outcome.MATCHED).first()
    page = clients["admin"].get(url(ProtocolEntry, "change", matched.pk), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Valid ballots" in page


def test_search_by_precinct_number(clients, country, contest, rows):
    number = contest["precinct"].number
    listing = clients["admin"].get(url(Protocol, "changelist"), {"q": str(number)}).content.decode()
    assert f"/admin/results/protocol/{rows['protocol'].pk}/change/" in listing
    assert clients["admin"].get(url(Protocol, "changelist"), {"q": "not-a-number"}).status_code == 200
    other = clients["admin"].get(url(Protocol, "changelist"), {"q": "9999"}).content.decode()
    assert f"/admin/results/protocol/{rows['protocol'].pk}/change/" not in other


def test_lists_filter_by_election_and_status(clients, contest, rows):
    election = contest["election"]
    base = url(Protocol, "changelist")
    assert clients["admin"].get(base, {"election__id__exact": election.pk, "status__exact": "entered"}).status_code == 200
    shown = clients["admin"].get(base, {"status__exact": "published"}).content.decode()
    assert f"/admin/results/protocol/{rows['protocol'].pk}/change/" not in shown
