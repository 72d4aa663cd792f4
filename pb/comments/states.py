"""What a moderator (or the report threshold) can do to a comment, with translated labels."""
from flask_babel import lazy_gettext as _l

from pb.core.models import LabelledEnum


class ModerationKind(LabelledEnum):
    HIDE = "hide"
    RESTORE = "restore"
    AUTO_HIDE = "auto_hide"

    @classmethod
    def labels(cls):
        return {
            cls.HIDE: _l("hidden by a moderator"),
            cls.RESTORE: _l("restored by a moderator"),
            cls.AUTO_HIDE: _l("hidden automatically after reports"),
        }


# The actions a moderator chooses; AUTO_HIDE is only ever written by report_comment.
MODERATOR_ACTIONS = {ModerationKind.HIDE, ModerationKind.RESTORE}

# Kept in hidden_reason for the record; pages show the translated sentence instead.
AUTO_REASON = "Reported by several users; hidden until a moderator decides."
