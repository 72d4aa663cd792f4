"""Hearings as comment targets: always public once scheduled, followed through the hearing itself."""
from flask import url_for
from flask_babel import format_date

from pb.comments.targets import CommentTarget, register_comment_target
from pb.core.i18n import pick
from pb.extensions import db
from pb.hearings import notices as _hearing_notices  # noqa: F401  ("hearing" is a follow target)
from pb.hearings.models import Hearing


def load_hearing(hearing_id):
    """A hearing's thread: questions before the hearing, remarks after it."""
    hearing = db.session.get(Hearing, hearing_id)
    if hearing is None:
        return None
    title = f"{pick(hearing.municipality, 'name')} — {hearing.kind.label} ({format_date(hearing.starts_at)})"
    return CommentTarget("hearing", hearing.id, hearing.municipality_id, title,
                         url_for("hearings.show_hearing", hearing_id=hearing.id), "hearing", hearing.id, True)


register_comment_target("hearing", load_hearing)
