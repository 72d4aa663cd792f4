"""Who may read, write, answer officially, report and moderate comments.

Roles are relative to the target's municipality (pb.groups.services.roles_in). Staff and group
members (any position) give official answers; staff and group leads (chair, secretary) moderate;
the platform admin may do everything.
"""
from dataclasses import dataclass

from pb.budgets.states import GROUP_LEAD, GROUP_MEMBER, STAFF
from pb.comments.models import Comment
from pb.comments.targets import CommentTarget
from pb.core.permissions import rule
from pb.groups.services import roles_in
from pb.places.models import Municipality

ANSWERERS = {STAFF, GROUP_MEMBER}
MODERATORS = {STAFF, GROUP_LEAD}


def _actor(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@dataclass(frozen=True)
class Perms:
    """What one actor may do in one municipality's threads, computed once per page."""

    actor_id: int | None
    view: bool
    answer: bool
    moderate: bool

    @property
    def comment(self):
        return self.actor_id is not None and self.view

    def can_report(self, comment):
        """Anyone logged in, except the author."""
        return self.actor_id is not None and comment.author_id != self.actor_id

    def can_mark_official(self, comment):
        """A visible reply, by its author when they may answer, or by a moderator."""
        if comment.depth < 1 or comment.hidden:
            return False
        return self.moderate or (self.answer and comment.author_id == self.actor_id)


def perms_in(actor, municipality_id, public=True):
    """The actor's Perms in a municipality's threads (public: whether outsiders may read)."""
    actor = _actor(actor)
    if actor is None:
        return Perms(None, public, False, False)
    roles = roles_in(actor, municipality_id)
    admin = bool(actor.is_admin)
    return Perms(actor.id, public or admin or bool(roles), admin or bool(ANSWERERS & roles),
                 admin or bool(MODERATORS & roles))


def perms_for(actor, target):
    """The actor's Perms on a target's thread."""
    return perms_in(actor, target.municipality_id, target.public)


@rule(CommentTarget, "view")
def can_view(actor, target):
    """Anyone when the target is public; otherwise the municipality's insiders and the admin."""
    return perms_for(actor, target).view


@rule(CommentTarget, "comment")
def can_comment(actor, target):
    """Logged-in users who may read the thread."""
    return perms_for(actor, target).comment


@rule(CommentTarget, "answer")
def can_answer(actor, target):
    """Staff, group members (any position) and the admin give official answers."""
    return perms_for(actor, target).answer


@rule(Comment, "report")
def can_report(actor, comment):
    """Anyone logged in, except the comment's author."""
    return perms_in(actor, comment.municipality_id).can_report(comment)


@rule(Comment, "moderate")
def can_moderate(actor, comment):
    """Staff, group leads and the admin of the comment's municipality."""
    return perms_in(actor, comment.municipality_id).moderate


@rule(Comment, "mark_official")
def can_mark_official(actor, comment):
    """A visible reply: its author when they may answer, or a moderator."""
    return perms_in(actor, comment.municipality_id).can_mark_official(comment)


@rule(Municipality, "moderate_comments")
def can_moderate_municipality(actor, municipality):
    """Who sees the municipality's moderation queue."""
    return perms_in(actor, municipality.id).moderate
