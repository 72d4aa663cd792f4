"""Apportion representative seats among villages, as the Nookat initiative groups did.

Seats follow each village's weight: its registered voters, its contribution to the
local budget, or a mix of both. All arithmetic uses exact Fractions so the page can
show the same numbers a person would get by hand, and ties are broken by the
caller's key order (dict insertion order) and reported rather than hidden.

Pure standard library on purpose: it is used by views but tested on its own.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Hashable, Mapping, TypeVar

METHODS = ("sainte_lague", "dhondt", "largest_remainder")

K = TypeVar("K", bound=Hashable)  # caller's key type, e.g. village id


class ApportionmentError(ValueError):
    """Invalid input; `code` is one of "seats", "weights", "method"."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Row:
    """One village's line in the result table."""

    key: Hashable
    weight: Fraction
    share: Fraction  # weight / total weight
    exact: Fraction  # share * seats: the ideal, unrounded number of seats
    seats: int
    remainder: Fraction | None = None  # largest remainder only
    automatic: int | None = None  # floor(exact), largest remainder only


@dataclass(frozen=True)
class Step:
    """One seat awarded: by quotient (divisor methods) or by remainder (divisor None)."""

    number: int
    key: Hashable
    divisor: int | None
    quotient: Fraction


@dataclass(frozen=True)
class Tie:
    """Equal quotients/remainders competing for fewer seats; decided by list order."""

    step: int  # number of the first seat decided by the tie
    keys: tuple  # all keys tied, in the caller's order
    seats: int  # how many seats were left for them
    winners: tuple  # the keys that got those seats


@dataclass(frozen=True)
class Apportionment:
    """The outcome of `apportion`, with everything needed to show the arithmetic."""

    method: str
    seats_total: int
    seats: dict
    rows: tuple[Row, ...]
    steps: tuple[Step, ...]
    quota: Fraction | None  # Hare quota (total weight / seats), largest remainder only
    ties: tuple[Tie, ...]
    table: dict  # key -> quotients for divisors up to one beyond its seats; {} for LR


def _fraction(value: Any, what: str) -> Fraction:
    # Floats (and bools) are refused: they would make "exact" results quietly inexact.
    if isinstance(value, bool) or not isinstance(value, (int, Fraction, Decimal)):
        raise ApportionmentError("weights", f"{what} must be an integer, Fraction or Decimal")
    try:
        result = Fraction(value)
    except (ValueError, OverflowError):  # Decimal NaN / Infinity
        raise ApportionmentError("weights", f"{what} must be a finite number") from None
    if result < 0:
        raise ApportionmentError("weights", f"{what} must not be negative")
    return result


def _weights(weights: Mapping[K, Any]) -> dict[K, Fraction]:
    if not weights:
        raise ApportionmentError("weights", "at least one village is needed")
    result = {key: _fraction(value, f"weight of {key!r}") for key, value in weights.items()}
    if sum(result.values()) <= 0:
        raise ApportionmentError("weights", "total weight must be positive")
    return result


def mixed_weights(
    voters: Mapping[K, int], contributions: Mapping[K, Any], voters_share: Any
) -> dict[K, Fraction]:
    """Blend voter and contribution shares: share*voters/sum + (1-share)*contrib/sum."""
    share = _fraction(voters_share, "voters share")
    if share > 1:
        raise ApportionmentError("weights", "voters share must be between 0 and 1")
    if set(voters) != set(contributions):
        raise ApportionmentError("weights", "voters and contributions must cover the same villages")
    if not voters:
        raise ApportionmentError("weights", "at least one village is needed")
    v = {key: _fraction(value, f"voters of {key!r}") for key, value in voters.items()}
    c = {key: _fraction(contributions[key], f"contribution of {key!r}") for key in voters}
    v_total, c_total = sum(v.values()), sum(c.values())
    # A side with zero share may have a zero total (e.g. no budget data yet); skip it.
    if share and not v_total:
        raise ApportionmentError("weights", "total registered voters is zero")
    if share < 1 and not c_total:
        raise ApportionmentError("weights", "total contribution is zero")
    return {
        key: (share * v[key] / v_total if share else Fraction(0))
        + ((1 - share) * c[key] / c_total if share < 1 else Fraction(0))
        for key in voters
    }


def _divisor(method: str, seats_held: int) -> int:
    # Sainte-Laguë: 1, 3, 5, ...; D'Hondt: 1, 2, 3, ...
    return 2 * seats_held + 1 if method == "sainte_lague" else seats_held + 1


def _divisor_method(seats: int, weights: dict, method: str):
    keys = list(weights)
    held = dict.fromkeys(keys, 0)
    steps: list[Step] = []
    ties: list[Tie] = []
    while len(steps) < seats:
        quotients = {k: weights[k] / _divisor(method, held[k]) for k in keys}
        best = max(quotients.values())
        tied = [k for k in keys if quotients[k] == best]
        left = seats - len(steps)
        # A seated key drops below `best`, so equal quotients simply all get seats
        # unless there are more of them than seats left; then list order decides.
        award = tied[:left]
        if len(tied) > left:
            ties.append(Tie(len(steps) + 1, tuple(tied), left, tuple(award)))
        for key in award:
            steps.append(Step(len(steps) + 1, key, _divisor(method, held[key]), quotients[key]))
            held[key] += 1
    table = {
        k: tuple(weights[k] / _divisor(method, i) for i in range(held[k] + 1)) for k in keys
    }
    return held, steps, ties, table


def _largest_remainder(seats: int, weights: dict, total: Fraction):
    keys = list(weights)
    exact = {k: weights[k] * seats / total for k in keys}
    automatic = {k: int(exact[k]) for k in keys}  # floor: exact is never negative
    remainder = {k: exact[k] - automatic[k] for k in keys}
    left = seats - sum(automatic.values())
    # sorted() is stable, so equal remainders keep the caller's order.
    ranked = sorted(keys, key=lambda k: remainder[k], reverse=True)
    chosen = ranked[:left]
    ties: list[Tie] = []
    if 0 < left < len(ranked) and remainder[ranked[left - 1]] == remainder[ranked[left]]:
        cut = remainder[ranked[left]]
        tied = tuple(k for k in keys if remainder[k] == cut)
        winners = tuple(k for k in tied if k in chosen)
        first = next(i for i, k in enumerate(chosen) if remainder[k] == cut)
        ties.append(Tie(seats - left + first + 1, tied, len(winners), winners))
    steps = [
        Step(seats - left + i + 1, k, None, remainder[k]) for i, k in enumerate(chosen)
    ]
    held = {k: automatic[k] + (k in chosen) for k in keys}
    return held, steps, ties, automatic, remainder


def apportion(seats: int, weights: Mapping[K, Any], method: str) -> Apportionment:
    """Share `seats` among the keys of `weights` by the named method (see METHODS)."""
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ApportionmentError("seats", "number of seats must be a positive integer")
    if method not in METHODS:
        raise ApportionmentError("method", f"unknown method {method!r}")
    w = _weights(weights)
    total = sum(w.values())
    automatic = remainder = None
    if method == "largest_remainder":
        held, steps, ties, automatic, remainder = _largest_remainder(seats, w, total)
        table, quota = {}, total / seats
    else:
        held, steps, ties, table = _divisor_method(seats, w, method)
        quota = None
    rows = tuple(
        Row(
            key=k,
            weight=w[k],
            share=w[k] / total,
            exact=w[k] * seats / total,
            seats=held[k],
            remainder=remainder[k] if remainder is not None else None,
            automatic=automatic[k] if automatic is not None else None,
        )
        for k in w
    )
    return Apportionment(
        method=method,
        seats_total=seats,
        seats=held,
        rows=rows,
        steps=tuple(steps),
        quota=quota,
        ties=tuple(ties),
        table=table,
    )
