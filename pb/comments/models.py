"""Comments (a thread per target), reports on them and the moderators' decisions.

Nothing here is ever deleted: hiding is a flag with a reason, and every decision is a row.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.comments.states import ModerationKind
from pb.core.models import enum_column, utcnow
from pb.extensions import db


class Comment(db.Model):
    __tablename__ = "comment"
    __table_args__ = (
        sa.Index("ix_comment_target", "target_type", "target_id", "created_at"),
        sa.UniqueConstraint("author_id", "client_key"),
        sa.CheckConstraint("depth >= 0", name="depth_not_negative"),
        sa.CheckConstraint(
            "(parent_id IS NULL AND root_id IS NULL AND depth = 0)"
            " OR (parent_id IS NOT NULL AND root_id IS NOT NULL AND depth > 0)",
            name="reply_has_parent",
        ),
        sa.CheckConstraint("depth > 0 OR NOT is_official", name="official_is_a_reply"),
        sa.CheckConstraint("report_count >= 0", name="report_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    target_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comment.id"), index=True)
    # the top-level comment (the question) of the thread: one query tells which questions are answered
    root_id: Mapped[int | None] = mapped_column(sa.ForeignKey("comment.id"), index=True)
    depth: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False, default=0)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"), nullable=False, index=True)
    # a key rendered into the form: a second click or a retry returns the comment already saved
    client_key: Mapped[str | None] = mapped_column(sa.String(64))
    body: Mapped[str] = mapped_column(sa.Text, nullable=False)
    is_official: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    hidden: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    hidden_reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    hidden_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    report_count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    author = relationship("User", foreign_keys=[author_id])
    hidden_by = relationship("User", foreign_keys=[hidden_by_id])
    parent = relationship("Comment", remote_side=[id], foreign_keys=[parent_id])

    @property
    def hidden_automatically(self):
        """Hidden by the report threshold, waiting for a moderator."""
        return self.hidden and self.hidden_by_id is None


class CommentReport(db.Model):
    """One user's report of one comment (a second report by the same user is refused by the database)."""

    __tablename__ = "comment_report"
    __table_args__ = (sa.UniqueConstraint("comment_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comment.id"), nullable=False, index=True)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    reporter = relationship("User")


class ModerationAction(db.Model):
    """A decision on a comment, shown to its author: hidden, restored, or hidden after reports."""

    __tablename__ = "comment_moderation"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("comment.id"), nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    action: Mapped[ModerationKind] = enum_column(ModerationKind, "action", nullable=False)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    actor = relationship("User")
