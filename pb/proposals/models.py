"""Proposals for a budget, their authors, supports, photos and public status history."""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from pb.accounts.models import User
from pb.budgets.models import Budget
from pb.budgets.states import Category
from pb.core.models import Money, TimestampMixin, enum_column, utcnow
from pb.extensions import db
from pb.places.models import Village
from pb.proposals.states import Status


class Proposal(TimestampMixin, db.Model):
    __tablename__ = "proposal"
    __table_args__ = (
        sa.CheckConstraint("estimated_cost > 0", name="cost_positive"),
        sa.CheckConstraint("contribution_money >= 0", name="contribution_not_negative"),
        sa.CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_itself"),
        sa.CheckConstraint("(status = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_target"),
        sa.CheckConstraint("rehearsal OR village_id IS NOT NULL", name="real_proposal_has_village"),
        sa.Index("ix_proposal_budget_status", "budget_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False)
    # a copy of the budget's, so that roles and the audit log scope without a join
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # none only for a rehearsal proposal whose file named no village of the municipality
    village_id: Mapped[int | None] = mapped_column(sa.ForeignKey("village.id"), index=True)
    category: Mapped[Category] = enum_column(Category, "category", nullable=False)
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    description: Mapped[str] = mapped_column(sa.Text, nullable=False)
    estimated_cost = mapped_column(Money, nullable=False)
    contribution_money = mapped_column(Money, nullable=False, default=0)
    contribution_labour: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    status: Mapped[Status] = enum_column(Status, "status", nullable=False, default=Status.SUBMITTED)
    status_reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"), index=True)
    # proposals are never deleted one by one; they go with their budget, duplicates included
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), index=True
    )
    # a project of a Pabulib file imported for rehearsal: kept out of the budget's proposals, hearings and
    # statistics, seen only through its imported round
    rehearsal: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False, server_default=sa.false())

    budget: Mapped[Budget] = relationship()
    village: Mapped[Village | None] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    merged_into: Mapped["Proposal | None"] = relationship(remote_side=[id])
    authors: Mapped[list["ProposalAuthor"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalAuthor.id"
    )
    photos: Mapped[list["ProposalPhoto"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalPhoto.id"
    )
    status_changes: Mapped[list["ProposalStatusChange"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="ProposalStatusChange.id"
    )

    @property
    def village_name(self):
        """The village's name; '' for a rehearsal proposal without one."""
        return self.village.name if self.village else ""

    @property
    def is_merged(self):
        return self.status == Status.MERGED


class ProposalAuthor(db.Model):
    """Everyone who wrote the proposal: the submitter, and the authors of duplicates merged into it."""

    __tablename__ = "proposal_author"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    proposal: Mapped[Proposal] = relationship(back_populates="authors")
    user: Mapped[User] = relationship()


class ProposalSupport(db.Model):
    """One resident's support; the unique pair makes it one per resident in the database itself."""

    __tablename__ = "proposal_support"
    __table_args__ = (sa.UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)


class ProposalPhoto(db.Model):
    """A re-encoded photo stored under a random name; only names in this table are ever served."""

    __tablename__ = "proposal_photo"
    __table_args__ = (
        sa.CheckConstraint("width > 0 AND height > 0 AND size > 0", name="dimensions_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True
    )
    name: Mapped[str] = mapped_column(sa.String(40), nullable=False, unique=True)
    width: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    height: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    size: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship(back_populates="photos")

    @property
    def mimetype(self):
        return "image/png" if self.name.endswith(".png") else "image/jpeg"


class ProposalStatusChange(db.Model):
    """The public, dated trace of each status the proposal went through, with the reason given."""

    __tablename__ = "proposal_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status: Mapped[Status | None] = enum_column(Status, "from_status")
    to_status: Mapped[Status] = enum_column(Status, "to_status", nullable=False)
    reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    proposal: Mapped[Proposal] = relationship(back_populates="status_changes")
    actor: Mapped[User | None] = relationship()


# Counted in the same query that loads (or sorts) the proposals, so it can never drift from the
# rows: supports vanish with a deleted account, and merges move them.
Proposal.support_count = column_property(
    sa.select(sa.func.count(ProposalSupport.id))
    .where(ProposalSupport.proposal_id == Proposal.id)
    .correlate_except(ProposalSupport)
    .scalar_subquery()
)
