"""Budgets as things residents follow, and the notification of a phase change."""
from flask_babel import lazy_gettext as _l

from pb.budgets.models import Budget
from pb.budgets.states import Phase
from pb.core.i18n import pick
from pb.extensions import db
from pb.notifications.services import register_kind, register_target


def _title(budget_id):
    budget = db.session.get(Budget, budget_id)
    return f"{pick(budget.municipality, 'name')} — {budget.fiscal_year}"


register_target("budget", lambda i: db.session.get(Budget, i) is not None, _title, "budgets.show_budget", "budget_id")
register_kind("budget.phase", lambda title, p: str(_l(
    "The budget %(title)s moved to the phase «%(phase)s».", title=title, phase=Phase(p["phase"]).label)))
