"""Observers' copies of the protocol compared with the official one, and the anomaly flags of the queues."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from accounts.roles import Role
from results import selectors, services
from results.models import ProtocolVersion
from tests import factories as f
from tests.conftest import ROLES
from tests.factories import make_voter
from tests.observers.helpers import apply, approve, build, png
from tests.results.conftest import figures, on_the_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def observed(country, contest, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    setup = build(country)
    approve(country, apply(country, setup))
    return setup


def accept(contest, **change):
    for member in contest["members"]:
        services.protocol_entry_submit(
            actor=member, constituency=contest["constituency"], precinct=contest["precinct"], figures=figures(contest, **change)
        )
    return contest["constituency"].protocols.get()


def submit_copy(country, contest, **change):
    return services.observer_copy_submit(
        actor=country.users["observer"],
        constituency=contest["constituency"],
        precinct=contest["precinct"],
        figures=figures(contest, **change),
        photo=png(),
    )


def test_a_differing_copy_is_seen_by_the_district_and_the_organisation(country, contest, observed):
    accept(contest)
    a = f"votes:n{contest['candidates'][0].pk}"
    copy = submit_copy(country, contest, **{a: 7})
    [difference] = selectors.copy_differences(copy)
    assert (difference.line, difference.copy, difference.official) == (a, 7, 9)
    for name in ("district", "coordinator", "observer", "cec"):
        assert copy in selectors.copies_for(country.users[name]), name
    for user in (observed.other_coordinator, country.users["party"], country.users["journalist"]):
        assert copy not in selectors.copies_for(user)
    flags = selectors.flags_for(country.users["district"], contest["election"])
    assert [x.kind for x in flags] == ["copy_differs"]
    assert "7 / 9" in flags[0].detail
    assert selectors.flags_for(country.users["precinct"], contest["election"])[0].kind == "copy_differs"


def test_an_identical_copy_raises_no_flag(country, contest, observed):
    accept(contest)
    copy = submit_copy(country, contest)
    assert selectors.copy_differences(copy) == []
    assert selectors.flags_for(country.users["district"], contest["election"]) == []


def test_only_an_accredited_observer_submits_a_copy(country, contest, observed):
    with pytest.raises(PermissionDenied):
        services.observer_copy_submit(
            actor=country.users["observer"],
            constituency=contest["constituency"],
            precinct=country.precincts["A1-2"],
            figures=figures(contest),
            photo=png(),
        )
    for name in ("journalist", "district", "coordinator"):
        with pytest.raises(PermissionDenied):
            services.observer_copy_submit(
                actor=country.users[name],
                constituency=contest["constituency"],
                precinct=contest["precinct"],
                figures=figures(contest),
                photo=png(),
            )


def test_turnout_jump_is_flagged(country, contest):
    election = contest["election"]
    for at, voted in ((time(10), 2), (time(13), 12)):  # 10 of 20 voters in three hours: +50%
        services.turnout_report_enter(
            actor=contest["members"][0],
            election=election,
            precinct=contest["precinct"],
            at=at,
            voted_station=voted,
            now=on_the_day(election, at.strftime("%H:%M")),
        )
    [flag] = selectors.flags_for(country.users["district"], election)
    assert flag.kind == "turnout_jump" and "+50%" in flag.detail
    election.rules = {"turnout_jump_share": 0.6}
    assert selectors.flags_for(country.users["district"], election) == []


def test_identical_protocols_and_late_entry_are_flagged(country, contest):
    protocol = accept(contest)
    other = country.precincts["A1-2"]
    for i in range(20):
        make_voter(other, surname=f"Other{i}")
    for name in ("p2a", "p2b"):
        user = f.UserFactory(username=name, role=Role.COMMISSION_STAFF)
        f.add_member(user, f.commission_for(level="precinct", precinct=other))
        services.protocol_entry_submit(actor=user, constituency=contest["constituency"], precinct=other, figures=figures(contest))
    # the election day lies ahead: nothing is late yet
    assert [x.kind for x in selectors.flags_for(country.users["district"], contest["election"])] == ["identical_figures"]
    election = contest["election"]
    election.election_day = protocol.current.created_at.date() - timedelta(days=2)
    kinds = [x.kind for x in selectors.flags_for(country.users["district"], election)]
    assert kinds.count("late_protocol") == 2
    assert ProtocolVersion.objects.count() == 2


@pytest.mark.parametrize("role", ROLES)
def test_copies_page_per_role(clients, country, contest, observed, role):
    response = clients[role].get("/results/copies/")
    if role in ("admin", "cec", "region", "district", "precinct", "observer", "coordinator"):
        assert response.status_code == 200
    elif role == "anon":
        assert response.status_code == 302
    else:
        assert response.status_code == 403


def test_observer_submits_a_copy_on_the_page_and_the_district_sees_the_flag(clients, country, contest, observed):
    page = clients["observer"].get("/results/copies/").content.decode()
    url = f"/results/copies/new/{contest['constituency'].pk}/{contest['precinct'].pk}/"
    assert url in page
    assert clients["journalist"].get(url).status_code == 403
    response = clients["observer"].post(url, {**figures(contest, **{f"votes:n{contest['candidates'][0].pk}": 7}), "photo": png()})
    assert response.status_code == 302
    accept(contest)
    home = clients["district"].get("/results/").content.decode()
    assert 'data-flag="copy_differs"' in home, home[home.find("<main") :][:3000]
    assert "copy 7, official 9" in clients["coordinator"].get("/results/copies/").content.decode()
