"""The allocation rules a round may name, with their labels in the user's language, and which fit which ballot.

Every rule of pb.allocation except village quotas (a round sets those apart, with `quota_basis`). The Equal
Shares rules count who supports a proposal, not how many points or which rank it got, so a cumulative or
ranking round may use only the rules by votes, which count points and ranks.
"""
from flask_babel import lazy_gettext as _l

from pb.voting.states import Method

RULES = {
    "greedy": _l("by votes: the most supported proposals first, skipping any that no longer fits"),
    "greedy-no-skip": _l("by votes, stopping at the first proposal that no longer fits"),
    "mes-cost": _l("Method of Equal Shares: every voter gets an equal share of the money"),
    "mes-card": _l("Method of Equal Shares, counting each funded proposal a voter chose as one"),
    "mes-cost-greedy": _l("Method of Equal Shares, the money left then by votes"),
    "mes-cost-add1": _l("Method of Equal Shares, the shares raised step by step until no other proposal fits "
                        "(as pabutools completes it)"),
    "equalshares": _l("Method of Equal Shares as equalshares.net computes it"),
    "equalshares-comparison": _l("Method of Equal Shares, unless more voters prefer the outcome by votes"),
    "equalshares-add1": _l("Method of Equal Shares, the shares raised step by step while the outcome fits the "
                           "money (as equalshares.net completes it)"),
    "equalshares-add1-comparison": _l("Method of Equal Shares completed as equalshares.net does, unless more "
                                      "voters prefer the outcome by votes"),
}
RULE_NAMES = set(RULES)
BY_VOTES = ("greedy", "greedy-no-skip")
FITTING = {
    Method.APPROVAL: tuple(RULES),
    Method.KNAPSACK: tuple(RULES),
    Method.CUMULATIVE: BY_VOTES,
    Method.RANKING: BY_VOTES,
}


def rule_choices(method=None):
    """(name, label) of the rules that fit the method (all of them when no method is given)."""
    names = FITTING.get(method, tuple(RULES)) if method is not None else tuple(RULES)
    return [(name, RULES[name]) for name in names]


def grouped_rule_choices():
    """The rules as the round form shows them: those for every ballot method, then those for approval only."""
    return {
        str(_l("For every way of voting")): rule_choices(Method.RANKING),
        str(_l("For approval and knapsack voting only")): [(name, RULES[name]) for name in RULES
                                                            if name not in BY_VOTES],
    }


def fits(rule, method):
    """Whether the rule may allocate a round of this ballot method."""
    return rule in FITTING.get(method, ())
