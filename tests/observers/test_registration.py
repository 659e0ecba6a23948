"""Observers: online self-registration checked against the voter list, a coordinator's single and bulk
submissions (CSV and XLSX, a per-row error report and nothing stored from a rejected file), and organisations."""

import csv
import io
from datetime import date

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from core.pinfl import make_pinfl
from observers import services
from observers.models import Observer, ObserverOrganization, OrganizationCoordinator
from observers.reports import bulk_errors_csv
from observers.services import RowError
from tests.conftest import ROLES, verified_client
from tests.factories import make_voter
from tests.observers.helpers import EN, build, png
from voters.models import VoterStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(country):
    return build(country)


def csv_file(text: str, name="observers.csv", encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


HEADER = "pinfl,passport_number,country,surname,given_name,patronymic,birth_date,email,phone\n"


# --------------------------------------------------------------------------- organisations


def test_only_cec_registers_organisations_and_grants_coordinators(country):
    with pytest.raises(PermissionDenied):
        services.organization_register(actor=country.users["coordinator"], name="X", kind="ngo")
    with pytest.raises(ValidationError):
        services.organization_register(actor=country.users["cec"], name="Party org", kind="party")  # no party
    org = services.organization_register(
        actor=country.users["cec"], name="Mahalla yigʻini", kind="mahalla", mahalla=country.mahallas["A1"]
    )
    with pytest.raises(ValidationError) as exc:
        services.organization_coordinator_add(actor=country.users["cec"], organization=org, user=country.users["observer"])
    assert exc.value.error_dict["user"][0].code == "not_coordinator"
    with pytest.raises(PermissionDenied):
        services.organization_coordinator_add(
            actor=country.users["district"], organization=org, user=country.users["coordinator"]
        )
    services.organization_coordinator_add(actor=country.users["cec"], organization=org, user=country.users["coordinator"])
    assert country.users["coordinator"].has_perm("observers.coordinate_organization", org)


def test_organisation_country_only_for_international_ones(country):
    cec = country.users["cec"]
    with pytest.raises(ValidationError) as exc:
        services.organization_register(actor=cec, name="Intl", kind="international", country="Germany")
    assert exc.value.error_dict["country"][0].code == "country_invalid"
    assert not ObserverOrganization.objects.filter(name="Intl").exists()
    intl = services.organization_register(actor=cec, name="Intl", kind="international", country=" de ")
    assert intl.country == "DE"
    ngo = services.organization_register(actor=cec, name="NGO", kind="ngo", registration_number="N-9", country="DE")
    assert ngo.country == ""


@pytest.mark.parametrize("role", ROLES)
def test_organisation_pages_per_role(clients, setup, role):
    listing = clients[role].get(reverse("observers:organization_list"), **EN)
    detail = clients[role].get(reverse("observers:organization_detail", args=[setup.own.pk]), **EN)
    if role == "anon":
        assert listing.status_code == 302 and detail.status_code == 302
    elif role in ("admin", "cec", "coordinator"):
        assert listing.status_code == 200 and "Ochiq jamiyat" in listing.content.decode()
        assert detail.status_code == 200 and "Karimova" in detail.content.decode()
        assert ("Xalqaro kuzatuv" in listing.content.decode()) == (role != "coordinator")
    else:
        assert listing.status_code == 403 and detail.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_organisation_api_per_role(clients, setup, role):
    response = clients[role].get("/api/v1/observer-organizations/")
    if role == "anon":
        assert response.status_code in (401, 403)
        return
    names = {o["name"] for o in response.json()["results"]}
    expected = {
        "admin": {"Ochiq jamiyat", "Xalqaro kuzatuv"},
        "cec": {"Ochiq jamiyat", "Xalqaro kuzatuv"},
        "coordinator": {"Ochiq jamiyat"},
    }.get(role, set())
    assert names == expected


def test_cec_creates_an_organisation_and_coordinator_through_pages(clients, country):
    response = clients["cec"].post(reverse("observers:organization_list"), {"name": "Yangi NNT", "kind": "ngo"})
    org = ObserverOrganization.objects.get(name="Yangi NNT")
    assert response.status_code == 302
    clients["cec"].post(
        reverse("observers:organization_detail", args=[org.pk]), {"form": "coordinator", "username": "coordinator"}
    )
    assert OrganizationCoordinator.objects.filter(organization=org, user=country.users["coordinator"]).exists()
    for username, message in (
        ("nobody", "No such user."),
        ("observer", "Only users with the coordinator role can coordinate an organisation."),
    ):
        refused = clients["cec"].post(
            reverse("observers:organization_detail", args=[org.pk]), {"form": "coordinator", "username": username}, **EN
        )
        assert refused.status_code == 400 and message in refused.content.decode()
    assert list(OrganizationCoordinator.objects.filter(organization=org).values_list("user__username", flat=True)) == [
        "coordinator"
    ]
    denied = clients["coordinator"].post(reverse("observers:organization_list"), {"name": "Z", "kind": "ngo"})
    assert denied.status_code == 403 and not ObserverOrganization.objects.filter(name="Z").exists()


# --------------------------------------------------------------------------- self-registration


def test_self_registration_page_creates_account_and_observer(client, country, setup):
    voter = setup.voters[1]
    data = {
        "organization": setup.own.pk,
        "is_foreign": "0",
        "pinfl": voter.pinfl,
        "surname": "TURSUNOV",
        "given_name": "Jasur",
        "birth_date": voter.birth_date.isoformat(),
        "username": "jasur",
        "email": "jasur@example.org",
        "password": "Kuzatuvchi-2026!",
    }
    response = client.post(reverse("observers:register"), {**data, "photo": png()}, REMOTE_ADDR="10.55.0.1")
    assert response.status_code == 302 and response["Location"] == reverse("observers:my_accreditations")
    user = User.objects.get(username="jasur")
    observer = Observer.objects.get(user=user)
    assert user.role == Role.OBSERVER and observer.voter == voter and observer.surname == "Tursunov"
    assert observer.photo and observer.organization == setup.own
    assert client.get(reverse("observers:my_accreditations")).status_code == 200  # logged in


@pytest.mark.parametrize(
    "case,field,code",
    [
        ("unknown", "pinfl", "not_in_voter_list"),
        ("name", "pinfl", "not_in_voter_list"),
        ("deceased", "pinfl", "not_in_voter_list"),
        ("birth", "birth_date", "birth_date_mismatch"),  # status not told
        ("duplicate", "pinfl", "duplicate"),
        ("short", "pinfl", "pinfl_invalid"),
        ("check_digit", "pinfl", "pinfl_invalid"),
        ("foreign_no_passport", "passport_number", "passport_required"),
        ("foreign_bad_country", "country", "country_invalid"),
        ("foreign_with_pinfl", "pinfl", "pinfl_foreign"),
    ],
)
def test_identity_is_refused_with_a_reason(country, setup, case, field, code):
    voter = setup.voters[2]
    dead = make_voter(country.precincts["A1-2"], surname="Olim", given_name="Bek", status=VoterStatus.DECEASED)
    args = {"pinfl": voter.pinfl, "surname": "Aliyeva", "given_name": "Malika", "birth_date": voter.birth_date}
    args.update(
        {
            # a well-formed PINFL no voter has; and the voter's own with a wrong check digit
            "unknown": {"pinfl": make_pinfl(date(1961, 5, 17), "F", 777, 999)},
            "name": {"surname": "Boshqa"},
            "check_digit": {"pinfl": voter.pinfl[:-1] + str((int(voter.pinfl[-1]) + 1) % 10)},
            "deceased": {"pinfl": dead.pinfl, "surname": "Olim", "given_name": "Bek", "birth_date": None},
            "birth": {"birth_date": date(1999, 1, 1)},
            "duplicate": {"pinfl": setup.voters[0].pinfl, "surname": "Karimova", "given_name": "Dilnoza", "birth_date": None},
            "short": {"pinfl": "123"},
            "foreign_no_passport": {"is_foreign": True, "pinfl": "", "country": "KZ"},
            "foreign_bad_country": {"is_foreign": True, "pinfl": "", "passport_number": "N1234567", "country": "UZ"},
            "foreign_with_pinfl": {"is_foreign": True, "passport_number": "N1234567", "country": "KZ"},
        }[case]
    )
    before = Observer.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.observer_register(actor=country.users["coordinator"], organization=setup.own, **args)
    assert exc.value.error_dict[field][0].code == code
    assert Observer.objects.count() == before


def test_self_registration_refuses_bad_input_and_stores_nothing(client, setup):
    before = (User.objects.count(), Observer.objects.count())
    data = {
        "organization": setup.own.pk,
        "is_foreign": "0",
        "pinfl": setup.voters[1].pinfl,
        "surname": "Wrong",
        "given_name": "Jasur",
        "birth_date": "1985-01-02",
        "username": "jasur",
        "email": "j@example.org",
        "password": "Kuzatuvchi-2026!",
    }
    response = client.post(reverse("observers:register"), data, REMOTE_ADDR="10.55.0.2", **EN)
    assert response.status_code == 400 and "No active voter with this PINFL and name" in response.content.decode()
    bad_photo = client.post(
        reverse("observers:register"),
        {**data, "surname": "Tursunov", "photo": SimpleUploadedFile("photo.png", b"%PDF-1.4 not an image")},
        REMOTE_ADDR="10.55.0.2",
        **EN,
    )
    assert bad_photo.status_code == 400 and "not a JPEG or PNG" in bad_photo.content.decode()
    weak = client.post(
        reverse("observers:register"), {**data, "surname": "Tursunov", "password": "123"}, REMOTE_ADDR="10.55.0.2", **EN
    )
    assert weak.status_code == 400
    assert (User.objects.count(), Observer.objects.count()) == before


def test_self_registration_is_rate_limited(client, setup):
    data = {
        "organization": setup.own.pk,
        "is_foreign": "0",
        "pinfl": "1" * 14,
        "surname": "X",
        "given_name": "Y",
        "birth_date": "1985-01-02",
        "username": "u",
        "email": "u@example.org",
        "password": "p",
    }
    codes = [client.post(reverse("observers:register"), data, REMOTE_ADDR="10.55.1.1").status_code for _ in range(11)]
    assert codes[:10] == [400] * 10 and codes[10] == 429


def test_foreigner_registers_by_passport(country, setup):
    observer = services.observer_register(
        actor=setup.other_coordinator,
        organization=setup.other,
        is_foreign=True,
        passport_number="c0 1234567",
        country="de",
        surname="Müller",
        given_name="Anna",
        birth_date=date(1980, 2, 3),
    )
    assert observer.passport_number == "C01234567" and observer.country == "DE" and observer.pinfl == ""
    with pytest.raises(PermissionDenied):  # a coordinator of another organisation
        services.observer_register(
            actor=country.users["coordinator"],
            organization=setup.other,
            is_foreign=True,
            passport_number="C07654321",
            country="DE",
            surname="Schmidt",
            given_name="Jan",
            birth_date=date(1980, 2, 3),
        )


@pytest.mark.parametrize(
    "names,field,code",
    [
        ({"surname": "Müller1"}, "surname", "invalid_characters"),
        ({"surname": ""}, "surname", "required"),
        ({"given_name": "@Anna"}, "given_name", "formula"),
    ],
)
def test_foreigner_names_follow_the_name_rule(setup, names, field, code):
    args = {"surname": "Müller", "given_name": "Anna", **names}
    with pytest.raises(ValidationError) as err:
        services.observer_register(
            actor=setup.other_coordinator,
            organization=setup.other,
            is_foreign=True,
            passport_number="C01234567",
            country="DE",
            birth_date=date(1980, 2, 3),
            **args,
        )
    assert [e.code for e in err.value.error_dict[field]] == [code]
    assert not Observer.objects.filter(passport_number="C01234567").exists()


# --------------------------------------------------------------------------- bulk submission


def test_bulk_csv_creates_every_row(country, setup):
    v1, v2 = setup.voters[1], setup.voters[2]
    text = HEADER + (
        f"{v1.pinfl},,,Tursunov,Jasur,,{v1.birth_date:%d.%m.%Y},jasur@example.org,\n"
        f"{v2.pinfl},,,Aliyeva,Malika,,{v2.birth_date},,\n"
        ",N7654321,KZ,Nurlanov,Arman,,1979-04-05,,+7 701 000 00 00\n"
    )
    result = services.observers_bulk_submit(
        actor=country.users["coordinator"], organization=setup.own, uploaded_file=csv_file(text)
    )
    assert result.ok and len(result.created) == 3
    assert set(Observer.objects.filter(organization=setup.own).values_list("surname", flat=True)) == {
        "Karimova",
        "Tursunov",
        "Aliyeva",
        "Nurlanov",
    }


def test_bulk_xlsx_in_windows_1251_free_format(country, setup):

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    v = setup.voters[3]
    sheet.append([v.pinfl, "", "", "Rahimov", "Anvar", "", v.birth_date, "", ""])
    out = io.BytesIO()
    book.save(out)
    result = services.observers_bulk_submit(
        actor=country.users["coordinator"],
        organization=setup.own,
        uploaded_file=SimpleUploadedFile("observers.xlsx", out.getvalue()),
    )
    assert result.ok and result.created[0].voter == v


def test_bulk_file_with_bad_rows_stores_nothing_and_reports_each_row(country, setup):
    v1, v2, v3 = setup.voters[1:4]
    text = HEADER + (
        f"{v1.pinfl},,,Tursunov,Jasur,,{v1.birth_date},,\n"  # row 2: fine
        f"{v2.pinfl},,,Wrong,Malika,,{v2.birth_date},,\n"  # row 3: name mismatch
        f"{v1.pinfl},,,Tursunov,Jasur,,{v1.birth_date},,\n"  # row 4: repeats row 2
        f"{setup.voters[0].pinfl},,,Karimova,Dilnoza,,1985-01-01,,\n"  # row 5: already an observer
        ",N7654321,KZ,Nurlanov,Arman,,05/04/1979,,\n"  # row 6: date format
        ",,KZ,Nurlanov,Arman,,1979-04-05,,\n"  # row 7: no passport
        "=cmd|' /C calc'!A0,,,X,Y,,1979-04-05,,\n"  # row 8: formula
        f"{v2.pinfl},,,Aliyeva,Malika,,{v2.birth_date},not-an-email,\n"  # row 9: email
        f"{v3.pinfl},,,Rahimov,Anvar,,{v3.birth_date},,+99 =1+1\n"
    )  # row 10: phone
    before = Observer.objects.count()
    result = services.observers_bulk_submit(
        actor=country.users["coordinator"], organization=setup.own, uploaded_file=csv_file(text)
    )
    assert not result.ok and result.created == [] and Observer.objects.count() == before
    by_row = {(e.row, e.field) for e in result.errors}
    assert by_row == {
        (3, "pinfl"),
        (4, "pinfl"),
        (5, "pinfl"),
        (6, "birth_date"),
        (7, "passport_number"),
        (8, "row"),
        (9, "email"),
        (10, "phone"),
    }
    messages = {e.row: e.message for e in result.errors}
    assert "row 2" in messages[4] and "already registered" in messages[5] and "formulas" in messages[8]


@pytest.mark.parametrize(
    "content,code",
    [
        (b"", "empty"),
        (b"surname,given_name\nA,B\n", "header"),
        (HEADER.encode(), "empty"),
        ("pinfl,surname".encode("utf-16"), "encoding"),
    ],
)
def test_bulk_refuses_unreadable_files(country, setup, content, code):
    before = Observer.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.observers_bulk_submit(
            actor=country.users["coordinator"], organization=setup.own, uploaded_file=SimpleUploadedFile("x.csv", content)
        )
    assert exc.value.error_dict["file"][0].code == code
    assert Observer.objects.count() == before


def test_bulk_is_only_for_the_organisations_coordinator(country, setup):
    with pytest.raises(PermissionDenied):
        services.observers_bulk_submit(actor=setup.other_coordinator, organization=setup.own, uploaded_file=csv_file(HEADER))
    with pytest.raises(PermissionDenied):
        services.observers_bulk_submit(actor=country.users["observer"], organization=setup.own, uploaded_file=csv_file(HEADER))


def test_bulk_page_shows_the_error_report(clients, setup):
    v = setup.voters[2]
    text = HEADER + f"{v.pinfl},,,Wrong,Malika,,{v.birth_date},,\n"
    url = reverse("observers:bulk_upload", args=[setup.own.pk])
    response = clients["coordinator"].post(url, {"file": csv_file(text)}, **EN)
    body = response.content.decode()
    assert response.status_code == 400 and 'id="bulk-errors"' in body and "nothing was stored" in body
    assert "No active voter with this PINFL and name" in body
    other = clients["party"].post(url, {"file": csv_file(text)})
    assert other.status_code == 403
    ok = clients["coordinator"].post(url, {"file": csv_file(HEADER + f"{v.pinfl},,,Aliyeva,Malika,,,,\n")}, **EN)
    assert ok.status_code == 400 and "This field is required." in ok.content.decode()  # birth date required
    done = clients["coordinator"].post(url, {"file": csv_file(HEADER + f"{v.pinfl},,,Aliyeva,Malika,,{v.birth_date},,\n")})
    assert done.status_code == 302 and Observer.objects.filter(pinfl=v.pinfl).exists()


def _bad_file():
    return csv_file(HEADER + "12345678901234,,,Wrong,Malika,,1985-01-03,,\n,,KZ,Nurlanov,Arman,,1979-04-05,,\n")


def test_bulk_error_report_downloads_as_csv(clients, setup):
    url = reverse("observers:bulk_upload", args=[setup.own.pk])
    errors_url = reverse("observers:bulk_errors", args=[setup.own.pk])
    coordinator = clients["coordinator"]
    assert coordinator.get(errors_url).status_code == 404  # nothing refused yet
    page = coordinator.post(url, {"file": _bad_file()}, **EN)
    assert page.status_code == 400 and f'href="{errors_url}"' in page.content.decode()
    response = coordinator.get(errors_url, **EN)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "field", "reason"]
    assert [(r[0], r[1]) for r in rows[1:]] == [("2", "pinfl"), ("3", "passport_number")]
    assert all(r[2] for r in rows[1:])
    # a file refused as a whole, or accepted, leaves no report behind
    coordinator.post(url, {"file": csv_file(HEADER)})  # "no data rows"
    assert coordinator.get(errors_url).status_code == 404
    coordinator.post(url, {"file": _bad_file()})
    v = setup.voters[2]
    done = coordinator.post(url, {"file": csv_file(HEADER + f"{v.pinfl},,,Aliyeva,Malika,,{v.birth_date},,\n")})
    assert done.status_code == 302 and coordinator.get(errors_url).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_bulk_error_report_per_role(clients, setup, role):
    """The coordinator of the organisation (and the CEC) download the report of the file they uploaded; everyone
    else is refused (403 by role, 404 for another organisation's coordinator or someone else's upload)."""
    url = reverse("observers:bulk_upload", args=[setup.own.pk])
    errors_url = reverse("observers:bulk_errors", args=[setup.own.pk])
    clients[role].post(url, {"file": _bad_file()})
    response = clients[role].get(errors_url)
    if role == "anon":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    elif role in ("admin", "cec", "coordinator"):
        assert response.status_code == 200 and b"passport_number" in response.content
    else:
        assert response.status_code == 403


def test_bulk_error_report_is_the_uploaders_own(clients, setup):
    url = reverse("observers:bulk_upload", args=[setup.own.pk])
    errors_url = reverse("observers:bulk_errors", args=[setup.own.pk])
    assert clients["coordinator"].post(url, {"file": _bad_file()}).status_code == 400
    other = verified_client(setup.other_coordinator)
    assert other.get(errors_url).status_code == 404  # another organisation's coordinator
    assert other.post(url, {"file": _bad_file()}).status_code == 404
    # their own organisation's report is theirs only
    other_url = reverse("observers:bulk_upload", args=[setup.other.pk])
    assert other.post(other_url, {"file": _bad_file()}).status_code == 400
    assert other.get(reverse("observers:bulk_errors", args=[setup.other.pk])).status_code == 200
    assert clients["coordinator"].get(reverse("observers:bulk_errors", args=[setup.other.pk])).status_code == 404
    assert clients["cec"].get(errors_url).status_code == 404  # the coordinator's upload, not the CEC's
    assert clients["coordinator"].get(errors_url).status_code == 200


def test_bulk_error_report_neutralises_formulas():

    text = bulk_errors_csv(
        [
            RowError(2, "=field", '=HYPERLINK("http://x")'),
            RowError(3, "+x", "-1+1"),
            RowError(4, "@x", "@SUM(A1)"),
            RowError(5, "row", "Plain words"),
        ]
    )
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[1:] == [
        ["2", "'=field", '\'=HYPERLINK("http://x")'],
        ["3", "'+x", "'-1+1"],
        ["4", "'@x", "'@SUM(A1)"],
        ["5", "row", "Plain words"],
    ]


def test_coordinator_adds_one_observer_and_sets_a_photo(clients, country, setup):
    v = setup.voters[1]
    url = reverse("observers:organization_detail", args=[setup.own.pk])
    response = clients["coordinator"].post(
        url,
        {
            "form": "observer",
            "is_foreign": "0",
            "pinfl": v.pinfl,
            "surname": "Tursunov",
            "given_name": "Jasur",
            "birth_date": v.birth_date.isoformat(),
        },
    )
    assert response.status_code == 302
    observer = Observer.objects.get(pinfl=v.pinfl)
    assert not observer.photo
    clients["coordinator"].post(reverse("observers:observer_photo", args=[observer.pk]), {"photo": png()})
    observer.refresh_from_db()
    assert observer.photo
    other = verified_client(setup.other_coordinator)
    assert other.post(reverse("observers:observer_photo", args=[observer.pk]), {"photo": png()}).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_photo_and_bulk_pages_per_role(clients, setup, role):
    """The observer sets their own photo, the coordinator and the CEC any of the organisation's; the bulk page is
    the coordinator's and the CEC's."""
    before = setup.observer.photo.name
    photo = clients[role].post(reverse("observers:observer_photo", args=[setup.observer.pk]), {"photo": png()})
    bulk = clients[role].get(reverse("observers:bulk_upload", args=[setup.own.pk]), **EN)
    setup.observer.refresh_from_db()
    allowed = role in ("admin", "cec", "coordinator", "observer")
    if role == "anon":
        assert photo.status_code == 302 and photo["Location"].startswith("/accounts/login/")
        assert bulk.status_code == 302
    else:
        assert photo.status_code == (302 if allowed else 403)
        assert bulk.status_code == (200 if role in ("admin", "cec", "coordinator") else 403)
    assert (setup.observer.photo.name != before) == allowed


def test_photo_upload_refuses_a_file_that_is_not_an_image(clients, setup):
    before = setup.observer.photo.name
    bad = SimpleUploadedFile("photo.png", b"not an image at all", content_type="image/png")
    response = clients["observer"].post(
        reverse("observers:observer_photo", args=[setup.observer.pk]), {"photo": bad}, follow=True, **EN
    )
    setup.observer.refresh_from_db()
    assert setup.observer.photo.name == before
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    empty = clients["observer"].post(reverse("observers:observer_photo", args=[setup.observer.pk]), {}, follow=True, **EN)
    assert "Choose a photo." in empty.content.decode()


def test_register_page_for_roles(clients, setup):
    assert clients["anon"].get(reverse("observers:register")).status_code == 200
    assert clients["observer"].get(reverse("observers:register")).status_code == 302  # already registered
    assert clients["party"].get(reverse("observers:register")).status_code == 302  # not for other roles


def test_deleting_a_coordinator_in_the_admin_takes_the_grant_away(clients, country, setup):
    coordinator = country.users["coordinator"]
    link = OrganizationCoordinator.objects.get(organization=setup.own, user=coordinator)
    response = clients["admin"].post(reverse("admin:observers_organizationcoordinator_delete", args=[link.pk]), {"post": "yes"})
    assert response.status_code == 302 and not OrganizationCoordinator.objects.filter(pk=link.pk).exists()
    coordinator = User.objects.get(pk=coordinator.pk)  # a fresh permission cache
    assert not coordinator.has_perm("observers.coordinate_organization", setup.own)
    assert verified_client(coordinator).get(reverse("observers:organization_detail", args=[setup.own.pk])).status_code == 404
