"""The states of a funded project's implementation and the ratings of a monitoring report."""
from flask_babel import lazy_gettext as _l

from pb.core.models import LabelledEnum
from pb.proposals.states import Status


class ProjectStatus(LabelledEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DELAYED = "delayed"
    DONE = "done"
    CANCELLED = "cancelled"

    @classmethod
    def labels(cls):
        return {
            cls.NOT_STARTED: _l("not started"),
            cls.IN_PROGRESS: _l("in progress"),
            cls.DELAYED: _l("delayed"),
            cls.DONE: _l("done"),
            cls.CANCELLED: _l("cancelled"),
        }


class Rating(LabelledEnum):
    ON_TRACK = "on_track"
    CONCERNS = "concerns"
    PROBLEM = "problem"

    @classmethod
    def labels(cls):
        return {cls.ON_TRACK: _l("on track"), cls.CONCERNS: _l("concerns"), cls.PROBLEM: _l("problem")}


# The proposals that get an implementation record: those the council funded, and later.
IMPLEMENTED = {Status.FUNDED, Status.IN_PROGRESS, Status.DONE}

# Projects still to finish: a new budget carries them over.
UNFINISHED = {ProjectStatus.NOT_STARTED, ProjectStatus.IN_PROGRESS, ProjectStatus.DELAYED}

# The proposal's status that follows from the project's (pb.proposals moves it, step by step).
PROPOSAL_STATUS = {
    ProjectStatus.IN_PROGRESS: Status.IN_PROGRESS,
    ProjectStatus.DELAYED: Status.IN_PROGRESS,
    ProjectStatus.DONE: Status.DONE,
}
