"""A user's PINFL, set in the admin (it binds a journalist's account to one person), follows the one PINFL
rule: a mistyped one is refused on its field and nothing is saved."""

from datetime import date

import pytest

from core.pinfl import make_pinfl

pytestmark = pytest.mark.django_db


def _post(clients, user, pinfl):
    url = f"/admin/accounts/user/{user.pk}/change/"
    form = clients["admin"].get(url).context["adminform"].form
    data = {
        k: getattr(v, "pk", v)
        for k, v in form.initial.items()
        if v not in (None, False) and k not in ("groups", "user_permissions", "password", "last_login", "date_joined")
    }
    data.update({"pinfl": pinfl, "date_joined_0": "2026-01-01", "date_joined_1": "00:00:00"})
    return clients["admin"].post(url, data)


@pytest.mark.parametrize("pinfl", ["12 34", "1234567890123x", "12345678901234"])
def test_a_bad_pinfl_is_refused(clients, country, pinfl):
    user = country.users["journalist"]
    response = _post(clients, user, pinfl)
    assert response.status_code == 200 and response.context["adminform"].form.errors["pinfl"]
    user.refresh_from_db()
    assert user.pinfl == ""


def test_a_valid_pinfl_is_saved(clients, country):

    user, pinfl = country.users["journalist"], make_pinfl(date(1988, 2, 11), "M", 26, 1)
    assert _post(clients, user, pinfl).status_code == 302
    user.refresh_from_db()
    assert user.pinfl == pinfl
