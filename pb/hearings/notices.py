"""Hearings as things residents follow, and the notifications of an announcement, a move or a cancellation."""
from flask_babel import lazy_gettext as _l

from pb.core.i18n import pick
from pb.extensions import db
from pb.hearings.dates import format_when
from pb.hearings.models import Hearing
from pb.notifications.services import register_kind, register_target


def _title(hearing_id):
    hearing = db.session.get(Hearing, hearing_id)
    return f"«{hearing.kind.label}» — {pick(hearing.municipality, 'name')}, {format_when(hearing.starts_at)}"


def _cancelled(title, p):
    if p.get("reason"):
        return str(_l("The hearing %(title)s has been cancelled: %(reason)s", title=title, reason=p["reason"]))
    return str(_l("The hearing %(title)s has been cancelled.", title=title))


register_target("hearing", lambda i: db.session.get(Hearing, i) is not None, _title,
                "hearings.show_hearing", "hearing_id")
register_kind("hearing.announced", lambda title, p: str(_l(
    "A public hearing has been announced: %(title)s, at %(place)s.", title=title, place=p.get("place", ""))))
register_kind("hearing.rescheduled", lambda title, p: str(_l(
    "The hearing has been moved; it is now %(title)s, at %(place)s.", title=title, place=p.get("place", ""))))
register_kind("hearing.cancelled", _cancelled)
