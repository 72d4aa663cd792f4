"""The council's approval without HTTP: lines from the selected proposals, funded statuses, the approved
phase and its version, in one transaction; refusals change nothing."""
import json
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets import services as budgets
from pb.budgets.approval import find_approval
from pb.budgets.models import BudgetApproval, BudgetLine, BudgetVersion, PhaseChange
from pb.budgets.states import Phase
from pb.core.errors import Conflict, PermissionDenied, ValidationFailed
from pb.core.models import local_now
from pb.extensions import db
from pb.groups.models import Position
from pb.proposals.approval import approve_budget
from pb.proposals.states import Status
from tests import approval_factories as af
from tests import factories as f


def decision(**overrides):
    data = dict(session_number="XII", session_date=af.yesterday().isoformat(), decision_number="12/4",
                decision_text="Бюджет бекитилсин.")
    data.update(overrides)
    return data


def state(budget):
    """Everything the approval may change, to compare before and after a refusal."""
    db.session.expire_all()
    count = lambda model: db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()  # noqa: E731
    return (db.session.get(type(budget), budget.id).phase, count(BudgetLine), count(BudgetVersion),
            count(BudgetApproval), count(PhaseChange), count(AuditEntry),
            sorted((p.id, p.status) for p in af._proposals(budget)))


@pytest.fixture
def ready(app):
    budget, chosen, other = af.make_budget_for_approval()
    council = f.make_staff(budget.municipality, role="council")
    return budget, chosen, other, council


def test_approval_turns_selected_proposals_into_lines_and_funds_them(ready):
    budget, chosen, other, council = ready
    approval = approve_budget(council, budget, decision())
    db.session.expire_all()
    assert budget.phase == Phase.APPROVED
    made = {line.proposal_id: line for line in budget.lines if line.proposal_id}
    assert set(made) == {p.id for p in chosen}
    for proposal in chosen:
        line = made[proposal.id]
        assert (line.kind.value, line.name_ky, line.proposed, line.category) == (
            "expenditure", proposal.title, proposal.estimated_cost, proposal.category)
        assert proposal.status == Status.FUNDED
        assert proposal.status_changes[-1].to_status == Status.FUNDED
    assert other.status == Status.NOT_SELECTED
    assert budgets.budget_figures(budget).expenditure == af.PROPOSED_EXPENDITURE + Decimal("795000.50")
    assert (approval.session_number, approval.session_date, approval.decision_number, approval.lines_added) == (
        "XII", af.yesterday(), "12/4", 2)
    assert find_approval(budget).id == approval.id


def test_approval_publishes_an_approved_version_naming_the_proposals_and_audits(ready):
    budget, chosen, _other, council = ready
    approval = approve_budget(council, budget, decision())
    version = approval.version
    assert version.phase == Phase.APPROVED and version.number == 1
    rows = json.loads(version.snapshot)
    assert sorted(r["proposal_id"] for r in rows if "proposal_id" in r) == sorted(p.id for p in chosen)
    assert budget.phase_changes[-1].to_phase == Phase.APPROVED
    actions = db.session.execute(sa.select(AuditEntry.action)).scalars().all()
    assert actions.count("budget.approve") == 1
    assert actions.count("budget.add_line") == 2
    assert actions.count("proposal.change_status") == 2


def test_approval_without_selected_proposals_approves_the_lines_as_they_are(app):
    budget, _chosen, _other = af.make_budget_for_approval(selected=())
    council = f.make_staff(budget.municipality, role="council")
    approval = approve_budget(council, budget, decision(decision_number="", decision_text=""))
    assert approval.lines_added == 0 and budget.phase == Phase.APPROVED
    assert len(budget.lines) == len(af.LINES)


@pytest.mark.parametrize("who", ["staff", "chair", "admin", "other_council", "resident"])
def test_approval_refuses_anyone_but_the_council_and_changes_nothing(ready, who):
    budget, _chosen, _other, _council = ready
    municipality = budget.municipality
    actor = {
        "staff": lambda: f.make_staff(municipality),
        "chair": lambda: f.make_member(f.make_group(municipality), Position.CHAIR),
        "admin": lambda: f.make_user(is_admin=True),
        "other_council": lambda: f.make_staff(f.make_municipality(), role="council"),
        "resident": lambda: f.make_user(),
    }[who]()
    before = state(budget)
    with pytest.raises(PermissionDenied):
        approve_budget(actor, budget, decision())
    assert state(budget) == before


@pytest.mark.parametrize("phase", [Phase.HEARING, Phase.VOTING, Phase.APPROVED, Phase.MONITORING])
def test_approval_refuses_a_budget_in_another_phase(app, phase):
    budget, _chosen, _other = af.make_budget_for_approval(phase=phase)
    council = f.make_staff(budget.municipality, role="council")
    before = state(budget)
    with pytest.raises(PermissionDenied):
        approve_budget(council, budget, decision())
    assert state(budget) == before


@pytest.mark.parametrize(("raw", "why"), [
    ("", "missing"), ("2026-13-45", "not a date"), ("20.12.2026", "not ISO"),
    ((local_now() + timedelta(days=2)).date().isoformat(), "in the future"), ("2019-05-01", "too early"),
])
def test_approval_refuses_a_bad_date_and_changes_nothing(ready, raw, why):
    budget, _chosen, _other, council = ready
    before = state(budget)
    with pytest.raises(ValidationFailed) as refused:
        approve_budget(council, budget, decision(session_date=raw))
    assert [field for field, _message in refused.value.errors] == ["session_date"], why
    assert state(budget) == before


def test_approval_lists_every_problem_at_once(ready):
    budget, _chosen, _other, council = ready
    with pytest.raises(ValidationFailed) as refused:
        approve_budget(council, budget, decision(session_number="  ", session_date="x", decision_number="9" * 41))
    assert {field for field, _message in refused.value.errors} == {"session_number", "session_date", "decision_number"}


def test_approval_refuses_a_line_code_already_taken_and_rolls_back(ready):
    budget, chosen, _other, council = ready
    f.make_line(budget, code=f"PB-{chosen[1].id}")
    before = state(budget)
    with pytest.raises(ValidationFailed):
        approve_budget(council, budget, decision())
    assert state(budget) == before


def test_a_second_approval_is_refused(ready):
    budget, _chosen, _other, council = ready
    approve_budget(council, budget, decision())
    budget.phase = Phase.APPROVAL  # as if someone moved it back by hand: the decision is still there
    db.session.commit()
    before = state(budget)
    with pytest.raises(Conflict):
        approve_budget(council, budget, decision())
    assert state(budget) == before


def test_the_phase_form_cannot_approve_without_the_decision(ready):
    budget, _chosen, _other, council = ready
    with pytest.raises(PermissionDenied):
        budgets.change_phase(council, budget, "approved")
    assert budget.phase == Phase.APPROVAL
