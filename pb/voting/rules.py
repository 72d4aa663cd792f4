"""The allocation rules a round may name, with their labels in the user's language."""
from flask_babel import lazy_gettext as _l

RULES = {
    "greedy": _l("by votes: the most supported proposals first, skipping any that no longer fits"),
    "mes-cost": _l("Method of Equal Shares: every voter gets an equal share of the money"),
    "mes-cost-greedy": _l("Method of Equal Shares, the money left then by votes"),
}
RULE_NAMES = set(RULES)


def rule_choices():
    return [(name, label) for name, label in RULES.items()]
