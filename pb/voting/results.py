"""What a round's public record shows: turnout by channel and location, the counts, the receipts,
and the ballots without identity (for anyone to recount)."""
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from pb.extensions import db
from pb.proposals.models import Proposal
from pb.voting.models import Ballot, BallotChoice, PaperEntry, RefusedBallot, RoundProposal, VotingCode
from pb.voting.states import Channel, Method, PaperStatus


def ballot_entries(round_):
    """The round's ballot with each proposal and its village, in three queries rather than two per proposal."""
    return db.session.execute(
        sa.select(RoundProposal).where(RoundProposal.round_id == round_.id)
        .options(selectinload(RoundProposal.proposal).selectinload(Proposal.village)).order_by(RoundProposal.id)
    ).scalars().all()


@dataclass(frozen=True)
class Turnout:
    total: int
    by_channel: dict  # Channel -> count
    by_location: list  # [(location or None, {Channel: count}, total)]
    spoiled: int
    refused: int
    codes_used: int
    codes_issued: int


def turnout(round_):
    """Counted ballots by channel and by location, spoiled papers, refused submissions, codes used."""
    rows = db.session.execute(
        sa.select(Ballot.channel, Ballot.location_id, sa.func.count(Ballot.id))
        .where(Ballot.round_id == round_.id).group_by(Ballot.channel, Ballot.location_id)
    ).all()
    by_channel = {channel: 0 for channel in round_.channels}
    per_location = {}
    for channel, location_id, count in rows:
        channel = Channel(channel)
        by_channel[channel] = by_channel.get(channel, 0) + count
        per_location.setdefault(location_id, {})[channel] = count
    locations = {loc.id: loc for loc in round_.locations}
    by_location = [(locations.get(loc_id), counts, sum(counts.values()))
                   for loc_id, counts in sorted(per_location.items(), key=lambda item: (item[0] is None, item[0] or 0))]
    spoiled = db.session.execute(
        sa.select(sa.func.count(PaperEntry.id)).where(PaperEntry.round_id == round_.id, PaperEntry.spoiled.is_(True),
                                                      PaperEntry.status == PaperStatus.COUNTED)
    ).scalar()
    refused = db.session.execute(
        sa.select(sa.func.count(RefusedBallot.id)).where(RefusedBallot.round_id == round_.id)
    ).scalar()
    codes_used, codes_issued = db.session.execute(
        sa.select(sa.func.count(VotingCode.used_at), sa.func.count(VotingCode.id)).where(VotingCode.round_id == round_.id)
    ).one()
    return Turnout(sum(by_channel.values()), by_channel, by_location, spoiled, refused, codes_used, codes_issued)


def ballot_totals(round_ids):
    """{round id: counted ballots} for several rounds in one query (rounds without ballots are left out)."""
    if not round_ids:
        return {}
    return dict(db.session.execute(
        sa.select(Ballot.round_id, sa.func.count(Ballot.id)).where(Ballot.round_id.in_(round_ids))
        .group_by(Ballot.round_id)
    ).all())


@dataclass(frozen=True)
class Count:
    entry: object  # RoundProposal
    ballots: int  # ballots that chose (gave points to, ranked) the proposal
    score: int  # votes (approval, knapsack), points (cumulative), ranking points (k for 1st … 1 for k-th)


def tally(round_):
    """Each proposal on the ballot with its ballots and score, highest score first (then lower cost, id)."""
    value = BallotChoice.value
    if round_.method == Method.RANKING:
        score = sa.func.sum(round_.rank_depth + 1 - value)
    elif round_.method == Method.CUMULATIVE:
        score = sa.func.sum(value)
    else:
        score = sa.func.count(BallotChoice.id)
    rows = db.session.execute(
        sa.select(BallotChoice.proposal_id, sa.func.count(BallotChoice.id), score)
        .join(Ballot, Ballot.id == BallotChoice.ballot_id).where(Ballot.round_id == round_.id)
        .group_by(BallotChoice.proposal_id)
    ).all()
    found = {pid: (int(ballots), int(points or 0)) for pid, ballots, points in rows}
    counts = [Count(entry, *found.get(entry.proposal_id, (0, 0))) for entry in round_.entries]
    return sorted(counts, key=lambda c: (-c.score, c.entry.cost, c.entry.proposal_id))


def receipts(round_):
    """Every counted ballot's receipt with its channel and location, in receipt order (not casting order)."""
    return db.session.execute(
        sa.select(Ballot.receipt, Ballot.channel, Ballot.location_id)
        .where(Ballot.round_id == round_.id).order_by(Ballot.receipt)
    ).all()


def find_receipt(round_, text):
    """The counted ballot's (receipt, channel, location_id) for a typed receipt, or None."""
    from pb.voting import codes

    receipt = codes.normalise(text)
    if receipt is None:
        cleaned = "".join(ch for ch in str(text or "").upper() if ch.isalnum())
        if not cleaned.startswith("P") or not cleaned[1:]:
            return None
        receipt = cleaned
    return db.session.execute(
        sa.select(Ballot.receipt, Ballot.channel, Ballot.location_id)
        .where(Ballot.round_id == round_.id, Ballot.receipt == receipt)
    ).first()


def anonymous_ballots(round_):
    """Every ballot as (number, channel, location_id, {proposal_id: value}), numbered in receipt order."""
    ballots = db.session.execute(
        sa.select(Ballot.id, Ballot.channel, Ballot.location_id).where(Ballot.round_id == round_.id)
        .order_by(Ballot.receipt)
    ).all()
    choices = {}
    for ballot_id, proposal_id, value in db.session.execute(
        sa.select(BallotChoice.ballot_id, BallotChoice.proposal_id, BallotChoice.value)
        .join(Ballot, Ballot.id == BallotChoice.ballot_id).where(Ballot.round_id == round_.id)
    ):
        choices.setdefault(ballot_id, {})[proposal_id] = value
    return [(number, Channel(channel), location_id, choices.get(ballot_id, {}))
            for number, (ballot_id, channel, location_id) in enumerate(ballots, start=1)]


def refused_list(round_):
    return db.session.execute(
        sa.select(RefusedBallot).where(RefusedBallot.round_id == round_.id).order_by(RefusedBallot.id.desc())
    ).scalars().all()
