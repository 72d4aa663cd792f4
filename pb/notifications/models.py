"""Follows (a resident watching a budget, proposal or hearing) and the notifications they bring."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from pb.core.models import utcnow
from pb.extensions import db


class Follow(db.Model):
    __tablename__ = "follow"
    __table_args__ = (sa.UniqueConstraint("user_id", "target_type", "target_id"),
                      sa.Index("ix_follow_target", "target_type", "target_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    target_type: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    target_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)


class Notification(db.Model):
    """What happened, kept as a kind and parameters so it reads in the viewer's language."""

    __tablename__ = "notification"
    __table_args__ = (sa.Index("ix_notification_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    target_type: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    target_id: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    params: Mapped[str] = mapped_column(sa.Text, nullable=False, default="{}")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
