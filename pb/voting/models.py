"""Voting rounds, their ballots, voting codes, kiosks and paper ballots.

A ballot carries no identity. Who has voted is kept apart, in round_voter, whose UNIQUE (round, voter)
is the one-person-one-vote rule; it is written in the same transaction as the ballot. A code is
marked used, not linked to the ballot it opened. Ballots sent by a device carry a client_key unique
per round, so that a retried or replayed submission is stored once.
"""
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pb.core.models import Money, TimestampMixin, enum_column, utcnow
from pb.extensions import db
from pb.voting.states import Channel, Eligibility, Method, PaperStatus, Refusal, RoundStatus


class VotingRound(TimestampMixin, db.Model):
    __tablename__ = "voting_round"
    __table_args__ = (
        sa.CheckConstraint("amount > 0", name="amount_positive"),
        sa.CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        sa.CheckConstraint("min_choices >= 0 AND max_choices >= min_choices", name="choices_in_order"),
        sa.CheckConstraint("points > 0 AND rank_depth > 0", name="points_and_depth_positive"),
        sa.CheckConstraint("channel_kiosk OR channel_online OR channel_paper", name="some_channel"),
        sa.CheckConstraint("quota_basis IN ('', 'voters', 'contribution', 'mix')", name="quota_basis_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    budget_id: Mapped[int] = mapped_column(sa.ForeignKey("budget.id", ondelete="CASCADE"), nullable=False, index=True)
    municipality_id: Mapped[int] = mapped_column(
        sa.ForeignKey("municipality.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    method: Mapped[Method] = enum_column(Method, "method", nullable=False)
    min_choices: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    max_choices: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=1)
    points: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=10)  # cumulative: points to spread
    rank_depth: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=3)  # ranking: top k
    amount = mapped_column(Money, nullable=False)  # the money to allocate
    allocation_rule: Mapped[str] = mapped_column(sa.String(40), nullable=False, default="greedy")
    # village quotas: '' for none, else what each village's share follows (pb.voting.quotas)
    quota_basis: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="", server_default="")
    channel_kiosk: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    channel_online: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    channel_paper: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    eligibility: Mapped[Eligibility] = enum_column(Eligibility, "eligibility", nullable=False,
                                                   default=Eligibility.BOTH)
    opens_at: Mapped[datetime] = mapped_column(sa.DateTime, nullable=False)  # local time (Asia/Bishkek)
    closes_at: Mapped[datetime] = mapped_column(sa.DateTime, nullable=False)
    hide_counts: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=True)
    double_keying: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    status: Mapped[RoundStatus] = enum_column(RoundStatus, "status", nullable=False, default=RoundStatus.DRAFT)
    opened_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    # a rehearsal round imported from a Pabulib file: the file's name; '' for a real vote (pb.voting.pabulib_import)
    imported_from: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="", server_default="")

    budget = relationship("Budget")
    municipality = relationship("Municipality")
    entries: Mapped[list["RoundProposal"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundProposal.id"
    )
    locations: Mapped[list["VotingLocation"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="VotingLocation.name"
    )
    outcome: Mapped["RoundOutcome | None"] = relationship(back_populates="round", cascade="all, delete-orphan",
                                                          uselist=False)

    @property
    def channels(self):
        flags = {Channel.KIOSK: self.channel_kiosk, Channel.ONLINE: self.channel_online,
                 Channel.PAPER: self.channel_paper}
        return [channel for channel, on in flags.items() if on]

    @property
    def is_imported(self):
        """A rehearsal round made from a Pabulib file: never a real vote."""
        return bool(self.imported_from)

    @property
    def residents_may_vote(self):
        return self.eligibility in (Eligibility.RESIDENTS, Eligibility.BOTH)

    @property
    def codes_may_vote(self):
        return self.eligibility in (Eligibility.CODES, Eligibility.BOTH)


class RoundProposal(db.Model):
    """A proposal on the round's ballot, with its cost as it stood when the ballot was set."""

    __tablename__ = "round_proposal"
    __table_args__ = (sa.UniqueConstraint("round_id", "proposal_id"), sa.CheckConstraint("cost > 0", name="cost_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True)
    cost = mapped_column(Money, nullable=False)

    round: Mapped[VotingRound] = relationship(back_populates="entries")
    proposal = relationship("Proposal")


class VotingLocation(db.Model):
    """Where kiosk and paper ballots are cast: a hall, a school, a door-to-door route."""

    __tablename__ = "voting_location"
    __table_args__ = (sa.UniqueConstraint("round_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False)
    name: Mapped[str] = mapped_column(sa.String(200), nullable=False)
    village_id: Mapped[int | None] = mapped_column(sa.ForeignKey("village.id", ondelete="SET NULL"))

    round: Mapped[VotingRound] = relationship(back_populates="locations")
    village = relationship("Village")


class CodeBatch(db.Model):
    __tablename__ = "code_batch"
    __table_args__ = (sa.CheckConstraint("size > 0", name="size_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False, index=True)
    label: Mapped[str] = mapped_column(sa.String(200), nullable=False, default="")
    size: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("voting_location.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    voided_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    void_reason: Mapped[str] = mapped_column(sa.String(500), nullable=False, default="")

    round = relationship("VotingRound")
    location = relationship("VotingLocation")
    created_by = relationship("User")


class VotingCode(db.Model):
    """A single-use code; only its keyed hash is stored, the clear code exists on the printed slip."""

    __tablename__ = "voting_code"
    __table_args__ = (sa.UniqueConstraint("round_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False)
    batch_id: Mapped[int] = mapped_column(sa.ForeignKey("code_batch.id", ondelete="CASCADE"), nullable=False, index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    # a code handed to a known resident at the desk counts as that resident's vote
    resident_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"), index=True)
    used_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    voided_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    batch = relationship("CodeBatch")
    resident = relationship("User")


class Ballot(db.Model):
    """A counted ballot. No voter, no code, no time: only how it was cast and where."""

    __tablename__ = "ballot"
    __table_args__ = (
        sa.UniqueConstraint("round_id", "receipt"),
        sa.UniqueConstraint("round_id", "client_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False)
    receipt: Mapped[str] = mapped_column(sa.String(20), nullable=False)
    client_key: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    channel: Mapped[Channel] = enum_column(Channel, "channel", nullable=False)
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("voting_location.id", ondelete="SET NULL"))

    choices: Mapped[list["BallotChoice"]] = relationship(
        back_populates="ballot", cascade="all, delete-orphan", order_by="BallotChoice.id"
    )
    location = relationship("VotingLocation")


class BallotChoice(db.Model):
    """One proposal on a ballot: 1 for approval, the points for cumulative, the rank (1 = first) for ranking."""

    __tablename__ = "ballot_choice"
    __table_args__ = (sa.UniqueConstraint("ballot_id", "proposal_id"), sa.CheckConstraint("value > 0", name="value_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    ballot_id: Mapped[int] = mapped_column(sa.ForeignKey("ballot.id", ondelete="CASCADE"), nullable=False)
    proposal_id: Mapped[int] = mapped_column(sa.ForeignKey("proposal.id", ondelete="CASCADE"), nullable=False, index=True)
    value: Mapped[int] = mapped_column(sa.Integer, nullable=False)

    ballot: Mapped[Ballot] = relationship(back_populates="choices")


class RoundVoter(db.Model):
    """That a person voted in a round (never how): UNIQUE (round, voter) is one person, one vote."""

    __tablename__ = "round_voter"
    __table_args__ = (sa.UniqueConstraint("round_id", "voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False)
    voter_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), nullable=False, index=True)
    channel: Mapped[Channel] = enum_column(Channel, "channel", nullable=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)


class RefusedBallot(db.Model):
    """A submission that reached the server and was not counted, kept to be reported (and replayed safely)."""

    __tablename__ = "refused_ballot"
    __table_args__ = (sa.UniqueConstraint("round_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False)
    client_key: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    receipt: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="")
    channel: Mapped[Channel] = enum_column(Channel, "channel", nullable=False)
    location_id: Mapped[int | None] = mapped_column(sa.ForeignKey("voting_location.id", ondelete="SET NULL"))
    kiosk_id: Mapped[int | None] = mapped_column(sa.ForeignKey("kiosk.id", ondelete="SET NULL"))
    code_id: Mapped[int | None] = mapped_column(sa.ForeignKey("voting_code.id", ondelete="SET NULL"))
    reason: Mapped[Refusal] = enum_column(Refusal, "reason", nullable=False)
    cast_at: Mapped[datetime | None] = mapped_column(sa.DateTime)  # the device's clock, when offline
    received_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    location = relationship("VotingLocation")
    kiosk = relationship("Kiosk")


class Kiosk(db.Model):
    """A tablet given over to one round and one location; it holds a token, not a staff session."""

    __tablename__ = "kiosk"
    __table_args__ = (sa.UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False, index=True)
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_location.id", ondelete="CASCADE"), nullable=False)
    label: Mapped[str] = mapped_column(sa.String(100), nullable=False, default="")
    token_hash: Mapped[str] = mapped_column(sa.String(64), nullable=False)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)
    ended_at: Mapped[datetime | None] = mapped_column(sa.DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(sa.DateTime)

    round = relationship("VotingRound")
    location = relationship("VotingLocation")
    created_by = relationship("User")


class PaperEntry(db.Model):
    """A paper ballot keyed in by the secretary; with double keying it counts once a second keying matches."""

    __tablename__ = "paper_entry"
    __table_args__ = (sa.UniqueConstraint("round_id", "serial"), sa.UniqueConstraint("ballot_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False)
    serial: Mapped[str] = mapped_column(sa.String(20), nullable=False)  # the number printed on the paper
    location_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_location.id"), nullable=False)
    spoiled: Mapped[bool] = mapped_column(sa.Boolean, nullable=False, default=False)
    first_choices: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    first_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    second_choices: Mapped[dict | None] = mapped_column(sa.JSON)
    second_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="SET NULL"))
    status: Mapped[PaperStatus] = enum_column(PaperStatus, "status", nullable=False)
    ballot_id: Mapped[int | None] = mapped_column(sa.ForeignKey("ballot.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    location = relationship("VotingLocation")
    ballot = relationship("Ballot")
    first_by = relationship("User", foreign_keys=[first_by_id])
    second_by = relationship("User", foreign_keys=[second_by_id])


class RoundOutcome(db.Model):
    """The allocation computed when the round closed: kept so that the results page never changes under
    a reader, and traceable (the digest is of the anonymous ballots it was computed from)."""

    __tablename__ = "round_outcome"
    __table_args__ = (sa.UniqueConstraint("round_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("voting_round.id", ondelete="CASCADE"), nullable=False)
    rule: Mapped[str] = mapped_column(sa.String(40), nullable=False)  # the round's rule at the close
    quota_basis: Mapped[str] = mapped_column(sa.String(20), nullable=False, default="")
    ballots: Mapped[int] = mapped_column(sa.Integer, nullable=False)
    ballots_digest: Mapped[str] = mapped_column(sa.String(64), nullable=False)  # sha256 of the canonical ballots
    cost = mapped_column(Money, nullable=False)  # what the funded proposals cost together
    # {"selected": [proposal ids in the order chosen], "reasons": {id: {kind, numbers, stage}}, "notes": {...}};
    # money inside as exact strings ("310000", "1331751.11", "p/q")
    detail: Mapped[dict] = mapped_column(sa.JSON, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(sa.DateTime, default=utcnow, nullable=False)

    round: Mapped[VotingRound] = relationship(back_populates="outcome")
