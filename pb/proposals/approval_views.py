"""The council member's page that records the council's approval of a budget."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.budgets import services as budgets
from pb.core.errors import Conflict, ValidationFailed
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.proposals import approval
from pb.proposals.forms import ApprovalForm

bp = Blueprint("approval", __name__)


@bp.route("/budgets/<int:budget_id>/approve", methods=["GET", "POST"])
@login_required
def approve_budget(budget_id):
    """Record the council's approval: session, date, decision; the accepted proposals become lines."""
    budget = budgets.get_budget(budget_id)
    if not can(current_user, "view", budget):
        abort(404)
    ensure(current_user, "approve", budget)
    form = ApprovalForm()
    status = 200
    if form.validate_on_submit():
        try:
            result = approval.approve_budget(current_user, budget, form.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
            status = 422
        except Conflict as exc:
            flash(str(exc.message), "error")
            return redirect(url_for("budgets.show_budget", budget_id=budget_id))
        else:
            flash(_("The council's approval has been recorded: %(n)d proposals became budget lines.",
                    n=result.lines_added), "success")
            return redirect(url_for("budgets.show_budget", budget_id=budget.id))
    return render("proposals/approval_form.html", form=form, budget=budget,
                  accepted=approval.list_accepted(budget), figures=budgets.budget_figures(budget)), status
