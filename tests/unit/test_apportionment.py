"""Seat apportionment: known cases checked by hand, ties, mixed weights, validation."""
from decimal import Decimal
from fractions import Fraction

import pytest

from pb.groups.apportionment import (
    METHODS,
    Apportionment,
    ApportionmentError,
    Row,
    Step,
    Tie,
    apportion,
    mixed_weights,
)

FOUR = {"A": 100000, "B": 80000, "C": 30000, "D": 20000}
SIX = {"A": 47000, "B": 16000, "C": 15800, "D": 12000, "E": 6100, "F": 3100}

# Nookat-like: 9 villages, registered voters (total 10 000) and contributions in
# thousand som (total 1 000). With voters_share 1/2 each weight is (v + 10c) / 20000.
NOOKAT_VOTERS = {
    "V1": 2500, "V2": 1800, "V3": 1500, "V4": 1200, "V5": 1000,
    "V6": 800, "V7": 600, "V8": 400, "V9": 200,
}
NOOKAT_CONTRIB = {
    "V1": 300, "V2": 150, "V3": 100, "V4": 150, "V5": 80,
    "V6": 60, "V7": 70, "V8": 50, "V9": 40,
}
NOOKAT_NUMERATORS = {
    "V1": 5500, "V2": 3300, "V3": 2500, "V4": 2700, "V5": 1800,
    "V6": 1400, "V7": 1300, "V8": 900, "V9": 600,
}


def _all_fractions(result: Apportionment) -> bool:
    values = [result.quota] if result.quota is not None else []
    for row in result.rows:
        values += [row.weight, row.share, row.exact]
        values += [v for v in (row.remainder,) if v is not None]
    values += [step.quotient for step in result.steps]
    values += [q for qs in result.table.values() for q in qs]
    return all(isinstance(v, Fraction) for v in values)


def test_dhondt_known_case_gives_3_3_1_0():
    result = apportion(7, FOUR, "dhondt")
    assert result.seats == {"A": 3, "B": 3, "C": 1, "D": 0}
    assert [s.key for s in result.steps] == ["A", "B", "A", "B", "A", "C", "B"]
    assert [s.divisor for s in result.steps] == [1, 1, 2, 2, 3, 1, 3]
    assert result.steps[6].quotient == Fraction(80000, 3)
    assert result.ties == ()
    assert result.quota is None


def test_sainte_lague_known_case_gives_3_2_1_1():
    result = apportion(7, FOUR, "sainte_lague")
    assert result.seats == {"A": 3, "B": 2, "C": 1, "D": 1}
    assert [s.divisor for s in result.steps] == [1, 1, 3, 1, 3, 5, 1]
    # A (100000/5) and D (20000/1) tie for seats 6 and 7, but both are seated:
    # not a tie that the list order had to decide.
    assert [s.key for s in result.steps][-2:] == ["A", "D"]
    assert result.ties == ()


def test_divisor_table_lists_quotients_one_beyond_seats():
    result = apportion(7, FOUR, "dhondt")
    assert result.table["A"] == (100000, 50000, Fraction(100000, 3), 25000)
    assert result.table["D"] == (20000,)
    sl = apportion(7, FOUR, "sainte_lague")
    assert sl.table["B"] == (80000, Fraction(80000, 3), 16000)
    assert all(len(sl.table[k]) == sl.seats[k] + 1 for k in FOUR)


def test_largest_remainder_known_case_hare():
    result = apportion(10, SIX, "largest_remainder")
    assert result.seats == {"A": 5, "B": 2, "C": 1, "D": 1, "E": 1, "F": 0}
    assert result.quota == 10000
    assert [r.automatic for r in result.rows] == [4, 1, 1, 1, 0, 0]
    assert [r.remainder for r in result.rows] == [
        Fraction(7, 10), Fraction(6, 10), Fraction(58, 100),
        Fraction(2, 10), Fraction(61, 100), Fraction(31, 100),
    ]
    # Extra seats by remainder: A .70, E .61, B .60 (C .58 misses out).
    assert result.steps == (
        Step(8, "A", None, Fraction(7, 10)),
        Step(9, "E", None, Fraction(61, 100)),
        Step(10, "B", None, Fraction(6, 10)),
    )
    assert result.table == {}
    assert result.ties == ()


def test_rows_keep_caller_order_and_exact_values():
    weights = {"Z": 1, "M": 3, "A": 0}
    result = apportion(4, weights, "sainte_lague")
    assert [r.key for r in result.rows] == ["Z", "M", "A"]
    assert list(result.seats) == ["Z", "M", "A"]
    assert result.rows[1] == Row("M", Fraction(3), Fraction(3, 4), Fraction(3), 3)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("seats", [1, 2, 5, 7, 13, 50])
def test_apportion_seats_sum_to_total(method, seats):
    for weights in (FOUR, SIX, NOOKAT_NUMERATORS, {"x": 0, "y": 1, "z": 1}):
        result = apportion(seats, weights, method)
        assert sum(result.seats.values()) == seats
        assert sum(r.seats for r in result.rows) == seats
        assert result.seats_total == seats


@pytest.mark.parametrize("method", ["dhondt", "sainte_lague"])
def test_divisor_method_zero_weight_gets_no_seat(method):
    result = apportion(20, {"A": 5, "B": 0, "C": 1}, method)
    assert result.seats["B"] == 0
    assert result.table["B"] == (0,)


@pytest.mark.parametrize("method", ["dhondt", "sainte_lague"])
def test_divisor_method_tie_broken_by_key_order_and_reported(method):
    result = apportion(2, {"C": 1, "A": 1, "B": 1}, method)
    assert result.seats == {"C": 1, "A": 1, "B": 0}
    assert result.ties == (Tie(step=1, keys=("C", "A", "B"), seats=2, winners=("C", "A")),)


def test_divisor_method_tie_for_last_seat_only():
    # Seat 1 goes to A (4/1); then A (4/2), B (2/1), C (2/1) tie for the 2 seats left.
    result = apportion(3, {"A": 4, "B": 2, "C": 2}, "dhondt")
    assert result.seats == {"A": 2, "B": 1, "C": 0}
    assert result.ties == (Tie(step=2, keys=("A", "B", "C"), seats=2, winners=("A", "B")),)


def test_largest_remainder_tie_broken_by_key_order_and_reported():
    result = apportion(2, {"C": 1, "B": 1, "A": 1}, "largest_remainder")
    assert result.seats == {"C": 1, "B": 1, "A": 0}
    assert result.ties == (Tie(step=1, keys=("C", "B", "A"), seats=2, winners=("C", "B")),)
    # X takes its automatic seat (exact 10/9); Y and Z (4/9 each) tie for the last one.
    result = apportion(2, {"X": 5, "Y": 2, "Z": 2}, "largest_remainder")
    assert result.seats == {"X": 1, "Y": 1, "Z": 0}
    assert result.ties == (Tie(step=2, keys=("Y", "Z"), seats=1, winners=("Y",)),)


def test_mixed_weights_share_one_equals_voters_only():
    weights = mixed_weights(FOUR, {"A": 0, "B": 0, "C": 0, "D": 0}, Fraction(1))
    assert weights == {k: Fraction(v, 230000) for k, v in FOUR.items()}
    for method in METHODS:
        assert apportion(7, weights, method).seats == apportion(7, FOUR, method).seats


def test_mixed_weights_share_zero_equals_contribution_only():
    contributions = {"A": Decimal("10.50"), "B": Decimal("0"), "C": Decimal("31.50")}
    weights = mixed_weights({"A": 0, "B": 0, "C": 0}, contributions, 0)
    assert weights == {"A": Fraction(1, 4), "B": Fraction(0), "C": Fraction(3, 4)}
    for method in METHODS:
        assert apportion(5, weights, method).seats == apportion(5, contributions, method).seats


def test_mixed_weights_half_hand_computed():
    # voters 3/5, 2/5; contributions 1/4, 3/4 -> A = 3/10 + 1/8 = 17/40, B = 23/40.
    weights = mixed_weights({"A": 600, "B": 400}, {"A": 100, "B": 300}, Fraction(1, 2))
    assert weights == {"A": Fraction(17, 40), "B": Fraction(23, 40)}
    assert list(weights) == ["A", "B"]
    assert all(isinstance(w, Fraction) for w in weights.values())


def test_mixed_weights_invalid_input_raises():
    with pytest.raises(ApportionmentError) as err:
        mixed_weights({"A": 0}, {"A": 5}, Fraction(1, 2))
    assert err.value.code == "weights"
    with pytest.raises(ApportionmentError):
        mixed_weights({"A": 5}, {"A": 0}, Fraction(1, 3))
    with pytest.raises(ApportionmentError):
        mixed_weights({"A": 5}, {"A": 5}, Fraction(3, 2))
    with pytest.raises(ApportionmentError):
        mixed_weights({"A": 5}, {"A": 5}, 0.5)
    with pytest.raises(ApportionmentError):
        mixed_weights({"A": 5}, {"B": 5}, 1)
    with pytest.raises(ValueError):  # ApportionmentError is a ValueError
        mixed_weights({"A": -1}, {"A": 5}, 1)


def test_nookat_like_nine_villages_mixed_weights():
    weights = mixed_weights(NOOKAT_VOTERS, NOOKAT_CONTRIB, Fraction(1, 2))
    assert weights == {k: Fraction(n, 20000) for k, n in NOOKAT_NUMERATORS.items()}
    # Hare, 15 seats: exact 4.125 2.475 1.875 2.025 1.35 1.05 .975 .675 .45;
    # floors give 11, the 4 left go to V7 .975, V3 .875, V8 .675, V2 .475.
    lr = apportion(15, weights, "largest_remainder")
    assert lr.seats == {
        "V1": 4, "V2": 3, "V3": 2, "V4": 2, "V5": 1, "V6": 1, "V7": 1, "V8": 1, "V9": 0,
    }
    assert [s.key for s in lr.steps] == ["V7", "V3", "V8", "V2"]
    # Sainte-Laguë agrees: last seat V2 3300/5 = 660, best loser V1 5500/9 = 611.
    sl = apportion(15, weights, "sainte_lague")
    assert sl.seats == lr.seats
    assert sl.steps[-1] == Step(15, "V2", 5, Fraction(3300, 5 * 20000))
    # D'Hondt favours the large: V1 5500/5 and V2 3300/3 both 1100 take seats 14-15
    # (equal quotients, both seated: no tie); best loser V1 5500/6 = 916.7.
    dh = apportion(15, weights, "dhondt")
    assert dh.seats == {
        "V1": 5, "V2": 3, "V3": 2, "V4": 2, "V5": 1, "V6": 1, "V7": 1, "V8": 0, "V9": 0,
    }
    assert [(s.key, s.divisor) for s in dh.steps[-2:]] == [("V1", 5), ("V2", 3)]
    assert dh.ties == ()
    for result in (lr, sl, dh):
        assert sum(result.seats.values()) == 15


@pytest.mark.parametrize("method", METHODS)
def test_results_contain_no_floats(method):
    weights = mixed_weights(NOOKAT_VOTERS, NOOKAT_CONTRIB, Fraction(1, 3))
    assert _all_fractions(apportion(11, weights, method))
    assert _all_fractions(apportion(10, SIX, method))
    assert _all_fractions(apportion(4, {"a": Decimal("1.5"), "b": Decimal("2.25")}, method))


@pytest.mark.parametrize("seats", [0, -3, 2.0, True, "5", None])
def test_apportion_invalid_seats_raises_seats_code(seats):
    with pytest.raises(ApportionmentError) as err:
        apportion(seats, FOUR, "dhondt")
    assert err.value.code == "seats"


@pytest.mark.parametrize(
    "weights",
    [{}, {"A": 0, "B": 0}, {"A": -1, "B": 5}, {"A": 1.5}, {"A": Decimal("NaN")}, {"A": "3"}],
)
def test_apportion_invalid_weights_raises_weights_code(weights):
    with pytest.raises(ApportionmentError) as err:
        apportion(3, weights, "sainte_lague")
    assert err.value.code == "weights"


@pytest.mark.parametrize("method", ["hare", "", "DHONDT", None])
def test_apportion_unknown_method_raises_method_code(method):
    with pytest.raises(ApportionmentError) as err:
        apportion(3, FOUR, method)
    assert err.value.code == "method"
    assert isinstance(err.value, ValueError)


def test_apportionment_is_frozen():
    result = apportion(3, FOUR, "dhondt")
    with pytest.raises(AttributeError):
        result.method = "sainte_lague"
