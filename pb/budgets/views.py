"""Budget pages: the public budget and line pages, and the editors' actions."""
from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.budgets import approval as approvals
from pb.budgets import permissions, samples, services
from pb.budgets.forms import (
    BudgetForm,
    CompareForm,
    ImportForm,
    LineForm,
    NoteForm,
    PhaseForm,
    PublishForm,
    SummaryForm,
)
from pb.budgets.importers import HEADERS
from pb.core.errors import Conflict, ValidationFailed
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.notifications import services as notifications
from pb.places import services as places

bp = Blueprint("budgets", __name__)

MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _visible_budget(budget_id):
    budget = services.get_budget(budget_id)
    if not can(current_user, "view", budget):
        abort(404)  # a draft does not reveal that it exists
    return budget


@bp.route("/m/<slug>/budgets/new", methods=["GET", "POST"])
@login_required
def create_budget(slug):
    """Start the draft budget of a fiscal year."""
    municipality = places.get_municipality(slug)
    ensure(current_user, "create_budget", municipality)
    form = BudgetForm()
    if form.validate_on_submit():
        try:
            budget = services.create_budget(current_user, municipality, form.fiscal_year.data,
                                            form.summary_ky.data, form.summary_ru.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The draft budget has been created. Import its lines from a spreadsheet or add them one by one."), "success")
            return redirect(url_for("budgets.show_budget", budget_id=budget.id))
    return render("budgets/budget_new.html", form=form, municipality=municipality)


@bp.route("/budgets/<int:budget_id>")
def show_budget(budget_id):
    """The budget: totals, revenue against expenditure, categories, change, notes and lines."""
    budget = _visible_budget(budget_id)
    revenue, expenditure = services.lines_by_kind(budget)
    return render(
        "budgets/budget_show.html",
        budget=budget,
        figures=services.budget_figures(budget),
        revenue=revenue,
        expenditure=expenditure,
        targets=permissions.phase_targets(current_user, budget),
        can_edit=can(current_user, "edit_lines", budget),
        can_notes=can(current_user, "edit_notes", budget),
        can_publish=can(current_user, "publish", budget),
        phase_form=PhaseForm(),
        publish_form=PublishForm(),
        following=notifications.is_following(current_user, "budget", budget.id),
        approval=approvals.find_approval(budget),
        can_approve=can(current_user, "approve", budget),
    )


@bp.route("/budgets/<int:budget_id>/summary", methods=["GET", "POST"])
@login_required
def edit_summary(budget_id):
    """The group's plain-language summary."""
    budget = _visible_budget(budget_id)
    ensure(current_user, "edit_notes", budget)
    form = SummaryForm(obj=budget)
    if form.validate_on_submit():
        services.update_summary(current_user, budget, form.summary_ky.data, form.summary_ru.data)
        flash(_("The changes have been saved."), "success")
        return redirect(url_for("budgets.show_budget", budget_id=budget.id))
    return render("budgets/summary_form.html", form=form, budget=budget)


@bp.route("/lines/<int:line_id>")
def show_line(line_id):
    """One line: its amounts, change against last year and the group's note."""
    line = services.get_line(line_id)
    budget = _visible_budget(line.budget_id)
    note_form = NoteForm(obj=line) if can(current_user, "edit_notes", budget) else None
    return render("budgets/line_show.html", line=line, budget=budget, note_form=note_form,
                  can_edit=can(current_user, "edit_lines", budget))


@bp.route("/lines/<int:line_id>/note", methods=["POST"])
@login_required
def set_note(line_id):
    """Save the note (htmx swaps the note block; without JavaScript the page reloads)."""
    line = services.get_line(line_id)
    budget = _visible_budget(line.budget_id)
    ensure(current_user, "edit_notes", budget)
    form = NoteForm()
    saved = False
    if form.validate_on_submit():
        try:
            services.set_note(current_user, line, form.note.data)
            saved = True
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
    if saved and not request.headers.get("HX-Request"):
        flash(_("The note has been saved."), "success")
        return redirect(url_for("budgets.show_line", line_id=line.id))
    return render("budgets/line_show.html", "budgets/_line_note.html", line=line, budget=budget,
                  note_form=form, saved=saved, can_edit=can(current_user, "edit_lines", budget)), (200 if saved else 422)


@bp.route("/budgets/<int:budget_id>/lines/new", methods=["GET", "POST"])
@bp.route("/lines/<int:line_id>/edit", methods=["GET", "POST"])
@login_required
def edit_line(budget_id=None, line_id=None):
    """Add a line or change one."""
    line = services.get_line(line_id) if line_id else None
    budget = _visible_budget(line.budget_id if line else budget_id)
    ensure(current_user, "edit_lines", budget)
    form = LineForm(obj=line)
    if line is not None and not form.is_submitted():
        form.kind.data, form.category.data = line.kind.value, line.category.value
    if form.validate_on_submit():
        try:
            line = services.save_line(current_user, budget, form.data, line)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The line has been saved."), "success")
            return redirect(url_for("budgets.show_line", line_id=line.id))
    return render("budgets/line_form.html", form=form, budget=budget, line=line)


@bp.route("/lines/<int:line_id>/delete", methods=["POST"])
@login_required
def delete_line(line_id):
    """Remove a line (the audit log keeps what it was)."""
    line = services.get_line(line_id)
    budget = _visible_budget(line.budget_id)
    ensure(current_user, "edit_lines", budget)
    if PublishForm().validate_on_submit():
        services.delete_line(current_user, line)
        flash(_("The line has been removed."), "success")
    return redirect(url_for("budgets.show_budget", budget_id=budget.id))


@bp.route("/budgets/<int:budget_id>/import", methods=["GET", "POST"])
@login_required
def import_lines(budget_id):
    """Replace the lines from an XLSX or CSV file; every bad row is listed, nothing saved."""
    budget = _visible_budget(budget_id)
    ensure(current_user, "edit_lines", budget)
    form = ImportForm()
    row_errors = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            count = services.import_lines(current_user, budget, upload.filename or "", upload.read())
        except services.ImportFailed as exc:
            row_errors = exc.errors
        else:
            flash(_("%(n)d lines have been imported.", n=count), "success")
            return redirect(url_for("budgets.show_budget", budget_id=budget.id))
    status = 422 if row_errors else 200
    return render("budgets/import.html", form=form, budget=budget, row_errors=row_errors, headers=HEADERS), status


@bp.route("/budgets/<int:budget_id>/export.<fmt>")
def export_lines(budget_id, fmt):
    """The lines as a spreadsheet that the import reads back."""
    budget = _visible_budget(budget_id)
    if fmt not in MIMETYPES:
        abort(404)
    data = services.export_lines(budget, fmt)
    name = f"budget-{budget.municipality.slug}-{budget.fiscal_year}.{fmt}"
    return Response(data, mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/budgets/sample.<fmt>")
def sample_spreadsheet(fmt):
    """A sample spreadsheet in the import format (the demo's Ak-Dobo draft)."""
    if fmt not in MIMETYPES:
        abort(404)
    return Response(samples.sample_spreadsheet(fmt), mimetype=MIMETYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="ashar-budget-sample.{fmt}"'})


@bp.route("/budgets/<int:budget_id>/phase", methods=["POST"])
@login_required
def change_phase(budget_id):
    """Move the budget to the next (or a previous) phase."""
    budget = _visible_budget(budget_id)
    form = PhaseForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        version = services.change_phase(current_user, budget, form.to.data, form.expected.data or None)
    except ValidationFailed:
        abort(400)
    except Conflict as exc:
        flash(str(exc.message), "error")
    else:
        flash(_("The budget is now in the phase “%(phase)s”.", phase=budget.phase.label), "success")
        if version:
            flash(_("Version %(n)d has been published.", n=version.number), "success")
    return redirect(url_for("budgets.show_budget", budget_id=budget.id))


@bp.route("/budgets/<int:budget_id>/publish", methods=["POST"])
@login_required
def publish_version(budget_id):
    """Publish the current lines as a new version."""
    budget = _visible_budget(budget_id)
    ensure(current_user, "publish", budget)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            version = services.publish_version(current_user, budget, form.comment.data)
        except ValidationFailed as exc:
            flash(str(exc.errors[0][1]), "error")
        else:
            flash(_("Version %(n)d has been published.", n=version.number), "success")
    return redirect(url_for("budgets.list_versions", budget_id=budget.id))


@bp.route("/budgets/<int:budget_id>/versions")
def list_versions(budget_id):
    """The published versions, and a comparison of any two of them line by line."""
    budget = _visible_budget(budget_id)
    numbers = [v.number for v in budget.versions]
    form = CompareForm(formdata=request.args if request.args else None)
    choices = [(n, _("Version %(n)d", n=n)) for n in numbers]
    if can(current_user, "edit_lines", budget):
        choices.append((0, _("current, not yet published")))
    form.a.choices = form.b.choices = choices
    diffs = None
    if request.args and form.validate():
        valid = {c[0] for c in choices}
        if form.a.data not in valid or form.b.data not in valid:
            abort(404)
        diffs = services.compare_versions(budget, form.a.data, form.b.data)
    elif len(numbers) >= 2:
        form.a.data, form.b.data = numbers[-2], numbers[-1]
    return render("budgets/versions.html", budget=budget, form=form, diffs=diffs)
