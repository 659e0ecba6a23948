"""Seat allocation on published cases.

* Wikipedia, "Largest remainder method", example of 10 seats among Yellows 47,000, Whites 16,000,
  Reds 15,800, Greens 12,000, Blues 6,100, Pinks 3,100 (Hare quota 10,000): 5, 2, 1, 1, 1, 0; the same
  article's table gives D'Hondt 5, 2, 2, 1, 0, 0 and Sainte-Laguë 4, 2, 2, 1, 1, 0.
* Wikipedia, "D'Hondt method": 8 seats among A 100,000, B 80,000, C 30,000, D 20,000 gives 4, 3, 1, 0;
  "Sainte-Laguë method", the same votes: 3, 3, 1, 1.
* Uzbekistan's Electoral Code, for the party lists of the Legislative Chamber: list seats go to parties with at
  least 7% of the voters who took part; when only one passes, the next party takes part too.
"""

from fractions import Fraction

import pytest

from results.allocation import (
    AllocationError,
    allocate,
    allocate_seats,
    election_valid,
    parties_passing,
    single_mandate_outcome,
)

COLOURS = {"yellows": 47_000, "whites": 16_000, "reds": 15_800, "greens": 12_000, "blues": 6_100, "pinks": 3_100}
LETTERS = {"A": 100_000, "B": 80_000, "C": 30_000, "D": 20_000}


@pytest.mark.parametrize(
    ("votes", "seats", "method", "expected"),
    [
        (COLOURS, 10, "hare", {"yellows": 5, "whites": 2, "reds": 1, "greens": 1, "blues": 1, "pinks": 0}),
        (COLOURS, 10, "dhondt", {"yellows": 5, "whites": 2, "reds": 2, "greens": 1, "blues": 0, "pinks": 0}),
        (COLOURS, 10, "sainte_lague", {"yellows": 4, "whites": 2, "reds": 2, "greens": 1, "blues": 1, "pinks": 0}),
        (LETTERS, 8, "dhondt", {"A": 4, "B": 3, "C": 1, "D": 0}),
        (LETTERS, 8, "sainte_lague", {"A": 3, "B": 3, "C": 1, "D": 1}),
    ],
)
def test_published_cases(votes, seats, method, expected):
    assert allocate_seats(votes, seats, method) == expected
    assert sum(expected.values()) == seats


def test_hare_sheet_shows_quota_whole_seats_and_remainders():
    sheet = allocate(COLOURS, 10, "hare")
    assert sheet.quota == 10_000
    assert sheet.whole == {"yellows": 4, "whites": 1, "reds": 1, "greens": 1, "blues": 0, "pinks": 0}
    assert sheet.remainders["blues"] == Fraction(61, 100)
    # three seats left after the whole quotas, to the three largest remainders, in that order
    assert [(a.key, a.value) for a in sheet.awards] == [
        ("yellows", Fraction(7, 10)),
        ("blues", Fraction(61, 100)),
        ("whites", Fraction(6, 10)),
    ]
    assert not sheet.by_lot


def test_exact_arithmetic_never_confuses_close_remainders():
    # 1/3 of the quota each way: float division would make these remainders differ in the last bit
    votes = {"a": 1_000_001, "b": 999_999, "c": 1_000_000}
    assert allocate_seats(votes, 4, "hare") == {"a": 2, "b": 1, "c": 1}


def test_highest_averages_divisors_are_recorded():
    assert allocate(LETTERS, 4, "dhondt").divisors == (1, 2, 3, 4)
    assert allocate(LETTERS, 4, "sainte_lague").divisors == (1, 3, 5, 7)


@pytest.mark.parametrize("method", ["hare", "dhondt", "sainte_lague"])
def test_a_tie_for_the_last_seat_goes_by_the_recorded_lot(method):
    votes = {"a": 10, "b": 10, "c": 10}
    with pytest.raises(AllocationError, match="needs a lot"):
        allocate_seats(votes, 2, method)
    results = {tuple(sorted(allocate_seats(votes, 2, method, seed=s).items())) for s in range(20)}
    assert len(results) > 1  # the lot decides, not the order of the mapping
    for seed in range(5):
        forward = allocate_seats(votes, 2, method, seed=seed)
        backward = allocate_seats(dict(reversed(list(votes.items()))), 2, method, seed=seed)
        assert forward == backward
        assert sum(forward.values()) == 2 and max(forward.values()) == 1
        sheet = allocate(votes, 2, method, seed=seed)
        assert sheet.tied == ("a", "b", "c") and sheet.seed == seed


def test_no_lot_when_the_tie_is_not_at_the_cut():
    sheet = allocate({"a": 30, "b": 14, "c": 14}, 4, "dhondt")
    assert sheet.seats == {"a": 2, "b": 1, "c": 1}  # 30, 15, 14, 14 (then 10): both tied parties get a seat
    assert not sheet.by_lot and sheet.seed is None


@pytest.mark.parametrize(
    ("votes", "seats", "method", "message"),
    [
        ({"a": 1}, 0, "hare", "at least 1"),
        ({"a": 0, "b": 0}, 3, "hare", "no votes"),
        ({"a": -1, "b": 5}, 3, "dhondt", "'a'"),
        ({"a": 1}, 1, "imperiali", "unknown method"),
    ],
)
def test_bad_input_is_refused(votes, seats, method, message):
    with pytest.raises(AllocationError, match=message):
        allocate_seats(votes, seats, method)


def test_threshold_on_voters_who_took_part():
    votes = {"a": 500, "b": 300, "c": 70, "d": 69}
    # 1,000 took part (61 ballots were invalid): 7% is 70 votes, reached exactly by c
    assert parties_passing(votes, took_part=1_000, share=0.07) == ["a", "b", "c"]


def test_only_one_party_passes_then_the_next_takes_part():
    votes = {"a": 900, "b": 50, "c": 40}
    assert parties_passing(votes, took_part=1_000, share=0.07) == ["a", "b"]
    assert parties_passing(votes, took_part=1_000, share=0.07, runner_up_joins=False) == ["a"]


def test_validity_threshold_is_more_than_a_third():
    assert not election_valid(took_part=33, on_list=100, share=0.33)
    assert election_valid(took_part=34, on_list=100, share=0.33)
    assert not election_valid(took_part=0, on_list=0, share=0.33)


def test_single_mandate_majority_repeat_vote_and_invalid():
    elected = single_mandate_outcome({"a": 51, "b": 40}, took_part=100, on_list=200)
    assert (elected.kind, elected.winner) == ("elected", "a")
    # exactly half of those who took part is not more than half
    repeat = single_mandate_outcome({"a": 50, "b": 30, "c": 20}, took_part=100, on_list=200)
    assert (repeat.kind, repeat.runoff) == ("repeat_vote", ("a", "b"))
    assert single_mandate_outcome({"a": 50, "b": 30}, took_part=100, on_list=200, repeat_vote=False).kind == "no_winner"
    assert single_mandate_outcome({"a": 60, "b": 6}, took_part=66, on_list=200).kind == "invalid"


def test_single_mandate_tie_for_the_repeat_vote_goes_by_lot():
    votes = {"a": 40, "b": 30, "c": 30}
    outcome = single_mandate_outcome(votes, took_part=100, on_list=200, seed=7)
    assert outcome.runoff[0] == "a" and outcome.runoff[1] in {"b", "c"}
    assert outcome.tied == ("b", "c") and outcome.seed == 7
    with pytest.raises(AllocationError):
        single_mandate_outcome(votes, took_part=100, on_list=200)
