"""Hearing pages: a municipality's hearings, the public announcement, scheduling, changes, cancellation.

The console's routes are in console_views.py, on the same blueprint.
"""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.budgets import services as budgets
from pb.core.errors import Conflict, ValidationFailed
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.hearings import services
from pb.hearings.dates import format_minutes, format_when
from pb.hearings.forms import CancelForm, HearingForm
from pb.notifications import services as notifications
from pb.places import services as places

bp = Blueprint("hearings", __name__)
bp.add_app_template_filter(format_when, "when")
bp.add_app_template_filter(format_minutes, "clock")


def _show(hearing):
    return redirect(url_for("hearings.show_hearing", hearing_id=hearing.id))


def _initial(hearing):
    """The hearing as the form's first values."""
    about = {}
    for item in hearing.agenda:
        about[item.id] = (f"line:{item.budget_line_id}" if item.budget_line_id else
                          f"proposal:{item.proposal_id}" if item.proposal_id else "")
    return dict(
        kind=hearing.kind.value, budget_id=str(hearing.budget_id or ""), date=hearing.starts_at.date().isoformat(),
        time=hearing.starts_at.strftime("%H:%M"), place=hearing.place,
        village_ids=[str(v.id) for v in hearing.villages], chair_name=hearing.chair_name,
        chair_id=str(hearing.chair_id or ""), secretary_name=hearing.secretary_name,
        secretary_id=str(hearing.secretary_id or ""), quorum=str(hearing.quorum or ""), notes=hearing.notes,
        agenda=[dict(title=item.title, about=about[item.id]) for item in hearing.agenda],
    )


def _form(municipality, hearing=None):
    """The scheduling form; an htmx GET (the budget was changed) refills it from the query to offer that
    budget's lines and proposals to the agenda."""
    choices = budgets.list_budgets(current_user, municipality.id)
    refill = request.method == "GET" and "budget_id" in request.args
    source = request.form if request.method == "POST" else request.args if refill else {}
    chosen = source.get("budget_id", str(hearing.budget_id or "") if hearing else "")
    budget = next((b for b in choices if str(b.id) == chosen), None)
    targets = services.agenda_targets(budget)
    candidates = services.runner_candidates(municipality.id)
    if refill:
        return HearingForm(municipality, choices, candidates, targets, formdata=request.args)
    return HearingForm(municipality, choices, candidates, targets, data=_initial(hearing) if hearing else None)


def _apply(form, errors):
    form.agenda_errors = [message for field, message in errors if field == "agenda"]
    apply_errors(form, [(field, message) for field, message in errors if field != "agenda"])


@bp.route("/m/<slug>/hearings")
def list_hearings(slug):
    """The municipality's hearings: upcoming, held and cancelled."""
    municipality = places.get_municipality(slug)
    return render("hearings/hearing_list.html", municipality=municipality,
                  can_schedule=can(current_user, "schedule_hearing", municipality),
                  **services.list_hearings(municipality.id))


@bp.route("/m/<slug>/hearings/new", methods=["GET", "POST"])
@login_required
def schedule_hearing(slug):
    """Schedule and announce a hearing."""
    municipality = places.get_municipality(slug)
    ensure(current_user, "schedule_hearing", municipality)
    form = _form(municipality)
    if form.validate_on_submit():
        try:
            hearing = services.schedule_hearing(current_user, municipality, form.service_data())
        except ValidationFailed as exc:
            _apply(form, exc.errors)
        else:
            flash(_("The hearing has been announced. Print the notice for the village boards."), "success")
            return _show(hearing)
    return render("hearings/hearing_form.html", form=form, municipality=municipality, hearing=None)


@bp.route("/hearings/<int:hearing_id>")
def show_hearing(hearing_id):
    """The public announcement: kind, date, place, villages, agenda, chair, secretary, quorum, status."""
    hearing = services.get_hearing(hearing_id)
    return render(
        "hearings/hearing_show.html", hearing=hearing,
        budget_visible=hearing.budget is not None and can(current_user, "view", hearing.budget),
        can_edit=can(current_user, "edit", hearing), can_run=can(current_user, "run", hearing),
        cancel_form=CancelForm(), following=notifications.is_following(current_user, "hearing", hearing.id),
    )


@bp.route("/hearings/<int:hearing_id>/edit", methods=["GET", "POST"])
@login_required
def edit_hearing(hearing_id):
    """Change a hearing until it is opened; a new date or place is announced again."""
    hearing = services.get_hearing(hearing_id)
    ensure(current_user, "edit", hearing)
    form = _form(hearing.municipality, hearing)
    if form.validate_on_submit():
        try:
            services.update_hearing(current_user, hearing, form.service_data())
        except ValidationFailed as exc:
            _apply(form, exc.errors)
        else:
            flash(_("The changes have been saved."), "success")
            return _show(hearing)
    return render("hearings/hearing_form.html", form=form, municipality=hearing.municipality, hearing=hearing)


@bp.route("/hearings/<int:hearing_id>/cancel", methods=["POST"])
@login_required
def cancel_hearing(hearing_id):
    """Cancel a scheduled hearing; everyone who follows it or its budget is told."""
    hearing = services.get_hearing(hearing_id)
    ensure(current_user, "edit", hearing)
    form = CancelForm()
    if form.validate_on_submit():
        try:
            services.cancel_hearing(current_user, hearing, form.reason.data)
        except ValidationFailed as exc:
            flash(str(exc.errors[0][1]), "error")
        except Conflict as exc:
            flash(str(exc.message), "error")
        else:
            flash(_("The hearing has been cancelled."), "success")
    return _show(hearing)


from pb.hearings import console_views  # noqa: E402,F401  (its routes join this blueprint)
