"""Proposals raised in the hall: submitted to the hearing's budget through pb.proposals, linked to the hearing.

submit_proposal commits on its own. The link (with its device key) must be part of that very commit,
or a crash, or the same entry sent twice at once, could leave a proposal twice or one without its
link. So the link is added from the session's before_commit hook, once the new proposal is flushed.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from pb.audit.services import record
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.extensions import db
from pb.hearings.ledger import DUPLICATE, REFUSED, STORED, Ack, next_seq, not_open, refused, stored_seq
from pb.hearings.models import HearingProposal
from pb.proposals import services as proposals
from pb.proposals.models import Proposal


def raise_proposal(actor, hearing, key, values, device=""):
    """Submit the proposal for the hearing's budget, by the runner, and link it under the device key."""
    budget = hearing.budget
    if budget is None:
        return refused(key, None, _l("This hearing has no budget: proposals raised in the hall cannot be "
                                     "recorded. Choose the budget when scheduling the hearing."))
    seq = next_seq(hearing.id)
    if seq is None:
        db.session.rollback()
        return not_open(key)
    if (earlier := stored_seq(HearingProposal, hearing.id, key)) is not None:
        db.session.rollback()  # gives the number back
        return Ack(key, DUPLICATE, earlier)
    link = HearingProposal(hearing_id=hearing.id, client_key=key, seq=seq, device=device, recorded_by_id=actor.id)
    created = []

    def _collect(session, _context):
        created.extend(o for o in session.new if isinstance(o, Proposal))

    def _link(session):
        if created and link.proposal_id is None:
            link.proposal_id = created[0].id
            session.add(link)
            record(actor, "hearing.raise_proposal", hearing, seq=seq, key=key, device=device,
                   proposal_id=created[0].id)

    session = db.session()
    event.listen(session, "after_flush", _collect)
    event.listen(session, "before_commit", _link)
    try:
        proposals.submit_proposal(actor, budget, values)
    except ValidationFailed as exc:
        db.session.rollback()
        return Ack(key, REFUSED, errors=tuple(exc.errors))
    except PermissionDenied:
        db.session.rollback()
        return refused(key, None, _l("The budget does not take proposals in its phase «%(phase)s».",
                                     phase=budget.phase.label))
    except IntegrityError:  # the same key won by another request: its commit holds the proposal
        db.session.rollback()
        if (earlier := stored_seq(HearingProposal, hearing.id, key)) is None:
            raise
        return Ack(key, DUPLICATE, earlier)
    finally:
        event.remove(session, "after_flush", _collect)
        event.remove(session, "before_commit", _link)
    return Ack(key, STORED, seq)
