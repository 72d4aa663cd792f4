"""Who may do what with a budget, by role and phase (the tables are in states.py)."""
from pb.budgets import states
from pb.budgets.models import Budget
from pb.core.permissions import rule
from pb.groups.services import roles_in
from pb.places.models import Municipality


def _roles(actor, municipality_id):
    return roles_in(actor, municipality_id) if actor else set()


@rule(Budget, "view")
def can_view(actor, budget):
    if budget.phase in states.PUBLIC:
        return True
    return bool(actor) and (actor.is_admin or bool(_roles(actor, budget.municipality_id)))


@rule(Budget, "edit_lines")
def can_edit_lines(actor, budget):
    if not actor or budget.phase not in states.LINES_EDITABLE:
        return False
    return actor.is_admin or bool({states.STAFF, states.GROUP_LEAD} & _roles(actor, budget.municipality_id))


@rule(Budget, "edit_notes")
def can_edit_notes(actor, budget):
    if not actor or budget.phase not in states.NOTES_EDITABLE:
        return False
    return actor.is_admin or bool({states.STAFF, states.GROUP_MEMBER} & _roles(actor, budget.municipality_id))


@rule(Budget, "publish")
def can_publish(actor, budget):
    if not actor or budget.phase not in states.PUBLISHABLE:
        return False
    return actor.is_admin or bool({states.STAFF, states.GROUP_LEAD} & _roles(actor, budget.municipality_id))


@rule(Budget, "change_phase")
def can_change_phase(actor, budget, to=None):
    if not actor:
        return False
    targets = states.allowed_targets(budget.phase, _roles(actor, budget.municipality_id), actor.is_admin)
    return bool(targets) if to is None else to in targets


@rule(Budget, "approve")
def can_approve(actor, budget):
    """Only a council member of the municipality records the council's approval, in the approval phase."""
    if not actor or budget.phase != states.Phase.APPROVAL:
        return False
    return states.COUNCIL in _roles(actor, budget.municipality_id)


@rule(Municipality, "create_budget")
def can_create_budget(actor, municipality):
    if not actor:
        return False
    return actor.is_admin or bool({states.STAFF, states.GROUP_LEAD} & _roles(actor, municipality.id))


def phase_targets(actor, budget):
    if not actor or not getattr(actor, "is_authenticated", False):
        return []
    return states.allowed_targets(budget.phase, _roles(actor, budget.municipality_id), actor.is_admin)
