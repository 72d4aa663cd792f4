"""The live console: device entries stored exactly once, the counters, and what each device polls.

A device sends entries it has kept (maybe offline) under keys it generated; each entry is stored in
its own short transaction, so one bad or late entry never takes the others down with it, and a
replayed key is acknowledged without being stored twice.
"""
import re
import time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from pb.audit.services import record
from pb.core.errors import ValidationFailed
from pb.core.models import utcnow
from pb.core.permissions import ensure
from pb.extensions import db
from pb.hearings import agenda, entries, hall
from pb.hearings.ledger import (
    DUPLICATE, MODELS, REFUSED, STORED, Ack, lock_open, next_seq, not_open, refused, stored_seq,
)
from pb.hearings.models import Attendance, Hearing, HearingProposal
from pb.hearings.states import YOUNG, Gender, HearingStatus

KINDS = set(MODELS) | {"agenda"}
KEY = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_BATCH = 100
RETRIES = 6  # SQLite answers "database is locked" when another writer holds it past the busy timeout


def _envelope(entry):
    """(key, kind, data, None), or (key, None, None, a refusal) for an entry that cannot be read."""
    if not isinstance(entry, dict):
        return "", None, None, refused("", None, _l("This entry could not be read."))
    key = entry.get("key") if isinstance(entry.get("key"), str) else ""
    if not KEY.match(key):
        return key[:64], None, None, refused(key[:64], "key", _l("This entry has no valid key."))
    if entry.get("type") not in KINDS:
        return key, None, None, refused(key, "type", _l("This kind of entry is not known."))
    if not isinstance(entry.get("data"), dict):
        return key, None, None, refused(key, "data", _l("This entry could not be read."))
    return key, entry["type"], entry["data"], None


def store_entries(actor, hearing, batch, device=""):
    """Store a device's entries in their order; every key gets its Ack."""
    ensure(actor, "run", hearing)
    if not isinstance(batch, list) or not 0 < len(batch) <= MAX_BATCH:
        raise ValidationFailed.single("entries", _l("Send from 1 to %(n)d entries at a time.", n=MAX_BATCH))
    return [store_entry(actor, hearing, entry, device) for entry in batch]


def store_entry(actor, hearing, entry, device=""):
    """Store one entry ({key, type, data}) once, whatever the retries; returns its Ack."""
    ensure(actor, "run", hearing)
    key, kind, data, problem = _envelope(entry)
    if problem is not None:
        return problem
    device = str(device or "")[:64]
    for attempt in range(RETRIES):
        try:
            return _store(actor, hearing, key, kind, data, device)
        except OperationalError as exc:
            db.session.rollback()
            if "locked" not in str(exc.orig).lower() or attempt == RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _store(actor, hearing, key, kind, data, device):
    if kind == "agenda":
        return _store_agenda(actor, hearing, key, data, device)
    model = MODELS[kind]
    if (earlier := stored_seq(model, hearing.id, key)) is not None:
        return Ack(key, DUPLICATE, earlier)
    if hearing.status != HearingStatus.OPEN:
        return not_open(key)
    try:
        values = entries.PARSERS[kind](hearing, data)
    except ValidationFailed as exc:
        return Ack(key, REFUSED, errors=tuple(exc.errors))
    if kind == "proposal":
        return hall.raise_proposal(actor, hearing, key, values, device)
    seq = next_seq(hearing.id)
    if seq is None:
        db.session.rollback()
        return not_open(key)
    if (earlier := stored_seq(model, hearing.id, key)) is not None:  # sent by another request meanwhile
        db.session.rollback()  # gives the number back
        return Ack(key, DUPLICATE, earlier)
    db.session.add(model(hearing_id=hearing.id, client_key=key, seq=seq, device=device,
                         recorded_by_id=actor.id, **values))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        if (earlier := stored_seq(model, hearing.id, key)) is None:
            raise  # not this key stored twice: never acknowledge an entry that is not stored
        return Ack(key, DUPLICATE, earlier)
    record(actor, f"hearing.record_{kind}", hearing, seq=seq, key=key, device=device)
    db.session.commit()
    return Ack(key, STORED, seq)


def _store_agenda(actor, hearing, key, data, device):
    """Agenda moves carry no seq: a replay is recognised because the clock already shows it."""
    try:
        item_id, from_id, at = entries.parse_agenda(hearing, data)
    except ValidationFailed as exc:
        return Ack(key, REFUSED, errors=tuple(exc.errors))
    if not lock_open(hearing.id):
        db.session.rollback()
        return not_open(key)
    try:
        changed = agenda.move_to(hearing, item_id, from_id, at, utcnow())
    except ValidationFailed as exc:
        db.session.rollback()
        return Ack(key, REFUSED, errors=tuple(exc.errors))
    if not changed:
        db.session.rollback()
        return Ack(key, DUPLICATE)
    record(actor, "hearing.start_item", hearing, item_id=item_id, from_item_id=from_id, key=key, device=device)
    db.session.commit()
    return Ack(key, STORED)


# --- reading ----------------------------------------------------------------------


def _upto(model, hearing_id, upto):
    clause = model.hearing_id == hearing_id
    return clause if upto is None else sa.and_(clause, model.seq <= upto)


def attendance_counts(hearing_id, upto=None):
    """Attendees in total, women, young (under 30) and by village id (None: another place)."""
    rows = db.session.execute(
        sa.select(Attendance.gender, Attendance.age_band, Attendance.village_id, sa.func.count())
        .where(_upto(Attendance, hearing_id, upto))
        .group_by(Attendance.gender, Attendance.age_band, Attendance.village_id)
    ).all()
    counts = dict(total=0, women=0, young=0, villages={})
    for gender, band, village_id, n in rows:
        counts["total"] += n
        counts["women"] += n if gender == Gender.FEMALE else 0
        counts["young"] += n if band in YOUNG else 0
        counts["villages"][village_id] = counts["villages"].get(village_id, 0) + n
    return counts


def counters(hearing, upto=None):
    """What the console's counters show: attendance, the quorum, and how many of each other entry
    (those numbered up to upto, when given)."""
    counts = attendance_counts(hearing.id, upto)
    for kind in ("question", "decision", "proposal"):
        model = MODELS[kind]
        counts[kind + "s"] = db.session.execute(
            sa.select(sa.func.count(model.id)).where(_upto(model, hearing.id, upto))).scalar()
    counts["quorum"] = hearing.quorum
    counts["quorum_reached"] = hearing.quorum is not None and counts["total"] >= hearing.quorum
    return counts


def entries_after(hearing_id, since=0, limit=200, upto=None):
    """The hearing's entries numbered above since (and up to upto), in order, at most limit of them."""
    rows = []
    for model in MODELS.values():
        stmt = sa.select(model).where(_upto(model, hearing_id, upto), model.seq > since).order_by(model.seq)
        if model is HearingProposal:
            stmt = stmt.options(selectinload(HearingProposal.proposal))
        rows.extend(db.session.execute(stmt.limit(limit)).scalars())
    return sorted(rows, key=lambda row: row.seq)[:limit]


def entry_json(row):
    """An entry as devices list it."""
    kind = next(k for k, model in MODELS.items() if isinstance(row, model))
    return dict(seq=row.seq, key=row.client_key, type=kind, text=entries.describe(row))


def console_state(hearing, since=0, limit=200):
    """What a device polls: status, counters, the agenda clock, and the entries after seq since.

    Everything is read up to the hearing's committed last_seq: every entry numbered up to it is
    committed (numbers are taken under the hearing's lock), so the counters and the entries agree
    with the cursor, and a device can tell which of its own sent entries they already include.
    """
    last = db.session.execute(sa.select(Hearing.last_seq).where(Hearing.id == hearing.id)).scalar()
    rows = entries_after(hearing.id, since, limit, upto=last)
    more = len(rows) == limit
    counts = counters(hearing, upto=last)
    counts["villages"] = {str(k or ""): n for k, n in counts["villages"].items()}
    return dict(
        status=hearing.status.value,
        cursor=rows[-1].seq if more else max(since, last),
        last_seq=last,
        more=more,
        counters=counts,
        agenda=agenda.agenda_state(hearing, utcnow()),
        entries=[entry_json(row) for row in rows],
    )
