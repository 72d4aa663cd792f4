"""Voting rounds, codes and ballots for tests; every factory takes overrides."""
import uuid
from datetime import timedelta
from decimal import Decimal

from pb.core.models import local_now
from pb.extensions import db
from pb.proposals.states import Status
from pb.voting import code_batches
from pb.voting.models import RoundProposal, VotingLocation, VotingRound
from pb.voting.states import Eligibility, Method, RoundStatus
from tests import factories as f
from tests.proposal_factories import make_proposal


def make_round(budget=None, proposals=3, status=RoundStatus.OPEN, costs=None, locations=("Мектеп",), **overrides):
    """A round written directly, open now for a day unless overridden, with proposals on its ballot."""
    if budget is None:
        municipality = f.make_municipality()
        f.make_village(municipality)
        budget = f.make_budget(municipality)
    now = local_now()
    values = dict(title="2027-жылдын долбоорлору", method=Method.APPROVAL, min_choices=1, max_choices=3,
                  points=10, rank_depth=3, amount=Decimal("1000000"), allocation_rule="greedy",
                  eligibility=Eligibility.BOTH, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1),
                  hide_counts=False, status=status)
    values.update(overrides)
    round_ = VotingRound(budget_id=budget.id, municipality_id=budget.municipality_id, **values)
    db.session.add(round_)
    costs = list(costs or [Decimal("300000"), Decimal("500000"), Decimal("400000"), Decimal("250000")][:proposals])
    for n, cost in enumerate(costs):
        proposal = make_proposal(budget, status=Status.ON_BALLOT, estimated_cost=cost, title=f"Долбоор {n + 1}")
        round_.entries.append(RoundProposal(proposal_id=proposal.id, cost=cost))
    for name in locations:
        round_.locations.append(VotingLocation(name=name))
    db.session.commit()
    return round_


def make_verified_resident(round_, **overrides):
    village = round_.municipality.villages[0] if round_.municipality.villages else f.make_village(round_.municipality)
    return f.make_user(verified_village_id=village.id, village_id=village.id, **overrides)


def make_codes(round_, size=5, actor=None, **kwargs):
    """A batch through the service; returns the clear codes."""
    actor = actor or f.make_user(is_admin=True)
    _batch, clear = code_batches.generate_batch(actor, round_, size, **kwargs)
    return clear


def proposal_ids(round_):
    return [entry.proposal_id for entry in round_.entries]


def key():
    return uuid.uuid4().hex
