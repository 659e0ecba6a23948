"""The one role-conflict rule (``elections.eligibility``): in one election a person is at most one of candidate,
commission member and accredited observer; whichever comes first, the later is refused with ``role_conflict``.
Election rules may add a registered role (``journalist``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from candidates import services as candidate_services
from elections import services as election_services
from elections.eligibility import Person, registered_roles, roles_held
from elections.models import CommissionMember
from media_accreditation import services as media_services
from media_accreditation.models import MediaAccreditation
from observers import services as observer_services
from observers.models import ObserverAccreditation
from tests import factories as f
from tests.media_accreditation.helpers import build_media
from tests.observers.helpers import apply, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(country):
    """An observer (``setup.observer``, the person of ``setup.voters[0]``) and a party that may nominate them."""
    setup = build(country)
    party = candidate_services.party_register(actor=country.users["cec"], registration_number="77", name_uz="Partiya")
    constituency = f.ConstituencyFactory(election=setup.election, number=1, name_uz="1")
    return setup, party, constituency


def nominate(country, world, voter):
    setup, party, constituency = world
    return candidate_services.nomination_create(
        actor=country.users["cec"],
        party=party,
        election=setup.election,
        constituency=constituency,
        pinfl=voter.pinfl,
        surname=voter.surname,
        given_name=voter.given_name,
    )


def seat(country, user, precinct="B1-1"):
    commission = f.commission_for(level="precinct", precinct=country.precincts[precinct])
    return election_services.commission_member_add(actor=country.users["cec"], commission=commission, user=user)


def refusal(exc_info, field) -> tuple[str, str]:
    error = exc_info.value.error_dict[field][0]
    return error.code, " ".join(error.messages)


def official_of(voter, username="member1"):
    """An official whose account records ``voter``'s PINFL (the same person)."""
    return f.UserFactory(username=username, role="commission_staff", pinfl=voter.pinfl)


def test_the_default_roles_are_registered_by_their_apps():
    assert {"candidate", "commission_member", "observer", "journalist"} <= set(registered_roles())


# --------------------------------------------------------------------------- every order of two roles


def test_observer_first_then_nomination_is_refused(country, world):
    setup = world[0]
    apply(country, setup)
    with pytest.raises(ValidationError) as exc:
        nominate(country, world, setup.voters[0])
    code, message = refusal(exc, "pinfl")
    assert code == "role_conflict" and "an observer" in message and "a candidate" in message


def test_nomination_first_then_observer_is_refused(country, world):
    setup = world[0]
    nominate(country, world, setup.voters[0])
    with pytest.raises(ValidationError) as exc:
        apply(country, setup)
    assert refusal(exc, "observer")[0] == "role_conflict"
    assert not ObserverAccreditation.objects.exists()


def test_nomination_first_then_commission_seat_is_refused(country, world):
    setup = world[0]
    nominate(country, world, setup.voters[0])
    member = official_of(setup.voters[0])
    with pytest.raises(ValidationError) as exc:
        seat(country, member)
    code, message = refusal(exc, "user")
    assert code == "role_conflict" and "a candidate" in message
    assert not CommissionMember.objects.filter(user=member).exists()


def test_commission_seat_first_then_nomination_is_refused(country, world):
    setup = world[0]
    seat(country, official_of(setup.voters[0]))
    with pytest.raises(ValidationError) as exc:
        nominate(country, world, setup.voters[0])
    assert refusal(exc, "pinfl")[0] == "role_conflict"


def test_observer_first_then_commission_seat_is_refused(country, world):
    """The observer registered online: their account ties them to the seat even without a PINFL on it."""
    setup = world[0]
    apply(country, setup)
    with pytest.raises(ValidationError) as exc:
        seat(country, setup.observer.user)
    assert refusal(exc, "user")[0] == "role_conflict"
    with pytest.raises(ValidationError):  # and by PINFL, through another account of the same person
        seat(country, official_of(setup.voters[0], "member2"))


def test_commission_seat_first_then_observer_is_refused(country, world):
    setup = world[0]
    seat(country, official_of(setup.voters[0]))
    with pytest.raises(ValidationError) as exc:
        apply(country, setup)
    assert refusal(exc, "observer")[0] == "role_conflict"


def test_a_role_taken_in_between_is_refused_when_the_nomination_moves_on(country, world):
    """A nomination made while the person held nothing is stopped at submission if they have become an observer
    meanwhile by a path that did not see the nomination (here: the accreditation row written directly)."""
    setup = world[0]
    nomination = nominate(country, world, setup.voters[0])
    accreditation = ObserverAccreditation.objects.create(
        observer=setup.observer, organization=setup.own, election=setup.election, status="approved"
    )
    with pytest.raises(ValidationError) as exc:
        candidate_services.nomination_transition(actor=country.users["cec"], nomination=nomination, name="submit")
    assert refusal(exc, "pinfl")[0] == "role_conflict"
    accreditation.delete()


# --------------------------------------------------------------------------- what no longer counts


def test_a_role_given_up_no_longer_stands_in_the_way(country, world):
    setup = world[0]
    nomination = nominate(country, world, setup.voters[0])
    type(nomination).objects.filter(pk=nomination.pk).update(status="withdrawn")
    assert apply(country, setup).status == "submitted"
    assert roles_held(Person(pinfl=setup.voters[0].pinfl), setup.election) == ["observer"]


def test_roles_in_another_election_do_not_conflict(country, world):
    setup = world[0]
    other = f.ElectionFactory(name_uz="Boshqa saylov")
    ObserverAccreditation.objects.create(observer=setup.observer, organization=setup.own, election=other, status="approved")
    assert nominate(country, world, setup.voters[0]).status == "draft"


# --------------------------------------------------------------------------- rules as data add roles


def test_an_election_rule_adds_the_journalist_role(country):
    media = build_media(country)
    world_setup = build(country)
    # the journalist of ``media`` registers as an observer too (the same PINFL)
    observer = observer_services.observer_register(
        actor=country.users["coordinator"],
        organization=world_setup.own,
        pinfl=media.voter.pinfl,
        surname=media.voter.surname,
        given_name=media.voter.given_name,
    )
    apply(country, world_setup, observer=observer)
    # by default a journalist is not an exclusive role: the application goes through
    accreditation = media_services.accreditation_apply(
        actor=country.users["editor"], journalist=media.journalist, election=media.election, scope="all_precincts"
    )
    assert accreditation.status == "submitted"
    accreditation.delete()
    election = media.election
    election.rules = {**election.rules, "exclusive_roles": ["candidate", "commission_member", "observer", "journalist"]}
    election.save()
    with pytest.raises(ValidationError) as exc:
        media_services.accreditation_apply(
            actor=country.users["editor"], journalist=media.journalist, election=election, scope="all_precincts"
        )
    code, message = refusal(exc, "journalist")
    assert code == "role_conflict" and "an observer" in message
    assert not MediaAccreditation.objects.filter(journalist=media.journalist).exists()
