"""Each control relation of the protocol, broken on its own, is reported with its two sides and the difference."""

import pytest

from results.protocol import DEFAULT_RELATIONS, check_relations, on_list, took_part, validate_relations, vote_line

GOOD = {
    "voters_on_list": 1_000,
    "voters_added": 10,
    "ballots_received": 1_000,
    "issued_station": 600,
    "issued_early": 30,
    "issued_home": 20,
    "cancelled_unused": 348,
    "ballots_lost": 2,
    "found_in_boxes": 650,
    "invalid": 10,
    "valid": 640,
    vote_line("a"): 400,
    vote_line("b"): 240,
}


def test_a_consistent_protocol_breaks_nothing():
    assert check_relations(GOOD) == []
    assert took_part(GOOD) == 650
    assert on_list(GOOD) == 1_010


@pytest.mark.parametrize(
    ("change", "key", "left", "right"),
    [
        ({"cancelled_unused": 350}, "ballots_balance", 1_000, 1_002),
        ({"invalid": 11, "cancelled_unused": 348}, "boxes_are_valid_and_invalid", 650, 651),
        ({vote_line("b"): 241}, "valid_are_the_votes", 640, 641),
        # more found than issued: the found/valid/votes chain stays consistent, only this relation breaks
        ({"found_in_boxes": 660, "valid": 650, vote_line("b"): 250}, "found_within_issued", 660, 650),
        # more issued than on the list: received and cancelled moved with it so that only this one breaks
        (
            {"voters_on_list": 600, "voters_added": 0, "issued_station": 600, "ballots_received": 1_000},
            "voted_within_list",
            650,
            600,
        ),
    ],
)
def test_each_relation_broken_on_its_own(change, key, left, right):
    breaches = check_relations({**GOOD, **change})
    assert [(b.key, b.left, b.right, b.difference) for b in breaches] == [(key, left, right, left - right)]
    assert breaches[0].label  # a sentence for the official, not only a code


def test_relations_are_data():
    only_votes = [r for r in DEFAULT_RELATIONS if r["key"] == "valid_are_the_votes"]
    assert check_relations({**GOOD, "cancelled_unused": 0}, only_votes) == []
    custom = [{"key": "mine", "label": "Lost ballots are none", "left": ["ballots_lost"], "op": "=", "right": []}]
    [breach] = check_relations(GOOD, custom)
    assert (breach.label, breach.difference) == ("Lost ballots are none", 2)


def test_relations_kept_as_data_are_checked():
    assert validate_relations(DEFAULT_RELATIONS) == []
    assert validate_relations([{"key": "x", "left": ["ballots"], "op": "==", "right": []}]) == [
        "x: unknown operator '=='",
        "x: unknown line 'ballots'",
    ]
