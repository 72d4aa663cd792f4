"""Proposal statuses, the moves a reviewer may make between them, and what each status allows."""
from flask_babel import lazy_gettext as _l

from pb.budgets.states import Phase
from pb.core.models import LabelledEnum


class Status(LabelledEnum):
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    FEASIBLE = "feasible"
    NOT_FEASIBLE = "not_feasible"
    ON_BALLOT = "on_ballot"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    FUNDED = "funded"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    MERGED = "merged"

    @classmethod
    def labels(cls):
        return {
            cls.SUBMITTED: _l("submitted"),
            cls.UNDER_REVIEW: _l("under review"),
            cls.FEASIBLE: _l("feasible"),
            cls.NOT_FEASIBLE: _l("not feasible"),
            cls.ON_BALLOT: _l("on the ballot"),
            cls.SELECTED: _l("selected"),
            cls.NOT_SELECTED: _l("not selected"),
            cls.FUNDED: _l("funded"),
            cls.IN_PROGRESS: _l("in progress"),
            cls.DONE: _l("done"),
            cls.MERGED: _l("merged into another proposal"),
        }


# from -> the statuses a reviewer may move a proposal to. The way back from a verdict is open so
# that a mistake can be corrected in public (the history keeps both moves); MERGED is reached only
# through merge_proposals, and nothing leaves it.
TRANSITIONS = {
    Status.SUBMITTED: {Status.UNDER_REVIEW},
    Status.UNDER_REVIEW: {Status.FEASIBLE, Status.NOT_FEASIBLE},
    Status.FEASIBLE: {Status.ON_BALLOT, Status.UNDER_REVIEW},
    Status.NOT_FEASIBLE: {Status.UNDER_REVIEW},
    Status.ON_BALLOT: {Status.SELECTED, Status.NOT_SELECTED, Status.FEASIBLE},
    Status.SELECTED: {Status.FUNDED, Status.NOT_SELECTED},
    Status.NOT_SELECTED: {Status.ON_BALLOT},
    Status.FUNDED: {Status.IN_PROGRESS},
    Status.IN_PROGRESS: {Status.DONE},
    Status.DONE: set(),
    Status.MERGED: set(),
}

# A refusal, and a merge, must say why: the author reads it on the proposal's page.
REASON_REQUIRED = {Status.NOT_FEASIBLE, Status.NOT_SELECTED, Status.MERGED}

# Before the ballot a duplicate may still be folded into another proposal.
MERGEABLE = {Status.SUBMITTED, Status.UNDER_REVIEW, Status.FEASIBLE, Status.NOT_FEASIBLE}

# Residents show support while the proposal is still being weighed.
SUPPORTABLE = {Status.SUBMITTED, Status.UNDER_REVIEW, Status.FEASIBLE, Status.ON_BALLOT}

# The budget phases in which residents (and groups on their behalf) submit proposals.
SUBMISSION_PHASES = {Phase.CONSULTATION, Phase.HEARING}

ORDER = list(Status)


def allowed_targets(status):
    """The statuses a reviewer may move a proposal to from this one, in the order of the cycle."""
    return [s for s in ORDER if s in TRANSITIONS.get(status, set())]
