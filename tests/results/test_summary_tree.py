"""Every summary protocol of a contest at once (``selectors.summary_tree``): each level from the one below, the
same figures, counts and disputes as ``selectors.summary`` of that area."""

import pytest

from results import selectors, services
from tests import factories as f
from tests.results.conftest import figures

pytestmark = pytest.mark.django_db


def enter_twice(contest, precinct, members, **change):
    for member in members:
        services.protocol_entry_submit(
            actor=member, constituency=contest["constituency"], precinct=precinct, figures=figures(contest, **change)
        )


@pytest.fixture
def counted(country, contest):
    """A1-1 accepted and verified; A1-2 accepted with a correction open; B1-1 entered twice but mismatched."""
    a12, b11 = country.precincts["A1-2"], country.precincts["B1-1"]
    for i in range(20):
        f.make_voter(a12, surname=f"A12-{i}")
        f.make_voter(b11, surname=f"B11-{i}")
    enter_twice(contest, contest["precinct"], contest["members"])
    a12_members = [f.precinct_official(a12, f"a12-{i}")[0] for i in (1, 2)]
    enter_twice(contest, a12, a12_members, invalid=2, valid=13, **{f"votes:n{contest['candidates'][0].pk}": 8})
    b11_members = [f.precinct_official(b11, f"b11-{i}")[0] for i in (1, 2)]
    services.protocol_entry_submit(
        actor=b11_members[0], constituency=contest["constituency"], precinct=b11, figures=figures(contest)
    )
    services.protocol_entry_submit(
        actor=b11_members[1],
        constituency=contest["constituency"],
        precinct=b11,
        figures=figures(contest, ballots_lost=1, cancelled_unused=4),
    )
    protocols = {p.precinct_id: p for p in contest["constituency"].protocols.all()}
    services.protocol_transition(actor=country.users["district"], protocol=protocols[contest["precinct"].pk], name="verify")
    services.protocol_correction_open(
        actor=country.users["district"], protocol=protocols[a12.pk], figures=figures(contest), reason="A typing error"
    )
    return contest


def same(tree_part, flat) -> None:
    assert tree_part.figures == flat.figures
    assert (tree_part.expected, tree_part.accepted, tree_part.disputed) == (flat.expected, flat.accepted, flat.disputed)
    assert tree_part.by_status == flat.by_status


def test_every_level_equals_the_summary_of_its_area(country, counted):
    constituency = counted["constituency"]
    tree = selectors.summary_tree(constituency)
    same(tree.country, selectors.summary(constituency))
    for name in ("A", "B"):
        same(tree.regions[country.regions[name].pk], selectors.summary(constituency, region=country.regions[name]))
    for name in ("A1", "B1"):
        same(tree.districts[country.districts[name].pk], selectors.summary(constituency, district=country.districts[name]))
    a1 = tree.districts[country.districts["A1"].pk]
    assert (a1.expected, a1.accepted, a1.disputed) == (2, 2, 1)  # the open correction
    b1 = tree.districts[country.districts["B1"].pk]
    assert (b1.accepted, b1.disputed, b1.figures) == (0, 1, {})  # the mismatch: nothing summed
    assert tree.country.figures["found_in_boxes"] == 30 and tree.country.figures["invalid"] == 3
    assert tree.country.by_status["verified"] == 1 and tree.country.by_status["entered"] == 1


def test_published_only_counts_nothing_unpublished(country, counted):
    tree = selectors.summary_tree(counted["constituency"], published_only=True)
    assert tree.country.figures == {} and tree.country.accepted == 0
    assert tree.country.expected == 3
