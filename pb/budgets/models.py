"""Budgets of a fiscal year, their lines, published versions and phase history."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.budgets.states import Category, LineKind, Phase
from pb.core.models import Money, TimestampMixin, enum_column, utcnow
from pb.extensions import db
from pb.places.models import Municipality


class Budget(TimestampMixin, db.Model):
    __tablename__ = "budget"
    __table_args__ = (
        sa.UniqueConstraint("municipality_id", "fiscal_year"),
        sa.CheckConstraint("fiscal_year BETWEEN 2000 AND 2100", name="fiscal_year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    fiscal_year: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    phase: Mapped[Phase] = enum_column(Phase, "phase", nullable=False, default=Phase.DRAFT)
    summary_ky: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    summary_ru: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    municipality: Mapped[Municipality] = relationship()
    lines: Mapped[list["BudgetLine"]] = relationship(
        back_populates="budget",
        cascade="all, delete-orphan",
        order_by="(BudgetLine.kind.desc(), BudgetLine.code, BudgetLine.id)",
    )
    versions: Mapped[list["BudgetVersion"]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", order_by="BudgetVersion.number"
    )
    phase_changes: Mapped[list["PhaseChange"]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", order_by="PhaseChange.id"
    )


class BudgetLine(TimestampMixin, db.Model):
    __tablename__ = "budget_line"
    __table_args__ = (
        sa.UniqueConstraint("budget_id", "kind", "code"),
        # a proposal becomes at most one line
        sa.UniqueConstraint("proposal_id"),
        sa.CheckConstraint(
            "approved_last_year >= 0 AND executed_last_year >= 0 AND proposed >= 0",
            name="amounts_not_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False, index=True
    )
    kind: Mapped[LineKind] = enum_column(LineKind, "kind", nullable=False)
    code: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    name_ky: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    name_ru: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    category: Mapped[Category] = enum_column(Category, "category", nullable=False)
    approved_last_year = mapped_column(Money, nullable=False, default=0)
    executed_last_year = mapped_column(Money, nullable=False, default=0)
    proposed = mapped_column(Money, nullable=False, default=0)
    note: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    # set when the council's approval made the line from an accepted proposal (pb.budgets.approval)
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposal.id", ondelete="SET NULL"))

    budget: Mapped[Budget] = relationship(back_populates="lines")

    @property
    def change(self):
        return self.proposed - self.approved_last_year

    @property
    def change_ratio(self):
        if not self.approved_last_year:
            return None
        return self.change / self.approved_last_year


class BudgetVersion(db.Model):
    """An immutable snapshot of the lines, taken each time the budget is published."""

    __tablename__ = "budget_version"
    __table_args__ = (sa.UniqueConstraint("budget_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    phase: Mapped[Phase] = enum_column(Phase, "phase", nullable=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("account.id", ondelete="SET NULL")
    )
    comment: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    snapshot: Mapped[str] = mapped_column(sa.Text, nullable=False)

    budget: Mapped[Budget] = relationship(back_populates="versions")
    created_by = relationship("User")


class PhaseChange(db.Model):
    """The public, dated trace of each phase the budget went through."""

    __tablename__ = "budget_phase_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_phase: Mapped[Phase] = enum_column(Phase, "from_phase", nullable=False)
    to_phase: Mapped[Phase] = enum_column(Phase, "to_phase", nullable=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))

    budget: Mapped[Budget] = relationship(back_populates="phase_changes")
    actor = relationship("User")


class BudgetApproval(db.Model):
    """The council's decision approving the budget: one per budget, with the version it approved."""

    __tablename__ = "budget_approval"
    __table_args__ = (
        sa.UniqueConstraint("budget_id"),
        sa.CheckConstraint("lines_added >= 0", name="lines_added_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False)
    session_number: Mapped[str] = mapped_column(sa.String(40), nullable=False)
    session_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    decision_number: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="")
    decision_text: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    lines_added: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    version_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget_version.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    budget: Mapped[Budget] = relationship()
    version: Mapped[BudgetVersion | None] = relationship()
    approved_by = relationship("User")
