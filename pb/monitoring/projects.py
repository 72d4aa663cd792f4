"""Implementation records of funded proposals: creating and updating them, milestones, photos, lists."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from pb.audit.services import record
from pb.core.errors import NotFound, ValidationFailed
from pb.core.models import to_money
from pb.core.permissions import ensure
from pb.core.validation import text_field
from pb.extensions import db
from pb.monitoring import permissions  # noqa: F401  (registers the rules)
from pb.monitoring import photos
from pb.monitoring.models import Implementation, Milestone
from pb.monitoring.states import IMPLEMENTED, PROPOSAL_STATUS, ProjectStatus
from pb.proposals import review
from pb.proposals.models import Proposal
from pb.proposals.states import TRANSITIONS

MAX_NAME, MAX_TEXT, MAX_AMOUNT = 200, 2000, Decimal("1000000000000")


def get_implementation(implementation_id):
    """The implementation record, or NotFound."""
    implementation = db.session.get(Implementation, implementation_id)
    if implementation is None:
        raise NotFound()
    return implementation


def find_implementation(proposal):
    """The proposal's implementation record, or None."""
    return db.session.execute(
        sa.select(Implementation).where(Implementation.proposal_id == proposal.id)
    ).scalar_one_or_none()


def get_milestone(milestone_id):
    """The milestone, or NotFound."""
    milestone = db.session.get(Milestone, milestone_id)
    if milestone is None:
        raise NotFound()
    return milestone


@dataclass(frozen=True)
class Projects:
    records: list  # Implementation, the budget's own and those carried over into it
    waiting: list  # funded proposals of the budget without a record yet


def list_projects(budget, details=False):
    """The budget's funded projects with their records, ordered by village and title.

    Each record's proposal, village and budget come with the list (and, with details, its milestones and
    photos), in one query per relation rather than one per project.
    """
    loads = [selectinload(Implementation.proposal).selectinload(Proposal.village),
             selectinload(Implementation.budget)]
    if details:
        loads += [selectinload(Implementation.milestones), selectinload(Implementation.photos)]
    records = db.session.execute(
        sa.select(Implementation).join(Proposal, Implementation.proposal_id == Proposal.id)
        .where(sa.or_(Implementation.budget_id == budget.id, Implementation.carried_to_id == budget.id))
        .order_by(Proposal.village_id, Proposal.title).options(*loads)
    ).scalars().all()
    have = {r.proposal_id for r in records}
    waiting = db.session.execute(
        sa.select(Proposal).where(Proposal.budget_id == budget.id, Proposal.status.in_(IMPLEMENTED))
        .order_by(Proposal.village_id, Proposal.title).options(selectinload(Proposal.village))
    ).scalars().all()
    return Projects(records, [p for p in waiting if p.id not in have])


def by_village(records):
    """[(village, [records])] in the order of the villages' names, for the printable view."""
    groups = {}
    for implementation in records:
        groups.setdefault(implementation.proposal.village, []).append(implementation)
    return sorted(groups.items(), key=lambda item: item[0].name)


# --- changes ----------------------------------------------------------------------


def _money(data, field, errors):
    raw = data.get(field)
    try:
        amount = to_money(raw if raw not in (None, "") else 0)
        if amount < 0 or amount >= MAX_AMOUNT:
            raise ValueError
    except ValueError:
        errors.append((field, _l("Enter an amount in som, e.g. 125000 or 125000.50.")))
        return None
    return amount


def read_date(data, field, errors):
    """data[field] as a date (a date, or ISO text), None when empty; a bad one adds an error."""
    value = data.get(field)
    if value in (None, ""):
        return None
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value))
        except ValueError:
            errors.append((field, _l("Enter a date such as 2027-05-31.")))
            return None
    return value


def _values(data, errors):
    values = dict(
        responsible_body=text_field(data, "responsible_body", MAX_NAME, errors, required=True),
        contractor=text_field(data, "contractor", MAX_NAME, errors),
        contribution_labour_delivered=text_field(data, "contribution_labour_delivered", 500, errors),
        cancel_reason=text_field(data, "cancel_reason", MAX_TEXT, errors),
        **{f: read_date(data, f, errors) for f in ("planned_start", "planned_end", "actual_start", "actual_end")},
        **{f: _money(data, f, errors) for f in ("planned_cost", "spent", "contribution_delivered")},
    )
    try:
        values["status"] = ProjectStatus(data.get("status"))
    except ValueError:
        errors.append(("status", _l("Choose a status.")))
    try:
        values["progress"] = int(data.get("progress") if data.get("progress") not in (None, "") else 0)
        if not 0 <= values["progress"] <= 100:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(("progress", _l("Enter a percentage from 0 to 100.")))
    for start, end in (("planned_start", "planned_end"), ("actual_start", "actual_end")):
        if values[start] and values[end] and values[end] < values[start]:
            errors.append((end, _l("The end cannot be before the start.")))
    status = values.get("status")
    if status == ProjectStatus.CANCELLED and not values["cancel_reason"]:
        errors.append(("cancel_reason", _l("Give the reason for cancelling: residents will read it.")))
    if status != ProjectStatus.CANCELLED:
        values["cancel_reason"] = ""
    if status == ProjectStatus.DONE:
        values["progress"] = 100
    return values


def save_implementation(actor, proposal, data):
    """Create or update the implementation record of a funded proposal; its status drives the proposal's."""
    ensure(actor, "implement", proposal)
    errors = []
    values = _values(data, errors)
    if errors:
        raise ValidationFailed(errors)
    implementation = find_implementation(proposal)
    action = "implementation.update"
    if implementation is None:
        implementation = Implementation(proposal_id=proposal.id, budget_id=proposal.budget_id,
                                        municipality_id=proposal.municipality_id)
        db.session.add(implementation)
        action = "implementation.create"
    for key, value in values.items():
        setattr(implementation, key, value)
    db.session.flush()
    record(actor, action, implementation, proposal_id=proposal.id, status=values["status"].value,
           progress=values["progress"], spent=values["spent"], cancel_reason=values["cancel_reason"])
    db.session.commit()
    _follow_with_proposal(actor, implementation)
    return implementation


def _follow_with_proposal(actor, implementation):
    """Move the proposal along the cycle (funded → in progress → done) as far as the project went."""
    target = PROPOSAL_STATUS.get(implementation.status)
    proposal = implementation.proposal
    while target and proposal.status != target:
        step = next((s for s in (target, *TRANSITIONS[proposal.status]) if s in TRANSITIONS[proposal.status]), None)
        if step is None:
            return
        review.change_status(actor, proposal, step.value)


def add_milestone(actor, implementation, title, planned_date):
    """Add a step with its planned date."""
    ensure(actor, "manage", implementation)
    errors = []
    title = text_field({"title": title}, "title", MAX_NAME, errors, required=True)
    planned = read_date({"planned_date": planned_date}, "planned_date", errors)
    if planned is None and not errors:
        errors.append(("planned_date", _l("Enter a date such as 2027-05-31.")))
    if errors:
        raise ValidationFailed(errors)
    milestone = Milestone(implementation=implementation, title=title, planned_date=planned)
    db.session.add(milestone)
    db.session.flush()
    record(actor, "implementation.add_milestone", implementation, milestone_id=milestone.id, title=title,
           planned_date=planned)
    db.session.commit()
    return milestone


def complete_milestone(actor, milestone, done_date):
    """Mark a step reached on a date (or not reached, with no date)."""
    implementation = milestone.implementation
    ensure(actor, "manage", implementation)
    errors = []
    done = read_date({"done_date": done_date}, "done_date", errors)
    if errors:
        raise ValidationFailed(errors)
    milestone.done_date = done
    record(actor, "implementation.complete_milestone", implementation, milestone_id=milestone.id, done_date=done)
    db.session.commit()
    return milestone


def add_photos(actor, implementation, uploads):
    """Add photos of the works; any bad file adds nothing."""
    ensure(actor, "manage", implementation)
    errors = []
    prepared = photos.prepare(list(uploads), len(implementation.photos), errors)
    if not prepared and not errors:
        errors.append(("photos", _l("Choose at least one photo.")))
    if errors:
        raise ValidationFailed(errors)
    names = photos.attach(actor, implementation.photos, prepared)
    db.session.flush()
    record(actor, "implementation.add_photos", implementation, photos=names)
    photos.commit(names)
    return names
