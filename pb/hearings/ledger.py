"""The hearing's numbered record: taking the next number, finding an entry by its device key, the answers.

Every console entry of a hearing gets the next seq from Hearing.last_seq, taken with an UPDATE that
locks the hearing's row (PostgreSQL) or the database (SQLite) until the commit. So numbers are handed
out in commit order: a device that has read every entry up to N never later misses one below N.
"""
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.extensions import db
from pb.hearings.models import Attendance, Hearing, HearingDecision, HearingProposal, HearingQuestion
from pb.hearings.states import HearingStatus

MODELS = {"attendance": Attendance, "question": HearingQuestion, "decision": HearingDecision,
          "proposal": HearingProposal}
STORED, DUPLICATE, REFUSED = "stored", "duplicate", "refused"


@dataclass(frozen=True)
class Ack:
    """The answer for one entry: stored now, stored before (duplicate), or refused with messages."""

    key: str
    status: str
    seq: int | None = None
    errors: tuple = ()

    def as_json(self):
        out = {"key": self.key, "status": self.status}
        if self.seq is not None:
            out["seq"] = self.seq
        if self.errors:
            out["errors"] = [{"field": field, "message": str(message)} for field, message in self.errors]
        return out


def refused(key, field, message):
    """An Ack refusing the entry with one message."""
    return Ack(key, REFUSED, errors=((field, message),))


def not_open(key):
    """The refusal of an entry sent while the hearing is not under way."""
    return refused(key, None, _l("The hearing is not under way: entries are taken only between its opening "
                                 "and its closing."))


def _open_row(hearing_id, advance):
    table = Hearing.__table__
    return (sa.update(table).where(table.c.id == hearing_id, table.c.status == HearingStatus.OPEN.value)
            .values(last_seq=table.c.last_seq + (1 if advance else 0)))


def next_seq(hearing_id):
    """The next number of the hearing's record, locking the hearing until the commit; None unless open."""
    return db.session.execute(_open_row(hearing_id, True).returning(Hearing.__table__.c.last_seq)).scalar()


def lock_open(hearing_id):
    """Lock the hearing as next_seq does, without taking a number; False unless it is open."""
    return db.session.execute(_open_row(hearing_id, False)).rowcount == 1


def stored_seq(model, hearing_id, key):
    """The seq of the entry already stored under this device key, or None."""
    return db.session.execute(
        sa.select(model.seq).where(model.hearing_id == hearing_id, model.client_key == key)
    ).scalar()
