"""The agenda item under way and the time spent on each: starting an item stops the one before it."""
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.core.errors import ValidationFailed
from pb.extensions import db
from pb.hearings.models import AgendaItem


def _seconds(start, end):
    return max(0, int((end - start).total_seconds()))


def fresh_items(hearing_id):
    """The hearing's items as the database has them now (another device may have moved the clock)."""
    return db.session.execute(
        sa.select(AgendaItem).where(AgendaItem.hearing_id == hearing_id).order_by(AgendaItem.position)
        .execution_options(populate_existing=True)
    ).scalars().all()


def elapsed(item, now):
    """Seconds spent on the item, the running stretch included."""
    return item.seconds_spent + (_seconds(item.started_at, now) if item.started_at else 0)


def stop_running(hearing, now):
    """Stop the item under way (if any), adding its stretch to its time; returns it."""
    for item in fresh_items(hearing.id):
        if item.started_at is not None:
            item.seconds_spent += _seconds(item.started_at, now)
            item.started_at = None
            return item
    return None


def move_to(hearing, item_id, from_id, at, now):
    """Start item_id (None: stop) if the item under way is still from_id; False when it already is so.

    at is when the device says it happened (an entry may wait offline); it is kept between the
    start of the running stretch and now, so that a wrong clock cannot make time negative or future.
    """
    items = fresh_items(hearing.id)
    running = next((i for i in items if i.started_at is not None), None)
    target = next((i for i in items if i.id == item_id), None)
    if item_id is not None and target is None:
        raise ValidationFailed.single("item_id", _l("Choose an item of this hearing's agenda."))
    if (running.id if running else None) == item_id:
        return False  # a replay, or another device did the same
    # a device's change based on an older view is still the facilitator's latest wish, unless
    # the item under way was started after it happened (an old change arriving from offline)
    if (running.id if running else None) != from_id and running is not None and at and running.started_at > at:
        raise ValidationFailed.single("item_id", _l(
            "The agenda has moved on since this change was made on the device; it was not applied."))
    floor = max((x for x in (hearing.opened_at, running.started_at if running else None) if x), default=now)
    at = min(max(at or now, floor), now)
    if running is not None:
        running.seconds_spent += _seconds(running.started_at, at)
        running.started_at = None
    if target is not None:
        target.started_at = at
    return True


def agenda_state(hearing, now):
    """The clock as devices show it: the item under way and the seconds spent on each item."""
    items = fresh_items(hearing.id)
    running = next((i.id for i in items if i.started_at is not None), None)
    return dict(current=running, items=[dict(id=i.id, seconds=elapsed(i, now)) for i in items])
