"""Importing a Pabulib file as a rehearsal round: the upload form of a municipality's organisers."""
from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.budgets import services as budgets
from pb.core.errors import ValidationFailed
from pb.core.permissions import ensure
from pb.core.views import render
from pb.places import services as places
from pb.voting.forms import PabulibImportForm
from pb.voting.pabulib_import import MAX_UPLOAD_BALLOTS, MAX_UPLOAD_BYTES, import_pabulib

bp = Blueprint("voting_import", __name__)


@bp.route("/m/<slug>/rounds/import", methods=["GET", "POST"])
@login_required
def import_round(slug):
    """Upload a .pb file; it becomes a closed rehearsal round, or every problem of the file is listed."""
    municipality = places.get_municipality(slug)
    ensure(current_user, "create_round", municipality)
    choices = [b for b in budgets.list_budgets(current_user, municipality.id)]
    form = PabulibImportForm(choices)
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        try:
            round_ = import_pabulib(current_user, municipality, upload.read(MAX_UPLOAD_BYTES + 1),
                                    upload.filename or "file.pb", form.budget_id.data or None, form.rule.data or None,
                                    max_bytes=MAX_UPLOAD_BYTES, max_ballots=MAX_UPLOAD_BALLOTS)
        except ValidationFailed as exc:
            problems = [message for _field, message in exc.errors]
        else:
            flash(_("The file has been imported as a rehearsal round: it is not a real vote."), "success")
            return redirect(url_for("voting.show_results", round_id=round_.id))
    status = 422 if problems or form.errors else 200
    return render("voting/import_form.html", form=form, municipality=municipality, problems=problems,
                  max_mb=MAX_UPLOAD_BYTES // 2 ** 20, max_ballots=MAX_UPLOAD_BALLOTS), status
