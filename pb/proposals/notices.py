"""Proposals as things residents follow, and the notifications of their status changes and merges."""
from flask_babel import lazy_gettext as _l

from pb.extensions import db
from pb.notifications.services import register_kind, register_target
from pb.proposals.models import Proposal
from pb.proposals.states import Status


def _title(proposal_id):
    proposal = db.session.get(Proposal, proposal_id)
    return f"#{proposal.id} «{proposal.title}»"


def _status_message(title, p):
    status = Status(p["status"])
    if status == Status.MERGED:
        return str(_l("The proposal %(title)s was merged into proposal #%(number)d: %(reason)s",
                      title=title, number=p["into"], reason=p.get("reason", "")))
    if p.get("reason"):
        return str(_l("The proposal %(title)s is now «%(status)s»: %(reason)s",
                      title=title, status=status.label, reason=p["reason"]))
    return str(_l("The proposal %(title)s is now «%(status)s».", title=title, status=status.label))


register_target("proposal", lambda i: db.session.get(Proposal, i) is not None, _title,
                "proposals.show_proposal", "proposal_id")
register_kind("proposal.status", _status_message)
register_kind("proposal.merge", lambda title, p: str(_l(
    "Proposal #%(number)d was merged into the proposal %(title)s; its authors and supporters now count here.",
    number=p["duplicate"], title=title)))
