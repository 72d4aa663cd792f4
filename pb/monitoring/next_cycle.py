"""The next cycle: a new budget from an approved one, unfinished projects carried over, last year's results shown."""
from dataclasses import dataclass

import sqlalchemy as sa

from pb.audit.services import record
from pb.budgets import next_year
from pb.extensions import db
from pb.monitoring.models import Implementation
from pb.monitoring.states import UNFINISHED
from pb.proposals.models import Proposal
from pb.proposals.states import Status

# The proposals the previous cycle accepted: chosen, and what followed.
ACCEPTED = {Status.SELECTED, Status.FUNDED, Status.IN_PROGRESS, Status.DONE}


def start_next_cycle(actor, previous, fiscal_year):
    """Start the next year's draft from previous (lines and categories) and carry its unfinished projects over."""
    budget = next_year.start_budget_from(actor, previous, fiscal_year)
    carried = db.session.execute(
        sa.select(Implementation).where(Implementation.budget_id == previous.id,
                                        Implementation.status.in_(UNFINISHED),
                                        Implementation.carried_to_id.is_(None))
    ).scalars().all()
    for implementation in carried:
        implementation.carried_to_id = budget.id
    if carried:
        record(actor, "implementation.carry_over", budget, from_budget_id=previous.id,
               implementations=[i.id for i in carried])
    db.session.commit()
    return budget, len(carried)


@dataclass(frozen=True)
class AcceptedProposal:
    proposal: Proposal
    implementation: Implementation | None


def previous_results(budget):
    """The budget of the year before and what became of its accepted proposals, or (None, [])."""
    previous = next_year.find_previous(budget)
    if previous is None:
        return None, []
    proposals = db.session.execute(
        sa.select(Proposal).where(Proposal.budget_id == previous.id, Proposal.status.in_(ACCEPTED))
        .order_by(Proposal.village_id, Proposal.title)
    ).scalars().all()
    records = {i.proposal_id: i for i in db.session.execute(
        sa.select(Implementation).where(Implementation.proposal_id.in_([p.id for p in proposals]))
    ).scalars()} if proposals else {}
    return previous, [AcceptedProposal(p, records.get(p.id)) for p in proposals]
