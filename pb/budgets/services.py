"""Budgets: creation, lines, notes, import, phases and published versions."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.audit.services import record
from pb.budgets import exporters, importers, notices, permissions, versions  # noqa: F401  (notices registers)
from pb.budgets.figures import compute_figures, revenue_by_group
from pb.budgets.models import Budget, BudgetLine, BudgetVersion, PhaseChange
from pb.budgets.states import Category, LineKind, Phase
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.models import to_money
from pb.core.permissions import can, ensure
from pb.extensions import db
from pb.notifications.services import notify_followers

MAX_TEXT = 300


class ImportFailed(ValidationFailed):
    """A spreadsheet with bad rows: errors are importers.RowError items."""


# --- queries ----------------------------------------------------------------------


def get_budget(budget_id):
    budget = db.session.get(Budget, budget_id)
    if budget is None:
        raise NotFound()
    return budget


def get_line(line_id):
    line = db.session.get(BudgetLine, line_id)
    if line is None:
        raise NotFound()
    return line


def get_version(budget, number):
    version = db.session.execute(
        sa.select(BudgetVersion).where(BudgetVersion.budget_id == budget.id, BudgetVersion.number == number)
    ).scalar_one_or_none()
    if version is None:
        raise NotFound()
    return version


def list_budgets(actor, municipality_id):
    """The municipality's budgets that actor may see, newest year first."""
    budgets = db.session.execute(
        sa.select(Budget).where(Budget.municipality_id == municipality_id).order_by(Budget.fiscal_year.desc())
    ).scalars().all()
    return [b for b in budgets if can(actor, "view", b)]


def list_public_budgets(limit=10):
    return db.session.execute(
        sa.select(Budget).where(Budget.phase != Phase.DRAFT).order_by(Budget.updated_at.desc()).limit(limit)
    ).scalars().all()


def budget_figures(budget):
    return compute_figures(budget.lines, budget.municipality.population)


def revenue_groups(budget):
    """The budget's revenue by class of the national classification, largest first."""
    return revenue_by_group(budget.lines)


def lines_by_kind(budget):
    revenue = [line for line in budget.lines if line.kind == LineKind.REVENUE]
    expenditure = [line for line in budget.lines if line.kind == LineKind.EXPENDITURE]
    return revenue, expenditure


# --- budgets and lines --------------------------------------------------------------


def create_budget(actor, municipality, fiscal_year, summary_ky="", summary_ru=""):
    """Start the draft budget of a fiscal year."""
    ensure(actor, "create_budget", municipality)
    if not isinstance(fiscal_year, int) or not 2000 <= fiscal_year <= 2100:
        raise ValidationFailed.single("fiscal_year", _l("Enter a year between 2000 and 2100."))
    exists = db.session.execute(
        sa.select(Budget.id).where(Budget.municipality_id == municipality.id, Budget.fiscal_year == fiscal_year)
    ).first()
    if exists:
        raise ValidationFailed.single("fiscal_year", _l("This municipality already has a budget for %(year)d.", year=fiscal_year))
    budget = Budget(municipality_id=municipality.id, fiscal_year=fiscal_year, phase=Phase.DRAFT,
                    summary_ky=(summary_ky or "").strip(), summary_ru=(summary_ru or "").strip())
    db.session.add(budget)
    db.session.flush()
    record(actor, "budget.create", budget, fiscal_year=fiscal_year)
    db.session.commit()
    return budget


def update_summary(actor, budget, summary_ky, summary_ru):
    """The group's plain-language summary of the whole budget."""
    ensure(actor, "edit_notes", budget)
    budget.summary_ky = (summary_ky or "").strip()
    budget.summary_ru = (summary_ru or "").strip()
    record(actor, "budget.update_summary", budget)
    db.session.commit()


def _line_values(data, errors):
    values = {}
    try:
        values["kind"] = LineKind(data.get("kind"))
    except ValueError:
        errors.append(("kind", _l("Choose revenue or expenditure.")))
    try:
        values["category"] = Category(data.get("category"))
    except ValueError:
        errors.append(("category", _l("Choose a category.")))
    code = (data.get("code") or "").strip()
    if not code or len(code) > 20:
        errors.append(("code", _l("Enter the classification code (up to 20 characters).")))
    values["code"] = code
    for field in ("name_ky", "name_ru"):
        text = (data.get(field) or "").strip()
        if not text:
            errors.append((field, _l("This field is required.")))
        elif len(text) > MAX_TEXT:
            errors.append((field, _l("At most %(n)d characters.", n=MAX_TEXT)))
        values[field] = text
    for field in ("approved_last_year", "executed_last_year", "proposed"):
        raw = data.get(field)
        try:
            amount = to_money(raw if raw not in (None, "") else 0)
        except ValueError:
            errors.append((field, _l("Enter an amount in som, e.g. 125000 or 125000.50.")))
            continue
        if amount < 0:
            errors.append((field, _l("The amount cannot be negative.")))
        values[field] = amount
    values["note"] = (data.get("note") or "").strip()
    return values


def save_line(actor, budget, data, line=None):
    """Add a line, or change one, while the phase allows it."""
    ensure(actor, "edit_lines", budget)
    if line is not None and line.budget_id != budget.id:
        raise NotFound()
    errors = []
    values = _line_values(data, errors)
    if not errors:
        clash = db.session.execute(
            sa.select(BudgetLine.id).where(
                BudgetLine.budget_id == budget.id, BudgetLine.kind == values["kind"], BudgetLine.code == values["code"]
            )
        ).scalar()
        if clash and (line is None or clash != line.id):
            errors.append(("code", _l("The budget already has a line with this code.")))
    if errors:
        raise ValidationFailed(errors)
    action = "budget.update_line"
    if line is None:
        line = BudgetLine(budget=budget)
        db.session.add(line)
        action = "budget.add_line"
    for key, value in values.items():
        setattr(line, key, value)
    db.session.flush()
    record(actor, action, line, municipality_id=budget.municipality_id, budget_id=budget.id, **values)
    db.session.commit()
    return line


def delete_line(actor, line):
    budget = line.budget
    ensure(actor, "edit_lines", budget)
    record(actor, "budget.delete_line", line, municipality_id=budget.municipality_id,
           budget_id=budget.id, code=line.code, kind=line.kind.value)
    db.session.delete(line)
    db.session.commit()


def set_note(actor, line, note):
    """The group's plain-language note on one line."""
    budget = line.budget
    ensure(actor, "edit_notes", budget)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationFailed.single("note", _l("At most %(n)d characters.", n=2000))
    line.note = note
    record(actor, "budget.set_note", line, municipality_id=budget.municipality_id, budget_id=budget.id)
    db.session.commit()
    return line


def import_lines(actor, budget, filename, data):
    """Replace the budget's lines with a spreadsheet's; nothing changes if any row is bad."""
    ensure(actor, "edit_lines", budget)
    result = importers.parse_lines(filename, data)
    if not result.ok:
        raise ImportFailed(result.errors)
    for line in list(budget.lines):
        db.session.delete(line)
    db.session.flush()
    for row in result.rows:
        db.session.add(BudgetLine(budget=budget, **{k: row[k] for k in importers.COLUMNS}))
    db.session.flush()
    record(actor, "budget.import_lines", budget, filename=filename, lines=len(result.rows))
    db.session.commit()
    return len(result.rows)


def export_lines(budget, fmt):
    """The lines as CSV or XLSX bytes, in the format the import reads."""
    if fmt == "csv":
        return exporters.export_csv(budget.lines)
    if fmt == "xlsx":
        return exporters.export_xlsx(budget.lines)
    raise NotFound()


# --- phases and versions ----------------------------------------------------------


def take_version(actor, budget, comment=""):
    """Snapshot the current lines as the next immutable version (the caller audits and commits)."""
    number = (max((v.number for v in budget.versions), default=0)) + 1
    version = BudgetVersion(
        budget=budget, number=number, phase=budget.phase, created_by_id=getattr(actor, "id", None),
        comment=(comment or "").strip(), snapshot=versions.snapshot_lines(budget.lines),
    )
    db.session.add(version)
    db.session.flush()
    return version


def _unpublished_changes(budget):
    if not budget.versions:
        return True
    return budget.versions[-1].snapshot != versions.snapshot_lines(budget.lines)


def change_phase(actor, budget, to, expected_phase=None):
    """Move the budget to another phase; leaving the draft (or any change of lines) publishes a version."""
    try:
        to = Phase(to)
    except ValueError:
        raise ValidationFailed.single("to", _l("Choose a phase.")) from None
    if expected_phase is not None and budget.phase.value != expected_phase:
        raise Conflict(_l("Someone else has just moved this budget to the phase “%(phase)s”.", phase=budget.phase.label))
    ensure(actor, "change_phase", budget, to=to)
    before = budget.phase
    budget.phase = to
    db.session.add(PhaseChange(budget=budget, from_phase=before, to_phase=to, actor_id=actor.id))
    version = None
    if to != Phase.DRAFT and _unpublished_changes(budget):
        version = take_version(actor, budget)
    record(actor, "budget.change_phase", budget, from_phase=before.value, to_phase=to.value,
           version=version.number if version else None)
    notify_followers("budget.phase", "budget", budget.id, actor=actor, phase=to.value)
    db.session.commit()
    return version


def publish_version(actor, budget, comment=""):
    """Publish the current lines as a new immutable version."""
    ensure(actor, "publish", budget)
    if not _unpublished_changes(budget):
        raise ValidationFailed.single(None, _l("Nothing has changed since the last published version."))
    version = take_version(actor, budget, comment)
    record(actor, "budget.publish", budget, version=version.number)
    db.session.commit()
    return version


def compare_versions(budget, old_number, new_number):
    """Line-by-line differences between two versions (0 means the current lines)."""
    def lines_of(number):
        if number == 0:
            return budget.lines
        return versions.load_snapshot(get_version(budget, number).snapshot)

    return versions.compare(lines_of(old_number), lines_of(new_number))

