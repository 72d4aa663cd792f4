"""Budgets and their lines as comment targets (a line's followers are its budget's followers)."""
from flask import url_for
from flask_babel import gettext as _

from pb.budgets import permissions as _budget_rules  # noqa: F401  (can(None, "view", budget))
from pb.budgets.models import Budget, BudgetLine
from pb.comments.targets import CommentTarget, register_comment_target
from pb.core.i18n import pick
from pb.core.permissions import can
from pb.extensions import db


def _budget_title(budget):
    return f"{pick(budget.municipality, 'name')} — {_('Budget %(year)d', year=budget.fiscal_year)}"


def load_budget(budget_id):
    """A budget's thread: public once the budget is out of the draft."""
    budget = db.session.get(Budget, budget_id)
    if budget is None:
        return None
    return CommentTarget("budget", budget.id, budget.municipality_id, _budget_title(budget),
                         url_for("budgets.show_budget", budget_id=budget.id), "budget", budget.id,
                         can(None, "view", budget))


def load_line(line_id):
    """A line's thread: as public as its budget."""
    line = db.session.get(BudgetLine, line_id)
    if line is None:
        return None
    budget = line.budget
    return CommentTarget("budget_line", line.id, budget.municipality_id, pick(line, "name"),
                         url_for("budgets.show_line", line_id=line.id), "budget", budget.id,
                         can(None, "view", budget))


register_comment_target("budget", load_budget)
register_comment_target("budget_line", load_line)
