"""Notifications of monitoring reports: staff learn of a new report, followers and the group of the answer."""
import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l

from pb.accounts.models import MunicipalRole, MunicipalRoleKind
from pb.budgets import notices as _budget_notices  # noqa: F401  ("budget" is a follow target)
from pb.core.i18n import pick
from pb.extensions import db
from pb.monitoring.models import MonitoringReport
from pb.monitoring.states import Rating
from pb.notifications.services import notify_followers, register_kind


def _link(params):
    return url_for("monitoring_reports.show_report", report_id=params["report"])


def _subject(params):
    """The report's subject in the reader's language, read when the notification is shown or mailed; the
    text kept in the params (older notifications have only that) serves when the report is gone."""
    report = db.session.get(MonitoringReport, params["report"]) if params.get("report") else None
    return subject_title(report) if report is not None else params.get("subject", "—")


register_kind("monitoring.report", lambda title, p: str(_l(
    "A monitoring group reported on %(subject)s (budget %(title)s): «%(rating)s».",
    subject=_subject(p), title=title, rating=Rating(p["rating"]).label)), _link)
register_kind("monitoring.answer", lambda title, p: str(_l(
    "The municipality answered the monitoring report on %(subject)s (budget %(title)s).",
    subject=_subject(p), title=title)), _link)


def subject_title(report, name=None):
    """What the report is about: the project's title, or the line's code and name in the current language
    (or in the name field given, for the text kept in the params whatever the language of the moment)."""
    if report.implementation is not None:
        return report.implementation.proposal.title
    return f"{report.line.code} {getattr(report.line, name) if name else pick(report.line, 'name')}"


def report_filed(actor, report):
    """Tell the municipality's staff (who answer) and the budget's followers of a new report."""
    staff = db.session.execute(sa.select(MunicipalRole.user_id).where(
        MunicipalRole.municipality_id == report.municipality_id, MunicipalRole.role == MunicipalRoleKind.STAFF)
    ).scalars().all()
    notify_followers("monitoring.report", "budget", report.budget_id, actor=actor, extra_user_ids=staff,
                     report=report.id, subject=subject_title(report, "name_ky"), rating=report.rating.value)


def report_answered(actor, report):
    """Tell the monitoring group's members and the budget's followers of the municipality's answer."""
    members = [m.user_id for m in report.group.members]
    notify_followers("monitoring.answer", "budget", report.budget_id, actor=actor, extra_user_ids=members,
                     report=report.id, subject=subject_title(report, "name_ky"))
