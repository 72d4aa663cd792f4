"""Reading comments: a target's thread as a tree, answered questions, the moderation queue."""
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, joinedload

from pb.comments import budget_targets, execution_targets, hearing_targets, permissions, proposal_targets  # noqa: F401  (targets and rules register)
from pb.comments.models import Comment, CommentReport, ModerationAction
from pb.comments.targets import load_target
from pb.core.errors import NotFound
from pb.core.permissions import can, ensure
from pb.extensions import db


@dataclass
class Node:
    """A comment with its replies, and what the viewer needs to know about it."""

    comment: Comment
    replies: list = field(default_factory=list)
    answered: bool = False  # a question with an official, visible reply in its thread
    reported: bool = False  # by the viewer
    actions: list = field(default_factory=list)  # moderation trail, for the author and moderators


@dataclass(frozen=True)
class QueueItem:
    """A comment in the moderation queue, with where it was written, its reports and its trail."""

    comment: Comment
    target: object  # CommentTarget, or None when the commented object no longer exists
    reports: list
    actions: list


def get_comment(comment_id):
    """The comment, or NotFound."""
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFound()
    return comment


def get_visible_target(actor, target_type, target_id):
    """The target when actor may read its thread; NotFound otherwise (a draft does not reveal itself)."""
    target = load_target(target_type, target_id)
    if not can(actor, "view", target):
        raise NotFound()
    return target


def get_visible_comment(actor, comment_id):
    """(comment, target) when actor may read the comment's thread; NotFound otherwise."""
    comment = get_comment(comment_id)
    return comment, get_visible_target(actor, comment.target_type, comment.target_id)


def _trail(comment_ids):
    actions = {}
    if comment_ids:
        rows = db.session.execute(
            sa.select(ModerationAction).options(joinedload(ModerationAction.actor))
            .where(ModerationAction.comment_id.in_(comment_ids))
            .order_by(ModerationAction.id)
        ).scalars()
        for action in rows:
            actions.setdefault(action.comment_id, []).append(action)
    return actions


def list_thread(target, viewer_id=None, moderator=False):
    """The target's comments as a tree, oldest first, in three queries at most."""
    comments = db.session.execute(
        sa.select(Comment).options(joinedload(Comment.author))
        .where(Comment.target_type == target.type, Comment.target_id == target.id)
        .order_by(Comment.created_at, Comment.id)
    ).scalars().all()
    nodes = {c.id: Node(c) for c in comments}
    answered = {c.root_id for c in comments if c.is_official and not c.hidden}
    top = []
    for c in comments:
        node = nodes[c.id]
        node.answered = c.id in answered
        parent = nodes.get(c.parent_id)
        (parent.replies if parent else top).append(node)
    if viewer_id is not None and comments:
        reported = db.session.execute(
            sa.select(CommentReport.comment_id).where(CommentReport.reporter_id == viewer_id,
                                                      CommentReport.comment_id.in_(nodes))
        ).scalars()
        for comment_id in reported:
            nodes[comment_id].reported = True
        own = [c.id for c in comments if moderator or c.author_id == viewer_id]
        for comment_id, actions in _trail(own).items():
            nodes[comment_id].actions = actions
    return top


def find_node(nodes, comment_id):
    """The node of a comment in a tree from list_thread, or None."""
    for node in nodes:
        if node.comment.id == comment_id:
            return node
        found = find_node(node.replies, comment_id)
        if found:
            return found
    return None


def thread_status(nodes):
    """(questions, answered) of a tree from list_thread; the same count as answer_status."""
    visible = [n for n in nodes if not n.comment.hidden]
    return len(visible), sum(1 for n in visible if n.answered)


def _official_reply():
    reply = aliased(Comment)
    return sa.exists().where(reply.root_id == Comment.id, reply.is_official.is_(True), reply.hidden.is_(False))


def _questions(target_type):
    return (Comment.target_type == target_type, Comment.depth == 0, Comment.hidden.is_(False))


def answer_status(target_type, target_id):
    """(questions, answered): visible top-level comments, and those with an official reply."""
    questions, answered = db.session.execute(
        sa.select(sa.func.count(Comment.id), sa.func.count(sa.case((_official_reply(), 1))))
        .where(*_questions(target_type), Comment.target_id == target_id)
    ).one()
    return questions, answered


def unanswered_counts(target_type, ids):
    """{target id: questions without an official answer} for many targets, in one query."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Comment.target_id, sa.func.count(Comment.id))
        .where(*_questions(target_type), Comment.target_id.in_(ids), ~_official_reply())
        .group_by(Comment.target_id)
    )
    return dict(rows.all())


def list_moderation_queue(actor, municipality, page, per_page):
    """The municipality's reported and hidden comments, those waiting for a decision first."""
    ensure(actor, "moderate_comments", municipality)
    waiting = sa.case((sa.and_(Comment.hidden.is_(True), Comment.hidden_by_id.is_(None)), 0), else_=1)
    stmt = (
        sa.select(Comment).options(joinedload(Comment.author))
        .where(Comment.municipality_id == municipality.id,
               sa.or_(Comment.hidden.is_(True), Comment.report_count > 0))
        .order_by(waiting, Comment.id.desc())
    )
    pagination = db.paginate(stmt, page=page, per_page=per_page, error_out=False)
    ids = [c.id for c in pagination.items]
    reports = {}
    if ids:
        rows = db.session.execute(
            sa.select(CommentReport).options(joinedload(CommentReport.reporter))
            .where(CommentReport.comment_id.in_(ids)).order_by(CommentReport.id)
        ).scalars()
        for report in rows:
            reports.setdefault(report.comment_id, []).append(report)
    actions, targets = _trail(ids), {}
    for c in pagination.items:
        key = (c.target_type, c.target_id)
        if key not in targets:
            try:
                targets[key] = load_target(*key)
            except NotFound:
                targets[key] = None
    items = [QueueItem(c, targets[(c.target_type, c.target_id)], reports.get(c.id, []), actions.get(c.id, []))
             for c in pagination.items]
    return pagination, items
