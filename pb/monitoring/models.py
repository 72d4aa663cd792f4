"""Implementation records of funded proposals, their milestones, monitoring reports and photos."""
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.budgets.models import Budget, BudgetLine
from pb.core.models import Money, TimestampMixin, enum_column, utcnow
from pb.extensions import db
from pb.groups.models import CivicGroup
from pb.monitoring.states import ProjectStatus, Rating
from pb.proposals.models import Proposal


class Implementation(TimestampMixin, db.Model):
    """How a funded proposal is carried out: who, when, how much, how far, in what state."""

    __tablename__ = "implementation"
    __table_args__ = (
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
        sa.CheckConstraint("planned_cost >= 0 AND spent >= 0 AND contribution_delivered >= 0",
                           name="amounts_not_negative"),
        sa.CheckConstraint("status <> 'cancelled' OR cancel_reason <> ''", name="cancelled_has_reason"),
        sa.CheckConstraint("planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start",
                           name="planned_dates_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        sa.ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False, index=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    # a budget of a later year that took the unfinished project over
    carried_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget.id", ondelete="SET NULL"), index=True)
    responsible_body: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    contractor: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    planned_start: Mapped[date | None] = mapped_column(sa.Date)
    planned_end: Mapped[date | None] = mapped_column(sa.Date)
    actual_start: Mapped[date | None] = mapped_column(sa.Date)
    actual_end: Mapped[date | None] = mapped_column(sa.Date)
    planned_cost = mapped_column(Money, nullable=False)
    spent = mapped_column(Money, nullable=False, default=0)
    contribution_delivered = mapped_column(Money, nullable=False, default=0)
    contribution_labour_delivered: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")
    progress: Mapped[int] = mapped_column(sa.SmallInteger, nullable=False, default=0)
    status: Mapped[ProjectStatus] = enum_column(ProjectStatus, "status", nullable=False,
                                                default=ProjectStatus.NOT_STARTED)
    cancel_reason: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")

    proposal: Mapped[Proposal] = relationship()
    budget: Mapped[Budget] = relationship(foreign_keys=[budget_id])
    carried_to: Mapped[Budget | None] = relationship(foreign_keys=[carried_to_id])
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="implementation", cascade="all, delete-orphan",
        order_by="(Milestone.planned_date, Milestone.id)",
    )
    photos: Mapped[list["MonitoringPhoto"]] = relationship(
        back_populates="implementation", cascade="all, delete-orphan", order_by="MonitoringPhoto.id"
    )


class Milestone(db.Model):
    """A step of a project with its planned date, and the date it was reached."""

    __tablename__ = "implementation_milestone"

    id: Mapped[int] = mapped_column(primary_key=True)
    implementation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("implementation.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    planned_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    done_date: Mapped[date | None] = mapped_column(sa.Date)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    implementation: Mapped[Implementation] = relationship(back_populates="milestones")


class MonitoringReport(TimestampMixin, db.Model):
    """A monitoring group's visit to a project or a budget line, and the municipality's answer."""

    __tablename__ = "monitoring_report"
    __table_args__ = (
        sa.CheckConstraint("(implementation_id IS NULL) <> (line_id IS NULL)", name="one_subject"),
        sa.CheckConstraint("(answer = '') = (answered_at IS NULL)", name="answer_is_dated"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False, index=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    group_id: Mapped[int] = mapped_column(sa.ForeignKey("civic_group.id", ondelete="CASCADE"), nullable=False, index=True)
    implementation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("implementation.id", ondelete="CASCADE"), index=True
    )
    line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget_line.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    visit_date: Mapped[date] = mapped_column(sa.Date, nullable=False)
    findings: Mapped[str] = mapped_column(sa.Text, nullable=False)
    rating: Mapped[Rating] = enum_column(Rating, "rating", nullable=False)
    recommendations: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    answer: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    answered_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))

    budget: Mapped[Budget] = relationship()
    group: Mapped[CivicGroup] = relationship()
    implementation: Mapped[Implementation | None] = relationship()
    line: Mapped[BudgetLine | None] = relationship()
    author = relationship("User", foreign_keys=[author_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])
    photos: Mapped[list["MonitoringPhoto"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="MonitoringPhoto.id"
    )


class MonitoringPhoto(db.Model):
    """A re-encoded photo of a project or a report, under a random name; only names here are served."""

    __tablename__ = "monitoring_photo"
    __table_args__ = (
        sa.CheckConstraint("width > 0 AND height > 0 AND size > 0", name="dimensions_positive"),
        sa.CheckConstraint("(implementation_id IS NULL) <> (report_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    implementation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("implementation.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(sa.ForeignKey("monitoring_report.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(40), nullable=False, unique=True)
    width: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    height: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    size: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))

    implementation: Mapped[Implementation | None] = relationship(back_populates="photos")
    report: Mapped[MonitoringReport | None] = relationship(back_populates="photos")

    @property
    def mimetype(self):
        return "image/png" if self.name.endswith(".png") else "image/jpeg"

    @property
    def budget(self):
        return (self.implementation or self.report).budget
