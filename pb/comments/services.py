"""Comments: posting and replying, official answers, reports and moderation. Nothing is deleted."""
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from pb.audit.services import record
from pb.comments import budget_targets, execution_targets, hearing_targets, notices, permissions, proposal_targets  # noqa: F401  (they register)
from pb.comments.models import Comment, CommentReport, ModerationAction
from pb.comments.states import AUTO_REASON, MODERATOR_ACTIONS, ModerationKind
from pb.comments.targets import load_target
from pb.comments.text import clean_text
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.models import utcnow
from pb.core.permissions import ensure
from pb.extensions import db
from pb.notifications.services import notify_followers

MAX_REASON = 500
MAX_KEY = 64


# --- posting and official answers -------------------------------------------------------


def _config(name):
    return current_app.config[name]


def _existing(actor, key):
    return db.session.execute(
        sa.select(Comment).where(Comment.author_id == actor.id, Comment.client_key == key)
    ).scalar_one_or_none()


def _clean_body(body):
    body = clean_text(body)
    limit = _config("COMMENT_MAX_LENGTH")
    if not body:
        raise ValidationFailed.single("body", _l("Write your comment before sending it."))
    if len(body) > limit:
        raise ValidationFailed.single("body", _l(
            "A comment can be at most %(max)d characters long; this one has %(n)d.", max=limit, n=len(body)))
    return body


def _reply_parent(target, parent_id):
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.target_type != target.type or parent.target_id != target.id:
        raise NotFound()
    if parent.hidden:
        raise ValidationFailed.single("body", _l("This comment is hidden; it cannot be answered."))
    if parent.depth >= _config("COMMENT_MAX_DEPTH") - 1:
        parent = parent.parent  # a reply to the deepest level joins that level's thread
    return parent


def post_comment(actor, target, body, parent_id=None, official=False, client_key=None):
    """Publish a comment (or a reply, or an official answer); the same client key twice saves it once."""
    ensure(actor, "comment", target)
    if official:
        ensure(actor, "answer", target)
    key = (client_key or "").strip()[:MAX_KEY] or None
    if key and (earlier := _existing(actor, key)) is not None:
        return earlier
    body = _clean_body(body)
    parent = _reply_parent(target, parent_id) if parent_id is not None else None
    if official and parent is None:
        raise ValidationFailed.single("official", _l("Only a reply can be the official answer to a question."))
    comment = Comment(
        target_type=target.type, target_id=target.id, municipality_id=target.municipality_id,
        parent_id=parent.id if parent else None, root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0, author_id=actor.id, client_key=key, body=body,
        is_official=bool(official),
    )
    db.session.add(comment)
    try:
        db.session.flush()
    except IntegrityError:  # the same key, sent twice at the same moment
        db.session.rollback()
        if key and (earlier := _existing(actor, key)) is not None:
            return earlier
        raise
    record(actor, "comment.post", comment, target_type=target.type, target_id=target.id,
           parent_id=comment.parent_id, official=comment.is_official)
    if comment.is_official:
        _notify_official(actor, target, comment)
    db.session.commit()
    return comment


def _notify_official(actor, target, comment):
    question = db.session.get(Comment, comment.root_id)
    notify_followers(notices.OFFICIAL, target.follow_type, target.follow_id, actor=actor,
                     extra_user_ids=[question.author_id], comment_id=comment.id,
                     about_type=target.type, about_id=target.id)


def set_official(actor, comment, official=True):
    """Mark a reply as the official answer to its question (or take the mark away)."""
    ensure(actor, "mark_official", comment)
    official = bool(official)
    if comment.is_official == official:
        return comment
    comment.is_official = official
    record(actor, "comment.official" if official else "comment.unofficial", comment)
    if official:
        _notify_official(actor, load_target(comment.target_type, comment.target_id), comment)
    db.session.commit()
    return comment


# --- reports and moderation -------------------------------------------------------------


def _clean_reason(reason, required):
    reason = clean_text(reason)
    if required and not reason:
        raise ValidationFailed.single("reason", _l("Give a reason: the author of the comment will see it."))
    if len(reason) > MAX_REASON:
        raise ValidationFailed.single("reason", _l("At most %(n)d characters.", n=MAX_REASON))
    return reason


def _already_reported():
    return Conflict(_l("You have already reported this comment."))


def _decided_by_moderator(comment):
    return db.session.execute(
        sa.select(ModerationAction.id).where(ModerationAction.comment_id == comment.id,
                                             ModerationAction.action.in_(MODERATOR_ACTIONS)).limit(1)
    ).first() is not None


def report_comment(actor, comment, reason=""):
    """Report a comment, once per person; enough reports hide it until a moderator decides."""
    ensure(actor, "report", comment)
    reason = _clean_reason(reason, required=False)
    reported = db.session.execute(
        sa.select(CommentReport.id).where(CommentReport.comment_id == comment.id,
                                          CommentReport.reporter_id == actor.id)
    ).first()
    if reported:
        raise _already_reported()
    db.session.add(CommentReport(comment_id=comment.id, reporter_id=actor.id, reason=reason))
    try:
        db.session.flush()
    except IntegrityError:  # the same person, twice at the same moment
        db.session.rollback()
        raise _already_reported() from None
    db.session.execute(sa.update(Comment).where(Comment.id == comment.id)
                       .values(report_count=Comment.report_count + 1))
    db.session.refresh(comment)
    record(actor, "comment.report", comment, reason=reason, reports=comment.report_count)
    if (not comment.hidden and comment.report_count >= _config("COMMENT_REPORT_THRESHOLD")
            and not _decided_by_moderator(comment)):
        comment.hidden, comment.hidden_reason, comment.hidden_at = True, AUTO_REASON, utcnow()
        comment.hidden_by_id = None
        db.session.add(ModerationAction(comment_id=comment.id, action=ModerationKind.AUTO_HIDE, reason=AUTO_REASON))
        record(None, "comment.auto_hide", comment, reports=comment.report_count)
    db.session.commit()
    return comment


def moderate_comment(actor, comment, action, reason):
    """Hide or restore a comment with a reason that its author sees."""
    ensure(actor, "moderate", comment)
    try:
        kind = ModerationKind(action)
    except ValueError:
        kind = None
    if kind not in MODERATOR_ACTIONS:
        raise ValidationFailed.single("action", _l("Choose whether to hide or to restore the comment."))
    reason = _clean_reason(reason, required=True)
    if kind == ModerationKind.RESTORE and not comment.hidden:
        raise Conflict(_l("This comment is not hidden."))
    if kind == ModerationKind.HIDE and comment.hidden and not comment.hidden_automatically:
        raise Conflict(_l("A moderator has already hidden this comment."))
    if kind == ModerationKind.HIDE:
        comment.hidden, comment.hidden_reason, comment.hidden_at = True, reason, utcnow()
        comment.hidden_by_id = actor.id
    else:
        comment.hidden, comment.hidden_reason, comment.hidden_at, comment.hidden_by_id = False, "", None, None
    db.session.add(ModerationAction(comment_id=comment.id, actor_id=actor.id, action=kind, reason=reason))
    record(actor, f"comment.{kind.value}", comment, reason=reason)
    db.session.commit()
    return comment
