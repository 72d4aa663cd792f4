"""Printable documents: a hearing's minutes and notice, a budget's summary and citizen budget, a round's
allocation report (PDF, inline), its results (CSV, XLSX) and its voting-code slips (attachments)."""
from flask import Blueprint, Response, abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.budgets import services as budgets
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.errors_views import render_error
from pb.core.permissions import can, ensure
from pb.hearings import minutes as _minutes_rules  # noqa: F401  (registers view_minutes)
from pb.hearings import services as hearings
from pb.hearings.states import HearingStatus
from pb.reports import documents
from pb.reports.pdf.allocation import LANGUAGES as ALLOCATION_LANGUAGES
from pb.reports.pdf.minutes import LANGUAGES as MINUTES_LANGUAGES
from pb.reports.pdf.slips import Slips, render_slips_pdf
from pb.reports.pdf.summary import LANGUAGES as BUDGET_LANGUAGES
from pb.reports.results_tables import results_csv, results_xlsx
from pb.voting import code_batches, result_sheet
from pb.voting import services as voting
from pb.voting.forms import CodeBatchForm
from pb.voting.states import RoundStatus

bp = Blueprint("reports", __name__)

TABLES = {"csv": (results_csv, "text/csv; charset=utf-8"),
          "xlsx": (results_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}

NOTICE_LANGUAGES = {"ky": ("ky",), "ru": ("ru",), "ky-ru": ("ky", "ru")}


def _pdf(data, name, public):
    response = Response(data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{name}"'})
    # minutes not yet published must not stay in a shared cache
    response.headers["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@bp.route("/hearings/<int:hearing_id>/minutes/<lang>.pdf")
def show_minutes_pdf(hearing_id, lang):
    """The minutes as an A4 PDF in Kyrgyz or Russian; public once published, editors only before."""
    hearing = hearings.get_hearing(hearing_id)
    if not can(current_user, "view_minutes", hearing):
        abort(404)  # unpublished minutes do not reveal that they exist
    if lang not in MINUTES_LANGUAGES:
        abort(404)
    data = documents.minutes_pdf(hearing, lang)
    name = documents.file_name("minutes", hearing.municipality.slug, hearing.starts_at, lang)
    return _pdf(data, name, public=hearing.minutes_published_at is not None)


@bp.route("/hearings/<int:hearing_id>/notice/<lang>.pdf")
def show_notice_pdf(hearing_id, lang):
    """The A4 notice for village boards (ky, ru, or both on one sheet: ky-ru), with a QR code to the hearing."""
    hearing = hearings.get_hearing(hearing_id)
    if hearing.status == HearingStatus.CANCELLED or lang not in NOTICE_LANGUAGES:
        abort(404)  # a cancelled hearing is not announced any more
    data = documents.notice_pdf(hearing, NOTICE_LANGUAGES[lang])
    name = documents.file_name("notice", hearing.municipality.slug, hearing.starts_at, lang)
    return _pdf(data, name, public=True)


def _budget_pdf(budget_id, lang, kind, make):
    budget = budgets.get_budget(budget_id)
    if lang not in BUDGET_LANGUAGES:
        abort(404)
    try:
        data = make(budget, lang)
    except NotFound:
        abort(404)  # a draft, or a summary before the approval: nothing to print yet
    return _pdf(data, documents.budget_file_name(kind, budget, lang), public=True)


@bp.route("/budgets/<int:budget_id>/approved-summary/<lang>.pdf")
def show_summary_pdf(budget_id, lang):
    """The approved-budget summary (A4, Kyrgyz or Russian): public once the council has approved the budget."""
    return _budget_pdf(budget_id, lang, "summary", documents.summary_pdf)


@bp.route("/budgets/<int:budget_id>/citizen-budget/<lang>.pdf")
def show_citizen_budget_pdf(budget_id, lang):
    """The one-page citizen budget for notice boards: public once the budget is published."""
    return _budget_pdf(budget_id, lang, "citizen-budget", documents.citizen_pdf)
def _closed_round(round_id):
    """The round if its results are public (None when they are not yet); 404 for a round in preparation."""
    round_ = voting.get_round(round_id)
    if not can(current_user, "view", round_):
        abort(404)  # a round in preparation does not reveal that it exists
    return round_ if round_.status == RoundStatus.CLOSED else None


@bp.route("/rounds/<int:round_id>/results.<fmt>")
def export_results(round_id, fmt):
    """The results page's figures as CSV or XLSX: every proposal with its votes, cost, decision and reason."""
    if fmt not in TABLES:
        abort(404)
    round_ = _closed_round(round_id)
    if round_ is None:
        return render_error(403, _("The results are published when the round closes."))
    build, mimetype = TABLES[fmt]
    data = build(result_sheet.build_sheet(round_))
    name = f"results-{round_.municipality.slug}-round{round_.id}.{fmt}"
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                      "Cache-Control": "public, max-age=300"})


@bp.route("/rounds/<int:round_id>/allocation/<lang>.pdf")
def show_allocation_pdf(round_id, lang):
    """The allocation report of a closed round as an A4 PDF in Kyrgyz or Russian."""
    if lang not in ALLOCATION_LANGUAGES:
        abort(404)
    round_ = _closed_round(round_id)
    if round_ is None:
        return render_error(403, _("The results are published when the round closes."))
    return _pdf(documents.allocation_pdf(round_, lang), documents.allocation_file_name(round_, lang), public=True)


@bp.route("/rounds/<int:round_id>/codes", methods=["POST"])
@login_required
def print_code_slips(round_id):
    """Make a batch of voting codes and send its A4 sheets of slips: the codes are shown this once, never again."""
    round_ = voting.get_round(round_id)
    if not can(current_user, "view", round_):
        abort(404)  # a round in preparation does not reveal that it exists
    ensure(current_user, "manage", round_)
    back = redirect(url_for("voting_admin.manage_round", round_id=round_.id, _anchor="codes"))
    form = CodeBatchForm(round_.locations)
    if not form.validate_on_submit():
        return back
    try:
        batch, clear = code_batches.generate_batch(current_user, round_, form.size.data, form.label.data,
                                                   form.location_id.data or None)
    except ValidationFailed as exc:
        flash(" ".join(str(message) for _field, message in exc.errors), "error")
        return back
    except Conflict as exc:
        flash(str(exc.message), "error")
        return back
    municipality = round_.municipality
    names = dict.fromkeys(name for name in (municipality.name_ky, municipality.name_ru) if name)
    slips = Slips(" / ".join(names), round_.title, round_.closes_at, clear,
                  lambda code: documents.public_url("voting.enter_code", round_id=round_.id, code=code),
                  label=batch.label)
    try:
        data = render_slips_pdf(slips)
    except Exception:
        # codes nobody will ever see must not stay valid: the batch is voided, and the organiser told
        current_app.logger.exception("slips of batch %s could not be made", batch.id)
        code_batches.void_batch(current_user, batch, _("The slips could not be printed."))
        flash(_("The slips could not be made, so their codes were voided. Please try again."), "error")
        return back
    name = f"codes-{municipality.slug}-round{round_.id}-batch{batch.id}.pdf"
    response = Response(data, mimetype="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
    response.headers["Cache-Control"] = "no-store"  # the only copy of the codes: no cache keeps it
    return response
