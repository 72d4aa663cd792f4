"""Who may see and change implementation records and monitoring reports."""
from pb.budgets import execution as _execution_rules  # noqa: F401  (registers Budget "record_execution")
from pb.budgets import permissions as _budget_rules  # noqa: F401  (registers Budget "view")
from pb.budgets.execution import EXECUTION_PHASES
from pb.budgets.models import Budget
from pb.budgets.states import STAFF
from pb.core.permissions import can, rule
from pb.groups.models import GroupKind
from pb.groups.services import list_groups, roles_in
from pb.monitoring.models import Implementation, MonitoringPhoto, MonitoringReport
from pb.monitoring.states import IMPLEMENTED
from pb.proposals import permissions as _proposal_rules  # noqa: F401  (registers Proposal "view")
from pb.proposals.models import Proposal


def is_staff(actor, municipality_id):
    """The admin and the municipality's staff: they carry projects out and answer reports."""
    return bool(actor) and (actor.is_admin or STAFF in roles_in(actor, municipality_id))


def monitoring_groups(actor, municipality_id):
    """The municipality's monitoring groups actor may report for: their own (the admin: all)."""
    if not actor:
        return []
    if actor.is_admin:
        return [g for g in list_groups(municipality_id) if g.kind == GroupKind.MONITORING]
    return [m.group for m in actor.memberships
            if m.group.municipality_id == municipality_id and m.group.kind == GroupKind.MONITORING]


@rule(Proposal, "implement")
def can_implement(actor, proposal):
    """Staff keep the implementation record of a funded proposal."""
    return proposal.status in IMPLEMENTED and is_staff(actor, proposal.municipality_id)


@rule(Implementation, "view")
def can_view_implementation(actor, implementation):
    """As public as the budget that funded it."""
    return can(actor, "view", implementation.budget)


@rule(Implementation, "manage")
def can_manage_implementation(actor, implementation):
    """Progress, milestones and photos: the municipality's staff."""
    return is_staff(actor, implementation.municipality_id)


@rule(Budget, "file_report")
def can_file_report(actor, budget):
    """Members of a monitoring group of the municipality, while the budget is carried out."""
    return budget.phase in EXECUTION_PHASES and bool(monitoring_groups(actor, budget.municipality_id))


@rule(MonitoringReport, "view")
def can_view_report(actor, report):
    """Reports are public with their budget."""
    return can(actor, "view", report.budget)


@rule(MonitoringReport, "answer")
def can_answer_report(actor, report):
    """The municipality answers: its staff (and the admin)."""
    return is_staff(actor, report.municipality_id)


@rule(MonitoringPhoto, "view")
def can_view_photo(actor, photo):
    """A photo is as public as its project or report."""
    return can(actor, "view", photo.budget)
