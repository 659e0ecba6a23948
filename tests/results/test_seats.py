"""Winners and seats from certified protocols, by the election's rules, with the lot's seed stored."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from results import selectors, services
from tests.results.conftest import figures

pytestmark = pytest.mark.django_db


def certify(country, contest, constituency, change):
    for member in contest["members"]:
        services.protocol_entry_submit(actor=member, constituency=constituency, precinct=contest["precinct"], figures=change)
    protocol = constituency.protocols.get()
    services.protocol_transition(actor=country.users["district"], protocol=protocol, name="verify")
    services.protocol_transition(actor=country.users["cec"], protocol=protocol, name="certify")
    return protocol


def list_figures(contest, parties, votes):
    base = {k: v for k, v in figures(contest).items() if not k.startswith("votes:")}
    base.update({f"votes:p{p.pk}": n for p, n in zip(parties, votes, strict=True)})
    return base


def test_list_seats_with_threshold_and_order(country, contest, national):
    constituency, parties = national
    # 15 took part; 7% is 1.05 votes: the party with 1 vote does not pass
    certify(country, contest, constituency, list_figures(contest, parties, [9, 4, 1]))
    calc = services.seats_calculate(actor=country.users["cec"], constituency=constituency)
    sheet = calc.sheet
    a, b, c = (f"p{p.pk}" for p in parties)
    assert sheet["passing"] == [a, b]
    # Hare among the passing: 13 votes, 3 seats, quota 13/3: 9 -> 2 whole, 4 -> 0 whole + the largest remainder
    assert sheet["allocation"]["seats"] == {a: 2, b: 1}
    assert sheet["allocation"]["quota"]["exact"] == "13/3"
    assert [e["position"] for e in sheet["elected"][a]] == [1, 2]  # down the list in order
    assert calc.seed and calc.outcome == "allocated" and calc.published_at is None
    assert selectors.seat_calculation(constituency) is None  # unpublished: not public
    services.seats_publish(actor=country.users["cec"], calculation=calc)
    assert selectors.seat_calculation(constituency) == calc


def test_only_one_party_passes_and_the_runner_up_joins(country, contest, national):
    constituency, parties = national
    contest["election"].rules = {"list_threshold_share": 0.5}
    contest["election"].save()
    certify(country, contest, constituency, list_figures(contest, parties, [12, 1, 1]))
    calc = services.seats_calculate(actor=country.users["cec"], constituency=constituency)
    a, b, c = (f"p{p.pk}" for p in parties)
    assert sorted(calc.sheet["passing"]) == sorted([a, b, c])  # b and c tie for the next place: both join
    assert sum(calc.sheet["allocation"]["seats"].values()) == 3


def test_refused_until_every_protocol_is_certified(country, contest):
    with pytest.raises(ValidationError) as exc:
        services.seats_calculate(actor=country.users["cec"], constituency=contest["constituency"])
    assert exc.value.code == "protocols_missing"
    with pytest.raises(PermissionDenied):
        services.seats_calculate(actor=country.users["district"], constituency=contest["constituency"])


def test_single_mandate_elected_or_repeat_vote(country, contest):
    constituency = contest["constituency"]
    constituency.precincts.set([contest["precinct"]])
    certify(country, contest, constituency, figures(contest))  # 9 of 15 who took part: more than half
    calc = services.seats_calculate(actor=country.users["cec"], constituency=constituency)
    assert (calc.outcome, calc.sheet["winner"]) == ("elected", f"n{contest['candidates'][0].pk}")
    contest["election"].rules = {"majority_share": 0.75}
    contest["election"].save()
    constituency.refresh_from_db()
    repeat = services.seats_calculate(actor=country.users["cec"], constituency=constituency)
    assert repeat.outcome == "repeat_vote" and len(repeat.sheet["runoff"]) == 2


def test_invalid_below_the_turnout_threshold(country, contest):
    constituency = contest["constituency"]
    constituency.precincts.set([contest["precinct"]])
    contest["election"].rules = {"turnout_validity_share": 0.8}  # 15 of 20 is 75%
    contest["election"].save()
    certify(country, contest, constituency, figures(contest))
    constituency.refresh_from_db()
    assert services.seats_calculate(actor=country.users["cec"], constituency=constituency).outcome == "invalid"


def test_the_calculation_sheet_pages(clients, country, contest, national):
    constituency, parties = national
    certify(country, contest, constituency, list_figures(contest, parties, [9, 4, 1]))
    official = f"/results/seats/{constituency.pk}/"
    public = f"/public/seats/{constituency.pk}/"
    assert clients["district"].post(official, {"action": "calculate"}).status_code == 403
    assert not constituency.seat_calculations.exists()
    clients["cec"].post(official, {"action": "calculate"})
    assert clients["anon"].get(public).status_code == 404  # not published yet
    clients["cec"].post(official, {"action": "publish"})
    page = clients["anon"].get(public).content.decode()
    assert "Roʻyxat 0" in page and "below the threshold" in page and "13/3" in page
    assert "L0-1" in page and "L0-2" in page and "L0-3" not in page  # two seats: positions 1 and 2
    assert clients["observer"].get(official).status_code == 403
