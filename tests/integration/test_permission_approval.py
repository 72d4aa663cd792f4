"""Permission matrix of the council's approval and the budget documents (PDF): every route × every role."""
import pytest

from pb.budgets.states import Phase
from pb.proposals.states import Status
from tests import approval_factories as af
from tests import factories as f
from tests import proposal_factories as pf
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, cases, check_access, world,
)

NOBODY = set()
COUNCIL = {"council"}


def _budget(w, key, phase, approved=False):
    """A budget of Ak-Dobo in the phase, with a selected proposal, made once per world and key."""
    if not hasattr(w, key):
        budget = f.make_budget(w.ak, phase, lines=1, fiscal_year={"_approval": 2026, "_approved": 2025}[key])
        pf.make_proposal(budget, village=w.village, status=Status.SELECTED)
        if approved:
            af.approve_directly(budget)
        setattr(w, key, budget)
    return getattr(w, key).id


def in_approval(w):
    return _budget(w, "_approval", Phase.APPROVAL)


def approved(w):
    return _budget(w, "_approved", Phase.APPROVAL, approved=True)


def _decision(w):
    return dict(session_number="XII", session_date=af.yesterday().isoformat(), decision_number="", decision_text="")


MATRIX = [
    ("approval.approve_budget", "GET", lambda w: f"/budgets/{in_approval(w)}/approve", None, COUNCIL),
    ("approval.approve_budget", "POST", lambda w: f"/budgets/{in_approval(w)}/approve", _decision, COUNCIL),
    ("approval.approve_budget", "GET", lambda w: f"/budgets/{w.budget.id}/approve", None, NOBODY),
    ("approval.approve_budget", "POST", lambda w: f"/budgets/{w.budget.id}/approve", _decision, NOBODY),
    ("approval.approve_budget", "POST", lambda w: f"/budgets/{approved(w)}/approve", _decision, NOBODY),
    ("reports.show_summary_pdf", "GET", lambda w: f"/budgets/{approved(w)}/approved-summary/ky.pdf", None, ALL),
    ("reports.show_summary_pdf", "GET", lambda w: f"/budgets/{w.budget.id}/approved-summary/ru.pdf", None, NOBODY),
    ("reports.show_citizen_budget_pdf", "GET", lambda w: f"/budgets/{w.budget.id}/citizen-budget/ky.pdf", None, ALL),
    ("reports.show_citizen_budget_pdf", "GET", lambda w: f"/budgets/{w.draft.id}/citizen-budget/ru.pdf", None, NOBODY),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_approval_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
