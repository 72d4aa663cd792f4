"""The council's approval, on the budget's side: the decision, lines made from accepted proposals, the
approved phase and its version.

record_approval does not commit: pb.proposals.approval calls it and moves the proposals to funded in
the same transaction, then commits (or rolls everything back).
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.audit.services import record
from pb.budgets import services
from pb.budgets.models import BudgetApproval, BudgetLine, PhaseChange
from pb.budgets.states import Category, LineKind, Phase
from pb.core.errors import Conflict, ValidationFailed
from pb.core.permissions import ensure
from pb.extensions import db
from pb.notifications.services import notify_followers


@dataclass(frozen=True)
class Decision:
    """What the council decided, as its minutes record it."""

    session_number: str
    session_date: date
    decision_number: str = ""
    decision_text: str = ""


@dataclass(frozen=True)
class NewLine:
    """An accepted proposal, as the expenditure line it becomes."""

    proposal_id: int
    title: str
    category: Category
    amount: Decimal


def proposal_line_code(proposal_id):
    """The code of the line made from a proposal: PB (participatory budgeting) and its number."""
    return f"PB-{proposal_id}"


def find_approval(budget):
    """The council's approval of the budget, or None."""
    return db.session.execute(
        sa.select(BudgetApproval).where(BudgetApproval.budget_id == budget.id)
    ).scalar_one_or_none()


def _new_line(budget, item, taken):
    code = proposal_line_code(item.proposal_id)
    if (LineKind.EXPENDITURE, code) in taken:
        raise ValidationFailed.single(None, _l("The budget already has a line with the code %(code)s.", code=code))
    title = item.title.strip()[:services.MAX_TEXT]
    return BudgetLine(budget=budget, kind=LineKind.EXPENDITURE, code=code, name_ky=title, name_ru=title,
                      category=item.category, approved_last_year=0, executed_last_year=0, proposed=item.amount,
                      note="", proposal_id=item.proposal_id)


def record_approval(actor, budget, decision, new_lines):
    """Make the accepted proposals expenditure lines, record the decision, approve, publish a version (no commit)."""
    ensure(actor, "approve", budget)
    if budget.phase != Phase.APPROVAL or find_approval(budget) is not None:
        raise Conflict(_l("This budget is in the phase “%(phase)s”; the council approves it in the phase "
                          "“approval”.", phase=budget.phase.label))
    taken = {(line.kind, line.code) for line in budget.lines}
    lines = [_new_line(budget, item, taken) for item in new_lines]
    db.session.add_all(lines)
    db.session.flush()
    for line in lines:
        record(actor, "budget.add_line", line, municipality_id=budget.municipality_id, budget_id=budget.id,
               code=line.code, proposed=line.proposed, proposal_id=line.proposal_id)
    before = budget.phase
    budget.phase = Phase.APPROVED
    db.session.add(PhaseChange(budget=budget, from_phase=before, to_phase=Phase.APPROVED, actor_id=actor.id))
    version = services.take_version(actor, budget, decision.decision_text)
    approval = BudgetApproval(
        budget_id=budget.id, session_number=decision.session_number, session_date=decision.session_date,
        decision_number=decision.decision_number, decision_text=decision.decision_text,
        lines_added=len(lines), version_id=version.id, approved_by_id=actor.id,
    )
    db.session.add(approval)
    db.session.flush()
    record(actor, "budget.approve", budget, session_number=decision.session_number,
           session_date=decision.session_date.isoformat(), decision_number=decision.decision_number,
           version=version.number, proposals=[line.proposal_id for line in lines])
    notify_followers("budget.phase", "budget", budget.id, actor=actor, phase=Phase.APPROVED.value)
    return approval
