"""Paper ballots keyed in by the secretary, each under the number printed on it.

With double keying a ballot counts only once a second keying of the same paper gives the same
choices; a mismatch is kept for a third keying, which decides. Without it the first keying counts.
A spoiled paper (unreadable, too many marks) is recorded under its number and counts in no tally.
"""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from pb.audit.services import record
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.permissions import ensure
from pb.extensions import db
from pb.voting.ballots import check_ballot, parse_choices
from pb.voting.casting import count_paper
from pb.voting.models import PaperEntry
from pb.voting.services import costs_of, get_location
from pb.voting.states import PaperStatus

MAX_SERIAL = 12


def _serial(value):
    serial = str(value or "").strip().upper()
    if not serial or len(serial) > MAX_SERIAL or not serial.isalnum():
        raise ValidationFailed.single("serial", _l(
            "Enter the number printed on the paper ballot (letters and digits, at most %(n)d).", n=MAX_SERIAL))
    return serial


def _as_stored(choices):
    return {str(pid): value for pid, value in sorted(choices.items())}


def key_paper(actor, round_, serial, location_id, raw_choices, spoiled=False):
    """Key in one paper ballot (a first keying, or the second of a double keying); returns its entry."""
    ensure(actor, "run", round_)
    if not round_.channel_paper:
        raise Conflict(_l("This round does not take paper ballots."))
    serial = _serial(serial)
    location = get_location(round_, location_id)
    choices = {} if spoiled else check_ballot(round_, costs_of(round_), parse_choices(raw_choices))
    stored = _as_stored(choices)
    entry = db.session.execute(
        sa.select(PaperEntry).where(PaperEntry.round_id == round_.id, PaperEntry.serial == serial)
        .with_for_update()
    ).scalar_one_or_none()
    if entry is None:
        entry = PaperEntry(round_id=round_.id, serial=serial, location_id=location.id, spoiled=spoiled,
                           first_choices=stored, first_by_id=actor.id, status=PaperStatus.AWAITING_SECOND)
        db.session.add(entry)
        if not round_.double_keying:
            _count(round_, entry, choices)
        action = "voting.key_paper"
    elif entry.status == PaperStatus.AWAITING_SECOND:
        if entry.location_id != location.id:
            raise ValidationFailed.single("location_id", _l(
                "Paper ballot %(serial)s was first keyed in at %(place)s.", serial=serial, place=entry.location.name))
        entry.second_choices, entry.second_by_id = stored, actor.id
        if entry.first_choices == stored and entry.spoiled == spoiled:
            _count(round_, entry, choices)
        else:
            entry.status = PaperStatus.MISMATCH
        action = "voting.key_paper_second"
    elif entry.status == PaperStatus.MISMATCH:
        entry.first_choices, entry.first_by_id, entry.spoiled = stored, actor.id, spoiled
        entry.second_choices, entry.second_by_id = stored, actor.id
        entry.location_id = location.id
        _count(round_, entry, choices)
        action = "voting.key_paper_decide"
    else:
        raise Conflict(_l("Paper ballot %(serial)s has already been counted.", serial=serial))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise Conflict(_l("Paper ballot %(serial)s was keyed in by someone else just now; look it up and "
                          "key it again if needed.", serial=serial)) from None
    record(actor, action, round_, serial=serial, status=entry.status.value, spoiled=spoiled)
    db.session.commit()
    return entry


def _count(round_, entry, choices):
    entry.status = PaperStatus.COUNTED
    if not entry.spoiled:
        entry.ballot = count_paper(round_, choices, serial=entry.serial, location_id=entry.location_id)


def list_paper(round_, status=None):
    query = sa.select(PaperEntry).where(PaperEntry.round_id == round_.id)
    if status is not None:
        query = query.where(PaperEntry.status == status)
    return db.session.execute(query.order_by(PaperEntry.created_at.desc(), PaperEntry.id.desc())).scalars().all()


def get_paper(round_, serial):
    entry = db.session.execute(
        sa.select(PaperEntry).where(PaperEntry.round_id == round_.id, PaperEntry.serial == str(serial).upper())
    ).scalar_one_or_none()
    if entry is None:
        raise NotFound()
    return entry
