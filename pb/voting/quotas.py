"""Village quotas of a round: what each village's share of the money follows, as exact weights."""
from fractions import Fraction

from flask_babel import lazy_gettext as _l

BASES = {
    "": _l("no village quotas: all proposals compete for all the money"),
    "voters": _l("village quotas in proportion to registered voters"),
    "contribution": _l("village quotas in proportion to each village's contribution to the local budget"),
    "mix": _l("village quotas: half by registered voters, half by contribution to the local budget"),
}


def basis_choices():
    return list(BASES.items())


def weights(basis, villages):
    """{village id as text: Fraction} for the basis; empty when the villages have no such figures."""
    voters = {str(v.id): Fraction(v.registered_voters or 0) for v in villages}
    money = {str(v.id): Fraction(v.revenue_contribution or 0) for v in villages}
    if basis == "voters":
        chosen = voters
    elif basis == "contribution":
        chosen = money
    elif basis == "mix":
        total_voters, total_money = sum(voters.values()), sum(money.values())
        chosen = {vid: (voters[vid] / total_voters if total_voters else 0) + (money[vid] / total_money if total_money
                                                                              else 0) for vid in voters}
    else:
        return {}
    return chosen if sum(chosen.values()) > 0 else {}
