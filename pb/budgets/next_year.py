"""Starting next year's draft budget from an approved one: its lines, with this year's plan and execution."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.audit.services import record
from pb.budgets.execution import EXECUTION_PHASES
from pb.budgets.execution_models import ExecutionFigure
from pb.budgets.models import Budget, BudgetLine
from pb.budgets.states import Phase
from pb.core.errors import ValidationFailed
from pb.core.permissions import ensure
from pb.extensions import db


def find_previous(budget):
    """The municipality's budget of the year before, or None."""
    return db.session.execute(
        sa.select(Budget).where(Budget.municipality_id == budget.municipality_id,
                                Budget.fiscal_year == budget.fiscal_year - 1)
    ).scalar_one_or_none()


def executed_by_line(budget):
    """line id -> the amount executed so far (the sum of its figures)."""
    rows = db.session.execute(
        sa.select(ExecutionFigure.line_id, sa.func.sum(ExecutionFigure.executed))
        .where(ExecutionFigure.budget_id == budget.id).group_by(ExecutionFigure.line_id)
    ).all()
    return dict(rows)  # the sum keeps the Money type: exact Decimals


def start_budget_from(actor, previous, fiscal_year):
    """Create the draft of fiscal_year with previous's lines: its plan becomes last year's approved, its execution last year's executed."""
    ensure(actor, "create_budget", previous.municipality)
    if previous.phase not in EXECUTION_PHASES:
        raise ValidationFailed.single(None, _l("Only an approved budget can be the start of the next one."))
    if not isinstance(fiscal_year, int) or not previous.fiscal_year < fiscal_year <= 2100:
        raise ValidationFailed.single("fiscal_year", _l("Enter a year after %(year)d.", year=previous.fiscal_year))
    exists = db.session.execute(sa.select(Budget.id).where(
        Budget.municipality_id == previous.municipality_id, Budget.fiscal_year == fiscal_year)).first()
    if exists:
        raise ValidationFailed.single("fiscal_year", _l("This municipality already has a budget for %(year)d.",
                                                        year=fiscal_year))
    executed = executed_by_line(previous)
    budget = Budget(municipality_id=previous.municipality_id, fiscal_year=fiscal_year, phase=Phase.DRAFT)
    db.session.add(budget)
    for line in previous.lines:
        db.session.add(BudgetLine(budget=budget, kind=line.kind, code=line.code, name_ky=line.name_ky,
                                  name_ru=line.name_ru, category=line.category, approved_last_year=line.proposed,
                                  executed_last_year=executed.get(line.id, 0), proposed=line.proposed, note=""))
    db.session.flush()
    record(actor, "budget.start_from", budget, fiscal_year=fiscal_year, previous_id=previous.id,
           lines=len(previous.lines))
    db.session.commit()
    return budget
