"""Funded projects: the public list, a printable view by village, a project's page, and staff's updates."""
from flask import Blueprint, abort, current_app, flash, redirect, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage

from pb.budgets import services as budgets
from pb.core.errors import ValidationFailed
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.monitoring import comment_targets, photos, projects, reports  # noqa: F401  (comment_targets registers)
from pb.monitoring.forms import ImplementationForm, MilestoneDoneForm, MilestoneForm, PhotosForm
from pb.proposals import services as proposals

bp = Blueprint("monitoring", __name__)


def visible_budget(budget_id):
    """The budget, or 404 when actor may not see it."""
    budget = budgets.get_budget(budget_id)
    if not can(current_user, "view", budget):
        abort(404)
    return budget


def uploads(files):
    """(name, bytes) of the uploaded files; one byte over the limit tells the photo is too large."""
    limit = current_app.config["PHOTO_MAX_BYTES"] + 1
    return [(f.filename, f.read(limit)) for f in files or () if isinstance(f, FileStorage) and f.filename]


def _visible_implementation(implementation_id):
    implementation = projects.get_implementation(implementation_id)
    if not can(current_user, "view", implementation):
        abort(404)
    return implementation


@bp.route("/budgets/<int:budget_id>/projects")
def list_projects(budget_id):
    """The budget's funded projects with their state and progress."""
    budget = visible_budget(budget_id)
    return render("monitoring/project_list.html", budget=budget, projects=projects.list_projects(budget),
                  can_implement=lambda p: can(current_user, "implement", p))


@bp.route("/budgets/<int:budget_id>/projects/print")
def print_projects(budget_id):
    """A printable, map-free list of the funded projects grouped by village."""
    budget = visible_budget(budget_id)
    listing = projects.list_projects(budget)
    return render("monitoring/project_print.html", budget=budget, villages=projects.by_village(listing.records))


def _render_project(implementation, status=200, **forms):
    manage = can(current_user, "manage", implementation)
    context = dict(
        implementation=implementation, proposal=implementation.proposal, budget=implementation.budget,
        can_manage=manage, can_report=can(current_user, "file_report", implementation.budget),
        reports=reports.list_reports(implementation=implementation),
        milestone_form=forms.get("milestone_form") or (MilestoneForm(prefix="m") if manage else None),
        done_form=MilestoneDoneForm(prefix="d") if manage else None,
        photos_form=forms.get("photos_form") or (PhotosForm() if manage else None),
    )
    return render("monitoring/project_show.html", **context), status


@bp.route("/projects/<int:implementation_id>")
def show_project(implementation_id):
    """A project: who does it, dates, money, progress and milestones, photos, monitoring reports."""
    return _render_project(_visible_implementation(implementation_id))


@bp.route("/proposals/<int:proposal_id>/implementation", methods=["GET", "POST"])
@login_required
def edit_implementation(proposal_id):
    """Create or update the implementation record of a funded proposal."""
    proposal = proposals.get_proposal(proposal_id)
    if not can(current_user, "view", proposal):
        abort(404)
    ensure(current_user, "implement", proposal)
    implementation = projects.find_implementation(proposal)
    form = ImplementationForm(obj=implementation)
    if implementation is None and not form.is_submitted():
        form.planned_cost.data = proposal.estimated_cost
    elif implementation is not None and not form.is_submitted():
        form.status.data = implementation.status.value
    if form.validate_on_submit():
        try:
            implementation = projects.save_implementation(current_user, proposal, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The implementation record has been saved."), "success")
            return redirect(url_for("monitoring.show_project", implementation_id=implementation.id))
    status = 422 if form.is_submitted() else 200
    return render("monitoring/implementation_form.html", form=form, proposal=proposal,
                  implementation=implementation), status


@bp.route("/projects/<int:implementation_id>/milestones", methods=["POST"])
@login_required
def add_milestone(implementation_id):
    """Add a milestone with its planned date."""
    implementation = _visible_implementation(implementation_id)
    ensure(current_user, "manage", implementation)
    form = MilestoneForm(prefix="m")
    if form.validate_on_submit():
        try:
            projects.add_milestone(current_user, implementation, form.title.data, form.planned_date.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The milestone has been added."), "success")
            return redirect(url_for("monitoring.show_project", implementation_id=implementation.id, _anchor="milestones"))
    return _render_project(implementation, 422, milestone_form=form)


@bp.route("/milestones/<int:milestone_id>/done", methods=["POST"])
@login_required
def complete_milestone(milestone_id):
    """Mark a milestone reached on a date (an empty date marks it not reached)."""
    milestone = projects.get_milestone(milestone_id)
    implementation = _visible_implementation(milestone.implementation_id)
    ensure(current_user, "manage", implementation)
    form = MilestoneDoneForm(prefix="d")
    try:
        if not form.validate_on_submit():
            raise ValidationFailed.single("done_date", _("Enter a date such as 2027-05-31."))
        projects.complete_milestone(current_user, milestone, form.done_date.data)
    except ValidationFailed as exc:
        flash(" ".join(str(message) for _field, message in exc.errors), "error")
    else:
        flash(_("The milestone has been updated."), "success")
    return redirect(url_for("monitoring.show_project", implementation_id=implementation.id, _anchor="milestones"))


@bp.route("/projects/<int:implementation_id>/photos", methods=["POST"])
@login_required
def add_project_photos(implementation_id):
    """Add photos of the works."""
    implementation = _visible_implementation(implementation_id)
    ensure(current_user, "manage", implementation)
    form = PhotosForm()
    if form.validate_on_submit():
        try:
            projects.add_photos(current_user, implementation, uploads(form.photos.data))
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The photos have been added."), "success")
            return redirect(url_for("monitoring.show_project", implementation_id=implementation.id))
    return _render_project(implementation, 422, photos_form=form)


@bp.route("/monitoring-photos/<name>")
def show_photo(name):
    """A stored photo of a project or a visit, where its budget is visible."""
    photo = photos.get_photo(name)
    if not can(current_user, "view", photo):
        abort(404)
    return send_from_directory(photos.photo_directory(), photo.name, mimetype=photo.mimetype)
