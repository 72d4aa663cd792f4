"""The printable monitoring report of a budget (PDF, inline), public with the budget once approved."""
from flask import Blueprint, Response, abort
from flask_login import current_user

from pb.budgets import services as budgets
from pb.budgets.execution import EXECUTION_PHASES
from pb.core.permissions import can
from pb.reports import monitoring_documents

bp = Blueprint("monitoring_pdf", __name__)


@bp.route("/budgets/<int:budget_id>/monitoring/<lang>.pdf")
def show_monitoring_pdf(budget_id, lang):
    """Execution against plan, projects and their state, the groups' findings and the answers, as A4 PDF."""
    budget = budgets.get_budget(budget_id)
    if not can(current_user, "view", budget) or budget.phase not in EXECUTION_PHASES:
        abort(404)
    if lang not in monitoring_documents.LANGUAGES:
        abort(404)
    data = monitoring_documents.monitoring_pdf(budget, lang)
    response = Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{monitoring_documents.file_name(budget, lang)}"'})
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
