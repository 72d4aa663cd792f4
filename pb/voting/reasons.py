"""An allocation's reasons and rules in plain words, in the current language, with their figures."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from pb.core.i18n import format_money, format_number
from pb.voting.quotas import BASES
from pb.voting.rules import RULES

PABUTOOLS_TIES = _l("Ties are broken by the proposal's number compared as text (so 12 comes before 9), as "
                    "pabutools does.")
TIES = {"greedy": PABUTOOLS_TIES, "mes-cost": PABUTOOLS_TIES, "mes-cost-greedy": PABUTOOLS_TIES}


def _score(numbers):
    score = numbers.get("score", 0)
    if numbers.get("unit") == "points":
        return ngettext("%(count)s point", "%(count)s points", int(score), count=format_number(score))
    return ngettext("%(count)s vote", "%(count)s votes", int(score), count=format_number(score))


def _voters(count):
    return ngettext("%(count)s voter", "%(count)s voters", int(count), count=format_number(count))


def _money(value):
    return str(format_money(value, 0 if value == int(value) else 2))


def _plain(kind, n, titles):
    cost = _money(n.get("cost", 0))
    if kind == "funded":
        return _("funded: %(score)s, %(cost)s", score=_score(n), cost=cost)
    if kind == "completion_funded":
        return _("funded with the money Equal Shares left: %(score)s, %(cost)s", score=_score(n), cost=cost)
    if kind == "not_fits":
        return _("not funded: %(score)s; %(left)s was left when its turn came, it costs %(cost)s",
                 score=_score(n), left=_money(n["left"]), cost=cost)
    if kind == "below_threshold":
        return _("not funded: %(score)s, below the minimum of %(threshold)s", score=_score(n),
                 threshold=format_number(n["threshold"]))
    if kind == "stopped_no_skip":
        stopped = str(n["stopped_at"])
        stopped = titles.get(int(stopped), stopped) if stopped.isdigit() else stopped
        return _("not funded: %(score)s; counting stopped at «%(title)s», which did not fit the money left",
                 score=_score(n), title=stopped)
    if kind == "mes_funded":
        if not n["cost"]:
            return _("funded: it costs nothing and has supporters")
        if n.get("paid_all"):
            return _("funded by equal shares: %(paid)s paid %(rho)s each and %(all)s paid all they had left; "
                     "it costs %(cost)s", paid=_voters(n["paid_rho"]), rho=_money(n["rho"]),
                     all=_voters(n["paid_all"]), cost=cost)
        return _("funded by equal shares: %(paid)s paid %(rho)s each; it costs %(cost)s",
                 paid=_voters(n["paid_rho"]), rho=_money(n["rho"]), cost=cost)
    if kind == "mes_unaffordable":
        return _("not funded: its %(supporters)s had only %(money)s left of their shares, it costs %(cost)s",
                 supporters=_voters(n["supporters"]), money=_money(n["money"]), cost=cost)
    if kind == "no_supporters":
        return _("not funded: nobody voted for it")
    raise ValueError(f"unknown reason kind {kind!r}")


def reason_text(reason, titles, villages):
    """A pb.allocation Reason in plain words: titles {proposal id: title}, villages {village id as text: name}."""
    words = _plain(reason.kind, reason.numbers, titles)
    if reason.stage == "pool":
        return _("common pool: %(reason)s", reason=words)
    if reason.stage and reason.stage.startswith("group:"):
        village = villages.get(reason.stage[6:], reason.stage[6:])
        return _("share of %(village)s: %(reason)s", village=village, reason=words)
    return words


def rule_text(rule, quota_basis):
    """The round's rule in plain words, with its village quotas."""
    words = str(RULES.get(rule, rule))
    if quota_basis:
        return _("%(quotas)s; within each share and then in the common pool: %(rule)s",
                 quotas=BASES[quota_basis], rule=words)
    return words


def quota_explanation(quota_basis):
    """How village quotas work, in one sentence; empty without quotas."""
    if not quota_basis:
        return ""
    return _("The money is first split among the villages; each village's share goes to its own proposals by the "
             "rule, and what no village could use goes back into a common pool shared by the same rule.")


def ties_text(rule):
    """The tie-breaking order the rule used."""
    return str(TIES.get(rule, PABUTOOLS_TIES))
