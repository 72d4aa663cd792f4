"""Execution figures: what was actually received or spent on a budget line in a month or a quarter."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.budgets.models import Budget, BudgetLine
from pb.core.models import LabelledEnum, Money, TimestampMixin, enum_column
from pb.extensions import db


class PeriodKind(LabelledEnum):
    MONTH = "month"
    QUARTER = "quarter"

    @classmethod
    def labels(cls):
        return {cls.MONTH: _l("month"), cls.QUARTER: _l("quarter")}

    @property
    def count(self):
        return 12 if self is PeriodKind.MONTH else 4


class ExecutionFigure(TimestampMixin, db.Model):
    """The amount executed on one line in one period (not cumulative); one row per line and period."""

    __tablename__ = "budget_execution"
    __table_args__ = (
        sa.UniqueConstraint("line_id", "period_kind", "period"),
        sa.CheckConstraint("executed >= 0", name="executed_not_negative"),
        sa.CheckConstraint(
            "(period_kind = 'month' AND period BETWEEN 1 AND 12)"
            " OR (period_kind = 'quarter' AND period BETWEEN 1 AND 4)",
            name="period_in_range",
        ),
        sa.Index("ix_budget_execution_budget_period", "budget_id", "period_kind", "period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False)
    line_id: Mapped[int] = mapped_column(
        sa.ForeignKey("budget_line.id", ondelete="CASCADE"), nullable=False, index=True
    )
    period_kind: Mapped[PeriodKind] = enum_column(PeriodKind, "period_kind", nullable=False)
    period: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False)
    executed = mapped_column(Money, nullable=False)
    note: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))

    budget: Mapped[Budget] = relationship()
    line: Mapped[BudgetLine] = relationship()
    recorded_by = relationship("User")
