"""Monitoring reports: a monitoring group's visit to a project or a budget line, and the municipality's answer."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from pb.audit.services import record
from pb.core.errors import NotFound, ValidationFailed
from pb.core.models import local_now, utcnow
from pb.core.permissions import ensure
from pb.core.validation import text_field
from pb.extensions import db
from pb.monitoring import notices, permissions, photos
from pb.monitoring.models import Implementation, MonitoringReport
from pb.monitoring.projects import read_date
from pb.monitoring.states import Rating

MAX_TEXT = 5000


def get_report(report_id):
    """The monitoring report, or NotFound."""
    report = db.session.get(MonitoringReport, report_id)
    if report is None:
        raise NotFound()
    return report


def list_reports(budget=None, implementation=None, line=None):
    """Reports on a budget (its lines and projects), a project or a line, newest visit first."""
    query = sa.select(MonitoringReport).order_by(MonitoringReport.visit_date.desc(), MonitoringReport.id.desc()).options(
        selectinload(MonitoringReport.group), selectinload(MonitoringReport.line), selectinload(MonitoringReport.photos),
        selectinload(MonitoringReport.implementation).selectinload(Implementation.proposal))
    if budget is not None:
        query = query.where(MonitoringReport.budget_id == budget.id)
    if implementation is not None:
        query = query.where(MonitoringReport.implementation_id == implementation.id)
    if line is not None:
        query = query.where(MonitoringReport.line_id == line.id)
    return db.session.execute(query).scalars().all()


def _values(actor, budget, data, errors):
    groups = {str(g.id): g for g in permissions.monitoring_groups(actor, budget.municipality_id)}
    group = groups.get(str(data.get("group_id")))
    if group is None:
        errors.append(("group_id", _l("Choose your monitoring group.")))
    visit = read_date(data, "visit_date", errors)
    if visit is None and not any(field == "visit_date" for field, _m in errors):
        errors.append(("visit_date", _l("Enter a date such as 2027-05-31.")))
    elif visit is not None and visit > local_now().date():
        errors.append(("visit_date", _l("The visit cannot be in the future.")))
    try:
        rating = Rating(data.get("rating"))
    except ValueError:
        rating = None
        errors.append(("rating", _l("Choose a rating.")))
    return dict(group_id=group.id if group else None, visit_date=visit, rating=rating,
                findings=text_field(data, "findings", MAX_TEXT, errors, required=True),
                recommendations=text_field(data, "recommendations", MAX_TEXT, errors))


def file_report(actor, subject, data, uploads=()):
    """File a report on a project (Implementation) or a budget line, with photos; any bad field saves nothing."""
    budget = subject.budget
    ensure(actor, "file_report", budget)
    errors = []
    values = _values(actor, budget, data, errors)
    prepared = photos.prepare(list(uploads), 0, errors)
    if errors:
        raise ValidationFailed(errors)
    on_project = isinstance(subject, Implementation)
    report = MonitoringReport(budget_id=budget.id, municipality_id=budget.municipality_id, author_id=actor.id,
                              implementation_id=subject.id if on_project else None,
                              line_id=None if on_project else subject.id, **values)
    db.session.add(report)
    names = photos.attach(actor, report.photos, prepared)
    db.session.flush()
    record(actor, "monitoring.file_report", report, group_id=report.group_id,
           subject=("implementation" if on_project else "budget_line"), subject_id=subject.id,
           rating=report.rating.value, visit_date=report.visit_date, findings=report.findings,
           recommendations=report.recommendations, photos=names)
    notices.report_filed(actor, report)
    photos.commit(names)
    return report


def answer_report(actor, report, answer):
    """The municipality's public answer (a later answer replaces it; the audit log keeps both)."""
    ensure(actor, "answer", report)
    errors = []
    answer = text_field({"answer": answer}, "answer", MAX_TEXT, errors, required=True)
    if errors:
        raise ValidationFailed(errors)
    report.answer, report.answered_at, report.answered_by_id = answer, utcnow(), actor.id
    record(actor, "monitoring.answer_report", report, answer=answer)
    notices.report_answered(actor, report)
    db.session.commit()
    return report
