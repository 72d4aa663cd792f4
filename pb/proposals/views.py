"""Proposal pages: the lists per budget, submission, the public proposal page and the reviewers' actions."""
from flask import Blueprint, abort, current_app, flash, redirect, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from werkzeug.datastructures import FileStorage

from pb.budgets import services as budgets
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, page_arg, render
from pb.notifications import services as notifications
from pb.proposals import review, services
from pb.proposals.forms import FilterForm, MergeForm, PhotosForm, ProposalForm, StatusForm, SupportForm
from pb.proposals.states import MERGEABLE, SUPPORTABLE, allowed_targets

bp = Blueprint("proposals", __name__)

FILTERS = ("village", "category", "status", "sort")


def _visible_budget(budget_id):
    budget = budgets.get_budget(budget_id)
    if not can(current_user, "view", budget):
        abort(404)  # a draft does not reveal that it exists
    return budget


def _visible_proposal(proposal_id):
    proposal = services.get_proposal(proposal_id)
    if not can(current_user, "view", proposal):
        abort(404)
    return proposal


def _uploads(files):
    # one byte more than allowed is enough to tell the uploader the photo is too large
    limit = current_app.config["PHOTO_MAX_BYTES"] + 1
    return [(f.filename, f.read(limit)) for f in files or () if isinstance(f, FileStorage) and f.filename]


def _back(proposal):
    return redirect(url_for("proposals.show_proposal", proposal_id=proposal.id))


def _support_context(proposal):
    return dict(proposal=proposal, can_support=can(current_user, "support", proposal),
                support_open=proposal.status in SUPPORTABLE, supporting=services.is_supporting(current_user, proposal))


def _shown(form, choices):
    """A form with nothing to choose is shown only to explain why it was refused."""
    if form is None or not (choices or form.form_errors or any(field.errors for field in form)):
        return None
    return form


def _render_show(proposal, status_form=None, merge_form=None, photos_form=None, status=200):
    if can(current_user, "review", proposal):
        status_form = status_form or StatusForm(expected=proposal.status.value)
        status_form.to.choices = [(s.value, s.label) for s in allowed_targets(proposal.status)]
        merge_form = merge_form or (MergeForm() if proposal.status in MERGEABLE else None)
        if merge_form is not None:
            merge_form.into.choices = [(str(p.id), f"#{p.id} {p.title}") for p in services.merge_targets(proposal)]
    return render(
        "proposals/proposal_show.html",
        budget=proposal.budget,
        status_form=_shown(status_form, status_form and status_form.to.choices),
        merge_form=_shown(merge_form, merge_form and merge_form.into.choices),
        photos_form=(photos_form or PhotosForm()) if can(current_user, "add_photos", proposal) else None,
        max_photos=current_app.config["PHOTO_MAX_COUNT"],
        following=notifications.is_following(current_user, "proposal", proposal.id),
        **_support_context(proposal),
    ), status


@bp.route("/budgets/<int:budget_id>/proposals")
def list_proposals(budget_id):
    """The budget's proposals, filtered by village, category and status, sorted, a page at a time."""
    budget = _visible_budget(budget_id)
    villages = budget.municipality.villages
    filters = {key: request.args.get(key) or None for key in FILTERS}
    pagination = services.list_proposals(budget, filters["village"], filters["category"], filters["status"],
                                         filters["sort"] or services.DEFAULT_SORT, page_arg(),
                                         current_app.config["PER_PAGE"])
    return render("proposals/proposal_list.html", budget=budget, pagination=pagination, filters=filters,
                  form=FilterForm(villages, formdata=request.args), can_propose=can(current_user, "propose", budget))


@bp.route("/budgets/<int:budget_id>/proposals/new", methods=["GET", "POST"])
@login_required
def create_proposal(budget_id):
    """Submit a proposal for the budget, with photos; every problem is shown, nothing is saved."""
    budget = _visible_budget(budget_id)
    ensure(current_user, "propose", budget)
    villages = budget.municipality.villages
    form = ProposalForm(villages)
    if not form.is_submitted() and current_user.village_id in {v.id for v in villages}:
        form.village_id.data = str(current_user.village_id)
    if form.validate_on_submit():
        try:
            proposal = services.submit_proposal(current_user, budget, form.data, _uploads(form.photos.data))
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("Your proposal has been submitted. You will be notified when its status changes."), "success")
            return _back(proposal)
    return render("proposals/proposal_new.html", form=form, budget=budget)


@bp.route("/proposals/<int:proposal_id>")
def show_proposal(proposal_id):
    """The proposal, public: facts, photos, supporters, and its dated status history with reasons."""
    return _render_show(_visible_proposal(proposal_id))


@bp.route("/proposals/<int:proposal_id>/status", methods=["POST"])
@login_required
def change_status(proposal_id):
    """Move the proposal to another status, with a public reason."""
    proposal = _visible_proposal(proposal_id)
    ensure(current_user, "review", proposal)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            review.change_status(current_user, proposal, form.to.data, form.reason.data, form.expected.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        except Conflict as exc:
            flash(str(exc.message), "error")
            return _back(proposal)
        else:
            flash(_("The proposal is now «%(status)s».", status=proposal.status.label), "success")
            return _back(proposal)
    return _render_show(proposal, status_form=form, status=422)


@bp.route("/proposals/<int:proposal_id>/merge", methods=["POST"])
@login_required
def merge_proposal(proposal_id):
    """Merge this proposal, a duplicate, into another proposal of the budget."""
    proposal = _visible_proposal(proposal_id)
    ensure(current_user, "review", proposal)
    form = MergeForm()
    if form.validate_on_submit():
        try:
            into = services.get_proposal(int(form.into.data or 0))
        except (ValueError, NotFound):
            into = None
        try:
            review.merge_proposals(current_user, proposal, into, form.reason.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The proposal has been merged into #%(number)d.", number=into.id), "success")
            return redirect(url_for("proposals.show_proposal", proposal_id=into.id))
    return _render_show(proposal, merge_form=form, status=422)


@bp.route("/proposals/<int:proposal_id>/support", methods=["POST"])
@login_required
def support_proposal(proposal_id):
    """Support the proposal, or withdraw one's support (action=withdraw); htmx swaps the block."""
    proposal = _visible_proposal(proposal_id)
    ensure(current_user, "support", proposal)
    form = SupportForm()
    if not form.validate_on_submit():
        abort(400)
    if form.action.data == "withdraw":
        services.withdraw_support(current_user, proposal)
    else:
        services.support(current_user, proposal)
    if request.headers.get("HX-Request"):
        return render("proposals/_support.html", **_support_context(proposal))
    return _back(proposal)


@bp.route("/proposals/<int:proposal_id>/photos", methods=["POST"])
@login_required
def add_photos(proposal_id):
    """Add photos to the proposal (its authors and the reviewers)."""
    proposal = _visible_proposal(proposal_id)
    ensure(current_user, "add_photos", proposal)
    form = PhotosForm()
    if form.validate_on_submit():
        try:
            names = services.add_photos(current_user, proposal, _uploads(form.photos.data))
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(ngettext("%(num)d photo has been added.", "%(num)d photos have been added.", len(names)), "success")
            return _back(proposal)
    return _render_show(proposal, photos_form=form, status=422)


@bp.route("/proposal-photos/<name>")
def show_photo(name):
    """A stored photo; only names recorded in the database are served, and only where the proposal is visible."""
    photo = services.get_photo(name)
    if not can(current_user, "view", photo.proposal):
        abort(404)
    return send_from_directory(services.photo_directory(), photo.name, mimetype=photo.mimetype)
