"""The console's routes: the page and its plain forms, the JSON entries and state, open and close."""
import uuid

from flask import abort, current_app, flash, jsonify, redirect, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.accounts.forms import ConfirmForm
from pb.budgets.states import Category
from pb.core.errors import Conflict, ValidationFailed
from pb.core.permissions import ensure
from pb.core.views import render
from pb.hearings import console, services
from pb.hearings.ledger import REFUSED, STORED
from pb.hearings.states import YOUNG, AgeBand, Gender, HearingStatus, Outcome
from pb.hearings.views import bp

RECENT = 30  # entries shown when the console opens; devices then poll for newer ones
FORM_FIELDS = {"csrf_token", "type", "client_key"}


def _runnable(hearing_id):
    hearing = services.get_hearing(hearing_id)
    ensure(current_user, "run", hearing)
    return hearing


def _to_console(hearing, anchor="", **args):
    return redirect(url_for("hearings.show_console", hearing_id=hearing.id, **args) + (f"#{anchor}" if anchor else ""))


def _render_console(hearing, draft=None, errors=(), status=200):
    state = console.console_state(hearing, since=max(0, hearing.last_seq - RECENT))
    return render(
        "hearings/console.html", hearing=hearing, state=state, entries=list(reversed(state["entries"])),
        seconds={item["id"]: item["seconds"] for item in state["agenda"]["items"]},
        villages=hearing.villages or hearing.municipality.villages, all_villages=hearing.municipality.villages,
        genders=list(Gender), age_bands=list(AgeBand), outcomes=list(Outcome), categories=Category.choices(),
        young=" ".join(sorted(band.value for band in YOUNG)), key=lambda: uuid.uuid4().hex,
        draft_kind=draft[0] if draft else None, draft=draft[1] if draft else {}, errors=errors,
        is_open=hearing.status == HearingStatus.OPEN, form=ConfirmForm(),
    ), status


@bp.route("/hearings/<int:hearing_id>/console")
@login_required
def show_console(hearing_id):
    """The console for a tablet: attendance in taps, questions, proposals, decisions, the agenda clock."""
    return _render_console(_runnable(hearing_id))


@bp.route("/hearings/<int:hearing_id>/console", methods=["POST"])
@login_required
def add_entry(hearing_id):
    """One entry from the console's plain form (no JavaScript): stored as the JSON ones are, by its key."""
    hearing = _runnable(hearing_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    kind = request.form.get("type", "")
    data = {k: v for k, v in request.form.items() if k not in FORM_FIELDS}
    ack = console.store_entry(current_user, hearing, dict(key=request.form.get("client_key", ""), type=kind, data=data),
                              device="form")
    if ack.status == REFUSED:
        return _render_console(hearing, draft=(kind, data), errors=ack.errors, status=422)
    flash(_("Recorded.") if ack.status == STORED else _("This entry had already been recorded."), "success")
    # the village stays chosen for the next attendee, as it does with JavaScript
    sticky = {"village": data.get("village_id")} if kind == "attendance" and data.get("village_id") else {}
    return _to_console(hearing, kind, **sticky)


@bp.route("/hearings/<int:hearing_id>/console/entries", methods=["POST"])
@login_required
def post_entries(hearing_id):
    """A device's queued entries as JSON {device, entries: [{key, type, data}]}; each key is answered."""
    hearing = _runnable(hearing_id)
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    try:
        acks = console.store_entries(current_user, hearing, body.get("entries"), body.get("device") or "")
    except ValidationFailed as exc:
        return jsonify(error=str(exc.errors[0][1])), 400
    return jsonify(results=[ack.as_json() for ack in acks])


@bp.route("/hearings/<int:hearing_id>/console/state")
@login_required
def console_state(hearing_id):
    """What devices poll (?since=N): status, counters, the agenda clock and the entries numbered above N."""
    hearing = _runnable(hearing_id)
    since = max(0, request.args.get("since", 0, type=int) or 0)
    response = jsonify(console.console_state(hearing, since))
    response.headers["Cache-Control"] = "no-store"
    return response


def _move(hearing_id, action, done):
    hearing = _runnable(hearing_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(current_user, hearing)
    except Conflict as exc:
        flash(str(exc.message), "error")
    else:
        flash(done, "success")
    return _to_console(hearing)


@bp.route("/hearings/<int:hearing_id>/open", methods=["POST"])
@login_required
def open_hearing(hearing_id):
    """Open the hearing (its chair or secretary, or an organiser)."""
    return _move(hearing_id, services.open_hearing, _("The hearing is open. Entries are now recorded."))


@bp.route("/hearings/<int:hearing_id>/close", methods=["POST"])
@login_required
def close_hearing(hearing_id):
    """Close the hearing: no more entries; the minutes are built from the record."""
    return _move(hearing_id, services.close_hearing, _("The hearing is closed."))


@bp.route("/hearings/console-sw.js")
def service_worker():
    """The console's service worker, served under /hearings/ so that it may keep console pages offline."""
    response = send_from_directory(current_app.static_folder + "/js", "hearing-console-sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
