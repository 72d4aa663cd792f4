"""Preparing and running a round: settings, opening and closing, locations, codes, the registration desk,
paper ballots. The code slips (a PDF) are made by reports.print_code_slips, in the reports layer."""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.budgets import services as budgets
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.models import local_now
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.hearings.dates import format_when
from pb.voting import code_batches, kiosks, paper, results, services
from pb.voting.forms import (
    BindForm, CodeBatchForm, ConfirmForm, DeskSearchForm, LocationForm, PaperForm, RoundForm, VoidBatchForm,
    VoidCodeForm,
)
from pb.voting.rules import RULES
from pb.voting.states import Method, PaperStatus

bp = Blueprint("voting_admin", __name__)

REFUSED_SHOWN, PAPER_SHOWN = 50, 30


@bp.app_template_global()
def may_prepare_round(budget):
    """Whether the current user may prepare a voting round on the budget (the budget page's link)."""
    return can(current_user, "create_round", budget.municipality)


def visible_round(round_id):
    """The round, or 404 when it does not exist or is in preparation and the user is not one of its organisers."""
    round_ = services.get_round(round_id)
    if not can(current_user, "view", round_):
        abort(404)  # a round in preparation does not reveal that it exists
    return round_


def flash_error(exc):
    """A refused change as one flash message."""
    if isinstance(exc, ValidationFailed):
        flash(" ".join(str(message) for _field, message in exc.errors), "error")
    else:
        flash(str(exc.message), "error")


def _manage(round_, anchor=None):
    return redirect(url_for("voting_admin.manage_round", round_id=round_.id, _anchor=anchor))


# --- the round's settings ---------------------------------------------------------


def _render_form(form, budget, round_, status):
    return render("voting/admin_round_form.html", form=form, budget=budget, round_=round_), status


@bp.route("/budgets/<int:budget_id>/rounds/new", methods=["GET", "POST"])
@login_required
def create_round(budget_id):
    """Prepare a voting round on the budget's proposals; it stays in preparation until opened."""
    budget = budgets.get_budget(budget_id)
    if not can(current_user, "view", budget):
        abort(404)
    ensure(current_user, "create_round", budget.municipality)
    candidates = services.ballot_candidates(budget)
    form = RoundForm(candidates) if request.method == "POST" else RoundForm.initial(candidates)
    if form.validate_on_submit():
        try:
            round_ = services.create_round(current_user, budget, form.service_data())
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The round has been prepared. Check it, add the locations, then open it."), "success")
            return _manage(round_)
    return _render_form(form, budget, None, 422 if form.is_submitted() else 200)


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
@login_required
def edit_round(round_id):
    """Change the settings and the ballot of a round still in preparation."""
    round_ = visible_round(round_id)
    ensure(current_user, "edit", round_)
    candidates = services.ballot_candidates(round_.budget)
    form = RoundForm(candidates) if request.method == "POST" else RoundForm.initial(candidates, round_)
    if form.validate_on_submit():
        try:
            services.update_round(current_user, round_, form.service_data())
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The changes have been saved."), "success")
            return _manage(round_)
    return _render_form(form, round_.budget, round_, 422 if form.is_submitted() else 200)


# --- the control page -------------------------------------------------------------


def _render_manage(round_, status=200, **forms):
    """The control page; forms sent back with their errors replace the empty ones."""
    may_manage = can(current_user, "manage", round_)
    refused = results.refused_list(round_)
    return render(
        "voting/admin_manage.html", "voting/_admin_turnout.html",
        round_=round_, may_manage=may_manage, may_edit=can(current_user, "edit", round_),
        rule_label=RULES.get(round_.allocation_rule, round_.allocation_rule),
        past_closing=local_now() >= round_.closes_at,
        may_run=can(current_user, "run", round_), turnout=results.turnout(round_),
        batches=code_batches.list_batches(round_), kiosks=kiosks.list_kiosks(round_),
        refused=refused[:REFUSED_SHOWN], refused_total=len(refused),
        confirm_form=ConfirmForm(), void_batch_form=VoidBatchForm(),
        location_form=forms.get("location_form") or LocationForm(round_.municipality.villages),
        batch_form=forms.get("batch_form") or CodeBatchForm(round_.locations),
        void_code_form=forms.get("void_code_form") or VoidCodeForm(),
    ), status


@bp.route("/rounds/<int:round_id>/manage")
@login_required
def manage_round(round_id):
    """The control page: settings, opening and closing, locations, codes, kiosks, refusals and turnout."""
    round_ = visible_round(round_id)
    if not (can(current_user, "manage", round_) or can(current_user, "run", round_)):
        abort(403)
    return _render_manage(round_)


@bp.route("/rounds/<int:round_id>/open", methods=["POST"])
@login_required
def open_round(round_id):
    """Open the round: its ballot and settings are fixed from now on."""
    round_ = visible_round(round_id)
    ensure(current_user, "manage", round_)
    if ConfirmForm().validate_on_submit():
        try:
            services.open_round(current_user, round_)
        except (ValidationFailed, Conflict) as exc:
            flash_error(exc)
        else:
            flash(_("The round is open. Ballots count from %(opens)s until %(closes)s.",
                    opens=format_when(round_.opens_at), closes=format_when(round_.closes_at)), "success")
    return _manage(round_)


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
@login_required
def close_round(round_id):
    """Close the round: no more ballots; the counts and the results are published."""
    round_ = visible_round(round_id)
    ensure(current_user, "manage", round_)
    if ConfirmForm().validate_on_submit():
        try:
            services.close_round(current_user, round_)
        except (ValidationFailed, Conflict) as exc:
            flash_error(exc)
        else:
            flash(_("The round is closed. Its counts and results are now public."), "success")
    return _manage(round_)


@bp.route("/rounds/<int:round_id>/kiosks/<int:kiosk_id>/end", methods=["POST"])
@login_required
def end_kiosk(round_id, kiosk_id):
    """End a kiosk from afar (a lost tablet, one that went offline): it takes no new ballot."""
    round_ = visible_round(round_id)
    kiosk = kiosks.get_kiosk(round_, kiosk_id)
    if not kiosks.may_leave(current_user, kiosk):
        abort(403)
    if ConfirmForm().validate_on_submit():
        kiosks.end_kiosk(current_user, kiosk)
        flash(_("The kiosk has been ended. Ballots its tablet cast before the end still count when they "
                "arrive; those cast after are refused and listed below."), "success")
    return _manage(round_, "kiosks")


@bp.route("/rounds/<int:round_id>/locations", methods=["POST"])
@login_required
def add_location(round_id):
    """Add a place where kiosk and paper ballots are cast."""
    round_ = visible_round(round_id)
    ensure(current_user, "manage", round_)
    form = LocationForm(round_.municipality.villages)
    if form.validate_on_submit():
        try:
            location = services.add_location(current_user, round_, form.name.data, form.village_id.data or None)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        except Conflict as exc:
            flash_error(exc)
            return _manage(round_, "locations")
        else:
            flash(_("%(name)s has been added to the locations.", name=location.name), "success")
            return _manage(round_, "locations")
    return _render_manage(round_, 422, location_form=form)


@bp.route("/rounds/<int:round_id>/codes/<int:batch_id>/void", methods=["POST"])
@login_required
def void_batch(round_id, batch_id):
    """Void every unused code of a batch (slips lost, misprinted or not handed out), with the reason."""
    round_ = visible_round(round_id)
    batch = code_batches.get_batch(round_, batch_id)
    ensure(current_user, "manage", round_)
    form = VoidBatchForm()
    if form.validate_on_submit():
        try:
            voided = code_batches.void_batch(current_user, batch, form.reason.data)
        except (ValidationFailed, Conflict) as exc:
            flash_error(exc)
        else:
            flash(_("The batch is void: %(n)d unused codes no longer work.", n=voided), "success")
    return _manage(round_, "codes")


@bp.route("/rounds/<int:round_id>/codes/void", methods=["POST"])
@login_required
def void_code(round_id):
    """Void the code of one slip reported lost."""
    round_ = visible_round(round_id)
    ensure(current_user, "manage", round_)
    form = VoidCodeForm()
    if form.validate_on_submit():
        try:
            code_batches.void_code(current_user, round_, form.code.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The code no longer works."), "success")
            return _manage(round_, "codes")
    return _render_manage(round_, 422, void_code_form=form)


# --- the registration desk --------------------------------------------------------


@bp.route("/rounds/<int:round_id>/desk")
@login_required
def show_desk(round_id):
    """Find a verified resident: have they voted already (and how)? If not, hand them a code."""
    round_ = visible_round(round_id)
    ensure(current_user, "run", round_)
    form = DeskSearchForm(formdata=request.args)
    q = (form.q.data or "").strip()
    found = code_batches.desk_search(current_user, round_, q)
    return render("voting/admin_desk.html", "voting/_admin_desk_results.html", round_=round_, form=form, q=q,
                  found=found, may_manage=can(current_user, "manage", round_))


@bp.route("/rounds/<int:round_id>/desk/bind", methods=["POST"])
@login_required
def bind_code(round_id):
    """Hand the code of a slip to the resident found at the desk: it then counts as their one vote."""
    round_ = visible_round(round_id)
    ensure(current_user, "run", round_)
    form = BindForm()
    if form.validate_on_submit():
        try:
            resident = code_batches.bind_code(current_user, round_, form.code.data, form.resident_id.data)
        except ValidationFailed as exc:
            flash(_("The code was not handed over: %(reason)s",
                    reason=" ".join(str(message) for _field, message in exc.errors)), "error")
        except Conflict as exc:
            flash_error(exc)
        else:
            flash(_("The code is now %(name)s's: give them the slip. It counts as their one vote.",
                    name=resident.name), "success")
    return redirect(url_for("voting_admin.show_desk", round_id=round_.id, q=form.q.data or None))


# --- paper ballots ----------------------------------------------------------------


def _marks(round_):
    """The marks as typed: {proposal_id: text}; blank boxes are left out."""
    if round_.method in (Method.APPROVAL, Method.KNAPSACK):
        return {value: "1" for value in request.form.getlist("choice")}
    marks = {}
    for pid in (entry.proposal_id for entry in round_.entries):
        value = (request.form.get(f"mark-{pid}") or "").strip()
        if value:
            marks[str(pid)] = value
    return marks


def _keyed_before(round_, serial):
    try:
        return paper.get_paper(round_, str(serial or "").strip()).status
    except NotFound:
        return None


def _paper_message(entry, before):
    """What happened to the paper, in the secretary's words, and how to flash it."""
    serial = entry.serial
    if entry.status == PaperStatus.AWAITING_SECOND:
        return _("Paper ballot %(serial)s is keyed in once. It counts when a second keying, by someone "
                 "else, gives the same marks.", serial=serial), "success"
    if entry.status == PaperStatus.MISMATCH:
        return _("The two keyings of paper ballot %(serial)s differ. Look at the paper again and key it in "
                 "once more: that keying decides.", serial=serial), "error"
    if entry.spoiled:
        return _("Paper ballot %(serial)s is recorded as spoiled: it counts in no tally.", serial=serial), "success"
    if before == PaperStatus.AWAITING_SECOND:
        return _("The two keyings of paper ballot %(serial)s match: it has been counted.", serial=serial), "success"
    if before == PaperStatus.MISMATCH:
        return _("Paper ballot %(serial)s has been decided by this keying and counted.", serial=serial), "success"
    return _("Paper ballot %(serial)s has been counted.", serial=serial), "success"


@bp.route("/rounds/<int:round_id>/paper", methods=["GET", "POST"])
@login_required
def key_paper(round_id):
    """Key in paper ballots one by one; with double keying the second keying does not see the first."""
    round_ = visible_round(round_id)
    ensure(current_user, "run", round_)
    form = PaperForm(round_.locations)
    marks = {}
    if request.method == "GET":
        # the list of papers waiting for their second keying links here with the number and the place
        form.serial.data = request.args.get("serial", "")[:12]
        form.location_id.data = request.args.get("location_id", "")
    elif form.validate_on_submit():
        marks = _marks(round_)
        before = _keyed_before(round_, form.serial.data)
        try:
            entry = paper.key_paper(current_user, round_, form.serial.data, form.location_id.data, marks,
                                    spoiled=form.spoiled.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        except Conflict as exc:
            form.form_errors.append(exc.message)
        else:
            flash(*_paper_message(entry, before))
            return redirect(url_for("voting_admin.key_paper", round_id=round_.id, location_id=entry.location_id))
    return render(
        "voting/admin_paper.html", round_=round_, form=form, marks=marks,
        recent=paper.list_paper(round_)[:PAPER_SHOWN], waiting=paper.list_paper(round_, PaperStatus.AWAITING_SECOND),
        mismatched=paper.list_paper(round_, PaperStatus.MISMATCH), may_manage=can(current_user, "manage", round_),
    ), (422 if form.is_submitted() else 200)
