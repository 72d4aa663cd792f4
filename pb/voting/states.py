"""Voting rounds: the ballot methods, channels, who may vote, and a round's life (draft → open → closed)."""
from flask_babel import lazy_gettext as _l

from pb.core.models import LabelledEnum


class Method(LabelledEnum):
    APPROVAL = "approval"
    KNAPSACK = "knapsack"
    CUMULATIVE = "cumulative"
    RANKING = "ranking"

    @classmethod
    def labels(cls):
        return {
            cls.APPROVAL: _l("approval: choose between a minimum and a maximum number of proposals"),
            cls.KNAPSACK: _l("knapsack: choose proposals whose total cost fits the money"),
            cls.CUMULATIVE: _l("cumulative: spread your points among the proposals"),
            cls.RANKING: _l("ranking: put your favourite proposals in order"),
        }


class Channel(LabelledEnum):
    KIOSK = "kiosk"
    ONLINE = "online"
    PAPER = "paper"

    @classmethod
    def labels(cls):
        return {cls.KIOSK: _l("kiosk at the hearing"), cls.ONLINE: _l("online"), cls.PAPER: _l("paper ballot")}


class Eligibility(LabelledEnum):
    RESIDENTS = "residents"
    CODES = "codes"
    BOTH = "both"

    @classmethod
    def labels(cls):
        return {
            cls.RESIDENTS: _l("verified residents of the municipality"),
            cls.CODES: _l("holders of a voting code"),
            cls.BOTH: _l("verified residents and holders of a voting code"),
        }


class RoundStatus(LabelledEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"

    @classmethod
    def labels(cls):
        return {cls.DRAFT: _l("in preparation"), cls.OPEN: _l("open"), cls.CLOSED: _l("closed")}


class Refusal(LabelledEnum):
    """Why a ballot that reached the server was not counted (kept and reported, never silently dropped)."""

    CODE_UNKNOWN = "code_unknown"
    CODE_USED = "code_used"
    CODE_VOID = "code_void"
    ALREADY_VOTED = "already_voted"
    NOT_OPEN = "not_open"
    INVALID = "invalid"
    KIOSK_ENDED = "kiosk_ended"  # cast on a tablet after staff had ended its kiosk (it was offline)

    @classmethod
    def labels(cls):
        return {
            cls.CODE_UNKNOWN: _l("this code does not exist"),
            cls.CODE_USED: _l("this code has already been used"),
            cls.CODE_VOID: _l("this code has been voided"),
            cls.ALREADY_VOTED: _l("this person has already voted in this round"),
            cls.NOT_OPEN: _l("the round was not open"),
            cls.INVALID: _l("the ballot was not valid"),
            cls.KIOSK_ENDED: _l("cast after the kiosk had been ended; the code is still unused"),
        }


class PaperStatus(LabelledEnum):
    AWAITING_SECOND = "awaiting_second"
    COUNTED = "counted"
    MISMATCH = "mismatch"

    @classmethod
    def labels(cls):
        return {
            cls.AWAITING_SECOND: _l("waiting for the second keying"),
            cls.COUNTED: _l("counted"),
            cls.MISMATCH: _l("the two keyings differ"),
        }


TRANSITIONS = {
    RoundStatus.DRAFT: {RoundStatus.OPEN},
    RoundStatus.OPEN: {RoundStatus.CLOSED},
    RoundStatus.CLOSED: set(),
}
