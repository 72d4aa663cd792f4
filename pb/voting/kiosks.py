"""Kiosks: a tablet given over to one round and one location.

Starting a kiosk hands the tablet a random token (kept in a cookie; only its hash is stored) in place
of the staff member's session, so the tablet can do nothing but take ballots. Leaving kiosk mode
needs a staff login of someone who may run the round; staff may also end a kiosk from the round's
manage page (a lost tablet, or one that went offline). An ended kiosk's token takes no new ballot; it
still hands in its queue, where what was cast after the end is refused and reported.
"""
import hashlib
import secrets

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.audit.services import record
from pb.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from pb.core.models import utcnow
from pb.core.permissions import can, ensure
from pb.extensions import db
from pb.voting import fast_cast
from pb.voting.casting import check_key
from pb.voting.kiosk_casting import find_kiosk_box, submit_from_kiosk
from pb.voting.models import Kiosk, RefusedBallot
from pb.voting.services import get_location

MAX_LABEL = 100
MAX_ITEMS = 200  # ballots in one delivery from a kiosk's queue


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start_kiosk(actor, round_, location_id, label=""):
    """Turn a tablet into a kiosk for the round at a location; returns (kiosk, token for the tablet)."""
    ensure(actor, "run", round_)
    if not round_.channel_kiosk:
        raise Conflict(_l("This round does not take ballots on kiosks."))
    if not round_.codes_may_vote:
        raise Conflict(_l("Kiosk ballots are opened with voting codes; this round does not take codes."))
    location = get_location(round_, location_id)
    label = (label or "").strip()
    if len(label) > MAX_LABEL:
        raise ValidationFailed.single("label", _l("At most %(n)d characters.", n=MAX_LABEL))
    token = secrets.token_urlsafe(32)
    kiosk = Kiosk(round_id=round_.id, location_id=location.id, label=label, token_hash=_digest(token),
                  created_by_id=actor.id)
    db.session.add(kiosk)
    db.session.flush()
    record(actor, "voting.start_kiosk", round_, kiosk=kiosk.id, location=location.name, label=label)
    db.session.commit()
    return kiosk, token


def _well_formed(token):
    return bool(token) and isinstance(token, str) and len(token) <= 100


def kiosk_for_token(token):
    """The kiosk a tablet's token belongs to (ended ones too: the tablet must still be let out), or None."""
    if not _well_formed(token):
        return None
    return db.session.execute(sa.select(Kiosk).where(Kiosk.token_hash == _digest(token))).scalar_one_or_none()


def seen(kiosk):
    """Note that the kiosk was in touch (shown to the facilitators), at most once a minute; returns
    the time the kiosk was last seen, now noted."""
    now = utcnow()
    if kiosk.last_seen_at is None or (now - kiosk.last_seen_at).total_seconds() > 60:
        db.session.execute(sa.update(Kiosk).where(Kiosk.id == kiosk.id).values(last_seen_at=now))
        db.session.commit()
        return now
    return kiosk.last_seen_at


def may_leave(staff, kiosk):
    """Whether this staff login may take the tablet out of kiosk mode."""
    return staff is not None and (can(staff, "manage", kiosk.round) or can(staff, "run", kiosk.round))


def end_kiosk(actor, kiosk):
    """End a kiosk, from its tablet's exit screen or from the round's manage page; its token then opens
    no ballot (what the tablet cast after the end is refused when it arrives)."""
    if not may_leave(actor, kiosk):
        raise PermissionDenied()
    if kiosk.ended_at is None:
        kiosk.ended_at = utcnow()
        record(actor, "voting.end_kiosk", kiosk.round, kiosk=kiosk.id)
        db.session.commit()


def get_kiosk(round_, kiosk_id):
    """The round's kiosk of this id; NotFound otherwise."""
    kiosk = db.session.get(Kiosk, kiosk_id)
    if kiosk is None or kiosk.round_id != round_.id:
        raise NotFound()
    return kiosk


def list_kiosks(round_):
    return db.session.execute(
        sa.select(Kiosk).where(Kiosk.round_id == round_.id).order_by(Kiosk.id)
    ).scalars().all()


def submit_queue(token, items):
    """The queued ballots of the kiosk holding this token, in order: ([Outcome], whether the kiosk has
    ended). NotFound when the token is no kiosk's; nothing is stored unless every item can be read. An
    ended kiosk still delivers: what was cast before its end counts, what was cast after is refused
    (Refusal.KIOSK_ENDED), kept and reported, so that the tablet's queue empties."""
    digest = _digest(token) if _well_formed(token) else None
    if digest is not None and fast_cast.known(digest):
        _check_items(items)
        done = fast_cast.cast_queue(digest, items)
        if len(done) == len(items):
            return done, False  # the short way stores only for a running kiosk
        items = items[len(done):]
    else:
        done = []
    first = items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}
    # the kiosk, its round and the first ballot's earlier answer in one query: most deliveries are one ballot
    box = find_kiosk_box(digest, first.get("key")) if digest is not None else None
    if box is None:
        raise NotFound()
    _check_items(items)
    seen_at = seen(box)
    outcomes = [submit_from_kiosk(box, item, box) for item in items]
    fast_cast.remember(digest, box, seen_at)
    return done + outcomes, box.ended_at is not None


def _check_items(items):
    if not isinstance(items, list) or not items:
        raise ValidationFailed.single("items", _l("Send the ballots as a list of items."))
    if len(items) > MAX_ITEMS:
        raise ValidationFailed.single("items", _l("Send at most %(n)d ballots at a time.", n=MAX_ITEMS))
    for number, item in enumerate(items, 1):
        try:
            check_key(item.get("key") if isinstance(item, dict) else None)
        except ValidationFailed:
            message = _l("Ballot %(n)d of the list could not be read.", n=number)
            raise ValidationFailed.single("items", message) from None


def list_refusals(kiosk):
    """The kiosk's submissions that reached the server and were not counted, oldest first."""
    return db.session.execute(
        sa.select(RefusedBallot).where(RefusedBallot.kiosk_id == kiosk.id).order_by(RefusedBallot.id)
    ).scalars().all()
