"""The next cycle: lines with last year's plan and execution, unfinished projects carried over, results shown."""
from decimal import Decimal

import pytest

from pb.budgets.execution_models import ExecutionFigure, PeriodKind
from pb.budgets.states import Phase
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.extensions import db
from pb.monitoring import next_cycle, projects
from pb.monitoring.states import ProjectStatus
from pb.proposals.states import Status
from tests import factories as f
from tests import monitoring_factories as mf
from tests import proposal_factories as pf


@pytest.fixture
def previous(app):
    municipality = f.make_municipality()
    return mf.monitoring_budget(municipality)


def test_new_budget_takes_the_lines_plan_and_execution(previous):
    line = previous.lines[0]
    for period, amount in ((1, "30000"), (2, "45000.50")):
        db.session.add(ExecutionFigure(budget_id=previous.id, line_id=line.id, period_kind=PeriodKind.QUARTER,
                                       period=period, executed=Decimal(amount)))
    db.session.commit()
    staff = f.make_staff(previous.municipality)
    budget, carried = next_cycle.start_next_cycle(staff, previous, 2027)
    assert budget.phase == Phase.DRAFT and budget.fiscal_year == 2027 and carried == 0
    copied = {l.code: l for l in budget.lines}
    assert set(copied) == {l.code for l in previous.lines}
    new = copied[line.code]
    assert (new.approved_last_year, new.executed_last_year, new.proposed, new.category) == (
        line.proposed, Decimal("75000.50"), line.proposed, line.category)
    assert copied[previous.lines[1].code].executed_last_year == 0


def test_unfinished_projects_are_carried_over_and_done_ones_stay(previous):
    running = mf.make_implementation(mf.make_funded(previous, title="Суу"), status=ProjectStatus.DELAYED)
    finished = mf.make_implementation(mf.make_funded(previous, title="Жарык"), status=ProjectStatus.DONE)
    budget, carried = next_cycle.start_next_cycle(f.make_staff(previous.municipality), previous, 2027)
    assert carried == 1 and running.carried_to_id == budget.id and finished.carried_to_id is None
    assert [r.id for r in projects.list_projects(budget).records] == [running.id]
    shown, accepted = next_cycle.previous_results(budget)
    assert shown.id == previous.id
    assert {(a.proposal.title, a.implementation.status) for a in accepted} == {
        ("Суу", ProjectStatus.DELAYED), ("Жарык", ProjectStatus.DONE)}


def test_only_an_approved_budget_starts_the_next_and_not_twice(previous):
    staff = f.make_staff(previous.municipality)
    with pytest.raises(PermissionDenied):
        next_cycle.start_next_cycle(f.make_user(), previous, 2027)
    consultation = f.make_budget(previous.municipality, Phase.CONSULTATION, fiscal_year=2030)
    with pytest.raises(ValidationFailed):
        next_cycle.start_next_cycle(staff, consultation, 2031)
    next_cycle.start_next_cycle(staff, previous, 2027)
    with pytest.raises(ValidationFailed) as exc:
        next_cycle.start_next_cycle(staff, previous, 2027)
    assert exc.value.errors[0][0] == "fiscal_year"
    with pytest.raises(ValidationFailed):
        next_cycle.start_next_cycle(staff, previous, 2026)


def test_proposals_not_accepted_are_not_shown(previous):
    pf.make_proposal(previous, status=Status.NOT_SELECTED, title="Жок")
    pf.make_proposal(previous, status=Status.SELECTED, title="Тандалды")
    later = f.make_budget(previous.municipality, Phase.CONSULTATION, fiscal_year=2027)
    _previous, accepted = next_cycle.previous_results(later)
    assert [(a.proposal.title, a.implementation) for a in accepted] == [("Тандалды", None)]
