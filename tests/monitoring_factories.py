"""Funded projects, monitoring groups and reports for tests; every factory takes overrides."""
from datetime import date
from decimal import Decimal

from pb.budgets.states import Phase
from pb.extensions import db
from pb.groups.models import GroupKind, GroupMember, Position
from pb.monitoring.models import Implementation, MonitoringReport
from pb.monitoring.states import ProjectStatus, Rating
from pb.proposals.states import Status
from tests import factories as f
from tests import proposal_factories as pf


def make_funded(budget, village=None, **overrides):
    """A funded proposal of the budget."""
    return pf.make_proposal(budget, village=village, status=Status.FUNDED, **overrides)


def make_implementation(proposal, **overrides):
    """An implementation record written directly (no audit)."""
    values = dict(responsible_body="Айыл өкмөтү", planned_cost=proposal.estimated_cost, progress=20,
                  status=ProjectStatus.IN_PROGRESS, spent=Decimal("50000"))
    values.update(overrides)
    implementation = Implementation(proposal_id=proposal.id, budget_id=proposal.budget_id,
                                    municipality_id=proposal.municipality_id, **values)
    db.session.add(implementation)
    db.session.commit()
    return implementation


def make_monitoring_group(municipality, members=()):
    """A monitoring group with the given users as members."""
    group = f.make_group(municipality, GroupKind.MONITORING, name_ky="Мониторинг тобу", name_ru="Группа мониторинга")
    for user in members:
        db.session.add(GroupMember(group=group, user=user, position=Position.MEMBER))
    db.session.commit()
    return group


def make_report(group, implementation=None, line=None, **overrides):
    """A monitoring report written directly (no audit)."""
    budget = implementation.budget if implementation else line.budget
    values = dict(visit_date=date(2026, 6, 1), findings="Иш жүрүп жатат.", rating=Rating.ON_TRACK)
    values.update(overrides)
    report = MonitoringReport(budget_id=budget.id, municipality_id=budget.municipality_id, group_id=group.id,
                              implementation_id=implementation.id if implementation else None,
                              line_id=line.id if line else None, **values)
    db.session.add(report)
    db.session.commit()
    return report


def monitoring_budget(municipality, **overrides):
    """A budget of 2026 in the monitoring phase, with two lines."""
    return f.make_budget(municipality, Phase.MONITORING, fiscal_year=2026, **overrides)
