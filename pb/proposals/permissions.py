"""Who may submit, review, support and illustrate proposals (the status tables are in states.py)."""
from pb.budgets import permissions as budget_permissions  # noqa: F401  (registers Budget "view")
from pb.budgets import states as budget_states
from pb.budgets.models import Budget
from pb.budgets.states import GROUP_LEAD, STAFF
from pb.core.permissions import can, rule
from pb.groups.services import roles_in
from pb.proposals import states
from pb.proposals.models import Proposal

REVIEWERS = {STAFF, GROUP_LEAD}


def is_reviewer(actor, municipality_id):
    """The admin, the municipality's staff, and the chairs and secretaries of its groups."""
    if not actor:
        return False
    return actor.is_admin or bool(REVIEWERS & roles_in(actor, municipality_id))


def is_author(actor, proposal):
    """Whether actor is among the proposal's authors (merges add authors)."""
    return bool(actor) and any(a.user_id == actor.id for a in proposal.authors)


@rule(Budget, "propose")
def can_propose(actor, budget):
    """Anyone logged in, while the budget is open for proposals (leads may submit for residents)."""
    return bool(actor) and budget.phase in states.SUBMISSION_PHASES


@rule(Proposal, "view")
def can_view(actor, proposal):
    """A proposal is as visible as its budget: public, except while the budget is a draft."""
    return can(actor, "view", proposal.budget)


@rule(Proposal, "review")
def can_review(actor, proposal):
    """Changing the status and merging: the admin, the municipality's staff and its group leads."""
    return not proposal.rehearsal and can_view(actor, proposal) and is_reviewer(actor, proposal.municipality_id)


@rule(Proposal, "support")
def can_support(actor, proposal):
    """Residents support while the proposal is weighed, and only where everyone can see it."""
    if not actor or proposal.rehearsal or proposal.status not in states.SUPPORTABLE:
        return False
    return proposal.budget.phase in budget_states.PUBLIC


@rule(Proposal, "add_photos")
def can_add_photos(actor, proposal):
    """The authors and the reviewers, until the proposal is merged."""
    if not actor or proposal.rehearsal or proposal.is_merged or not can_view(actor, proposal):
        return False
    return is_author(actor, proposal) or is_reviewer(actor, proposal.municipality_id)
