"""The rules a voting round may use, by stable short name (`RULES`), and Pabulib's rule labels.

Each rule takes an `Election` (and a few keyword options) and returns an `Outcome`.
The names are what a round stores; `Rule.title` and `Rule.tie_breaking` say in plain
English what the rule does and how it breaks ties, for the results page.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping

from pb.allocation import mes
from pb.allocation.add_one import add_one
from pb.allocation.greedy import complete_by_votes, equalshares_order, greedy
from pb.allocation.model import Election, Money, as_money
from pb.allocation.outcome import Outcome, Reason, make_outcome

PABUTOOLS_TIES = "equal scores: the project whose id comes first as text (pabutools' default)"
EQUALSHARES_TIES = "the lowest cost, then the most votes, then the id as text (equalshares.net's order)"


@dataclass(frozen=True)
class Rule:
    """A named allocation rule: `rule(election, **options)` computes its outcome."""

    name: str
    title: str
    tie_breaking: str
    compute: Callable[..., Outcome]
    options: tuple[str, ...] = ()

    def __call__(self, election: Election, **options) -> Outcome:
        unknown = set(options).difference(self.options)
        if unknown:
            raise TypeError(f"rule {self.name} takes no option {', '.join(sorted(unknown))}")
        return self.compute(election, **options)


def _greedy(election, min_score=None):
    """greedy: by votes (points, rank points), skipping what no longer fits. Ties: id as text (pabutools)."""
    return greedy(election, min_score=min_score, rule="greedy")


def _greedy_no_skip(election, min_score=None):
    """greedy-no-skip: by votes, stopping at the first project that does not fit. Ties: id as text."""
    return greedy(election, min_score=min_score, skip=False, rule="greedy-no-skip")


def _prepared(election: Election, utility: str, tie: str) -> "mes.Prepared":
    """Equal Shares' view of the election, kept with it: the rules after the first reuse it and its counts."""
    kept = election.__dict__.setdefault("_equal_shares", {})   # a frozen dataclass still has its __dict__
    key = (utility, tie)
    if key not in kept:
        kept[key] = mes.Prepared(election, utility, tie)
    return kept[key]


def _equal_shares(election: Election, rule: str, utility: str = mes.COST, tie: str = "pabutools") -> Outcome:
    prep = _prepared(election, utility, tie)
    share = Fraction(election.budget) / prep.voters if prep.voters else Fraction(0)
    run = mes.equal_shares(prep, share)
    selected, reasons = mes.explain(prep, run)
    return make_outcome(rule, election, selected, reasons, {"share": as_money(share)})


def _mes_cost(election):
    """mes-cost: Equal Shares, cost utilities, shares budget/voters. Ties: id as text (pabutools)."""
    return _equal_shares(election, "mes-cost")


def _mes_card(election):
    """mes-card: Equal Shares, cardinality utilities (smallest ρ first). Ties: id as text (pabutools)."""
    return _equal_shares(election, "mes-card", mes.CARDINALITY)


def _mes_cost_greedy(election):
    """mes-cost-greedy: mes-cost, then greedy by votes on the money left. Ties: id as text (pabutools)."""
    base = _equal_shares(election, "mes-cost-greedy")
    reasons = dict(base.reasons)
    selected = complete_by_votes(election, list(base.selected), reasons)
    return make_outcome("mes-cost-greedy", election, selected, reasons, base.notes)


def _add_one(election: Election, rule: str, stop: str, tie: str, integral: bool) -> Outcome:
    prep = _prepared(election, mes.COST, tie)
    if not prep.voters:
        return make_outcome(rule, election, [], mes.explain(prep, mes.equal_shares(prep, Fraction(0)))[1])
    share = Fraction(election.budget) / prep.voters
    if stop == "fits" and sum(p.cost for p in election.projects) <= election.budget:
        # equalshares.net does not raise the shares when the budget covers every project
        run, notes = mes.equal_shares(prep, share), {"share": share, "steps": 0}
    else:
        start = Fraction(int(share)) if integral else share
        run, notes = add_one(prep, start, stop)
    selected, reasons = mes.explain(prep, run)
    notes = {key: as_money(value) if isinstance(value, Fraction) else value for key, value in notes.items()}
    return make_outcome(rule, election, selected, reasons, notes)


def _mes_cost_add1(election):
    """mes-cost-add1: shares budget/voters + 0, 1, 2, ... until exhaustive (pabutools' stop). Ties: id as text."""
    return _add_one(election, "mes-cost-add1", "exhaustive", "pabutools", integral=False)


def _equalshares(election):
    """equalshares: Equal Shares, cost utilities. Ties: lowest cost, most votes, then id (equalshares.net)."""
    return _equal_shares(election, "equalshares", tie="equalshares")


def _equalshares_add1(election):
    """equalshares-add1: whole shares floor(budget/voters) + 0, 1, ... while the outcome fits; keep the last.

    As equalshares.net computes Pabulib's `equalshares/add1` (and Pabulib checks it): no
    raising when the budget covers every project. Ties: lowest cost, most votes, then id.
    """
    return _add_one(election, "equalshares-add1", "fits", "equalshares", integral=True)


def _compare_with_greedy(election: Election, chosen: Outcome, rule: str) -> Outcome:
    """equalshares.net's comparison step: greedy replaces the outcome only if more voters prefer it.

    A voter prefers the outcome that funds more of the projects they voted for; voters
    for whom both fund as many prefer neither. Ties keep Equal Shares.
    """
    by_votes = greedy(election, order=equalshares_order, rule=rule)
    ours, theirs = set(chosen.selected), set(by_votes.selected)
    prefer_ours = prefer_theirs = 0
    for ids, count in election.support_sets:
        a, b = len(ids & ours), len(ids & theirs)
        if a > b:
            prefer_ours += count
        elif b > a:
            prefer_theirs += count
    kept = by_votes if prefer_theirs > prefer_ours else chosen
    notes = dict(chosen.notes, prefer_equal_shares=prefer_ours, prefer_greedy=prefer_theirs,
                 kept="greedy" if kept is by_votes else "equal shares")
    return Outcome(rule, kept.selected, kept.cost, kept.budget, kept.reasons, notes)


def _equalshares_comparison(election):
    """equalshares-comparison: equalshares, unless more voters prefer greedy by votes (equalshares.net's ties)."""
    return _compare_with_greedy(election, _equal_shares(election, "equalshares-comparison", tie="equalshares"),
                                "equalshares-comparison")


def _equalshares_add1_comparison(election):
    """equalshares-add1-comparison: Wieliczka's rule, equalshares-add1 then the comparison with greedy."""
    return _compare_with_greedy(election, _equalshares_add1(election), "equalshares-add1-comparison")


def village_quotas(election: Election, weights: Mapping[str, Money], inner: str = "greedy", **options) -> Outcome:
    """Village quotas: each village's share of the money is allocated among its own projects first.

    The budget is split among the villages (the projects' `group`) in proportion to
    `weights` (registered voters, contribution to the local budget, or a mix: any exact
    numbers), keeping exact fractions. Each village's share is allocated among that
    village's projects by the `inner` rule, on the ballots restricted to those projects.
    The money no village could use goes to a common pool, allocated by the same rule
    among all projects still unfunded (projects of no listed village compete only there).
    Ties: those of the inner rule.
    """
    if inner not in RULES or inner == "village-quotas":
        raise ValueError(f"unknown inner rule {inner!r}")
    weights = {str(group): as_money(weight) for group, weight in weights.items()}
    if any(w < 0 for w in weights.values()) or not sum(weights.values()):
        raise ValueError("village weights must be non-negative and not all zero")
    total = sum(weights.values())
    rule = RULES[inner]
    selected: list[str] = []
    reasons: dict[str, Reason] = {}
    shares, spent = {}, {}
    for group, weight in weights.items():
        share = as_money(Fraction(election.budget) * weight / total)
        shares[group] = share
        own = [p.id for p in election.projects if p.group == group]
        result = rule(election.restricted(own, share), **options)
        selected.extend(result.selected)
        spent[group] = result.cost
        for pid in own:
            reasons[pid] = _staged(result.reasons[pid], f"group:{group}")
    pool = as_money(election.budget - sum(election.by_id[pid].cost for pid in selected))
    rest = [p.id for p in election.projects if p.id not in set(selected)]
    result = rule(election.restricted(rest, pool), **options)
    selected.extend(result.selected)
    for pid in rest:
        reasons[pid] = _staged(result.reasons[pid], "pool")
    notes = {"inner": inner, "shares": shares, "spent": spent, "pool": pool, "pool_spent": result.cost}
    return make_outcome("village-quotas", election, selected, reasons, notes)


def _staged(reason: Reason, stage: str) -> Reason:
    return Reason(reason.project, reason.kind, reason.numbers, stage)


RULES: dict[str, Rule] = {rule.name: rule for rule in (
    Rule("greedy", "by votes: the most supported projects first, skipping any that no longer fits",
         PABUTOOLS_TIES, _greedy, ("min_score",)),
    Rule("greedy-no-skip", "by votes, stopping at the first project that no longer fits",
         PABUTOOLS_TIES, _greedy_no_skip, ("min_score",)),
    Rule("mes-cost", "Method of Equal Shares with cost utilities, without completion",
         PABUTOOLS_TIES, _mes_cost),
    Rule("mes-card", "Method of Equal Shares with cardinality utilities (each funded project counts one)",
         PABUTOOLS_TIES, _mes_card),
    Rule("mes-cost-greedy", "Method of Equal Shares (cost utilities), the money left then by votes",
         PABUTOOLS_TIES, _mes_cost_greedy),
    Rule("mes-cost-add1", "Method of Equal Shares (cost utilities), every share raised by one unit of money "
         "until the outcome leaves no room for another project (pabutools' add-one)",
         PABUTOOLS_TIES, _mes_cost_add1),
    Rule("equalshares", "Method of Equal Shares as equalshares.net computes it, without completion",
         EQUALSHARES_TIES, _equalshares),
    Rule("equalshares-comparison", "Method of Equal Shares, unless more voters prefer the outcome by votes",
         EQUALSHARES_TIES, _equalshares_comparison),
    Rule("equalshares-add1", "Method of Equal Shares, every share raised by one unit of money while the outcome "
         "still fits the budget (equalshares.net's add-one)",
         EQUALSHARES_TIES, _equalshares_add1),
    Rule("equalshares-add1-comparison", "Method of Equal Shares with equalshares.net's add-one, unless more voters "
         "prefer the outcome by votes (as Wieliczka counted)",
         EQUALSHARES_TIES, _equalshares_add1_comparison),
    Rule("village-quotas", "each village's share of the money first goes to its own projects, the rest to a "
         "common pool, by an inner rule", "those of the inner rule", village_quotas,
         ("weights", "inner", "min_score")),
)}


def allocate(election: Election, rule: str, **options) -> Outcome:
    """The outcome of the rule named `rule` (a key of RULES) on the election."""
    try:
        chosen = RULES[rule]
    except KeyError:
        raise ValueError(f"unknown rule {rule!r}; known rules: {', '.join(RULES)}") from None
    return chosen(election, **options)


# Pabulib's META `rule` labels that Ashar can reproduce, and the rule that does.
PABULIB_RULES = {
    "greedy": "greedy",
    "greedy-threshold": "greedy",
    "greedy-no-skip": "greedy-no-skip",
    "equalshares": "equalshares",
    "equalshares-comparison": "equalshares-comparison",
    "equalshares/add1": "equalshares-add1",
    "equalshares/add1-comparison": "equalshares-add1-comparison",
}


def rule_for_pabulib(meta: Mapping[str, str], num_voters: int) -> tuple[str, dict]:
    """(rule name, options) for a Pabulib file's META: its `rule` and `min_project_score_threshold`.

    A threshold is a score ("1000"), or a share of the voters ("5%": at least 5% of them).
    Raises ValueError for a label Ashar does not implement.
    """
    label = (meta.get("rule") or "").strip()
    if label not in PABULIB_RULES:
        raise ValueError(f"the file's rule {label or '(none)'!r} is not one Ashar implements "
                         f"(it implements {', '.join(PABULIB_RULES)})")
    name = PABULIB_RULES[label]
    options: dict = {}
    raw = (meta.get("min_project_score_threshold") or "").strip()
    if label == "greedy-threshold" and not raw:
        raise ValueError("the file's rule is greedy-threshold but its META has no min_project_score_threshold")
    if raw and name.startswith("greedy"):
        if raw.endswith("%"):
            options["min_score"] = as_money(Fraction(as_money(raw[:-1])) * num_voters / 100)
        else:
            options["min_score"] = as_money(raw)
    return name, options
