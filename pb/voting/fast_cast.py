"""A kiosk's ballot in one statement on PostgreSQL: the common case of the sync route, in one round trip.

Nearly every ballot a kiosk sends is new, well formed, cast while the round is open, from a running
kiosk, with an unused code. For those, the kiosk and its round are not read again: an open round's
rules and costs never change (it only closes), and a kiosk only ever ends, so both are kept per
process by the digest of the kiosk's token once kiosk_casting.find_kiosk_box has read them. The ballot is
then stored by a single statement committed on its own: it spends the code, marks the code's resident
as having voted, and inserts the ballot and its choices, all only if, in the same statement, the kiosk
is still running, the round still open and the key never refused. The database's constraints hold
as on the longer way (one person, one vote; a code spent once; a key stored once; a receipt unique).

Whatever that statement does not store (no row back, or a constraint refusing it) it has left
untouched, and kiosk_casting.submit_from_kiosk answers it as it always did, reading everything afresh.
SQLite has no statements that write in a WITH clause, so it always takes that longer way.
"""
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from pb.core.models import utcnow
from pb.extensions import db
from pb.voting.casting import COUNTED, Outcome, code_hash
from pb.voting.codes import new_receipt
from pb.voting.kiosk_casting import ready_kiosk_ballot
from pb.voting.states import Channel, RoundStatus

KEEP = 600  # seconds a kiosk stays known: bounds how long a deleted kiosk's entry lingers
MAX_KIOSKS = 1000
SEEN_EVERY = 60  # seconds, as kiosks.seen

_STORE = sa.text("""
WITH spent AS (
    UPDATE voting_code SET used_at = :now
    WHERE round_id = :round AND code_hash = :digest AND used_at IS NULL AND voided_at IS NULL
      AND EXISTS (SELECT 1 FROM kiosk JOIN voting_round ON voting_round.id = kiosk.round_id
                  WHERE kiosk.id = :kiosk AND kiosk.ended_at IS NULL AND voting_round.status = :open)
      AND NOT EXISTS (SELECT 1 FROM refused_ballot WHERE round_id = :round AND client_key = :key)
    RETURNING resident_id
), voter AS (
    INSERT INTO round_voter (round_id, voter_id, channel, created_at)
    SELECT :round, resident_id, :channel, :now FROM spent WHERE resident_id IS NOT NULL
), stored AS (
    INSERT INTO ballot (round_id, receipt, client_key, channel, location_id)
    SELECT :round, :receipt, :key, :channel, :location FROM spent
    RETURNING id
), chosen AS (
    INSERT INTO ballot_choice (ballot_id, proposal_id, value)
    SELECT stored.id, choice.proposal_id, choice.value
    FROM stored, unnest(CAST(:proposals AS INTEGER[]), CAST(:values AS INTEGER[])) AS choice (proposal_id, value)
)
SELECT id FROM stored
""")
_SEEN = sa.text("UPDATE kiosk SET last_seen_at = :now WHERE id = :kiosk")


@dataclass
class _Known:
    box: object  # kiosk_casting.KioskBox
    until: float
    seen_at: object  # last_seen_at as this process last knew or wrote it


class _Kiosks:
    """The running kiosks of open rounds this process has read, by token digest."""

    def __init__(self, engine):
        self.base = engine
        self.engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self.lock = threading.Lock()
        self.known = OrderedDict()

    def get(self, digest):
        with self.lock:
            known = self.known.get(digest)
            if known is not None and known.until < time.monotonic():
                del self.known[digest]
                return None
            return known

    def put(self, digest, box, seen_at):
        with self.lock:
            self.known[digest] = _Known(box, time.monotonic() + KEEP, seen_at)
            self.known.move_to_end(digest)
            while len(self.known) > MAX_KIOSKS:
                self.known.popitem(last=False)

    def drop(self, digest):
        with self.lock:
            self.known.pop(digest, None)


def _kiosks():
    if db.engine.dialect.name != "postgresql":
        return None
    kiosks = current_app.extensions.get("ashar.fast_cast")
    if kiosks is None or kiosks.base is not db.engine:
        kiosks = current_app.extensions["ashar.fast_cast"] = _Kiosks(db.engine)
    return kiosks


def known(digest):
    """Whether the kiosk of this token digest may send its ballots the short way."""
    kiosks = _kiosks()
    return kiosks is not None and kiosks.get(digest) is not None


def remember(digest, box, seen_at):
    """Keep a kiosk read by kiosk_casting.find_kiosk_box (and last seen at seen_at), if its ballots may take
    the short way."""
    kiosks = _kiosks()
    if kiosks is not None and box.ended_at is None and box.rules.status == RoundStatus.OPEN:
        kiosks.put(digest, box, seen_at)


def cast_queue(digest, items):
    """Store the kiosk's items the short way, in order, as long as it can: [Outcome] for the first
    len(result) items (none when the kiosk is not known here); the caller takes the rest the long way."""
    kiosks = _kiosks()
    known = kiosks.get(digest) if kiosks is not None and digest else None
    if known is None:
        return []
    outcomes = []
    with kiosks.engine.connect() as conn:
        for item in items:
            outcome = _store(conn, known.box, item)
            if outcome is None:
                kiosks.drop(digest)  # read afresh next time: it may have ended, or its round closed
                break
            outcomes.append(outcome)
        if outcomes:
            _note_seen(conn, known)
    return outcomes


def _store(conn, box, item):
    ready = ready_kiosk_ballot(box, item)
    if ready is None:
        return None
    submission, choices = ready
    receipt = submission.receipt or new_receipt()
    chosen = sorted(choices.items())
    try:
        stored = conn.execute(_STORE, dict(
            now=utcnow(), round=box.round_id, digest=code_hash(box.round_id, submission.code), kiosk=box.id,
            open=RoundStatus.OPEN.value, key=submission.client_key, channel=Channel.KIOSK.value, receipt=receipt,
            location=box.location_id, proposals=[pid for pid, _value in chosen],
            values=[value for _pid, value in chosen])).first()
    except IntegrityError:  # a key, receipt or voter already stored: the statement stored nothing
        conn.rollback()  # only ends SQLAlchemy's view of the transaction: with autocommit there is none open
        return None
    return Outcome(submission.client_key, COUNTED, receipt) if stored is not None else None


def _note_seen(conn, known):
    now = utcnow()
    if known.seen_at is None or (now - known.seen_at).total_seconds() > SEEN_EVERY:
        conn.execute(_SEEN, {"now": now, "kiosk": known.box.id})
        known.seen_at = now
