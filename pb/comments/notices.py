"""The notification of an official answer (site and e-mail, through pb.notifications)."""
from flask_babel import lazy_gettext as _l

from pb.comments.targets import load_target
from pb.core.errors import NotFound
from pb.notifications.services import register_kind

OFFICIAL = "comment.official"


def _link(params):
    """The page the question was asked on, at the answer."""
    try:
        target = load_target(params.get("about_type"), params.get("about_id"))
    except NotFound:
        return None
    return f"{target.url}#comment-{params['comment_id']}"


register_kind(OFFICIAL, lambda title, p: str(_l(
    "There is an official answer to a question on %(title)s.", title=title)), link=_link)
