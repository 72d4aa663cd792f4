"""The API's monitoring operations: a budget's execution, its funded projects and the monitoring reports.

They join the api blueprint (pb.api.views imports this module) and answer, like every operation, what the
public pages show to an anonymous visitor.
"""
from flask_babel import lazy_gettext as _l

from pb.api import http
from pb.api import monitoring_serializers as serializers
from pb.api.spec import PREFIX, choice, operation
from pb.api.views import _public_budget, _query, bp
from pb.budgets import execution
from pb.monitoring import projects, reports
from pb.monitoring.states import Rating


def _budget_in_execution(budget_id):
    budget = _public_budget(budget_id)
    if budget.phase not in execution.EXECUTION_PHASES:
        raise http.ApiError.not_found(_l("This budget has no execution yet: it is shown once the council approves "
                                         "the budget."))
    return budget


@bp.get(f"{PREFIX}/budgets/<int:budget_id>/execution")
@operation("Monitoring", _l("What a budget executed against its plan"), "Execution", "/budgets/6/execution",
           description=_l("Per line with each period's figure, and per category of expenditure; lines far off their "
                          "plan are marked. Only for an approved budget (404 before)."))
def show_execution(budget_id):
    """Planned against executed, as the execution page shows it."""
    _query()
    return http.json_response(serializers.execution(execution.execution_report(_budget_in_execution(budget_id))))


@bp.get(f"{PREFIX}/budgets/<int:budget_id>/projects")
@operation("Monitoring", _l("The funded projects of a budget"), "Project", "/budgets/6/projects", paged=True,
           description=_l("The implementation records of its funded proposals, and of unfinished projects carried "
                          "over into it, by village and title."))
def list_projects(budget_id):
    """A public budget's funded projects with their state, money, dates and milestones."""
    args = _query()
    records = projects.list_projects(_public_budget(budget_id), details=True).records
    page = http.page_of(records, args["page"], args["per_page"])
    return http.json_response(http.page_json(page, serializers.project, args))


@bp.get(f"{PREFIX}/projects/<int:implementation_id>")
@operation("Monitoring", _l("One funded project"), "Project", "/projects/3")
def show_project(implementation_id):
    """A funded project of a public budget."""
    _query()
    implementation = projects.get_implementation(implementation_id)
    _public_budget(implementation.budget_id)
    return http.json_response(serializers.project(implementation))


@bp.get(f"{PREFIX}/budgets/<int:budget_id>/monitoring-reports")
@operation("Monitoring", _l("The monitoring reports of a budget"), "MonitoringReport",
           "/budgets/6/monitoring-reports?rating=problem", paged=True,
           description=_l("Reports on its lines and projects with the municipality's answers, latest visit first."),
           query=(choice("rating", Rating, _l("Only reports with this rating.")),))
def list_monitoring_reports(budget_id):
    """A public budget's monitoring reports, optionally of one rating."""
    args = _query()
    found = [r for r in reports.list_reports(budget=_public_budget(budget_id))
             if args["rating"] is None or r.rating.value == args["rating"]]
    page = http.page_of(found, args["page"], args["per_page"])
    return http.json_response(http.page_json(page, serializers.monitoring_report, args))


@bp.get(f"{PREFIX}/monitoring-reports/<int:report_id>")
@operation("Monitoring", _l("One monitoring report"), "MonitoringReport", "/monitoring-reports/2",
           description=_l("The visit, findings, rating, recommendations, photos and the municipality's answer."))
def show_monitoring_report(report_id):
    """A monitoring report on a public budget."""
    _query()
    report = reports.get_report(report_id)
    _public_budget(report.budget_id)
    return http.json_response(serializers.monitoring_report(report))
