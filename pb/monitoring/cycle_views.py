"""The next cycle: starting next year's budget from an approved one, and last year's results on the new budget."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from pb.budgets.execution import EXECUTION_PHASES
from pb.core.errors import ValidationFailed
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.monitoring import next_cycle
from pb.monitoring.forms import NextBudgetForm
from pb.monitoring.views import visible_budget

bp = Blueprint("next_cycle", __name__)


@bp.app_template_global()
def previous_cycle_section(budget):
    """What became of the previous year's accepted proposals, for a new budget's page (empty without any)."""
    if budget.phase in EXECUTION_PHASES:
        return ""
    previous, accepted = next_cycle.previous_results(budget)
    if previous is None or not accepted or not can(current_user, "view", previous):
        return ""
    return Markup(render_template("monitoring/_previous_cycle.html", previous=previous, accepted=accepted))


@bp.app_template_global()
def may_start_next_budget(budget):
    """Whether the viewer may start next year's budget from this one."""
    return budget.phase in EXECUTION_PHASES and can(current_user, "create_budget", budget.municipality)


@bp.route("/budgets/<int:budget_id>/next", methods=["GET", "POST"])
@login_required
def start_next_budget(budget_id):
    """Start next year's draft from this approved budget, carrying unfinished projects over."""
    previous = visible_budget(budget_id)
    if previous.phase not in EXECUTION_PHASES:
        abort(404)
    ensure(current_user, "create_budget", previous.municipality)
    form = NextBudgetForm()
    if not form.is_submitted():
        form.fiscal_year.data = previous.fiscal_year + 1
    if form.validate_on_submit():
        try:
            budget, carried = next_cycle.start_next_cycle(current_user, previous, form.fiscal_year.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The draft budget %(year)d has been started from %(previous)d; %(n)d unfinished projects carried over.",
                    year=budget.fiscal_year, previous=previous.fiscal_year, n=carried), "success")
            return redirect(url_for("budgets.show_budget", budget_id=budget.id))
    return render("monitoring/next_budget.html", form=form, budget=previous), (422 if form.is_submitted() else 200)
