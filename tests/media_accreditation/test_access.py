"""Allow and deny for every role on every media page and endpoint.

A deny is 403 (a role with no business here), 404 (a row of another outlet or another journalist: existence
must not leak) or, for anonymous visitors of a page, a redirect to the login.  An editor sees and changes only
their own outlet; a journalist sees only their own accreditations; officials below the CEC decide nothing.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from core.models import Credential, StatusChange
from media_accreditation.models import Journalist, MediaAccreditation
from tests import factories as f
from tests.conftest import ROLES
from tests.factories import make_voter
from tests.media_accreditation.helpers import apply, approve, photo
from tests.pages import EN
from tests.roles import LOGIN, page_expect

pytestmark = pytest.mark.django_db

PRESS = {"admin", "cec"}


@pytest.fixture
def rows(country, media):
    own = apply(media)
    other = apply(media, journalist=media.other_journalist)
    return {"own": own, "other": other}


def pages(media, rows):
    """page -> (URL, roles allowed).  Rows of the other outlet are checked separately (404)."""
    return {
        "outlets": ("/media/outlets/", PRESS | {"editor"}),
        "own_outlet": (f"/media/outlets/{media.own.pk}/", PRESS | {"editor"}),
        "own_accreditation": (f"/media/accreditations/{rows['own'].pk}/", PRESS | {"editor", "journalist"}),
        "my": ("/media/my/", {"journalist"}),
        "review": ("/media/review/", PRESS),
    }


@pytest.mark.parametrize("role", ROLES)
def test_pages_per_role(clients, country, media, rows, role):
    for name, (url, allowed) in pages(media, rows).items():
        response = clients[role].get(url)
        assert response.status_code == page_expect(role, allowed), (name, role, response.status_code)
        if response.status_code == LOGIN:
            assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("role", ["editor", "journalist"])
def test_rows_of_another_outlet_are_404(clients, media, rows, role):
    assert clients[role].get(f"/media/accreditations/{rows['other'].pk}/").status_code == 404
    if role == "editor":
        assert clients[role].get(f"/media/outlets/{media.other.pk}/").status_code == 404
        response = clients[role].post(f"/media/outlets/{media.other.pk}/", {"form": "apply"})
        assert response.status_code == 404


def test_other_editor_sees_nothing_of_the_first_outlet(media, rows):
    client = media.other_editor_client
    assert client.get(f"/media/outlets/{media.own.pk}/").status_code == 404
    assert client.get(f"/media/accreditations/{rows['own'].pk}/").status_code == 404
    body = client.get("/media/outlets/").content.decode()
    assert "Kazinform" in body and "Oʻzbekiston 24" not in body
    body = client.get(f"/media/outlets/{media.other.pk}/").content.decode()
    assert "Abenov" in body and "Xolmatov" not in body


def test_journalist_sees_only_their_own(clients, media, rows):
    body = clients["journalist"].get("/media/my/").content.decode()
    assert f"/media/accreditations/{rows['own'].pk}/" in body
    assert f"/media/accreditations/{rows['other'].pk}/" not in body


def test_review_queue_lists_open_applications_by_election_day(clients, country, media, rows):
    body = clients["cec"].get("/media/review/", **EN).content.decode()
    assert "Xolmatov Rustam" in body and "Abenov Yerlan" in body
    approve(country, rows["own"])
    body = clients["cec"].get("/media/review/", **EN).content.decode()
    assert "Xolmatov Rustam" not in body and "Abenov Yerlan" in body


# --------------------------------------------------------------------------- writes through the pages


def _decide(client, a, action, reason="Checked"):
    """The decision confirmed (``core.views.transition_step``), with ``reason``."""
    return client.post(f"/media/accreditations/{a.pk}/", {"action": action, "confirm": "1", "reason": reason}, **EN)


@pytest.mark.parametrize("role", ["region", "district", "precinct", "party", "observer"])
def test_officials_below_the_cec_cannot_decide_on_the_page(clients, rows, role):
    assert _decide(clients[role], rows["own"], "approve").status_code == 403
    rows["own"].refresh_from_db()
    assert rows["own"].status == "submitted"


@pytest.mark.parametrize("role", ["editor", "journalist"])
def test_applicants_cannot_decide(clients, rows, role):
    response = _decide(clients[role], rows["own"], "approve")
    assert response.status_code == 302
    rows["own"].refresh_from_db()
    assert rows["own"].status == "submitted" and not Credential.objects.exists()


def test_cec_decides_on_the_page_and_revokes_with_a_reason(clients, rows):
    a = rows["own"]
    assert _decide(clients["cec"], a, "approve").status_code == 302
    a.refresh_from_db()
    assert a.status == "approved" and Credential.objects.filter(revoked_at__isnull=True).count() == 1
    response = clients["cec"].get(f"/media/accreditations/{a.pk}/", **EN)
    assert b'value="revoke"' in response.content
    refused = _decide(clients["cec"], a, "revoke", "")  # no reason: refused, with why
    a.refresh_from_db()
    assert a.status == "approved"
    assert refused.status_code == 400 and "Say why: the reason goes on the record." in refused.content.decode()
    _decide(clients["cec"], a, "revoke", "Filmed ballots")
    a.refresh_from_db()
    assert a.status == "revoked" and not Credential.objects.filter(revoked_at__isnull=True).exists()


def test_editor_adds_a_journalist_and_applies_on_the_page(clients, country, media):

    voter = make_voter(country.precincts["B1-1"], surname="Karimova", given_name="Lola", sex="F", birth_date=date(1992, 4, 5))
    url = f"/media/outlets/{media.own.pk}/"
    response = clients["editor"].post(
        url,
        {
            "form": "journalist",
            "j-is_foreign": "0",
            "j-pinfl": voter.pinfl,
            "j-surname": "Karimova",
            "j-given_name": "Lola",
            "j-photo": photo(),
        },
        **EN,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    journalist = Journalist.objects.get(voter=voter)
    response = clients["editor"].post(
        url,
        {
            "form": "apply",
            "a-journalist": journalist.pk,
            "a-election": media.election.pk,
            "a-scope": "region",
            "a-region": country.regions["B"].pk,
        },
        **EN,
    )
    a = MediaAccreditation.objects.get(journalist=journalist)
    assert response.status_code == 302 and response["Location"] == f"/media/accreditations/{a.pk}/"
    assert (a.status, a.scope, a.region) == ("submitted", "region", country.regions["B"])


def test_bad_input_on_the_page_says_why_and_changes_nothing(clients, country, media):
    url = f"/media/outlets/{media.own.pk}/"
    before = Journalist.objects.count()
    response = clients["editor"].post(
        url,
        {
            "form": "journalist",
            "j-is_foreign": "1",
            "j-surname": "Smith",
            "j-given_name": "Anna",
            "j-country": "GB",
            "j-photo": photo(),
        },
        **EN,
    )
    assert response.status_code == 400
    assert "the passport number is required" in response.content.decode()
    assert Journalist.objects.count() == before
    apply(media)
    response = clients["editor"].post(
        url,
        {"form": "apply", "a-journalist": media.journalist.pk, "a-election": media.election.pk, "a-scope": "all_precincts"},
        **EN,
    )
    assert response.status_code == 400
    assert "already has an application or accreditation for this election" in response.content.decode()
    assert MediaAccreditation.objects.count() == 1


def test_editor_cannot_pick_another_outlets_journalist(clients, media):
    response = clients["editor"].post(
        f"/media/outlets/{media.own.pk}/",
        {"form": "apply", "a-journalist": media.other_journalist.pk, "a-election": media.election.pk, "a-scope": "all_precincts"},
        **EN,
    )
    assert response.status_code == 400 and not MediaAccreditation.objects.exists()


def test_only_the_press_service_adds_editors(clients, media):
    url = f"/media/outlets/{media.own.pk}/"
    assert clients["editor"].post(url, {"form": "editor", "e-username": "editor2"}).status_code == 403
    assert not media.other_editor.has_perm("media_accreditation.act_for_outlet", media.own)
    assert clients["cec"].post(url, {"form": "editor", "e-username": "editor2"}).status_code == 302
    assert media.other_editor.has_perm("media_accreditation.act_for_outlet", media.own)
    for username, message in (
        ("nobody", "No such user."),
        ("journalist", "Only users with the media editor role can act for an outlet."),
    ):
        refused = clients["cec"].post(url, {"form": "editor", "e-username": username}, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 400 and message in refused.content.decode()
    assert media.own.editors.count() == 2


def test_only_the_press_service_registers_outlets_on_the_page(clients):
    data = {"name": "Dunyo", "kind": "print", "certificate_number": "0777"}
    assert clients["editor"].post("/media/outlets/", data).status_code == 403
    assert clients["cec"].post("/media/outlets/", data).status_code == 302
    response = clients["cec"].post("/media/outlets/", {**data, "kind": "foreign", "certificate_number": "0778"}, **EN)
    assert response.status_code == 400 and "The country is required." in response.content.decode()


# --------------------------------------------------------------------------- public list


@pytest.mark.parametrize("role", ROLES)
def test_public_list_of_accredited_outlets(clients, country, media, rows, role):
    url = f"/public/elections/{media.election.pk}/media/"
    body = clients[role].get(url).content.decode()
    assert "Oʻzbekiston 24" not in body  # nothing accredited yet
    approve(country, rows["own"])
    response = clients[role].get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Oʻzbekiston 24" in body and "Kazinform" not in body  # Kazinform's application is still open
    for private in ("Xolmatov", media.voter.pinfl, "N1234567", "0001"):
        assert private not in body
    assert clients[role].get("/public/media/").status_code == 200


# --------------------------------------------------------------------------- API

API = {
    # endpoint -> {role: rows seen}; roles not listed are refused (403)
    "media-outlets": {"admin": 2, "cec": 2, "editor": 1},
    "journalists": {"admin": 2, "cec": 2, "editor": 1, "journalist": 1},
    "media-accreditations": {"admin": 2, "cec": 2, "editor": 1, "journalist": 1},
}


@pytest.mark.parametrize("endpoint", sorted(API))
@pytest.mark.parametrize("role", ROLES)
def test_api_lists_per_role(clients, rows, role, endpoint):
    response = clients[role].get(f"/api/v1/{endpoint}/")
    if role in API[endpoint]:
        assert response.status_code == 200
        assert response.json()["count"] == API[endpoint][role]
    else:
        assert response.status_code == 403 and response.json()["status"] == 403


def test_api_hides_identity_papers(clients, media, rows):
    data = clients["cec"].get(f"/api/v1/journalists/{media.journalist.pk}/").json()
    assert "pinfl" not in data and "passport_number" not in data and "photo" not in data
    assert data["full_name"] == "Xolmatov Rustam Akmalovich"


def test_api_rows_of_another_outlet_are_404(clients, media, rows):
    for url in (
        f"/api/v1/media-outlets/{media.other.pk}/",
        f"/api/v1/journalists/{media.other_journalist.pk}/",
        f"/api/v1/media-accreditations/{rows['other'].pk}/",
    ):
        assert clients["editor"].get(url).status_code == 404
    assert clients["journalist"].get(f"/api/v1/media-accreditations/{rows['other'].pk}/").status_code == 404
    response = clients["editor"].post(
        f"/api/v1/media-accreditations/{rows['other'].pk}/transition/", {"action": "withdraw"}, content_type="application/json"
    )
    assert response.status_code == 404
    rows["other"].refresh_from_db()
    assert rows["other"].status == "submitted"


@pytest.mark.parametrize(
    "role,expected",
    [
        ("admin", 200),
        ("cec", 200),
        ("editor", 403),
        ("journalist", 403),
        ("region", 403),
        ("district", 403),
        ("precinct", 403),
        ("party", 403),
        ("anon", 403),
    ],
)
def test_api_approve_per_role(clients, rows, role, expected):
    response = clients[role].post(
        f"/api/v1/media-accreditations/{rows['own'].pk}/transition/", {"action": "approve"}, content_type="application/json"
    )
    assert response.status_code == expected, response.content
    rows["own"].refresh_from_db()
    assert rows["own"].status == ("approved" if expected == 200 else "submitted")
    if expected == 200:
        assert response.json()["status"] == "approved" and response.json()["valid_until"]


def test_api_transition_errors_have_one_shape(clients, rows):
    url = f"/api/v1/media-accreditations/{rows['own'].pk}/transition/"
    response = clients["cec"].post(url, {"action": "reject"}, content_type="application/json", **EN)
    assert response.status_code == 400
    assert response.json()["errors"]["reason"] == ["A reason is required to Refuse."]
    response = clients["cec"].post(url, {"action": "fly"}, content_type="application/json")
    assert response.status_code == 400 and "action" in response.json()["errors"]
    response = clients["editor"].post(url, {"action": "withdraw"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def _election_over(media):

    media.election.election_day = timezone.localdate() - timedelta(days=1)
    media.election.save()


def test_approval_after_election_day_on_the_page_says_why_and_issues_nothing(clients, media, rows):
    a = rows["own"]
    _election_over(media)
    response = _decide(clients["cec"], a, "approve")
    assert response.status_code == 400
    a.refresh_from_db()
    assert a.status == "submitted" and a.valid_until is None and not Credential.objects.exists()
    assert "has passed, and no badge or press card is issued after the" in response.content.decode()
    assert clients["cec"].get(f"/media/accreditations/{a.pk}/press-card.pdf").status_code == 404


def test_api_approval_after_election_day_is_refused_and_issues_nothing(clients, media, rows):
    _election_over(media)
    response = clients["cec"].post(
        f"/api/v1/media-accreditations/{rows['own'].pk}/transition/", {"action": "approve"}, content_type="application/json", **EN
    )
    assert response.status_code == 400, response.content
    assert "no badge or press card is issued after the" in response.json()["errors"]["non_field_errors"][0]
    rows["own"].refresh_from_db()
    assert rows["own"].status == "submitted" and not Credential.objects.exists()


def test_openapi_schema_lists_media_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in (
        "/api/v1/media-outlets/",
        "/api/v1/journalists/{id}/",
        "/api/v1/media-accreditations/",
        "/api/v1/media-accreditations/{id}/transition/",
    ):
        assert path in schema["paths"], path


def _api_apply(client, journalist, election, **kw):
    return client.post(
        "/api/v1/media-accreditations/",
        {"journalist": journalist.pk, "election": election.pk, "scope": "all_precincts", **kw},
        content_type="application/json",
        **EN,
    )


@pytest.mark.parametrize(
    "role,expected",
    [
        ("editor", 201),
        ("cec", 201),
        ("admin", 201),
        ("journalist", 403),
        ("region", 403),
        ("precinct", 403),
        ("party", 403),
        ("observer", 403),
        ("anon", 403),
    ],
)
def test_api_apply_per_role(clients, media, role, expected):
    response = _api_apply(clients[role], media.journalist, media.election)
    assert response.status_code == expected, response.content
    assert MediaAccreditation.objects.count() == (1 if expected == 201 else 0)
    if expected == 201:
        assert response.json()["status"] == "submitted"


def test_api_apply_refusals_say_why(clients, country, media):
    response = _api_apply(clients["editor"], media.other_journalist, media.election)
    assert response.status_code == 400 and "journalist" in response.json()["errors"]  # not theirs: "no such"
    response = _api_apply(clients["editor"], media.journalist, media.election, scope="region")
    assert response.status_code == 400
    assert response.json()["errors"]["region"] == ["Choose the region the journalist will cover."]
    assert _api_apply(clients["editor"], media.journalist, media.election).status_code == 201
    response = _api_apply(clients["editor"], media.journalist, media.election)
    assert response.status_code == 400 and "already has an application" in response.json()["errors"]["journalist"][0]
    assert MediaAccreditation.objects.count() == 1


def test_review_queue_puts_the_earliest_decision_first_and_flags_overdue(clients, country, media):

    late = apply(media)
    urgent_election = f.ElectionFactory(
        election_day=timezone.localdate() + timedelta(days=90), rules={"accreditation_decision_days": 1}
    )
    urgent = apply(media, election=urgent_election, scope="press_centre")
    body = clients["cec"].get("/media/review/", **EN).content.decode()
    assert body.index(f'data-accreditation="{urgent.pk}"') < body.index(f'data-accreditation="{late.pk}"')
    assert "overdue" not in body
    StatusChange.objects.filter(object_id=late.pk, transition="submit").update(created_at=timezone.now() - timedelta(days=6))
    body = clients["cec"].get("/media/review/", **EN).content.decode()
    assert body.index(f'data-accreditation="{late.pk}"') < body.index(f'data-accreditation="{urgent.pk}"')
    assert body.count("overdue") == 1


NAV = {
    "/media/review/": {"admin", "cec"},
    "/media/outlets/": {"admin", "cec", "editor"},
    "/media/my/": {"journalist"},
    "/public/media/": {"anon"},
}


@pytest.mark.parametrize("role", ROLES)
def test_navigation_links_per_role(clients, role):
    nav = clients[role].get("/").content.decode()
    nav = nav[nav.index('class="main-nav"') : nav.index("</nav>")]
    for url, roles in NAV.items():
        assert (f'href="{url}"' in nav) == (role in roles), (role, url)


def test_outlet_page_links_the_press_card_of_approved_rows(clients, country, media, rows):
    url = f"/media/outlets/{media.own.pk}/"
    assert f"/media/accreditations/{rows['own'].pk}/press-card.pdf" not in clients["editor"].get(url).content.decode()
    approve(country, rows["own"])
    assert f"/media/accreditations/{rows['own'].pk}/press-card.pdf" in clients["editor"].get(url).content.decode()


def test_deleting_an_editor_in_the_admin_takes_the_grant_away(clients, country, media):

    editor = country.users["editor"]
    link = media.own.editors.get(user=editor)
    response = clients["admin"].post(reverse("admin:media_accreditation_outleteditor_delete", args=[link.pk]), {"post": "yes"})
    assert response.status_code == 302 and not media.own.editors.filter(pk=link.pk).exists()
    editor = get_user_model().objects.get(pk=editor.pk)  # a fresh permission cache
    assert not editor.has_perm("media_accreditation.act_for_outlet", media.own)
    assert clients["editor"].get(f"/media/outlets/{media.own.pk}/").status_code == 404
