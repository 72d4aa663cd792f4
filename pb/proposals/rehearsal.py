"""Rehearsal proposals: the projects of a Pabulib file imported as a round for rehearsal and analysis.

They are proposal rows (so a round's ballot, results and reports work on them as on any other) marked
`rehearsal`: the budget's proposal list, hearings, ballots of real rounds, the council's approval and the
statistics leave them out, and nobody reviews, supports or illustrates them. They need no village.
"""
from pb.budgets.states import Category
from pb.extensions import db
from pb.proposals.models import Proposal
from pb.proposals.states import Status


def add_rehearsal_proposals(budget, items):
    """Insert one rehearsal proposal per item (title, description, cost, village_id); the caller commits.

    Returns the new proposals in the order of the items.
    """
    proposals = [Proposal(budget_id=budget.id, municipality_id=budget.municipality_id, village_id=item["village_id"],
                          category=Category.OTHER, title=item["title"], description=item["description"],
                          estimated_cost=item["cost"], contribution_money=0, status=Status.ON_BALLOT,
                          rehearsal=True)
                 for item in items]
    db.session.add_all(proposals)
    db.session.flush()
    return proposals
