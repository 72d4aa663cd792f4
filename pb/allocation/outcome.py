"""What a rule returns: the funded projects, and for every project the reason in numbers.

A reason is a kind code plus the numbers behind it; `Reason.text` renders it in plain
English, and the web app translates from the kind and numbers. The kinds, and the
numbers each one carries (money is exact, an int or a Fraction):

==================  =======================================================================
kind                numbers
==================  =======================================================================
funded              score, unit ("votes" or "points"), cost, left (money left after it)
not_fits            score, unit, cost, left (money left when its turn came)
below_threshold     score, unit, threshold
stopped_no_skip     score, unit, cost, stopped_at (the project that did not fit)
mes_funded          cost, rho (the most any supporter paid), supporters, paid_rho (paid rho),
                    paid_all (paid all they had left, less than rho), share (each voter's
                    starting share), round (1 for the first project Equal Shares chose)
mes_unaffordable    cost, supporters, money (what its supporters had left of their shares)
no_supporters       cost (nobody voted for it, so Equal Shares cannot pay for it)
completion_funded   score, unit, cost, left: funded by votes with the money Equal Shares left
==================  =======================================================================

A reason may carry a `stage`: "group:<name>" when a village quota decided it, "pool"
when the common pool did (village quotas only).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Mapping

from pb.allocation.model import Election, Money, as_money, format_money

FUNDED = "funded"
NOT_FITS = "not_fits"
BELOW_THRESHOLD = "below_threshold"
STOPPED_NO_SKIP = "stopped_no_skip"
MES_FUNDED = "mes_funded"
MES_UNAFFORDABLE = "mes_unaffordable"
NO_SUPPORTERS = "no_supporters"
COMPLETION_FUNDED = "completion_funded"

REASON_KINDS = (FUNDED, NOT_FITS, BELOW_THRESHOLD, STOPPED_NO_SKIP, MES_FUNDED, MES_UNAFFORDABLE,
                NO_SUPPORTERS, COMPLETION_FUNDED)
FUNDED_KINDS = frozenset({FUNDED, MES_FUNDED, COMPLETION_FUNDED})


def _score(n: Mapping[str, Any]) -> str:
    score = n["score"]
    unit = n.get("unit", "votes")
    if score == 1:
        unit = unit[:-1]
    return f"{format_money(score)} {unit}"


def _people(count: int) -> str:
    return f"{count:,} voter" + ("" if count == 1 else "s")


def _render(kind: str, n: Mapping[str, Any]) -> str:
    m = {key: format_money(value) for key, value in n.items()
         if key in ("cost", "left", "rho", "share", "money", "threshold")}
    if kind == FUNDED:
        return f"funded: {_score(n)}, {m['cost']}"
    if kind == COMPLETION_FUNDED:
        return f"funded with the money Equal Shares left: {_score(n)}, {m['cost']}"
    if kind == NOT_FITS:
        return f"not funded: {_score(n)}; {m['left']} was left when its turn came, it costs {m['cost']}"
    if kind == BELOW_THRESHOLD:
        return f"not funded: {_score(n)}, below the minimum of {m['threshold']}"
    if kind == STOPPED_NO_SKIP:
        return (f"not funded: {_score(n)}; counting stopped at project {n['stopped_at']}, "
                f"which did not fit the money left")
    if kind == MES_FUNDED:
        if not n["cost"]:
            return "funded: it costs nothing and has supporters"
        text = (f"funded by equal shares (ρ = {m['rho']}): {_people(n['paid_rho'])} paid {m['rho']} each")
        if n["paid_all"]:
            text += f", {_people(n['paid_all'])} paid all they had left"
        return text + f"; it costs {m['cost']}"
    if kind == MES_UNAFFORDABLE:
        return (f"not funded: its {_people(n['supporters'])} had only {m['money']} left of their shares, "
                f"it costs {m['cost']}")
    if kind == NO_SUPPORTERS:
        return "not funded: nobody voted for it"
    raise ValueError(f"unknown reason kind {kind!r}")


@dataclass(frozen=True)
class Reason:
    """Why one project was or was not funded: a kind from REASON_KINDS and its numbers."""

    project: str
    kind: str
    numbers: Mapping[str, Any] = field(default_factory=dict)
    stage: str | None = None

    @property
    def funded(self) -> bool:
        return self.kind in FUNDED_KINDS

    @property
    def text(self) -> str:
        text = _render(self.kind, self.numbers)
        if self.stage == "pool":
            return "common pool: " + text
        if self.stage and self.stage.startswith("group:"):
            return f"{self.stage[6:]}'s share: " + text
        return text


@dataclass(frozen=True)
class Outcome:
    """The result of a rule: funded ids in order of selection, their total cost, a reason per project.

    `notes` holds what the rule wants to show besides (the starting share Equal Shares
    ended with, the comparison counts, the village shares ...).
    """

    rule: str
    selected: tuple[str, ...]
    cost: Money
    budget: Money
    reasons: Mapping[str, Reason]
    notes: Mapping[str, Any] = field(default_factory=dict)

    @property
    def left(self) -> Money:
        return self.budget - self.cost

    def as_json(self) -> dict:
        """{"selected": [...], "cost": ...}: cost as an int when whole, else a decimal string (see money_json)."""
        return {"selected": list(self.selected), "cost": money_json(self.cost)}


def money_json(value: Money):
    """An int when whole; else the exact value as a decimal string when it has one ("1331751.11"), else "p/q"."""
    value = Fraction(value)
    if value.denominator == 1:
        return value.numerator
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        return f"{value.numerator}/{value.denominator}"
    places = max(twos, fives)
    scaled = value.numerator * 10 ** places // value.denominator
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def make_outcome(rule: str, election: "Election", selected: list, reasons: dict, notes=None) -> Outcome:
    """The Outcome of `rule`: reasons in the election's project order, the cost summed exactly."""
    ordered = {p.id: reasons[p.id] for p in election.projects}
    cost = sum((election.by_id[pid].cost for pid in selected), 0)
    return Outcome(rule, tuple(selected), as_money(cost), election.budget, ordered, dict(notes or {}))
