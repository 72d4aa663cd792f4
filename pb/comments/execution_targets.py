"""Execution figures as comment targets: as public as their budget, followed through the budget."""
from flask import url_for
from flask_babel import gettext as _

from pb.budgets import execution
from pb.budgets.execution_models import ExecutionFigure
from pb.comments.targets import CommentTarget, register_comment_target
from pb.core.i18n import pick
from pb.core.permissions import can
from pb.extensions import db


def load_figure(figure_id):
    """A figure's thread: “line — period”, public once the budget is."""
    figure = db.session.get(ExecutionFigure, figure_id)
    if figure is None:
        return None
    budget = figure.budget
    title = _("%(line)s — executed in %(period)s", line=pick(figure.line, "name"),
              period=execution.period_label(figure.period_kind, figure.period))
    return CommentTarget("execution", figure.id, budget.municipality_id, title,
                         url_for("execution.show_figure", figure_id=figure.id), "budget", budget.id,
                         can(None, "view", budget))


register_comment_target("execution", load_figure)
