"""Proposals as comment targets: as public as the proposal, followed through the proposal itself."""
from flask import url_for

from pb.comments.targets import CommentTarget, register_comment_target
from pb.core.permissions import can
from pb.extensions import db
from pb.proposals import permissions as _proposal_rules  # noqa: F401  (can(None, "view", proposal))
from pb.proposals import notices as _proposal_notices  # noqa: F401  ("proposal" is a follow target)
from pb.proposals.models import Proposal


def load_proposal(proposal_id):
    """A proposal's thread."""
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None:
        return None
    return CommentTarget("proposal", proposal.id, proposal.municipality_id, proposal.title,
                         url_for("proposals.show_proposal", proposal_id=proposal.id), "proposal", proposal.id,
                         can(None, "view", proposal))


register_comment_target("proposal", load_proposal)
