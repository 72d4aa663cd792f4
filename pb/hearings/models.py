"""Hearings and the record made while they are held: attendance, questions, decisions, agenda, minutes.

Entries made on the console carry a client_key generated on the device, unique per hearing, so that a
retried or replayed entry is stored once. seq orders every console entry of a hearing for the
devices' polling ("what happened since seq N").
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.core.models import TimestampMixin, enum_column, utcnow
from pb.extensions import db
from pb.hearings.states import AgeBand, Gender, HearingKind, HearingStatus, Outcome

hearing_village = sa.Table(
    "hearing_village",
    db.metadata,
    sa.Column("hearing_id", sa.ForeignKey("hearing.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("village_id", sa.ForeignKey("village.id", ondelete="CASCADE"), primary_key=True),
)


class Hearing(TimestampMixin, db.Model):
    __tablename__ = "hearing"
    __table_args__ = (sa.CheckConstraint("quorum IS NULL OR quorum > 0", name="quorum_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    budget_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget.id", ondelete="SET NULL"), index=True)
    kind: Mapped[HearingKind] = enum_column(HearingKind, "kind", nullable=False)
    status: Mapped[HearingStatus] = enum_column(
        HearingStatus, "status", nullable=False, default=HearingStatus.SCHEDULED
    )
    starts_at: Mapped[datetime] = mapped_column(sa.DateTime, nullable=False)  # local time (Asia/Bishkek)
    place: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    chair_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    secretary_name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    # the accounts that open, run and close the hearing (besides staff and group leads)
    chair_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    secretary_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    quorum: Mapped[int | None] = mapped_column(sa.Integer)
    notes: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    opened_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    minutes_published_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    last_seq: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)

    municipality = relationship("Municipality")
    budget = relationship("Budget")
    chair = relationship("User", foreign_keys=[chair_id])
    secretary = relationship("User", foreign_keys=[secretary_id])
    villages = relationship("Village", secondary=hearing_village, order_by="Village.name")
    agenda: Mapped[list["AgendaItem"]] = relationship(
        back_populates="hearing", order_by="AgendaItem.position", cascade="all, delete-orphan"
    )


class AgendaItem(db.Model):
    __tablename__ = "agenda_item"
    __table_args__ = (sa.UniqueConstraint("hearing_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id", ondelete="CASCADE"), nullable=False, index=True)
    position: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    title: Mapped[str] = mapped_column(sa.String(300), nullable=False)
    budget_line_id: Mapped[int | None] = mapped_column(sa.ForeignKey("budget_line.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposal.id", ondelete="SET NULL"))
    # the item under way is the one with started_at set; leaving it adds the elapsed time to seconds_spent
    started_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    seconds_spent: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)

    hearing: Mapped[Hearing] = relationship(back_populates="agenda")
    budget_line = relationship("BudgetLine")
    proposal = relationship("Proposal")


class ConsoleEntryMixin:
    """What every entry made on the console has: its device key, its order, who and when."""

    id: Mapped[int] = mapped_column(primary_key=True)
    client_key: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    seq: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    device: Mapped[str] = mapped_column(sa.String(64), nullable=False, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))


class Attendance(ConsoleEntryMixin, db.Model):
    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("hearing_id", "client_key"), sa.UniqueConstraint("hearing_id", "seq"))

    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id", ondelete="CASCADE"), nullable=False, index=True)
    gender: Mapped[Gender] = enum_column(Gender, "gender", nullable=False)
    age_band: Mapped[AgeBand] = enum_column(AgeBand, "age_band", nullable=False)
    village_id: Mapped[int | None] = mapped_column(sa.ForeignKey("village.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")

    village = relationship("Village")


class HearingQuestion(ConsoleEntryMixin, db.Model):
    __tablename__ = "hearing_question"
    __table_args__ = (sa.UniqueConstraint("hearing_id", "client_key"), sa.UniqueConstraint("hearing_id", "seq"))

    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id", ondelete="CASCADE"), nullable=False, index=True)
    asked_by: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    village_id: Mapped[int | None] = mapped_column(sa.ForeignKey("village.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.Text, nullable=False)
    answer: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    answered_by: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="SET NULL"))

    village = relationship("Village")


class HearingDecision(ConsoleEntryMixin, db.Model):
    __tablename__ = "hearing_decision"
    __table_args__ = (
        sa.UniqueConstraint("hearing_id", "client_key"),
        sa.UniqueConstraint("hearing_id", "seq"),
        sa.CheckConstraint("votes_for >= 0 AND votes_against >= 0 AND abstentions >= 0", name="counts_not_negative"),
    )

    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id", ondelete="CASCADE"), nullable=False, index=True)
    motion: Mapped[str] = mapped_column(sa.Text, nullable=False)
    votes_for: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    votes_against: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    abstentions: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    outcome: Mapped[Outcome] = enum_column(Outcome, "outcome", nullable=False)
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="SET NULL"))


class HearingProposal(ConsoleEntryMixin, db.Model):
    """A proposal raised in the hall: the proposal itself lives in pb.proposals."""

    __tablename__ = "hearing_proposal"
    __table_args__ = (
        sa.UniqueConstraint("hearing_id", "client_key"),
        sa.UniqueConstraint("hearing_id", "seq"),
        sa.UniqueConstraint("proposal_id"),
    )

    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id", ondelete="CASCADE"), nullable=False, index=True)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False)

    proposal = relationship("Proposal")


class MinutesRevision(db.Model):
    """The secretary's narrative paragraphs; every save is a new revision, none is overwritten."""

    __tablename__ = "minutes_revision"
    __table_args__ = (sa.UniqueConstraint("hearing_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hearing_id: Mapped[int] = mapped_column(sa.ForeignKey("hearing.id", ondelete="CASCADE"), nullable=False, index=True)
    number: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    text: Mapped[str] = mapped_column(sa.Text, nullable=False, default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    author = relationship("User")
