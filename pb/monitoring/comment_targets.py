"""Projects as comment targets: as public as their budget, followed through the proposal."""
from flask import url_for

from pb.comments.targets import CommentTarget, register_comment_target
from pb.core.permissions import can
from pb.extensions import db
from pb.monitoring import permissions  # noqa: F401  (registers Implementation "view")
from pb.monitoring.models import Implementation


def load_implementation(implementation_id):
    """A project's thread."""
    implementation = db.session.get(Implementation, implementation_id)
    if implementation is None:
        return None
    proposal = implementation.proposal
    return CommentTarget("implementation", implementation.id, implementation.municipality_id, proposal.title,
                         url_for("monitoring.show_project", implementation_id=implementation.id), "proposal",
                         proposal.id, can(None, "view", implementation))


register_comment_target("implementation", load_implementation)
