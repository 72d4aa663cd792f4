"""Execution of a budget: figures per line and period, their import, and planned against executed."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from babel.dates import get_month_names
from flask_babel import get_locale, lazy_gettext as _l

from pb.audit.services import record
from pb.budgets import execution_importers, states
from pb.budgets.execution_models import ExecutionFigure, PeriodKind
from pb.budgets.models import Budget, BudgetLine
from pb.budgets.services import ImportFailed
from pb.budgets.states import Category, LineKind, Phase
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.models import local_now, to_money
from pb.core.permissions import ensure, rule
from pb.extensions import db
from pb.groups.services import roles_in

# A line is "off plan" when it executes more than this share above its plan, or, once the year
# is over (or its last period recorded), more than this share below it. Said on the page.
OFF_PLAN_THRESHOLD = Decimal("0.10")
# Execution is recorded once the council has approved the budget.
EXECUTION_PHASES = {Phase.APPROVED, Phase.MONITORING}
MAX_NOTE = 500
ZERO = Decimal("0.00")


@rule(Budget, "record_execution")
def can_record_execution(actor, budget):
    """Municipal staff (and the admin) record execution of an approved budget."""
    if not actor or budget.phase not in EXECUTION_PHASES:
        return False
    return actor.is_admin or states.STAFF in roles_in(actor, budget.municipality_id)


def period_label(kind, number):
    """“Q2 / 2-чейрек / 2 квартал”, or the month's name, in the current language."""
    if kind == PeriodKind.QUARTER:
        return str(_l("Q%(n)d", n=number))
    return get_month_names("wide", context="stand-alone", locale=str(get_locale()))[number]


def period_choices(kind=None):
    """(value, label) of the periods: quarters and months, or only the budget's kind once it has one."""
    kinds = [kind] if kind else [PeriodKind.QUARTER, PeriodKind.MONTH]
    return [(f"{k.value}-{n}", period_label(k, n)) for k in kinds for n in range(1, k.count + 1)]


# --- queries ----------------------------------------------------------------------


def get_figure(figure_id):
    """The execution figure, or NotFound."""
    figure = db.session.get(ExecutionFigure, figure_id)
    if figure is None:
        raise NotFound()
    return figure


def list_figures(budget):
    """The budget's figures, in period order."""
    return db.session.execute(
        sa.select(ExecutionFigure).where(ExecutionFigure.budget_id == budget.id)
        .order_by(ExecutionFigure.period, ExecutionFigure.line_id)
    ).scalars().all()


def period_kind_of(budget):
    """Months or quarters, as the budget's figures are recorded; None before the first figure."""
    return db.session.execute(
        sa.select(ExecutionFigure.period_kind).where(ExecutionFigure.budget_id == budget.id).limit(1)
    ).scalar()


def line_figures(line):
    """The line's figures in period order."""
    return db.session.execute(
        sa.select(ExecutionFigure).where(ExecutionFigure.line_id == line.id).order_by(ExecutionFigure.period)
    ).scalars().all()


@dataclass(frozen=True)
class LineExecution:
    line: BudgetLine
    planned: Decimal
    executed: Decimal
    figures: dict  # period number -> ExecutionFigure
    status: str  # "over", "under" or ""

    @property
    def ratio(self):
        return self.executed / self.planned if self.planned else None


@dataclass(frozen=True)
class CategoryExecution:
    category: Category
    planned: Decimal
    executed: Decimal
    status: str

    @property
    def ratio(self):
        return self.executed / self.planned if self.planned else None


@dataclass(frozen=True)
class ExecutionReport:
    budget: Budget
    period_kind: PeriodKind | None
    periods: tuple  # the period numbers with at least one figure
    year_over: bool  # the fiscal year has ended, or its last period is recorded
    revenue: tuple  # LineExecution
    expenditure: tuple
    categories: tuple  # CategoryExecution of expenditure, largest plan first
    threshold: Decimal

    def totals(self, rows):
        """(planned, executed) summed over rows."""
        return (sum((r.planned for r in rows), ZERO), sum((r.executed for r in rows), ZERO))

    @property
    def largest(self):
        return max([max(c.planned, c.executed) for c in self.categories] or [ZERO])

    @property
    def off_plan(self):
        """The lines that stand out, revenue first."""
        return [r for r in self.revenue + self.expenditure if r.status]


def _status(planned, executed, year_over, threshold):
    if executed > planned * (1 + threshold):
        return "over"
    if year_over and executed < planned * (1 - threshold):
        return "under"
    return ""


def execution_report(budget, today=None):
    """Planned against executed per line and per category; lines far off their plan are marked."""
    figures = list_figures(budget)
    kind = figures[0].period_kind if figures else None
    periods = tuple(sorted({f.period for f in figures}))
    today = today or local_now().date()
    year_over = today > date(budget.fiscal_year, 12, 31) or bool(kind and kind.count in periods)
    by_line = {}
    for figure in figures:
        by_line.setdefault(figure.line_id, {})[figure.period] = figure
    rows = {LineKind.REVENUE: [], LineKind.EXPENDITURE: []}
    by_category = {}
    for line in budget.lines:
        line_figures = by_line.get(line.id, {})
        executed = sum((f.executed for f in line_figures.values()), ZERO)
        status = _status(line.proposed, executed, year_over, OFF_PLAN_THRESHOLD)
        rows[line.kind].append(LineExecution(line, line.proposed, executed, line_figures, status))
        if line.kind == LineKind.EXPENDITURE:
            planned_sum, executed_sum = by_category.get(line.category, (ZERO, ZERO))
            by_category[line.category] = (planned_sum + line.proposed, executed_sum + executed)
    categories = tuple(sorted(
        (CategoryExecution(cat, p, e, _status(p, e, year_over, OFF_PLAN_THRESHOLD))
         for cat, (p, e) in by_category.items()),
        key=lambda c: (-c.planned, c.category.value)))
    return ExecutionReport(budget, kind, periods, year_over, tuple(rows[LineKind.REVENUE]),
                           tuple(rows[LineKind.EXPENDITURE]), categories, OFF_PLAN_THRESHOLD)


# --- recording --------------------------------------------------------------------


def _existing(budget):
    """(line id, kind, period) -> the budget's figure: one query for a whole import."""
    return {(f.line_id, f.period_kind, f.period): f for f in list_figures(budget)}


def _upsert(actor, budget, existing, line, kind, period, executed, note):
    """Write the figure; returns the amount it replaces (None for a new one), for the audit log."""
    figure = existing.get((line.id, kind, period))
    previous = figure.executed if figure is not None else None
    if figure is None:
        figure = existing[(line.id, kind, period)] = ExecutionFigure(
            budget_id=budget.id, line_id=line.id, period_kind=kind, period=period)
        db.session.add(figure)
    figure.executed, figure.note, figure.recorded_by_id = executed, note, actor.id
    return figure, previous


def record_figure(actor, line, data):
    """Record (or correct) what was executed on a line in one period."""
    budget = line.budget
    ensure(actor, "record_execution", budget)
    errors, existing = [], period_kind_of(budget)
    kind, _sep, number = str(data.get("period") or "").partition("-")
    try:
        kind, period = PeriodKind(kind), int(number)
        if not 1 <= period <= kind.count:
            raise ValueError
    except ValueError:
        kind = period = None
        errors.append(("period", _l("Choose a period.")))
    if kind and existing and kind != existing:
        errors.append(("period", execution_importers.MIXED[existing]))
    try:
        executed = to_money(data.get("executed") if data.get("executed") not in (None, "") else "x")
        if executed < 0 or executed >= execution_importers.importers.MAX_AMOUNT:
            raise ValueError
    except ValueError:
        executed = None
        errors.append(("executed", _l("Enter an amount in som, e.g. 125000 or 125000.50.")))
    note = (data.get("note") or "").strip()
    if len(note) > MAX_NOTE:
        errors.append(("note", _l("At most %(n)d characters.", n=MAX_NOTE)))
    if errors:
        raise ValidationFailed(errors)
    figure, previous = _upsert(actor, budget, _existing(budget), line, kind, period, executed, note)
    _commit_or_conflict(lambda: record(
        actor, "budget.record_execution", figure, municipality_id=budget.municipality_id, budget_id=budget.id,
        line_id=line.id, period_kind=kind.value, period=period, executed=executed, previous=previous))
    return figure


def _commit_or_conflict(audit):
    """Flush, audit and commit; a figure written at the same moment by someone else is a Conflict, not a 500."""
    try:
        db.session.flush()
        audit()
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("Someone else recorded figures for the same lines at the same moment; please try again.")) from None


def import_figures(actor, budget, filename, data):
    """Record a treasury spreadsheet's figures; nothing is saved while any row is bad."""
    ensure(actor, "record_execution", budget)
    result = execution_importers.parse_execution(filename, data, budget.lines, budget.fiscal_year,
                                                 period_kind_of(budget))
    if not result.ok:
        raise ImportFailed(result.errors)
    existing, replaced = _existing(budget), []
    for row in result.rows:
        kind, period = row["period"]
        _figure, previous = _upsert(actor, budget, existing, row["line"], kind, period, row["executed"], row["note"])
        if previous is not None and previous != row["executed"]:
            replaced.append([row["line"].code, kind.value, period, str(previous), str(row["executed"])])
    _commit_or_conflict(lambda: record(actor, "budget.import_execution", budget, filename=filename,
                                       figures=len(result.rows), replaced=replaced))
    return len(result.rows)
