"""A closed round's allocation: its ballots as plain data, the round's rule run on them (pb.allocation),
the outcome kept, and the proposals marked selected or not through the proposals' service.

Anyone can do the same from the published ballots: `build_election` takes only plain numbers, so a
recount from the anonymous CSV gives the same election, the same digest and the same outcome.
"""
import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from pb.allocation import APPROVAL, CUMULATIVE, ORDINAL, Election, Project, Reason, allocate, as_money, money_json
from pb.audit.services import record
from pb.core.errors import ValidationFailed
from pb.core.models import utcnow
from pb.extensions import db
from pb.proposals import review
from pb.voting import quotas, results
from pb.voting.models import RoundOutcome
from pb.voting.reasons import reason_text
from pb.voting.states import Method

KINDS = {Method.APPROVAL: APPROVAL, Method.KNAPSACK: APPROVAL, Method.CUMULATIVE: CUMULATIVE,
         Method.RANKING: ORDINAL}
MONEY_KEYS = ("score", "cost", "left", "rho", "share", "money", "threshold")


# --- plain data in, outcome out -------------------------------------------------------


def build_election(method, rank_depth, amount, entries, ballots):
    """The Election of a round from plain data.

    entries: (proposal_id, cost, village_id) per proposal on the ballot; ballots: {proposal_id: value} per
    counted ballot, value as stored (1 for approval, the points, or the rank with 1 first).
    """
    kind = KINDS[Method(method)]
    projects = [Project(str(pid), as_money(cost), None if village is None else str(village))
                for pid, cost, village in entries]
    if kind == APPROVAL:
        shaped = [{str(pid) for pid in ballot} for ballot in ballots]
    elif kind == CUMULATIVE:
        shaped = [{str(pid): int(value) for pid, value in ballot.items()} for ballot in ballots]
    else:
        shaped = [tuple(str(pid) for pid, _rank in sorted(ballot.items(), key=lambda item: item[1]))
                  for ballot in ballots]
    rank_points = tuple(range(int(rank_depth), 0, -1)) if kind == ORDINAL else None
    return Election.build(projects, as_money(amount), shaped, kind, rank_points)


def ballots_digest(ballots):
    """sha256 of the ballots in a canonical order: the same for the database and for the published CSV."""
    lines = sorted(json.dumps(sorted((int(pid), int(value)) for pid, value in ballot.items())) for ballot in ballots)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def run_rule(election, rule, weights=None):
    """The outcome of the round's rule, inside village quotas when weights are given."""
    if weights:
        return allocate(election, "village-quotas", weights=weights, inner=rule)
    return allocate(election, rule)


def _jsonable(value):
    if isinstance(value, dict):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    if isinstance(value, Fraction):
        return money_json(value)
    return value


def _exact(value):
    return as_money(str(value)) if isinstance(value, str) else value


# --- the round's allocation -------------------------------------------------------------


def round_input(round_):
    """(election, digest, ballots counted, weights) of a round, read from its counted ballots."""
    entries = [(e.proposal_id, e.cost, e.proposal.village_id) for e in results.ballot_entries(round_)]
    ballots = [choices for _n, _channel, _location, choices in results.anonymous_ballots(round_)]
    weights = None
    if round_.quota_basis:
        weights = quotas.weights(round_.quota_basis, round_.municipality.villages)
        if not weights:
            raise ValidationFailed.single("quota_basis", _l(
                "The villages have no figures for the village quotas: enter their registered voters or "
                "contributions first."))
    election = build_election(round_.method, round_.rank_depth, round_.amount, entries, ballots)
    return election, ballots_digest(ballots), len(ballots), weights


def compute_outcome(round_):
    """The round's outcome as pb.allocation computes it from the counted ballots (nothing is stored)."""
    election, _digest, _count, weights = round_input(round_)
    return run_rule(election, round_.allocation_rule, weights)


def record_outcome(actor, round_):
    """Run the round's rule at its close, keep the outcome, and mark each proposal selected or not.

    Part of closing the round: the caller commits. The proposals' reasons are written in the actor's language,
    as if the organiser had typed them.
    """
    election, digest, count, weights = round_input(round_)
    outcome = run_rule(election, round_.allocation_rule, weights)
    detail = {
        "selected": [int(pid) for pid in outcome.selected],
        "reasons": {pid: {"kind": r.kind, "numbers": _jsonable(dict(r.numbers)), "stage": r.stage}
                    for pid, r in outcome.reasons.items()},
        "notes": _jsonable(dict(outcome.notes)),
    }
    stored = RoundOutcome(round=round_, rule=round_.allocation_rule, quota_basis=round_.quota_basis, ballots=count,
                          ballots_digest=digest, cost=str(money_json(outcome.cost)), detail=detail,
                          computed_at=utcnow())
    db.session.add(stored)
    titles = {e.proposal_id: e.proposal.title for e in round_.entries}
    villages = {str(v.id): v.name for v in round_.municipality.villages}
    if round_.is_imported:  # a rehearsal decides nothing: its proposals keep their status
        record(actor, "voting.allocate", round_, rule=round_.allocation_rule, quota_basis=round_.quota_basis,
               selected=detail["selected"], cost=str(money_json(outcome.cost)), ballots=count, digest=digest)
        return stored
    with force_locale(getattr(actor, "language", None) or "ky"):
        for entry in round_.entries:
            reason = outcome.reasons[str(entry.proposal_id)]
            review.record_selection(actor, entry.proposal, reason.funded, reason_text(reason, titles, villages))
    record(actor, "voting.allocate", round_, rule=round_.allocation_rule, quota_basis=round_.quota_basis,
           selected=detail["selected"], cost=str(money_json(outcome.cost)), ballots=count, digest=digest)
    return stored


@dataclass(frozen=True)
class Stored:
    """An outcome read back: selected proposal ids in order, the cost, a Reason per proposal id, the notes."""

    rule: str
    quota_basis: str
    selected: tuple
    cost: object
    reasons: dict  # proposal id (int) -> Reason
    notes: dict
    ballots: int
    digest: str
    computed_at: object
    kept: bool  # False: computed now for a round closed before outcomes were kept


def _reason(pid, raw):
    numbers = {key: _exact(value) if key in MONEY_KEYS else value for key, value in raw["numbers"].items()}
    return Reason(str(pid), raw["kind"], numbers, raw.get("stage"))


def outcome_of(round_):
    """The kept outcome of a closed round (or, for a round closed before outcomes were kept, computed now)."""
    kept = round_.outcome
    if kept is not None:
        detail = kept.detail
        return Stored(kept.rule, kept.quota_basis, tuple(detail["selected"]), as_money(kept.cost),
                      {int(pid): _reason(pid, raw) for pid, raw in detail["reasons"].items()}, detail["notes"],
                      kept.ballots, kept.ballots_digest, kept.computed_at, True)
    election, digest, count, weights = round_input(round_)
    outcome = run_rule(election, round_.allocation_rule, weights)
    return Stored(round_.allocation_rule, round_.quota_basis, tuple(int(pid) for pid in outcome.selected),
                  outcome.cost, {int(pid): r for pid, r in outcome.reasons.items()}, _jsonable(dict(outcome.notes)),
                  count, digest, None, False)
