"""Proposals: submission with photos, support, and the public lists (review is in review.py)."""
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from pb.audit.services import record
from pb.budgets.states import Category
from pb.core.errors import NotFound, ValidationFailed
from pb.core.models import to_money
from pb.core.permissions import ensure
from pb.core.validation import text_field
from pb.extensions import db
from pb.notifications.services import follow
from pb.places.models import Village
from pb.proposals import notices, permissions  # noqa: F401  (they register targets, kinds and rules)
from pb.proposals import photos as photo_files
from pb.proposals.models import Proposal, ProposalAuthor, ProposalPhoto, ProposalStatusChange, ProposalSupport
from pb.proposals.states import Status

MAX_TITLE, MAX_DESCRIPTION, MAX_LABOUR = 200, 5000, 500
MAX_AMOUNT = Decimal("1000000000000")  # a trillion som: more than any municipal budget
SORTS = {
    "support": (Proposal.support_count.desc(), Proposal.id),
    "cost": (Proposal.estimated_cost, Proposal.id),
    "cost_desc": (Proposal.estimated_cost.desc(), Proposal.id),
    "newest": (Proposal.id.desc(),),
}
DEFAULT_SORT = "support"


# --- queries ----------------------------------------------------------------------


def get_proposal(proposal_id):
    """The proposal, or NotFound."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        raise NotFound()
    return proposal


def get_photo(name):
    """The photo stored under this name, or NotFound: only names from the table are served."""
    photo = db.session.execute(sa.select(ProposalPhoto).where(ProposalPhoto.name == name)).scalar_one_or_none()
    if photo is None:
        raise NotFound()
    return photo


def photo_directory():
    """Where the proposals' photos are stored (under the configured UPLOAD_DIR)."""
    return Path(current_app.config["UPLOAD_DIR"]) / "proposals"


def _choice(enum_cls, value):
    try:
        return enum_cls(value) if value else None
    except ValueError:
        return None


def list_proposals(budget, village_id=None, category=None, status=None, sort=DEFAULT_SORT, page=1, per_page=20):
    """A page of the budget's proposals; unknown filter values mean "all", merged ones only when asked."""
    stmt = sa.select(Proposal).where(Proposal.budget_id == budget.id, Proposal.rehearsal.is_(False)) \
        .options(selectinload(Proposal.village))
    try:
        village_id = int(village_id) if village_id else None
    except (TypeError, ValueError):
        village_id = None
    if village_id:
        stmt = stmt.where(Proposal.village_id == village_id)
    if category := _choice(Category, category):
        stmt = stmt.where(Proposal.category == category)
    status = _choice(Status, status)
    stmt = stmt.where(Proposal.status == status if status else Proposal.status != Status.MERGED)
    stmt = stmt.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def merge_targets(proposal):
    """The budget's other proposals that a duplicate may be merged into."""
    return db.session.execute(
        sa.select(Proposal).where(Proposal.budget_id == proposal.budget_id, Proposal.id != proposal.id,
                                  Proposal.status != Status.MERGED, Proposal.rehearsal.is_(False)).order_by(Proposal.id)
    ).scalars().all()


def is_supporting(user, proposal):
    """Whether the user supports the proposal."""
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.execute(
        sa.select(ProposalSupport.id).where(ProposalSupport.proposal_id == proposal.id,
                                            ProposalSupport.user_id == user.id)
    ).first() is not None


# --- submission -------------------------------------------------------------------


def _amount(data, field, errors, positive):
    raw = data.get(field)
    if raw in (None, "") and not positive:
        return Decimal(0)
    try:
        amount = to_money(raw)
    except (ValueError, ArithmeticError):  # to_money lets decimal's InvalidOperation through
        errors.append((field, _l("Enter an amount in som, e.g. 125000 or 125000.50.")))
        return None
    if positive and amount <= 0:
        errors.append((field, _l("The amount must be more than zero.")))
    elif amount < 0:
        errors.append((field, _l("The amount cannot be negative.")))
    elif amount > MAX_AMOUNT:
        errors.append((field, _l("The amount is too large.")))
    return amount


def _proposal_values(budget, data, errors):
    values = dict(
        title=text_field(data, "title", MAX_TITLE, errors, required=True),
        description=text_field(data, "description", MAX_DESCRIPTION, errors, required=True),
        contribution_labour=text_field(data, "contribution_labour", MAX_LABOUR, errors),
        estimated_cost=_amount(data, "estimated_cost", errors, positive=True),
        contribution_money=_amount(data, "contribution_money", errors, positive=False),
    )
    try:
        values["category"] = Category(data.get("category"))
    except ValueError:
        errors.append(("category", _l("Choose a category.")))
    try:
        village = db.session.get(Village, int(data.get("village_id")))
    except (TypeError, ValueError):
        village = None
    if village is None or village.municipality_id != budget.municipality_id:
        errors.append(("village_id", _l("Choose a village of this municipality.")))
    else:
        values["village_id"] = village.id
    return values


def _prepare_photos(uploads, already, errors):
    """Check every upload (name, bytes); problems are added to errors, one per file."""
    config = current_app.config
    too_many = None
    if already + len(uploads) > config["PHOTO_MAX_COUNT"]:
        too_many = _l("At most %(n)d photos per proposal.", n=config["PHOTO_MAX_COUNT"])
    return photo_files.check_uploads(uploads, (config["PHOTO_MAX_BYTES"], config["PHOTO_MAX_SIDE"]), too_many, errors)


def _attach_photos(actor, proposal, prepared):
    """Write the files and add their rows; returns the names so that a failed commit can remove them."""
    return photo_files.store_photos(photo_directory(), prepared, lambda name, photo: proposal.photos.append(
        ProposalPhoto(name=name, width=photo.width, height=photo.height, size=len(photo.data),
                      created_by_id=actor.id)))


def _commit(names):
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        photo_files.remove_photos(photo_directory(), names)
        raise


def submit_proposal(actor, budget, data, photos=()):
    """Submit a proposal (with photos as (name, bytes) pairs); any bad field or photo saves nothing."""
    ensure(actor, "propose", budget)
    errors = []
    values = _proposal_values(budget, data, errors)
    prepared = _prepare_photos(list(photos), 0, errors)
    if errors:
        raise ValidationFailed(errors)
    proposal = Proposal(budget_id=budget.id, municipality_id=budget.municipality_id, author_id=actor.id,
                        status=Status.SUBMITTED, **values)
    proposal.authors.append(ProposalAuthor(user_id=actor.id))
    proposal.status_changes.append(ProposalStatusChange(from_status=None, to_status=Status.SUBMITTED,
                                                        actor_id=actor.id))
    db.session.add(proposal)
    db.session.flush()
    names = _attach_photos(actor, proposal, prepared)
    record(actor, "proposal.submit", proposal, budget_id=budget.id, photos=names,
           **{k: getattr(v, "value", v) for k, v in values.items()})
    _commit(names)
    follow(actor, "proposal", proposal.id)  # the author hears of every status change
    return proposal


def add_photos(actor, proposal, photos):
    """Add photos (as (name, bytes) pairs) to a proposal; any bad one saves none."""
    ensure(actor, "add_photos", proposal)
    db.session.refresh(proposal, with_for_update=True)  # two uploads at once must not pass the count
    errors = []
    if not photos:
        errors.append(("photos", _l("Choose at least one photo.")))
    prepared = _prepare_photos(list(photos), len(proposal.photos), errors)
    if errors:
        db.session.rollback()
        raise ValidationFailed(errors)
    names = _attach_photos(actor, proposal, prepared)
    record(actor, "proposal.add_photos", proposal, photos=names)
    _commit(names)
    return names


# --- support ----------------------------------------------------------------------


def support(actor, proposal):
    """Support the proposal; True if this added a support, False if the resident already supported it."""
    ensure(actor, "support", proposal)
    if is_supporting(actor, proposal):
        return False
    db.session.add(ProposalSupport(proposal_id=proposal.id, user_id=actor.id))
    try:
        db.session.flush()
    except IntegrityError:  # a second click that won the race: the database keeps one
        db.session.rollback()
        return False
    record(actor, "proposal.support", proposal)
    db.session.commit()
    return True


def withdraw_support(actor, proposal):
    """Withdraw one's support; True if there was one to withdraw."""
    ensure(actor, "support", proposal)
    deleted = db.session.execute(
        sa.delete(ProposalSupport).where(ProposalSupport.proposal_id == proposal.id,
                                         ProposalSupport.user_id == actor.id)
    ).rowcount
    if not deleted:
        db.session.rollback()
        return False
    record(actor, "proposal.withdraw_support", proposal)
    db.session.commit()
    return True
