"""Monitoring reports: the public list of a budget, a report with the answer, filing and answering."""
from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from pb.budgets import services as budgets
from pb.core.errors import ValidationFailed
from pb.core.i18n import pick
from pb.core.permissions import can, ensure
from pb.core.views import apply_errors, render
from pb.monitoring import permissions, projects, reports
from pb.monitoring.forms import AnswerForm, ReportForm
from pb.monitoring.views import uploads, visible_budget

bp = Blueprint("monitoring_reports", __name__)


@bp.app_template_global()
def line_monitoring(line):
    """(reports on the line, whether the viewer may file one), for the line's page."""
    return reports.list_reports(line=line), can(current_user, "file_report", line.budget)


@bp.route("/budgets/<int:budget_id>/monitoring")
def list_reports(budget_id):
    """Every monitoring report on the budget's lines and projects, with the answers."""
    budget = visible_budget(budget_id)
    return render("monitoring/report_list.html", budget=budget, reports=reports.list_reports(budget=budget),
                  can_report=can(current_user, "file_report", budget))


def _file(subject, budget):
    if not can(current_user, "view", budget):
        abort(404)
    ensure(current_user, "file_report", budget)
    groups = permissions.monitoring_groups(current_user, budget.municipality_id)
    form = ReportForm([(g.id, pick(g, "name")) for g in groups])
    if form.validate_on_submit():
        try:
            report = reports.file_report(current_user, subject, form.data, uploads(form.photos.data))
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The monitoring report has been published."), "success")
            return redirect(url_for("monitoring_reports.show_report", report_id=report.id))
    status = 422 if form.is_submitted() else 200
    return render("monitoring/report_form.html", form=form, subject=subject, budget=budget), status


@bp.route("/projects/<int:implementation_id>/reports/new", methods=["GET", "POST"])
@login_required
def file_project_report(implementation_id):
    """A monitoring group's report on a project."""
    implementation = projects.get_implementation(implementation_id)
    return _file(implementation, implementation.budget)


@bp.route("/lines/<int:line_id>/reports/new", methods=["GET", "POST"])
@login_required
def file_line_report(line_id):
    """A monitoring group's report on a budget line."""
    line = budgets.get_line(line_id)
    return _file(line, line.budget)


def _visible_report(report_id):
    report = reports.get_report(report_id)
    if not can(current_user, "view", report):
        abort(404)
    return report


@bp.route("/monitoring-reports/<int:report_id>")
def show_report(report_id):
    """A report: the visit, findings, rating, recommendations, photos, and the municipality's answer."""
    report = _visible_report(report_id)
    form = AnswerForm(obj=report) if can(current_user, "answer", report) else None
    return render("monitoring/report_show.html", report=report, answer_form=form)


@bp.route("/monitoring-reports/<int:report_id>/answer", methods=["POST"])
@login_required
def answer_report(report_id):
    """The municipality answers a report in public."""
    report = _visible_report(report_id)
    ensure(current_user, "answer", report)
    form = AnswerForm()
    if form.validate_on_submit():
        try:
            reports.answer_report(current_user, report, form.answer.data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
        else:
            flash(_("The answer has been published."), "success")
            return redirect(url_for("monitoring_reports.show_report", report_id=report.id))
    return render("monitoring/report_show.html", report=report, answer_form=form), 422
