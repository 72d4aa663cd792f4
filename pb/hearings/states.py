"""Hearing kinds, the hearing's life (scheduled → open → closed), and the attendees' categories."""
from flask_babel import lazy_gettext as _l

from pb.core.models import LabelledEnum


class HearingKind(LabelledEnum):
    DRAFT_BUDGET = "draft_budget"
    EXECUTION_REPORT = "execution_report"
    PRIORITIES = "priorities"
    CHARTER = "charter"

    @classmethod
    def labels(cls):
        return {
            cls.DRAFT_BUDGET: _l("hearing on the draft budget"),
            cls.EXECUTION_REPORT: _l("hearing on the budget execution report"),
            cls.PRIORITIES: _l("hearing on community priorities"),
            cls.CHARTER: _l("hearing on the community charter"),
        }


class HearingStatus(LabelledEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"

    @classmethod
    def labels(cls):
        return {
            cls.SCHEDULED: _l("scheduled"),
            cls.OPEN: _l("under way"),
            cls.CLOSED: _l("held"),
            cls.CANCELLED: _l("cancelled"),
        }


TRANSITIONS = {
    HearingStatus.SCHEDULED: {HearingStatus.OPEN, HearingStatus.CANCELLED},
    HearingStatus.OPEN: {HearingStatus.CLOSED},
    HearingStatus.CLOSED: set(),
    HearingStatus.CANCELLED: set(),
}


class Gender(LabelledEnum):
    FEMALE = "female"
    MALE = "male"

    @classmethod
    def labels(cls):
        return {cls.FEMALE: _l("woman"), cls.MALE: _l("man")}


class AgeBand(LabelledEnum):
    """Bands as hearings count them; "young" means under 30 (the youth share of the minutes)."""

    UNDER_18 = "under_18"
    FROM_18_TO_29 = "18_29"
    FROM_30_TO_44 = "30_44"
    FROM_45_TO_59 = "45_59"
    FROM_60 = "60_plus"

    @classmethod
    def labels(cls):
        return {
            cls.UNDER_18: _l("under 18"),
            cls.FROM_18_TO_29: _l("18–29"),
            cls.FROM_30_TO_44: _l("30–44"),
            cls.FROM_45_TO_59: _l("45–59"),
            cls.FROM_60: _l("60 and over"),
        }


YOUNG = {AgeBand.UNDER_18, AgeBand.FROM_18_TO_29}


class Outcome(LabelledEnum):
    ADOPTED = "adopted"
    REJECTED = "rejected"
    POSTPONED = "postponed"

    @classmethod
    def labels(cls):
        return {cls.ADOPTED: _l("adopted"), cls.REJECTED: _l("rejected"), cls.POSTPONED: _l("postponed")}
