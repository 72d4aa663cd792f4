"""Execution pages: planned against executed (public), one figure with its comments, recording and import."""
from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.budgets import execution, execution_importers, services
from pb.budgets.execution_forms import FigureForm
from pb.budgets.forms import ImportForm
from pb.budgets.views import MIMETYPES
from pb.core.errors import Conflict, ValidationFailed
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render

bp = Blueprint("execution", __name__)


def _budget_in_execution(budget_id):
    budget = services.get_budget(budget_id)
    if not can(current_user, "view", budget) or budget.phase not in execution.EXECUTION_PHASES:
        abort(404)  # before approval there is no execution to show
    return budget


@bp.app_template_global()
def line_execution(line):
    """(figures, executed total) of a line whose budget is being carried out, else None: for the line's page."""
    if line.budget.phase not in execution.EXECUTION_PHASES:
        return None
    figures = execution.line_figures(line)
    return figures, sum((f.executed for f in figures), execution.ZERO)


@bp.route("/budgets/<int:budget_id>/execution")
def show_execution(budget_id):
    """Planned against executed, per line and per category, with lines far off their plan marked."""
    budget = _budget_in_execution(budget_id)
    return render("budgets/execution_show.html", budget=budget, report=execution.execution_report(budget),
                  period_label=execution.period_label, can_record=can(current_user, "record_execution", budget),
                  can_report=can(current_user, "file_report", budget))


@bp.app_template_global()
def execution_period(figure):
    """The figure's period in the current language."""
    return execution.period_label(figure.period_kind, figure.period)


@bp.app_template_global()
def may_record_execution(budget):
    """Whether the viewer may record the budget's execution."""
    return can(current_user, "record_execution", budget)


@bp.route("/execution/<int:figure_id>")
def show_figure(figure_id):
    """One executed figure, with the residents' comments on it."""
    figure = execution.get_figure(figure_id)
    budget = _budget_in_execution(figure.budget_id)
    return render("budgets/execution_figure.html", figure=figure, budget=budget, line=figure.line,
                  period_label=execution.period_label)


@bp.route("/lines/<int:line_id>/execution", methods=["GET", "POST"])
@login_required
def record_figure(line_id):
    """Record (or correct) what a line executed in a month or a quarter."""
    line = services.get_line(line_id)
    budget = _budget_in_execution(line.budget_id)
    ensure(current_user, "record_execution", budget)
    kind = execution.period_kind_of(budget)
    form = FigureForm(execution.period_choices(kind))
    if form.validate_on_submit():
        try:
            execution.record_figure(current_user, line, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        except Conflict as exc:
            form.form_errors.append(exc.message)
        else:
            flash(_("The figure has been saved."), "success")
            return redirect(url_for("execution.show_execution", budget_id=budget.id, _anchor=f"line-{line.id}"))
    status = 422 if form.errors or form.form_errors else 200
    return render("budgets/execution_form.html", form=form, line=line, budget=budget, kind=kind), status


@bp.route("/budgets/<int:budget_id>/execution/import", methods=["GET", "POST"])
@login_required
def import_execution(budget_id):
    """Import the treasury's figures from XLSX or CSV; every bad row is listed, nothing saved."""
    budget = _budget_in_execution(budget_id)
    ensure(current_user, "record_execution", budget)
    form = ImportForm()
    row_errors = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            count = execution.import_figures(current_user, budget, upload.filename or "", upload.read())
        except services.ImportFailed as exc:
            row_errors = exc.errors
        except Conflict as exc:
            form.form_errors.append(exc.message)
        else:
            flash(_("%(n)d figures have been imported.", n=count), "success")
            return redirect(url_for("execution.show_execution", budget_id=budget.id))
    return render("budgets/execution_import.html", form=form, budget=budget, row_errors=row_errors,
                  headers=execution_importers.HEADERS), (422 if row_errors or form.form_errors else 200)


@bp.route("/budgets/execution-sample.<fmt>")
def execution_sample(fmt):
    """A sample treasury spreadsheet in the format the execution import reads."""
    if fmt not in MIMETYPES:
        abort(404)
    return Response(execution_importers.sample_spreadsheet(fmt), mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="ashar-execution-sample.{fmt}"'})
