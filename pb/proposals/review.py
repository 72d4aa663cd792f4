"""Reviewing proposals: public, dated status changes with reasons, and merging duplicates."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from pb.audit.services import record
from pb.core.errors import Conflict, ValidationFailed
from pb.core.permissions import ensure
from pb.extensions import db
from pb.notifications.services import follower_ids, notify, notify_followers
from pb.proposals import notices, permissions  # noqa: F401  (they register targets, kinds and rules)
from pb.proposals.models import ProposalAuthor, ProposalStatusChange, ProposalSupport
from pb.proposals.states import MERGEABLE, REASON_REQUIRED, TRANSITIONS, Status

MAX_REASON = 2000


def _author_ids(proposal):
    return {a.user_id for a in proposal.authors}


def _reason(reason, required, errors):
    reason = (reason or "").strip()
    if required and not reason:
        errors.append(("reason", _l("Give the reason: the authors and residents will read it.")))
    elif len(reason) > MAX_REASON:
        errors.append(("reason", _l("At most %(n)d characters.", n=MAX_REASON)))
    return reason


def _set_status(actor, proposal, to, reason):
    before = proposal.status
    proposal.status = to
    proposal.status_reason = reason
    proposal.status_changes.append(ProposalStatusChange(from_status=before, to_status=to, reason=reason,
                                                        actor_id=actor.id))
    return before


def change_status(actor, proposal, to, reason="", expected=None):
    """Move the proposal to another status of the cycle, with a reason (required for a refusal)."""
    ensure(actor, "review", proposal)
    try:
        to = Status(to)
    except ValueError:
        raise ValidationFailed.single("to", _l("Choose a status.")) from None
    if expected and proposal.status.value != expected:
        raise Conflict(_l("Someone else has just changed the status of this proposal to «%(status)s».",
                          status=proposal.status.label))
    errors = []
    if to not in TRANSITIONS[proposal.status]:
        errors.append(("to", _l("A proposal that is «%(status)s» cannot become «%(to)s».",
                                status=proposal.status.label, to=to.label)))
    reason = _reason(reason, to in REASON_REQUIRED, errors)
    if errors:
        raise ValidationFailed(errors)
    before = _set_status(actor, proposal, to, reason)
    record(actor, "proposal.change_status", proposal, from_status=before.value, to_status=to.value, reason=reason)
    notify_followers("proposal.status", "proposal", proposal.id, actor=actor,
                     extra_user_ids=_author_ids(proposal), status=to.value, reason=reason)
    db.session.commit()


def record_selection(actor, proposal, selected, reason):
    """Mark a proposal on the ballot selected or not by a round's allocation; the caller commits (the close).

    A proposal taken off the ballot while the round ran keeps its status: the allocation does not override
    a reviewer. Returns whether the status changed.
    """
    ensure(actor, "review", proposal)
    if proposal.status != Status.ON_BALLOT:
        return False
    to = Status.SELECTED if selected else Status.NOT_SELECTED
    reason = (reason or "").strip()[:MAX_REASON]
    before = _set_status(actor, proposal, to, reason)
    record(actor, "proposal.change_status", proposal, from_status=before.value, to_status=to.value, reason=reason)
    notify_followers("proposal.status", "proposal", proposal.id, actor=actor,
                     extra_user_ids=_author_ids(proposal), status=to.value, reason=reason)
    return True


def _lock(*proposals):
    # in id order, so that two reviewers merging the same pair cannot deadlock
    for proposal in sorted(proposals, key=lambda p: p.id):
        db.session.refresh(proposal, with_for_update=True)


def _move_supports(duplicate, into):
    """Give the target the duplicate's supporters it does not have yet; returns how many it gained."""
    other = aliased(ProposalSupport)
    moved = db.session.execute(
        sa.insert(ProposalSupport).from_select(
            ["proposal_id", "user_id", "created_at"],
            sa.select(sa.literal(into.id), ProposalSupport.user_id, ProposalSupport.created_at).where(
                ProposalSupport.proposal_id == duplicate.id,
                ~sa.exists().where(other.proposal_id == into.id, other.user_id == ProposalSupport.user_id),
            ),
        )
    ).rowcount
    db.session.execute(sa.delete(ProposalSupport).where(ProposalSupport.proposal_id == duplicate.id))
    return moved


def merge_proposals(actor, duplicate, into, reason=""):
    """Fold a duplicate into another proposal of the budget: its authors and supporters join the target."""
    ensure(actor, "review", duplicate)
    if into is None or into.id == duplicate.id or into.budget_id != duplicate.budget_id:
        raise ValidationFailed.single("into", _l("Choose another proposal of the same budget."))
    _lock(duplicate, into)
    errors = []
    if duplicate.status not in MERGEABLE:
        errors.append((None, _l("A proposal that is «%(status)s» can no longer be merged.",
                                status=duplicate.status.label)))
    if into.status == Status.MERGED:
        errors.append(("into", _l("Choose another proposal of the same budget.")))
    reason = _reason(reason, True, errors)
    if errors:
        db.session.rollback()
        raise ValidationFailed(errors)
    already = _author_ids(into)
    added_authors = sorted(_author_ids(duplicate) - already)
    for user_id in added_authors:
        into.authors.append(ProposalAuthor(user_id=user_id))
    added_supports = _move_supports(duplicate, into)
    duplicate.merged_into_id = into.id
    before = _set_status(actor, duplicate, Status.MERGED, reason)
    record(actor, "proposal.merge", duplicate, into_id=into.id, from_status=before.value, reason=reason)
    record(actor, "proposal.absorb", into, duplicate_id=duplicate.id, authors_added=added_authors,
           supports_added=added_supports)
    told = {n.user_id for n in notify_followers(
        "proposal.status", "proposal", duplicate.id, actor=actor, extra_user_ids=_author_ids(duplicate),
        status=Status.MERGED.value, reason=reason, into=into.id)}
    target_people = (set(follower_ids("proposal", into.id)) | already) - told
    notify(target_people, "proposal.merge", "proposal", into.id, actor=actor, duplicate=duplicate.id)
    db.session.commit()


def fund_proposal(actor, proposal):
    """Move a selected proposal to funded within the council's approval, which checks the right and commits."""
    if proposal.status != Status.SELECTED:
        raise Conflict(_l("A proposal that is «%(status)s» cannot become «%(to)s».",
                          status=proposal.status.label, to=Status.FUNDED.label))
    before = _set_status(actor, proposal, Status.FUNDED, "")
    record(actor, "proposal.change_status", proposal, from_status=before.value, to_status=Status.FUNDED.value,
           reason="")
    notify_followers("proposal.status", "proposal", proposal.id, actor=actor,
                     extra_user_ids=_author_ids(proposal), status=Status.FUNDED.value, reason="")
