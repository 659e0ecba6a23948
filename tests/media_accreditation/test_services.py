"""Outlets, editors, journalists and accreditations: every rule refused with its reason, changing nothing;
the workflow with its deadline, decisions by the CEC press service only, the press card issued and revoked,
notifications and audit events."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core import credentials
from core.models import AuditEvent, Credential, Notification
from elections.models import Deadline
from media_accreditation import services
from media_accreditation.models import Journalist, MediaAccreditation, MediaOutlet
from tests.factories import make_voter
from tests.media_accreditation.helpers import apply, approve, photo
from voters.models import VoterStatus

pytestmark = pytest.mark.django_db


def _codes(err: pytest.ExceptionInfo, field: str) -> list[str]:
    return [e.code for e in err.value.error_dict[field]]


# --------------------------------------------------------------------------- outlets and editors


@pytest.mark.parametrize("role", ["region", "district", "precinct", "editor", "journalist", "party"])
def test_only_the_press_service_registers_outlets(country, role):
    with pytest.raises(PermissionDenied):
        services.outlet_register(actor=country.users[role], name="X", kind="tv", certificate_number="9")
    assert not MediaOutlet.objects.exists()


@pytest.mark.parametrize(
    "kind,country_code,field,code",
    [
        ("foreign", "", "country", "country_required"),
        ("foreign", "Kazakhstan", "country", "country_invalid"),
        ("tv", "KZ", "country", "country_not_foreign"),
    ],
)
def test_outlet_country_rules(country, kind, country_code, field, code):
    with pytest.raises(ValidationError) as err:
        services.outlet_register(actor=country.users["cec"], name="X", kind=kind, certificate_number="9", country=country_code)
    assert _codes(err, field) == [code]
    assert not MediaOutlet.objects.exists()


def test_outlet_certificate_is_unique(country, media):
    with pytest.raises(ValidationError) as err:
        services.outlet_register(actor=country.users["cec"], name="Copy", kind="print", certificate_number="0001")
    assert "certificate_number" in err.value.error_dict
    assert MediaOutlet.objects.count() == 2


def test_editor_must_have_the_editor_role(country, media):
    with pytest.raises(ValidationError) as err:
        services.outlet_editor_add(actor=country.users["cec"], outlet=media.own, user=country.users["journalist"])
    assert _codes(err, "username") == ["not_editor"]
    with pytest.raises(PermissionDenied):  # an editor cannot make themself editor of another outlet
        services.outlet_editor_add(actor=country.users["editor"], outlet=media.other, user=country.users["editor"])
    assert not country.users["editor"].has_perm("media_accreditation.act_for_outlet", media.other)
    assert country.users["editor"].has_perm("media_accreditation.act_for_outlet", media.own)


# --------------------------------------------------------------------------- journalists


def test_citizen_journalist_takes_the_registry_spelling(country, media):
    j = media.journalist
    assert (j.voter, j.pinfl, j.is_foreign, j.user) == (media.voter, media.voter.pinfl, False, country.users["journalist"])
    assert j.full_name == "Xolmatov Rustam Akmalovich"  # patronymic from the voter list
    assert j.photo.name.startswith("journalist-photos/")
    assert AuditEvent.objects.filter(action="media_accreditation.journalist.add", object_id=str(j.pk)).exists()


def _add(country, media, /, **kw):
    args = {"actor": country.users["editor"], "outlet": media.own, "surname": "Karimova", "given_name": "Lola", "photo": photo()}
    args.update(kw)
    return services.journalist_add(**args)


@pytest.mark.parametrize(
    "case,field,code",
    [
        ("unknown_pinfl", "pinfl", "not_in_voter_list"),
        ("other_name", "pinfl", "not_in_voter_list"),
        ("deceased", "pinfl", "not_in_voter_list"),  # the same answer as a miss: the status is not told
        ("short_pinfl", "pinfl", "pinfl_invalid"),
        ("citizen_with_passport", "passport_number", "passport_citizen"),
        ("foreign_without_passport", "passport_number", "passport_required"),
        ("foreign_bad_passport", "passport_number", "passport_invalid"),
        ("foreign_without_country", "country", "country_required"),
        ("foreign_bad_country", "country", "country_invalid"),
        ("foreign_with_pinfl", "pinfl", "pinfl_foreign"),
        ("no_photo", "photo", "photo_required"),
        ("pdf_as_photo", "photo", "wrong_content"),
        ("not_a_journalist_account", "username", "not_journalist"),
    ],
)
def test_journalist_rules(country, media, case, field, code):
    voter = make_voter(country.precincts["A1-2"], surname="Karimova", given_name="Lola", sex="F", birth_date=date(1990, 1, 2))
    kw = {"pinfl": voter.pinfl}
    if case == "unknown_pinfl":
        kw["pinfl"] = "31705801230459"
    elif case == "other_name":
        kw["surname"] = "Boshqa"
    elif case == "deceased":
        voter.status = VoterStatus.DECEASED
        voter.save()
    elif case == "short_pinfl":
        kw["pinfl"] = "1234"
    elif case == "citizen_with_passport":
        kw["passport_number"] = "AA1234567"
    elif case.startswith("foreign"):
        kw = {"is_foreign": True, "passport_number": "N7654321", "country": "KZ"}
        kw.update(
            {
                "foreign_without_passport": {"passport_number": ""},
                "foreign_bad_passport": {"passport_number": "N7-6"},
                "foreign_without_country": {"country": ""},
                "foreign_bad_country": {"country": "Kazakhstan"},
                "foreign_with_pinfl": {"pinfl": voter.pinfl},
            }[case]
        )
    elif case == "no_photo":
        kw["photo"] = None
    elif case == "pdf_as_photo":
        kw["photo"] = photo("photo.png", b"%PDF-1.4 not an image")
    elif case == "not_a_journalist_account":
        kw["username"] = "party"
    before = Journalist.objects.count()
    with pytest.raises(ValidationError) as err:
        _add(country, media, **kw)
    assert _codes(err, field) == [code]
    assert Journalist.objects.count() == before


def test_a_journalist_without_a_pinfl_may_hold_an_uzbek_passport(country, media):
    """Unlike an observer (core.identity.foreign_passport, home_country_allowed): a citizen living abroad
    who is not on the voter list works for a foreign outlet with an Uzbek passport."""
    j = _add(country, media, is_foreign=True, pinfl="", passport_number="fa 1234567", country="uz")
    assert (j.is_foreign, j.passport_number, j.country, j.voter_id) == (True, "FA1234567", "UZ", None)


def test_unknown_pinfl_and_wrong_name_get_the_same_message(country, media):
    """A miss, someone else's PINFL and a voter who is not active look the same: the form reveals neither who is
    on the list nor their status."""

    incapable = make_voter(country.precincts["A1-2"], surname="Olimov", given_name="Bek", status=VoterStatus.INCAPABLE)
    messages = []
    for kw in (
        {"pinfl": "31705801230459"},
        {"pinfl": media.voter.pinfl, "surname": "Boshqa"},
        {"pinfl": incapable.pinfl, "surname": "Olimov", "given_name": "Bek"},
    ):
        with pytest.raises(ValidationError) as err:
            _add(country, media, **kw)
        messages.append(err.value.message_dict["pinfl"])
    assert messages[0] == messages[1] == messages[2] == ["No active voter with this PINFL and name is on the voter list."]


def test_cyrillic_name_matches_the_latin_registry(country, media):
    voter = make_voter(country.precincts["A1-2"], surname="Karimova", given_name="Lola", sex="F", birth_date=date(1990, 1, 2))
    j = _add(country, media, pinfl=voter.pinfl, surname="Каримова", given_name="Лола")
    assert (j.surname, j.given_name) == ("Karimova", "Lola")


def test_foreign_journalist_and_duplicates(country, media):
    j = _add(country, media, is_foreign=True, passport_number="n 765 4321", country="kz")
    assert (j.passport_number, j.country, j.pinfl, j.voter) == ("N7654321", "KZ", "", None)
    with pytest.raises(ValidationError) as err:
        _add(country, media, is_foreign=True, passport_number="N7654321", country="KZ")
    assert "This person is already a journalist of the outlet." in err.value.messages
    with pytest.raises(ValidationError) as err:
        _add(country, media, pinfl=media.voter.pinfl, surname="Xolmatov", given_name="Rustam")
    assert "This person is already a journalist of the outlet." in err.value.messages


@pytest.mark.parametrize(
    "names,field,code",
    [
        ({"surname": "Smith2"}, "surname", "invalid_characters"),
        ({"given_name": "=HYPERLINK(1)"}, "given_name", "formula"),
        ({"patronymic": "x" * 101}, "patronymic", "too_long"),
    ],
)
def test_foreign_journalist_names_follow_the_name_rule(country, media, names, field, code):
    with pytest.raises(ValidationError) as err:
        _add(country, media, is_foreign=True, passport_number="N7654321", country="KZ", **names)
    assert _codes(err, field) == [code]
    assert not Journalist.objects.filter(passport_number="N7654321").exists()


def test_editor_cannot_add_to_another_outlet(country, media):
    with pytest.raises(PermissionDenied):
        _add(country, media, outlet=media.other, is_foreign=True, passport_number="N7654321", country="KZ")
    assert media.other.journalists.count() == 1


# --------------------------------------------------------------------------- accreditations


def test_full_workflow_notifies_journalist_and_editors(country, media, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        a = apply(media, scope="region", region=country.regions["A"])
        services.accreditation_transition(actor=country.users["cec"], accreditation=a, name="start_review")
        approve(country, a)
        services.accreditation_transition(
            actor=country.users["cec"], accreditation=a, name="revoke", reason="Filmed inside the voting booth"
        )
    a.refresh_from_db()
    assert a.status == "revoked"
    for user in (country.users["editor"], country.users["journalist"]):
        subjects = list(Notification.objects.filter(recipient=user).order_by("id").values_list("subject", flat=True))
        assert len(subjects) == 4, subjects
        assert subjects[-1].endswith(": revoked") and "Xolmatov Rustam" in subjects[-1]
    assert Notification.objects.filter(recipient=country.users["journalist"], body="Filmed inside the voting booth").exists()
    assert not Notification.objects.filter(recipient=media.other_editor).exists()  # not their outlet
    actions = set(
        AuditEvent.objects.filter(object_type="media_accreditation.mediaaccreditation").values_list("action", flat=True)
    )
    assert actions >= {
        "media_accreditation.accreditation.create",
        "media_accreditation.mediaaccreditation.submit",
        "media_accreditation.mediaaccreditation.approve",
        "media_accreditation.mediaaccreditation.revoke",
    }
    assert [c.transition for c in a.status_history()] == ["submit", "start_review", "approve", "revoke"]


def test_approval_issues_the_press_card_and_revocation_revokes_it_at_once(country, media):
    a = apply(media, scope="region", region=country.regions["A"])
    assert credentials.credential_for(a) is None
    approve(country, a)
    a.refresh_from_db()
    assert a.valid_until == media.election.election_day + timedelta(days=10)
    card = credentials.credential_for(a)
    assert card.kind == Credential.Kind.PRESS_CARD and card.number.startswith("PC-")
    assert (card.holder_name, card.organisation) == ("Xolmatov Rustam Akmalovich", "Oʻzbekiston 24")
    assert card.scope_text == "one region: Viloyat A" and card.valid_until == a.valid_until
    assert card.election == media.election and card.photo
    with pytest.raises(ValidationError) as err:  # a reason is required
        services.accreditation_transition(actor=country.users["cec"], accreditation=a, name="revoke", reason=" ")
    assert "reason" in err.value.error_dict
    assert credentials.credential_status(Credential.objects.get(pk=card.pk)) == "valid"
    services.accreditation_transition(
        actor=country.users["cec"], accreditation=a, name="revoke", reason="Press card lent to another person"
    )
    card.refresh_from_db()
    assert credentials.credential_status(card) == "revoked"
    assert card.revoked_reason == "Press card lent to another person"
    assert credentials.credential_for(a) is None


def test_approval_after_election_day_is_refused_and_issues_no_card(country, media, django_capture_on_commit_callbacks):
    a = apply(media)
    services.accreditation_transition(actor=country.users["cec"], accreditation=a, name="start_review")
    media.election.election_day = timezone.localdate() - timedelta(days=1)  # the application waited too long
    media.election.save()
    events, notes = AuditEvent.objects.count(), Notification.objects.count()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as err:
        approve(country, a)
    assert err.value.code == "election_over"
    assert "election day" in err.value.message and "has passed" in err.value.message
    a.refresh_from_db()
    assert a.status == "under_review" and a.valid_until is None
    assert credentials.credential_for(a) is None and not Credential.objects.exists()
    assert (AuditEvent.objects.count(), Notification.objects.count()) == (events, notes)
    # the press service closes it with a refusal instead
    services.accreditation_transition(actor=country.users["cec"], accreditation=a, name="reject", reason="The election is over")
    a.refresh_from_db()
    assert a.status == "rejected" and not Credential.objects.exists()


def test_approval_on_election_day_still_issues_the_card(country, media):
    a = apply(media)
    media.election.election_day = timezone.localdate()
    media.election.save()
    approve(country, a)
    a.refresh_from_db()
    assert a.status == "approved" and a.valid_until == timezone.localdate() + timedelta(days=10)
    assert credentials.credential_for(a).valid_until == a.valid_until


@pytest.mark.parametrize("role", ["region", "district", "precinct", "editor", "journalist"])
def test_only_the_cec_press_service_decides(country, media, role):
    a = apply(media)
    for name in ("start_review", "approve", "reject"):
        with pytest.raises(PermissionDenied):
            services.accreditation_transition(actor=country.users[role], accreditation=a, name=name, reason="no")
    a.refresh_from_db()
    assert a.status == "submitted" and not Credential.objects.exists()


def test_rejection_needs_a_reason_and_allows_a_new_application(country, media):
    a = apply(media)
    with pytest.raises(ValidationError):
        services.accreditation_transition(actor=country.users["cec"], accreditation=a, name="reject")
    services.accreditation_transition(
        actor=country.users["cec"], accreditation=a, name="reject", reason="The photo is not of the journalist"
    )
    again = apply(media)
    assert again.status == "submitted" and again.pk != a.pk


def test_duplicate_application_for_the_same_election_is_refused(country, media):
    apply(media)
    with pytest.raises(ValidationError) as err:
        apply(media, scope="press_centre")
    assert _codes(err, "journalist") == ["duplicate"]
    assert "already has an application or accreditation for this election (submitted)" in err.value.messages[0]
    assert MediaAccreditation.objects.count() == 1


def test_deadline_from_the_calendar_is_named_and_changes_nothing(country, media):
    Deadline.objects.create(election=media.election, key="accreditation_closes", due=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError) as err:
        apply(media)
    assert err.value.code == "deadline_passed"
    assert "Observer and media accreditation closes" in err.value.message
    assert not MediaAccreditation.objects.exists()


def test_deadline_without_a_calendar_is_ten_days_before_election_day(country, media):
    media.election.election_day = timezone.localdate() + timedelta(days=9)
    media.election.save()
    with pytest.raises(ValidationError) as err:
        apply(media)
    assert err.value.code == "deadline_passed" and "Observer and media accreditation closes" in err.value.message
    assert not MediaAccreditation.objects.exists()
    media.election.election_day = timezone.localdate() + timedelta(days=11)
    media.election.save()
    assert apply(media).status == "submitted"


def test_the_rule_moves_the_deadline(country, media):
    media.election.rules = {"accreditation_days_before": 61}  # the election is in 60 days
    media.election.save()
    with pytest.raises(ValidationError):
        apply(media)


def test_scope_rules(country, media):
    with pytest.raises(ValidationError) as err:
        apply(media, scope="region")
    assert _codes(err, "region") == ["region_required"]
    a = apply(media, scope="press_centre", region=country.regions["A"])  # a region is ignored outside its scope
    assert a.region is None


def test_editor_cannot_apply_for_another_outlets_journalist(country, media):
    with pytest.raises(PermissionDenied):
        apply(media, journalist=media.other_journalist, actor=country.users["editor"])
    assert not MediaAccreditation.objects.exists()


def test_inactive_election_is_refused(country, media):
    media.election.is_active = False
    media.election.save()
    with pytest.raises(ValidationError) as err:
        apply(media)
    assert _codes(err, "election") == ["election_inactive"]


def test_withdrawn_application_can_be_made_again(country, media):
    a = apply(media)
    services.accreditation_transition(actor=country.users["editor"], accreditation=a, name="withdraw")
    assert apply(media).status == "submitted"


def test_editor_resubmits_after_return_for_correction(country, media):
    a = apply(media)
    services.accreditation_transition(actor=country.users["cec"], accreditation=a, name="return", reason="Choose one region")
    services.accreditation_transition(actor=country.users["editor"], accreditation=a, name="submit")
    a.refresh_from_db()
    assert a.status == "submitted"


def test_admin_change_of_a_journalist_is_audited_and_identity_is_read_only(clients, country, media):

    j = media.journalist
    url = reverse("admin:media_accreditation_journalist_change", args=[j.pk])
    assert clients["admin"].get(url).status_code == 200
    response = clients["admin"].post(
        url,
        {
            "outlet": media.own.pk,
            "user": "",
            "surname": "Smith2=",
            "given_name": "X",
            "patronymic": "",
            "position": "editor-at-large",
            "country": "GB",
            "pinfl": "1",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    j.refresh_from_db()
    assert j.position == "editor-at-large"
    # who the journalist is stays as the voter list says: PINFL, names and country are not editable
    assert (j.pinfl, j.surname, j.given_name, j.country) == (media.voter.pinfl, media.voter.surname, media.voter.given_name, "")
    event = AuditEvent.objects.get(action="admin.media_accreditation.journalist.change")
    assert event.before["position"] == "correspondent" and event.after["position"] == "editor-at-large"
    assert clients["admin"].get(reverse("admin:media_accreditation_journalist_add")).status_code == 403
