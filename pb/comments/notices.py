"""The notification of an official answer (site and e-mail, through pb.notifications)."""
from flask_babel import lazy_gettext as _l

from pb.notifications.services import register_kind

OFFICIAL = "comment.official"

register_kind(OFFICIAL, lambda title, p: str(_l(
    "There is an official answer to a question on %(title)s.", title=title)))
