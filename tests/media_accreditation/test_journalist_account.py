"""A journalist's account belongs to one person: an editor cannot link another person's account (another
outlet's journalist, or an account whose recorded PINFL is someone else's) to a journalist of their outlet,
which would hand that account a press card naming someone else."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from media_accreditation import services
from media_accreditation.models import Journalist
from tests import factories as f
from tests.factories import make_voter
from tests.media_accreditation.helpers import photo

pytestmark = pytest.mark.django_db


def _add(country, media, voter, username, editor="editor"):
    actor = country.users[editor] if editor == "editor" else media.other_editor
    outlet = media.own if editor == "editor" else media.other
    return services.journalist_add(
        actor=actor,
        outlet=outlet,
        pinfl=voter.pinfl,
        surname=voter.surname,
        given_name=voter.given_name,
        photo=photo(),
        username=username,
    )


def test_an_account_linked_to_one_person_is_not_linked_to_another(country, media):
    stranger = make_voter(country.precincts["A1-2"], surname="Karimov", given_name="Jasur", birth_date=date(1990, 1, 2))
    with pytest.raises(ValidationError) as err:  # "journalist" is Xolmatov's account (media.journalist)
        _add(country, media, stranger, "journalist", editor="editor2")
    assert err.value.error_dict["username"][0].code == "account_of_another"
    assert not Journalist.objects.filter(pinfl=stranger.pinfl).exists()
    # the same person at another outlet keeps the same account
    again = _add(country, media, media.voter, "journalist", editor="editor2")
    assert again.user == media.journalist.user


def test_an_account_whose_pinfl_is_someone_elses_is_refused(country, media):

    account = f.UserFactory(username="reporter", role="journalist", pinfl=media.voter.pinfl)
    stranger = make_voter(country.precincts["A1-2"], surname="Karimov", given_name="Jasur", birth_date=date(1990, 1, 2))
    with pytest.raises(ValidationError) as err:
        _add(country, media, stranger, "reporter")
    assert err.value.error_dict["username"][0].code == "account_of_another"
    assert _add(country, media, media.voter, "reporter", editor="editor2").user == account  # the PINFL matches
