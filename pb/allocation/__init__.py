"""Allocation: which projects a participatory budget funds, and why, in exact arithmetic.

Plain Python on plain, frozen data; it imports nothing from Flask, the database or the
rest of pb (an import-linter contract holds this), so the rules can be tested, reused
and benchmarked on their own.

    election = Election.build([Project("a", 300), Project("b", 200)], 400, [{"a"}, {"a", "b"}])
    outcome = allocate(election, "greedy")     # outcome.selected, outcome.reasons["b"].text

`RULES` lists the rules by name; `pabulib` reads and writes Pabulib `.pb` files.
"""
from pb.allocation.model import (
    APPROVAL, BALLOT_KINDS, CHOOSE_ONE, CUMULATIVE, ORDINAL, Election, Money, Project, as_money, format_money,
)
from pb.allocation.outcome import REASON_KINDS, Outcome, Reason, money_json
from pb.allocation.rules import PABULIB_RULES, RULES, Rule, allocate, rule_for_pabulib, village_quotas

__all__ = [
    "APPROVAL", "BALLOT_KINDS", "CHOOSE_ONE", "CUMULATIVE", "ORDINAL", "Election", "Money", "Project", "as_money",
    "format_money", "REASON_KINDS", "Outcome", "Reason", "money_json", "PABULIB_RULES", "RULES", "Rule", "allocate",
    "rule_for_pabulib", "village_quotas",
]
