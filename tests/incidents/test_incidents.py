"""Election-day incidents: who may report where (one selector), photos checked by content, the precinct
commission answers and closes, the reporter sees the answer, districts and the CEC see open incidents by region."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core import credentials
from core.models import AuditEvent, Notification
from incidents import selectors, services
from incidents.api.serializers import IncidentCreateSerializer
from incidents.forms import IncidentForm
from incidents.models import Incident, IncidentPhoto
from observers import selectors as observer_selectors
from observers import services as observer_services
from tests import factories as f
from tests.conftest import ROLES
from tests.observers.helpers import EN, apply, approve, build, png

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(country):
    s = build(country)
    a = apply(country, s)
    approve(country, a)
    # election day is today: incidents may be reported
    s.election.election_day = timezone.localdate()
    s.election.save()
    s.accreditation = a
    return s


def report(country, setup, precinct="A1-1", actor="observer", **kw):
    args = {
        "actor": country.users[actor],
        "election": setup.election,
        "precinct": country.precincts[precinct],
        "category": "ballot_box",
        "description": "The ballot box was not sealed.",
    }
    args.update(kw)
    return services.incident_report(**args)


def test_may_report_only_where_accredited_and_while_valid(country, setup):
    may = selectors.may_report_incident
    observer, election = country.users["observer"], setup.election
    assert may(observer, election, country.precincts["A1-1"])
    assert not may(observer, election, country.precincts["A1-2"])  # not accredited there
    assert not may(country.users["coordinator"], election, country.precincts["A1-1"])
    assert not may(country.users["journalist"], election, country.precincts["A1-1"])  # no press accreditation
    other_election = f.ElectionFactory(election_day=timezone.localdate())
    assert not may(observer, other_election, country.precincts["A1-1"])
    assert not may(None, election, country.precincts["A1-1"])
    # expired badge
    credential = credentials.credential_for(setup.accreditation)
    type(credential).objects.filter(pk=credential.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1), valid_from=timezone.localdate() - timedelta(days=5)
    )
    assert not may(observer, election, country.precincts["A1-1"])
    type(credential).objects.filter(pk=credential.pk).update(valid_until=timezone.localdate())
    assert may(observer, election, country.precincts["A1-1"])
    # revoked
    observer_services.accreditation_transition(
        actor=country.users["precinct"], accreditation=setup.accreditation, name="revoke", reason="Campaigned inside the station"
    )
    assert not may(observer, election, country.precincts["A1-1"])


def test_report_with_photos_notifies_the_precinct_commission(country, setup, django_capture_on_commit_callbacks):
    precinct_user = country.users["precinct"]
    precinct_user.email = "precinct@example.org"
    precinct_user.save()
    with django_capture_on_commit_callbacks(execute=False):
        incident = report(country, setup, photos=[png("a.png"), png("b.png")])
    assert incident.status == "open" and incident.photos.count() == 2
    assert all(p.content_type == "image/png" and len(p.sha256) == 64 for p in incident.photos.all())
    assert Notification.objects.filter(recipient=precinct_user, subject__icontains="Incident").count() == 1


@pytest.mark.parametrize(
    "case,field,code",
    [
        ("not_image", "photos", None),
        ("too_many", "photos", "too_many_photos"),
        ("future", "occurred_at", "future"),
        ("empty", "description", "required"),
        ("category", "category", None),
    ],
)
def test_bad_reports_are_refused_and_store_nothing(country, setup, case, field, code):
    kw = {
        "not_image": {"photos": [SimpleUploadedFile("x.png", b"%PDF-1.4 renamed")]},
        "too_many": {"photos": [png(f"{i}.png") for i in range(6)]},
        "future": {"occurred_at": timezone.now() + timedelta(hours=2)},
        "empty": {"description": "   "},
        "category": {"category": "gossip"},
    }[case]
    with pytest.raises(ValidationError) as exc:
        report(country, setup, **kw)
    assert field in exc.value.error_dict
    if code:
        assert exc.value.error_dict[field][0].code == code
    if case == "not_image":
        assert "x.png" in exc.value.message_dict["photos"][0] and "not a JPEG or PNG" in str(exc.value)
    assert not Incident.objects.exists() and not IncidentPhoto.objects.exists()


def test_reports_are_taken_on_election_day_and_the_day_after(country, setup):
    setup.election.election_day = timezone.localdate() + timedelta(days=1)
    setup.election.save()
    with pytest.raises(ValidationError) as exc:
        report(country, setup)
    assert exc.value.error_dict["election"][0].code == "not_election_day"
    setup.election.election_day = timezone.localdate() - timedelta(days=2)
    setup.election.save()
    with pytest.raises((ValidationError, PermissionDenied)):
        report(country, setup)
    assert not Incident.objects.exists()


def test_refused_where_not_accredited(country, setup):
    with pytest.raises(PermissionDenied):
        report(country, setup, precinct="A1-2")
    with pytest.raises(PermissionDenied):
        report(country, setup, actor="coordinator")
    assert not Incident.objects.exists()


def test_commission_answers_and_closes_reporter_sees_the_answer(country, setup, clients, django_capture_on_commit_callbacks):
    incident = report(country, setup)
    with pytest.raises(ValidationError):
        services.incident_close(actor=country.users["precinct"], incident=incident)  # no answer yet
    other_precinct = f.UserFactory(username="p-a12", role="commission_staff")
    f.add_member(other_precinct, f.commission_for(level="precinct", precinct=country.precincts["A1-2"]))
    for actor in (other_precinct, country.users["observer"], country.users["coordinator"]):
        with pytest.raises(PermissionDenied):
            services.incident_answer(actor=actor, incident=incident, answer="No")
    with django_capture_on_commit_callbacks(execute=False):
        services.incident_answer(
            actor=country.users["precinct"], incident=incident, answer="The box was sealed at 07:10 in the observer's presence."
        )
        services.incident_close(actor=country.users["precinct"], incident=incident)
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_at is not None

    assert list(
        AuditEvent.objects.filter(object_type="incidents.incident", object_id=str(incident.pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["incidents.incident.report", "incidents.incident.answer", "incidents.incident.close"]
    assert Notification.objects.filter(recipient=country.users["observer"], subject__icontains="#").count() == 2
    body = clients["observer"].get(reverse("incidents:incident_detail", args=[incident.pk]), **EN).content.decode()
    assert "sealed at 07:10" in body
    with pytest.raises(ValidationError):
        services.incident_answer(actor=country.users["precinct"], incident=incident, answer="again")


def test_answer_through_the_page_and_api(country, setup, clients):
    incident = report(country, setup)
    url = reverse("incidents:incident_detail", args=[incident.pk])
    empty = clients["precinct"].post(url, {"action": "answer", "answer": ""}, **EN)
    assert empty.status_code == 400 and "Write the commission" in empty.content.decode()
    clients["precinct"].post(url, {"action": "answer", "answer": "Checked."})
    assert Incident.objects.get(pk=incident.pk).status == "answered"
    denied = clients["observer"].post(url, {"action": "close", "answer": "x"})
    assert denied.status_code == 403 and Incident.objects.get(pk=incident.pk).status == "answered"
    api = clients["precinct"].post(f"/api/v1/incidents/{incident.pk}/close/", {}, content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == "closed"
    again = clients["precinct"].post(f"/api/v1/incidents/{incident.pk}/close/", {}, content_type="application/json")
    assert again.status_code == 400 and again.json()["code"] == "invalid"


def _sees(role):
    return role in ("observer", "admin", "cec", "region", "district", "precinct")


@pytest.mark.parametrize("role", ROLES)
def test_incident_pages_photos_and_api_per_role(clients, country, setup, role):
    incident = report(country, setup, photos=[png()])
    photo = incident.photos.get()
    detail = clients[role].get(reverse("incidents:incident_detail", args=[incident.pk]), **EN)
    photo_response = clients[role].get(reverse("incidents:incident_photo", args=[incident.pk, photo.pk]))
    api = clients[role].get(f"/api/v1/incidents/{incident.pk}/")
    if role == "anon":
        assert detail.status_code == 302 and photo_response.status_code == 302 and api.status_code in (401, 403)
    elif _sees(role):
        assert detail.status_code == 200 and "not sealed" in detail.content.decode()
        assert photo_response.status_code == 200 and photo_response["Content-Type"] == "image/png"
        assert api.status_code == 200
    else:
        assert detail.status_code in (403, 404) and b"not sealed" not in detail.content
        assert photo_response.status_code in (403, 404)
        assert api.status_code == 404


def test_a_precinct_commission_sees_only_its_own_incidents(country, setup):
    mine = report(country, setup)
    foreigner = observer_services.observer_register(
        actor=setup.other_coordinator,
        organization=setup.other,
        is_foreign=True,
        passport_number="C01234567",
        country="DE",
        surname="Müller",
        given_name="Anna",
        birth_date=timezone.localdate() - timedelta(days=12000),
    )
    foreigner_user = f.UserFactory(username="anna", role="observer")
    foreigner.user = foreigner_user
    foreigner.save()
    setup.election.election_day = timezone.localdate() + timedelta(days=20)
    setup.election.save()
    a = apply(country, setup, observer=foreigner, precincts=("B1-1",), actor=setup.other_coordinator)
    approve(country, a, actor="cec")
    setup.election.election_day = timezone.localdate()
    setup.election.save()
    theirs = services.incident_report(
        actor=foreigner_user,
        election=setup.election,
        precinct=country.precincts["B1-1"],
        category="pressure",
        description="Campaign posters inside.",
    )
    assert list(selectors.incidents_for(country.users["precinct"])) == [mine]
    assert list(selectors.incidents_for(country.users["district"])) == [mine]
    assert set(selectors.incidents_for(country.users["cec"])) == {mine, theirs}
    assert list(selectors.incidents_for(country.users["observer"])) == [mine]
    assert list(selectors.incidents_for(foreigner_user)) == [theirs]


def test_open_incidents_by_region_with_age(country, setup, clients):
    old = report(country, setup)
    Incident.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=5))
    report(country, setup, category="procedure")
    rows = selectors.open_incidents_by_region(country.users["cec"])
    assert len(rows) == 1 and rows[0]["region"] == country.regions["A"] and rows[0]["count"] == 2
    assert rows[0]["oldest"] <= timezone.now() - timedelta(hours=5)
    assert selectors.open_incidents_by_region(country.users["party"]) == []
    other_district = f.UserFactory(username="d-b1", role="commission_staff")
    f.add_member(other_district, f.commission_for(level="district", district=country.districts["B1"]))
    assert selectors.open_incidents_by_region(other_district) == []
    body = clients["district"].get(reverse("incidents:incident_overview"), **EN).content.decode()
    assert f'data-region="{country.regions["A"].pk}"' in body and "hours" in body
    assert clients["coordinator"].get(reverse("incidents:incident_overview")).status_code == 403
    newer = Incident.objects.exclude(pk=old.pk).get()
    assert list(selectors.open_incidents(country.users["cec"])) == [old, newer]  # the oldest first
    services.incident_close(actor=country.users["precinct"], incident=old, answer="Checked.")
    assert list(selectors.open_incidents(country.users["cec"])) == [newer]
    assert selectors.open_incidents_by_region(country.users["cec"])[0]["count"] == 1


def test_report_through_the_page(clients, country, setup):
    url = reverse("incidents:incident_new")
    data = {
        "election": setup.election.pk,
        "district": country.districts["A1"].pk,
        "category": "procedure",
        "description": "Voters were not asked for documents.",
    }
    wrong = clients["observer"].post(url, {**data, "precinct_number": 2}, **EN)
    assert wrong.status_code == 400 and "not accredited" in wrong.content.decode()
    done = clients["observer"].post(url, {**data, "precinct_number": 1, "photos": [png("1.png"), png("2.png")]})
    incident = Incident.objects.get()
    assert done.status_code == 302 and incident.photos.count() == 2
    assert clients["party"].get(url).status_code == 403
    mine = clients["observer"].get(reverse("incidents:my_incidents"), **EN).content.decode()
    assert "Voting procedure" in mine or "voting procedure" in mine


def test_report_through_the_api(clients, country, setup):
    body = {
        "election": setup.election.pk,
        "precinct": country.precincts["A1-1"].pk,
        "category": "counting",
        "description": "The count started before the polls closed.",
    }
    denied = clients["coordinator"].post("/api/v1/incidents/", body, content_type="application/json")
    assert denied.status_code == 403
    elsewhere = clients["observer"].post(
        "/api/v1/incidents/", {**body, "precinct": country.precincts["A1-2"].pk}, content_type="application/json"
    )
    assert elsewhere.status_code == 403 and not Incident.objects.exists()
    for field, value in (("election", 999999), ("precinct", 999999)):
        unknown = clients["observer"].post("/api/v1/incidents/", {**body, field: value}, content_type="application/json")
        assert unknown.status_code == 400 and field in unknown.json()["errors"]
    bad = clients["observer"].post("/api/v1/incidents/", {**body, "photos": [SimpleUploadedFile("a.png", b"no")]})
    assert bad.status_code == 400 and "photos" in bad.json()["errors"] and not Incident.objects.exists()
    done = clients["observer"].post("/api/v1/incidents/", {**body, "photos": [png()]})
    assert done.status_code == 201 and done.json()["status"] == "open"
    assert Incident.objects.get().photos.count() == 1


@pytest.mark.parametrize("who", ROLES)
def test_report_through_the_api_per_role(clients, country, setup, who):
    """Only someone accredited to the precinct reports: here the observer (a journalist needs a press
    accreditation covering it, tests/media_accreditation/test_covers.py); everyone else is refused."""
    body = {
        "election": setup.election.pk,
        "precinct": country.precincts["A1-1"].pk,
        "category": "counting",
        "description": "The count started before the polls closed.",
    }
    response = clients[who].post("/api/v1/incidents/", body, content_type="application/json")
    if who == "observer":
        assert response.status_code == 201
    else:
        assert response.status_code in ((401, 403) if who == "anon" else (403,)), who
    assert Incident.objects.count() == (1 if who == "observer" else 0)


def test_the_service_refuses_an_inactive_election_and_stores_nothing(country, setup, django_capture_on_commit_callbacks):
    """The service's own rule (not only the form's and the API's choice of elections)."""

    setup.election.is_active = False
    setup.election.save()
    notifications = Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(ValidationError) as exc:
        report(country, setup, photos=[png()])
    assert [e.code for e in exc.value.error_dict["election"]] == ["election_inactive"]
    assert exc.value.message_dict["election"] == ["This election is not open for incident reports."]
    assert not Incident.objects.exists() and not IncidentPhoto.objects.exists()
    assert not AuditEvent.objects.filter(action="incidents.incident.report").exists()
    assert Notification.objects.count() == notifications and callbacks == []


def test_the_api_refuses_an_inactive_election(clients, country, setup):
    setup.election.is_active = False
    setup.election.save()
    body = {
        "election": setup.election.pk,
        "precinct": country.precincts["A1-1"].pk,
        "category": "counting",
        "description": "The count started before the polls closed.",
    }
    response = clients["observer"].post("/api/v1/incidents/", body, content_type="application/json", **EN)
    assert response.status_code == 400
    assert response.json()["errors"]["election"] == ["This election is not open for incident reports."]
    assert not Incident.objects.exists()


def test_one_photo_limit_for_the_service_the_form_and_the_api(clients, country, setup):

    limit = services.INCIDENT_MAX_PHOTOS
    assert IncidentCreateSerializer().fields["photos"].max_length == limit
    assert f"up to {limit})" in str(IncidentForm().fields["photos"].label)
    body = {
        "election": setup.election.pk,
        "precinct": country.precincts["A1-1"].pk,
        "category": "counting",
        "description": "Ballots were found outside the box.",
    }
    too_many = clients["observer"].post("/api/v1/incidents/", {**body, "photos": [png(f"{i}.png") for i in range(limit + 1)]})
    assert too_many.status_code == 400 and "photos" in too_many.json()["errors"] and not Incident.objects.exists()
    page = clients["observer"].get(reverse("incidents:incident_new"), **EN).content.decode()
    assert f"Photos (JPEG or PNG, up to {limit})" in page
    # without a time the service takes "now"; the time may also be null
    done = clients["observer"].post("/api/v1/incidents/", {**body, "occurred_at": None}, content_type="application/json")
    assert done.status_code == 201 and done.json()["occurred_at"]


def test_your_precincts_shows_only_accreditations_with_a_valid_badge(clients, country, setup):
    """The card on the report page lists the precincts of a valid accreditation, not of one whose badge expired
    (nor of a pending application)."""
    later = f.ElectionFactory(name_uz="Mahalliy saylov", election_day=timezone.localdate() + timedelta(days=30))
    expired = observer_services.accreditation_apply(
        actor=country.users["observer"], observer=setup.observer, election=later, precincts=[country.precincts["B2-2"]]
    )
    approve(country, expired, actor="cec")
    credential = credentials.credential_for(expired)
    type(credential).objects.filter(pk=credential.pk).update(
        valid_from=timezone.localdate() - timedelta(days=5), valid_until=timezone.localdate() - timedelta(days=1)
    )
    pending_election = f.ElectionFactory(name_uz="Referendum", election_day=timezone.localdate() + timedelta(days=30))
    observer_services.accreditation_apply(
        actor=country.users["observer"], observer=setup.observer, election=pending_election, precincts=[country.precincts["B1-2"]]
    )

    body = clients["observer"].get(reverse("incidents:incident_new"), **EN).content.decode()
    card = body[body.index("Your precincts") : body.index("</div>", body.index("Your precincts"))]
    assert setup.election.name in card and "Tuman A1 — No. 1" in card
    assert "Mahalliy saylov" not in card and "Tuman B2" not in card
    assert "Referendum" not in card and "Tuman B1" not in card
    assert [a.pk for a in observer_selectors.reporting_accreditations(country.users["observer"])] == [setup.accreditation.pk]

    # once the valid badge expires too, the card is gone
    credential = credentials.credential_for(setup.accreditation)
    type(credential).objects.filter(pk=credential.pk).update(
        valid_from=timezone.localdate() - timedelta(days=5), valid_until=timezone.localdate() - timedelta(days=1)
    )
    assert "Your precincts" not in clients["observer"].get(reverse("incidents:incident_new"), **EN).content.decode()


def test_your_precincts_is_an_observers_card(clients, setup):
    """A journalist also reaches the report page (under a press accreditation): the form, without an observer's
    card, and nothing of the observer's accreditation shows."""
    response = clients["journalist"].get(reverse("incidents:incident_new"), **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Your precincts" not in body and setup.election.name not in body.split("<form")[0]
