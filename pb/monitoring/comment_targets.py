"""Projects and monitoring reports as comment targets: as public as their budget.

A project's thread is followed through its proposal, a report's through its budget (whose followers hear
of the report and of the answer already).
"""
from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _

from pb.comments.targets import CommentTarget, register_comment_target
from pb.core.permissions import can
from pb.extensions import db
from pb.monitoring import notices
from pb.monitoring import permissions  # noqa: F401  (registers Implementation "view")
from pb.monitoring.models import Implementation, MonitoringReport


def load_implementation(implementation_id):
    """A project's thread."""
    implementation = db.session.get(Implementation, implementation_id)
    if implementation is None:
        return None
    proposal = implementation.proposal
    return CommentTarget("implementation", implementation.id, implementation.municipality_id, proposal.title,
                         url_for("monitoring.show_project", implementation_id=implementation.id), "proposal",
                         proposal.id, can(None, "view", implementation))


register_comment_target("implementation", load_implementation)


def load_report(report_id):
    """A monitoring report's thread: “Monitoring report of <date>: <subject>”, public with its budget."""
    report = db.session.get(MonitoringReport, report_id)
    if report is None:
        return None
    title = _("Monitoring report of %(date)s: %(subject)s", date=format_date(report.visit_date),
              subject=notices.subject_title(report))
    return CommentTarget("monitoring_report", report.id, report.municipality_id, title,
                         url_for("monitoring_reports.show_report", report_id=report.id), "budget", report.budget_id,
                         can(None, "view", report))


register_comment_target("monitoring_report", load_report)
