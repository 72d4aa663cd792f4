"""A kiosk's submissions: the ballots of a tablet's queue, perhaps cast offline, each answered once.

A kiosk, its round's rules and costs and the earlier answer to a ballot's key are read in one query,
on the tables rather than through the ORM (the sync route runs it for every delivery); the ballot
then takes pb.voting.casting's one way in, and a refusal is kept and reported, never raised. A kiosk
that staff ended while it was offline still sends what it took: what was cast before its end counts,
what was cast after is refused (Refusal.KIOSK_ENDED) and kept, its code left unused.
pb.voting.fast_cast stores the common case in one statement from the same reading.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from pb.core.errors import ValidationFailed
from pb.extensions import db
from pb.voting import codes
from pb.voting.ballots import check_ballot, parse_choices
from pb.voting.casting import (Outcome, Submission, accepts, cast_submission, check_key, earlier_answer,
                               refuse_submission)
from pb.voting.models import Ballot, Kiosk, RefusedBallot, RoundProposal, VotingRound
from pb.voting.states import Channel, Refusal, RoundStatus

_ballot, _refused, _entry = Ballot.__table__, RefusedBallot.__table__, RoundProposal.__table__
_round, _kiosk = VotingRound.__table__, Kiosk.__table__
LOCAL_OFFSET = timedelta(hours=6)  # Asia/Bishkek, UTC+6 all year (see pb.core.models.local_now)


def submit_from_kiosk(kiosk, item, box=None):
    """One ballot from a kiosk's queue (perhaps cast offline); a refusal is kept and reported, never raised.

    box is the kiosk as find_kiosk_box read it for this item's key, which saves reading it again."""
    key = check_key(item.get("key") if isinstance(item, dict) else None)
    if box is None or box.key != key:
        box = _kiosk_box(_KIOSK_BY_ID, {"kiosk": kiosk.id}, key)
    if box.earlier is not None:
        return box.earlier
    submission = _kiosk_submission(box, key, item)
    if not cast_before_end(box, submission.cast_at):
        # the tablet was offline when it was ended: the ballot is kept and reported, its code stays unused
        return refuse_submission(box.rules, submission, Refusal.KIOSK_ENDED)
    if submission.code is None:
        return refuse_submission(box.rules, submission, Refusal.CODE_UNKNOWN)
    return cast_submission(box.rules, submission, keep_refusals=True, costs=box.costs, asked=True)


def cast_before_end(box, cast_at):
    """Whether a ballot cast at this local time (None: unknown) was cast while the kiosk ran."""
    if box.ended_at is None:
        return True
    return cast_at is not None and cast_at < box.ended_at + LOCAL_OFFSET


def ready_kiosk_ballot(box, item):
    """(submission, checked choices) when a kiosk's item would be counted if its code is unused and its
    key new, else None: what pb.voting.fast_cast may store without the rest of casting's way in."""
    key = check_key(item.get("key") if isinstance(item, dict) else None)
    submission = _kiosk_submission(box, key, item)
    if submission.code is None or not accepts(box.rules, submission):
        return None
    try:
        return submission, check_ballot(box.rules, box.costs, parse_choices(submission.choices))
    except ValidationFailed:
        return None


def _kiosk_submission(box, key, item):
    receipt = codes.normalise(str(item.get("receipt") or ""))
    try:
        cast_at = datetime.fromisoformat(str(item.get("cast_at"))).replace(tzinfo=None, microsecond=0)
    except (TypeError, ValueError):
        cast_at = None
    code = codes.normalise(str(item.get("code") or ""))
    return Submission(item.get("choices"), key, Channel.KIOSK, code=code, location_id=box.location_id,
                      kiosk_id=box.id, receipt=receipt, cast_at=cast_at)


@dataclass(frozen=True)
class _RoundRules:
    """What casting reads of a round (for a kiosk's ballots, which do not load it through the ORM)."""

    id: int
    status: RoundStatus
    opens_at: datetime
    closes_at: datetime
    method: object
    min_choices: int
    max_choices: int
    points: int
    rank_depth: int
    amount: object


@dataclass(frozen=True)
class KioskBox:
    """A kiosk as its ballots need it, read in one query: its round's rules and costs, whether it has
    ended, and the earlier answer to one key (what a replay of that ballot gets back)."""

    id: int
    round_id: int
    location_id: int
    ended_at: datetime | None
    last_seen_at: datetime | None
    rules: _RoundRules
    costs: dict
    key: str
    earlier: Outcome | None


def _kiosk_box_query(where):
    # the answers are joined on their UNIQUE (round_id, client_key), so each adds at most one row;
    # the round's entries make a row each
    return (
        sa.select(_kiosk.c.id.label("kiosk_id"), _kiosk.c.location_id, _kiosk.c.ended_at, _kiosk.c.last_seen_at,
                  *(_round.c[name] for name in _RoundRules.__dataclass_fields__), _entry.c.proposal_id,
                  _entry.c.cost, _ballot.c.receipt, sa.type_coerce(_refused.c.reason, sa.String).label("reason"))
        .select_from(
            _kiosk.join(_round, _round.c.id == _kiosk.c.round_id)
            .outerjoin(_ballot, sa.and_(_ballot.c.round_id == _kiosk.c.round_id,
                                        _ballot.c.client_key == sa.bindparam("key")))
            .outerjoin(_refused, sa.and_(_refused.c.round_id == _kiosk.c.round_id,
                                         _refused.c.client_key == sa.bindparam("key")))
            .outerjoin(_entry, _entry.c.round_id == _kiosk.c.round_id))
        .where(where)
    )


_KIOSK_BY_TOKEN = _kiosk_box_query(_kiosk.c.token_hash == sa.bindparam("digest"))
_KIOSK_BY_ID = _kiosk_box_query(_kiosk.c.id == sa.bindparam("kiosk"))


def find_kiosk_box(token_digest, key):
    """The kiosk whose token has this digest, ready to take ballots (ended ones too), or None;
    key is the first ballot's client key, whose earlier answer is read in the same query."""
    return _kiosk_box(_KIOSK_BY_TOKEN, {"digest": token_digest}, key if isinstance(key, str) else "")


def _kiosk_box(query, params, key):
    rows = db.session.execute(query, dict(params, key=key)).all()
    if not rows:
        return None
    first = rows[0]
    rules = _RoundRules(**{name: getattr(first, name) for name in _RoundRules.__dataclass_fields__})
    costs = {row.proposal_id: row.cost for row in rows if row.proposal_id is not None}
    return KioskBox(id=first.kiosk_id, round_id=rules.id, location_id=first.location_id, ended_at=first.ended_at,
                    last_seen_at=first.last_seen_at, rules=rules, costs=costs, key=key,
                    earlier=earlier_answer(key, first.receipt, first.reason))
