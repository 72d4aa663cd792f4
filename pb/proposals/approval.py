"""The council's approval of a budget: the accepted proposals become budget lines and are funded, the
budget enters its approved phase and an immutable version is published, in one transaction."""
import time
from datetime import date

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError

from pb.budgets.approval import Decision, NewLine, find_approval, record_approval
from pb.budgets.states import Phase
from pb.core.errors import Conflict, ServiceError, ValidationFailed
from pb.core.models import local_now
from pb.core.permissions import ensure
from pb.core.validation import text_field
from pb.extensions import db
from pb.proposals import review
from pb.proposals.models import Proposal
from pb.proposals.states import Status

MAX_NUMBER = 40
RETRIES = 3
MAX_DECISION = 5000
# the statuses of proposals the council's approval has taken into the budget
FUNDED_STATUSES = (Status.FUNDED, Status.IN_PROGRESS, Status.DONE)


def list_accepted(budget, statuses=(Status.SELECTED,)):
    """The budget's proposals in these statuses (by default those the voting selected), by village and id."""
    return db.session.execute(
        sa.select(Proposal).where(Proposal.budget_id == budget.id, Proposal.status.in_(statuses),
                                  Proposal.rehearsal.is_(False))
        .order_by(Proposal.village_id, Proposal.id)
    ).scalars().all()


def _session_date(budget, raw, errors):
    raw = (raw or "").strip() if isinstance(raw, str) else raw
    if isinstance(raw, date):
        when = raw
    else:
        try:
            when = date.fromisoformat(raw or "")
        except ValueError:
            errors.append(("session_date", _l("Enter the date of the session, e.g. %(example)s.",
                                              example=local_now().date().isoformat())))
            return None
    if when > local_now().date():
        errors.append(("session_date", _l("The session cannot be in the future.")))
    elif when.year < budget.fiscal_year - 1:
        errors.append(("session_date", _l("A session held before %(year)d cannot approve the budget of %(fy)d.",
                                          year=budget.fiscal_year - 1, fy=budget.fiscal_year)))
    return when


def parse_decision(budget, data):
    """The council's decision from raw input (a dict of strings); raises ValidationFailed listing every problem."""
    errors = []
    session_number = text_field(data, "session_number", MAX_NUMBER, errors, required=True)
    session_date = _session_date(budget, data.get("session_date"), errors)
    decision_number = text_field(data, "decision_number", MAX_NUMBER, errors)
    decision_text = text_field(data, "decision_text", MAX_DECISION, errors)
    if errors:
        raise ValidationFailed(errors)
    return Decision(session_number, session_date, decision_number, decision_text)


def approve_budget(actor, budget, data):
    """Record the council's approval in one transaction: proposals become lines and funded, the budget approved."""
    ensure(actor, "approve", budget)
    decision = parse_decision(budget, data)
    for attempt in range(RETRIES):
        try:
            return _approve(actor, budget, decision)
        except OperationalError as exc:
            # SQLite: another approval wrote since this one began reading; read again, and find it approved
            db.session.rollback()
            if "locked" not in str(exc.orig).lower() or attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _approve(actor, budget, decision):
    try:
        # two council members sending the form at once: the second waits here, then finds it approved
        db.session.refresh(budget, with_for_update=True)
        if budget.phase != Phase.APPROVAL or find_approval(budget) is not None:
            raise Conflict(_l("This budget is in the phase “%(phase)s”; the council approves it in the phase "
                              "“approval”.", phase=budget.phase.label))
        accepted = list_accepted(budget)
        approval = record_approval(actor, budget, decision, [
            NewLine(p.id, p.title, p.category, p.estimated_cost) for p in accepted])
        for proposal in accepted:
            review.fund_proposal(actor, proposal)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("The budget has just been approved by someone else.")) from None
    except ServiceError:
        db.session.rollback()
        raise
    return approval
