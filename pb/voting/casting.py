"""Casting a ballot, whatever the channel: one person, one ballot; one submission, one ballot.

Every submission carries a client_key made where the voter pressed "confirm" (the form, the kiosk),
unique per round. A replay of the same key gets the first answer back: the receipt of the counted
ballot, or the reason it was refused. A code is spent with an UPDATE ... WHERE used_at IS NULL, so
two kiosks that took the same code offline cannot both count it; the second is refused and kept
in refused_ballot to be reported. A voter's mark in round_voter is written in the same transaction
as the ballot, and its UNIQUE (round, voter) refuses a second ballot from the same person.
The online, code and paper channels are here; a kiosk's submissions come in through
pb.voting.kiosk_casting, which reads the kiosk and its round in one query and then takes the same way in.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from pb.core.errors import Conflict, PermissionDenied, ValidationFailed
from pb.core.models import local_now, utcnow
from pb.extensions import db
from pb.voting import codes
from pb.voting.ballots import check_ballot, parse_choices
from pb.voting.models import Ballot, BallotChoice, RefusedBallot, RoundProposal, RoundVoter, VotingCode
from pb.voting.permissions import is_eligible_resident
from pb.voting.services import costs_of, is_accepting
from pb.voting.states import Channel, Refusal, RoundStatus

COUNTED, DUPLICATE, REFUSED = "counted", "duplicate", "refused"
# a kiosk that lost its connection may bring in ballots cast before the close a little later
OFFLINE_GRACE = timedelta(hours=12)
MAX_KEY = 64


@dataclass(frozen=True)
class Outcome:
    """The answer for one submission: counted now, counted before (duplicate), or refused and why."""

    key: str
    status: str
    receipt: str = ""
    reason: Refusal | None = None

    @property
    def counted(self):
        return self.status in (COUNTED, DUPLICATE)

    def as_json(self):
        out = {"key": self.key, "status": self.status}
        if self.receipt:
            out["receipt"] = codes.display(self.receipt)
        if self.reason is not None:
            out["reason"] = self.reason.value
            out["message"] = str(self.reason.label)
        return out


@dataclass
class Submission:
    """What a channel hands over: the choices and how the ballot came (no one's identity is stored with it)."""

    choices: object
    client_key: str
    channel: Channel
    voter: object = None  # an account (online), or the resident a code was handed to
    code: str | None = None  # the canonical code, when one was used
    location_id: int | None = None
    kiosk_id: int | None = None
    receipt: str | None = None  # a kiosk makes its own, to show it offline
    cast_at: datetime | None = None  # the device's local time, for ballots cast offline
    code_id: int | None = None  # set once the code is spent, to report a refusal against it


def check_key(key):
    key = (key or "").strip() if isinstance(key, str) else ""
    if not key or len(key) > MAX_KEY or not all(ch.isalnum() or ch in "-_" for ch in key):
        raise ValidationFailed.single("client_key", _l("The ballot could not be read."))
    return key


def code_hash(round_id, code):
    return codes.code_hash(current_app.config["SECRET_KEY"], round_id, code)


# --- the channels -----------------------------------------------------------------


def cast_online(voter, round_, raw_choices, client_key):
    """A verified resident's ballot from their own account; raises with the reason when it cannot count."""
    if not round_.channel_online or not round_.residents_may_vote:
        raise PermissionDenied()
    if not is_eligible_resident(voter, round_):
        raise PermissionDenied()
    outcome = cast_submission(round_, Submission(raw_choices, check_key(client_key), Channel.ONLINE, voter=voter),
                              keep_refusals=False)
    return _raise_refusal(outcome)


def cast_with_code(round_, code_text, raw_choices, client_key):
    """A ballot opened by a voting code, from the voter's phone; raises with the reason when it cannot count."""
    if not round_.channel_online or not round_.codes_may_vote:
        raise PermissionDenied()
    code = codes.normalise(code_text)
    if code is None:
        raise ValidationFailed.single("code", Refusal.CODE_UNKNOWN.label)
    outcome = cast_submission(round_, Submission(raw_choices, check_key(client_key), Channel.ONLINE, code=code),
                              keep_refusals=False)
    return _raise_refusal(outcome)


def count_paper(round_, choices, *, serial, location_id):
    """Count a keyed-in paper ballot inside the caller's transaction; its receipt is the paper's number."""
    submission = Submission(choices, f"paper-{serial}", Channel.PAPER, location_id=location_id,
                            receipt=f"P{serial}")
    ballot = _new_ballot(round_, submission, check_ballot(round_, costs_of(round_), choices))
    return ballot


# --- the one way in ---------------------------------------------------------------

# A ballot's way in runs these for every ballot, so they are built once, on the tables rather than
# through the ORM: the round's costs and the earlier answers to a key in one query each, the code spent
# by UPDATE ... RETURNING, the ballot and its choices in two statements (and a kiosk with its round in
# one query, in pb.voting.kiosk_casting). benchmarks/voting_load.py measures the difference.
_ballot, _refused, _code = Ballot.__table__, RefusedBallot.__table__, VotingCode.__table__
_entry = RoundProposal.__table__


def _answered(table, column):
    """The column of the table's row answering the key, if any (UNIQUE (round_id, client_key))."""
    return (sa.select(column).where(table.c.round_id == sa.bindparam("round"),
                                    table.c.client_key == sa.bindparam("key")).scalar_subquery())


_EARLIER = sa.select(_answered(_ballot, _ballot.c.receipt).label("receipt"),
                     _answered(_refused, sa.type_coerce(_refused.c.reason, sa.String)).label("reason"))
_COSTS = sa.select(_entry.c.proposal_id, _entry.c.cost).where(_entry.c.round_id == sa.bindparam("round"))
_SPEND = (
    _code.update()
    .where(_code.c.round_id == sa.bindparam("round"), _code.c.code_hash == sa.bindparam("digest"),
           _code.c.used_at.is_(None), _code.c.voided_at.is_(None))
    .values(used_at=sa.bindparam("now"))
    .returning(_code.c.id, _code.c.resident_id)
)
_INSERT_BALLOT = _ballot.insert().returning(_ballot.c.id)
_INSERT_CHOICES = BallotChoice.__table__.insert()
_MARK_VOTER = RoundVoter.__table__.insert()


def _raise_refusal(outcome):
    if outcome.status != REFUSED:
        return outcome
    if outcome.reason in (Refusal.CODE_UNKNOWN, Refusal.CODE_USED, Refusal.CODE_VOID):
        raise ValidationFailed.single("code", outcome.reason.label)
    if outcome.reason == Refusal.ALREADY_VOTED:
        raise Conflict(_l("You have already voted in this round. Each person votes once."))
    raise Conflict(_l("Voting in this round is not open now."))


def _earlier(round_, key):
    row = db.session.execute(_EARLIER, {"round": round_.id, "key": key}).one()
    return earlier_answer(key, row.receipt, row.reason)


def earlier_answer(key, receipt, reason):
    """The answer given before to this key: its ballot counted (first), or refused, or None."""
    if receipt is not None:
        return Outcome(key, DUPLICATE, receipt)
    if reason is not None:
        return Outcome(key, REFUSED, reason=Refusal(reason))
    return None


def accepts(round_, submission):
    """Whether the round takes this submission now (one a kiosk cast offline: if it was cast in time)."""
    if submission.channel == Channel.KIOSK and submission.cast_at is not None:
        # cast while the kiosk was offline: it counts if it was cast in time and the round is still open
        now = local_now()
        return (round_.status == RoundStatus.OPEN and now < round_.closes_at + OFFLINE_GRACE
                and round_.opens_at <= min(submission.cast_at, now) < round_.closes_at)
    return is_accepting(round_)


def cast_submission(round_, submission, keep_refusals, costs=None, asked=False):
    """The one way in for every channel: count the submission, or refuse it (kept when keep_refusals);
    costs are the round's when the caller has them, asked when it has read the key's earlier answer."""
    key = submission.client_key
    if not asked and (earlier := _earlier(round_, key)) is not None:
        return earlier
    if not accepts(round_, submission):
        return refuse_submission(round_, submission, Refusal.NOT_OPEN, keep_refusals)
    try:
        choices = check_ballot(round_, _costs(round_) if costs is None else costs, parse_choices(submission.choices))
    except ValidationFailed:
        if not keep_refusals:
            raise
        return refuse_submission(round_, submission, Refusal.INVALID, keep_refusals)
    if submission.code is not None:
        refusal = _spend_code(round_, submission)
        if refusal is not None:
            db.session.rollback()
            return _earlier(round_, key) or refuse_submission(round_, submission, refusal, keep_refusals)
    for attempt in range(3):
        try:
            if submission.voter is not None:
                db.session.execute(_MARK_VOTER, dict(round_id=round_.id, voter_id=submission.voter.id,
                                                     channel=submission.channel))
            receipt = _store_ballot(round_, submission, choices)
            db.session.commit()
            return Outcome(key, COUNTED, receipt)
        except IntegrityError:
            db.session.rollback()
        if (earlier := _earlier(round_, key)) is not None:
            return earlier
        if submission.voter is not None and _has_voted(round_, submission.voter.id):
            return refuse_submission(round_, submission, Refusal.ALREADY_VOTED, keep_refusals)
        # the receipt was taken (a kiosk's own, by chance): the code must be spent again, with a new receipt
        submission.receipt = None
        if submission.code is not None and (refusal := _spend_code(round_, submission)) is not None:
            db.session.rollback()
            return _earlier(round_, key) or refuse_submission(round_, submission, refusal, keep_refusals)
    raise RuntimeError("a ballot could not be stored")  # never acknowledge what is not stored


def _costs(round_):
    return dict(db.session.execute(_COSTS, {"round": round_.id}).all())


def _store_ballot(round_, submission, choices):
    """Write the ballot and its choices; returns its receipt. An IntegrityError goes to the caller."""
    receipt = submission.receipt or codes.new_receipt()
    ballot_id = db.session.execute(_INSERT_BALLOT, dict(
        round_id=round_.id, receipt=receipt, client_key=submission.client_key, channel=submission.channel,
        location_id=submission.location_id)).scalar_one()
    db.session.execute(_INSERT_CHOICES, [
        dict(ballot_id=ballot_id, proposal_id=pid, value=value) for pid, value in sorted(choices.items())
    ])
    return receipt


def _new_ballot(round_, submission, choices):
    ballot = Ballot(round_id=round_.id, receipt=submission.receipt or codes.new_receipt(),
                    client_key=submission.client_key, channel=submission.channel,
                    location_id=submission.location_id)
    ballot.choices = [BallotChoice(proposal_id=pid, value=value) for pid, value in sorted(choices.items())]
    db.session.add(ballot)
    return ballot


def _spend_code(round_, submission):
    """Mark the code used (once, whoever races); the reason it cannot be used, or None."""
    digest = code_hash(round_.id, submission.code)
    row = db.session.execute(_SPEND, {"round": round_.id, "digest": digest, "now": utcnow()}).first()
    if row is None:
        known = db.session.execute(
            sa.select(VotingCode.voided_at).where(VotingCode.round_id == round_.id, VotingCode.code_hash == digest)
        ).first()
        if known is None:
            return Refusal.CODE_UNKNOWN
        return Refusal.CODE_VOID if known.voided_at is not None else Refusal.CODE_USED
    submission.code_id = row.id
    if row.resident_id is not None:
        submission.voter = _Voter(row.resident_id)
    return None


@dataclass(frozen=True)
class _Voter:
    id: int


def _has_voted(round_, voter_id):
    return db.session.execute(
        sa.select(RoundVoter.id).where(RoundVoter.round_id == round_.id, RoundVoter.voter_id == voter_id)
    ).first() is not None


def refuse_submission(round_, submission, reason, keep=True):
    """The refusal's answer, kept in refused_ballot to be reported unless keep is false."""
    if not keep:
        return Outcome(submission.client_key, REFUSED, reason=reason)
    code_id = submission.code_id
    if code_id is None and submission.code is not None:
        code_id = db.session.execute(
            sa.select(VotingCode.id).where(VotingCode.round_id == round_.id,
                                           VotingCode.code_hash == code_hash(round_.id, submission.code))
        ).scalar()
    db.session.add(RefusedBallot(
        round_id=round_.id, client_key=submission.client_key, receipt=submission.receipt or "",
        channel=submission.channel, location_id=submission.location_id, kiosk_id=submission.kiosk_id,
        code_id=code_id, reason=reason, cast_at=submission.cast_at))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _earlier(round_, submission.client_key)
    return Outcome(submission.client_key, REFUSED, submission.receipt or "", reason)
