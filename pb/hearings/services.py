"""Hearings: scheduling, changes, cancellation, opening and closing (console entries are in console.py)."""
from datetime import date, datetime, time

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from pb.accounts.models import MunicipalRole, MunicipalRoleKind, User
from pb.audit.services import record
from pb.budgets.models import Budget
from pb.core.errors import Conflict, NotFound, ValidationFailed
from pb.core.models import utcnow
from pb.core.permissions import ensure
from pb.core.validation import text_field
from pb.extensions import db
from pb.groups.models import CivicGroup, GroupMember
from pb.hearings import agenda as agenda_clock
from pb.hearings import notices, permissions  # noqa: F401  (they register the target, kinds and rules)
from pb.hearings.models import AgendaItem, Hearing
from pb.hearings.states import HearingKind, HearingStatus
from pb.notifications.services import follower_ids, notify
from pb.proposals.models import Proposal
from pb.proposals.states import Status

MAX_PLACE, MAX_NAME, MAX_TITLE, MAX_NOTES, MAX_ITEMS, MAX_QUORUM = 300, 200, 300, 2000, 30, 100000


# --- queries ----------------------------------------------------------------------


def get_hearing(hearing_id):
    """The hearing, or NotFound."""
    hearing = db.session.get(Hearing, hearing_id)
    if hearing is None:
        raise NotFound()
    return hearing


def list_hearings(municipality_id):
    """The municipality's hearings: upcoming (soonest first), held (latest first) and cancelled."""
    hearings = db.session.execute(
        sa.select(Hearing).where(Hearing.municipality_id == municipality_id).order_by(Hearing.starts_at, Hearing.id)
    ).scalars().all()
    upcoming = [h for h in hearings if h.status in (HearingStatus.SCHEDULED, HearingStatus.OPEN)]
    held = [h for h in reversed(hearings) if h.status == HearingStatus.CLOSED]
    cancelled = [h for h in reversed(hearings) if h.status == HearingStatus.CANCELLED]
    return dict(upcoming=upcoming, held=held, cancelled=cancelled)


def runner_candidates(municipality_id):
    """Accounts that may be named chair or secretary: members of the municipality's groups and its staff."""
    members = sa.select(GroupMember.user_id).join(CivicGroup).where(CivicGroup.municipality_id == municipality_id)
    staff = sa.select(MunicipalRole.user_id).where(MunicipalRole.municipality_id == municipality_id,
                                                   MunicipalRole.role == MunicipalRoleKind.STAFF)
    return db.session.execute(
        sa.select(User).where(User.active.is_(True), sa.or_(User.id.in_(members), User.id.in_(staff)))
        .order_by(User.name)
    ).scalars().all()


def agenda_targets(budget):
    """What an agenda item may point at: the budget's lines and its proposals (merged ones excepted)."""
    if budget is None:
        return [], []
    proposals = db.session.execute(
        sa.select(Proposal).where(Proposal.budget_id == budget.id, Proposal.status != Status.MERGED,
                                  Proposal.rehearsal.is_(False))
        .order_by(Proposal.id)
    ).scalars().all()
    return list(budget.lines), proposals


# --- validation -------------------------------------------------------------------


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return False  # given, but not a number


def _starts_at(data, errors):
    day, hour = data.get("date"), data.get("time")
    try:
        day = day if isinstance(day, date) else date.fromisoformat(str(day or "").strip())
        if not 2000 <= day.year <= 2100:
            raise ValueError
    except ValueError:
        errors.append(("date", _l("Enter the date of the hearing, e.g. 2027-02-14.")))
        day = None
    try:
        hour = hour if isinstance(hour, time) else time.fromisoformat(str(hour or "").strip())
    except ValueError:
        errors.append(("time", _l("Enter the time of the hearing, e.g. 10:00.")))
        hour = None
    return datetime.combine(day, hour.replace(second=0, microsecond=0)) if day and hour else None


def _budget(municipality, data, errors):
    budget_id = _int_or_none(data.get("budget_id"))
    if budget_id is None:
        return None
    budget = db.session.get(Budget, budget_id) if budget_id else None
    if budget is None or budget.municipality_id != municipality.id:
        errors.append(("budget_id", _l("Choose a budget of this municipality.")))
        return None
    return budget


def _villages(municipality, data, errors):
    ids = {_int_or_none(v) for v in data.get("village_ids") or ()}
    villages = [v for v in municipality.villages if v.id in ids]
    if len(villages) != len(ids - {None}):
        errors.append(("village_ids", _l("Choose villages of this municipality.")))
    return villages


def _runner(municipality, data, field, errors):
    account_id = _int_or_none(data.get(field))
    if account_id is None:
        return None
    if account_id not in {u.id for u in runner_candidates(municipality.id)}:
        errors.append((field, _l("Choose a member of a group or the staff of this municipality.")))
        return None
    return db.session.get(User, account_id)


def _agenda(budget, rows, errors):
    """[(title, line_id, proposal_id)] from the form's rows; empty titles are skipped."""
    lines, proposals = agenda_targets(budget)
    line_ids, proposal_ids = {x.id for x in lines}, {p.id for p in proposals}
    items = []
    for row in rows or ():
        title = (row.get("title") or "").strip()
        about = (row.get("about") or "").strip()
        if not title:
            if about:
                errors.append(("agenda", _l("Item %(n)d: enter its title.", n=len(items) + 1)))
            continue
        if len(title) > MAX_TITLE:
            errors.append(("agenda", _l("Item %(n)d: at most %(limit)d characters.", n=len(items) + 1, limit=MAX_TITLE)))
        kind, _, raw = about.partition(":")
        target = _int_or_none(raw)
        line_id = target if kind == "line" and target in line_ids else None
        proposal_id = target if kind == "proposal" and target in proposal_ids else None
        if about and line_id is None and proposal_id is None:
            errors.append(("agenda", _l("Item %(n)d: choose a line or a proposal of the hearing's budget.",
                                        n=len(items) + 1)))
        items.append((title, line_id, proposal_id))
    if len(items) > MAX_ITEMS:
        errors.append(("agenda", _l("At most %(n)d agenda items.", n=MAX_ITEMS)))
    return items


def _values(municipality, data):
    errors = []
    try:
        kind = HearingKind(data.get("kind"))
    except ValueError:
        errors.append(("kind", _l("Choose the kind of hearing.")))
        kind = None
    budget = _budget(municipality, data, errors)
    chair = _runner(municipality, data, "chair_id", errors)
    secretary = _runner(municipality, data, "secretary_id", errors)
    quorum = _int_or_none(data.get("quorum"))
    if quorum is not None and (quorum is False or not 0 < quorum <= MAX_QUORUM):
        errors.append(("quorum", _l("Enter the quorum as a number of people, or leave it empty.")))
    values = dict(
        kind=kind, budget_id=budget.id if budget else None, starts_at=_starts_at(data, errors),
        place=text_field(data, "place", MAX_PLACE, errors, required=True),
        chair_name=text_field(data, "chair_name", MAX_NAME, errors) or (chair.name if chair else ""),
        secretary_name=text_field(data, "secretary_name", MAX_NAME, errors) or (secretary.name if secretary else ""),
        chair_id=chair.id if chair else None, secretary_id=secretary.id if secretary else None,
        quorum=quorum or None, notes=text_field(data, "notes", MAX_NOTES, errors),
    )
    villages = _villages(municipality, data, errors)
    items = _agenda(budget, data.get("agenda"), errors)
    if errors:
        raise ValidationFailed(errors)
    return values, villages, items


def _set_agenda(hearing, items):
    # rows are reused by position: deleting and re-adding them would clash on (hearing_id, position)
    for position, (title, line_id, proposal_id) in enumerate(items, start=1):
        if position <= len(hearing.agenda):
            item = hearing.agenda[position - 1]
        else:
            item = AgendaItem(position=position)
            hearing.agenda.append(item)
        item.title, item.budget_line_id, item.proposal_id = title, line_id, proposal_id
    del hearing.agenda[len(items):]


def _audit_values(values, villages, items):
    shown = {k: getattr(v, "value", v) for k, v in values.items()}
    return dict(shown, villages=[v.id for v in villages], agenda=[title for title, _, _ in items])


# --- changes ----------------------------------------------------------------------


def schedule_hearing(actor, municipality, data):
    """Announce a hearing; followers of its budget hear of it."""
    ensure(actor, "schedule_hearing", municipality)
    values, villages, items = _values(municipality, data)
    hearing = Hearing(municipality_id=municipality.id, status=HearingStatus.SCHEDULED, **values)
    hearing.villages = villages
    db.session.add(hearing)
    _set_agenda(hearing, items)
    db.session.flush()
    record(actor, "hearing.schedule", hearing, **_audit_values(values, villages, items))
    if hearing.budget_id:
        notify(follower_ids("budget", hearing.budget_id), "hearing.announced", "hearing", hearing.id,
               actor=actor, place=hearing.place)
    db.session.commit()
    return hearing


def _interested(hearing):
    """Who hears of a move or a cancellation: the hearing's followers, and its budget's (they were told)."""
    ids = set(follower_ids("hearing", hearing.id))
    if hearing.budget_id:
        ids |= set(follower_ids("budget", hearing.budget_id))
    return ids


def update_hearing(actor, hearing, data):
    """Change a scheduled hearing; a new date or place is announced to everyone interested."""
    ensure(actor, "edit", hearing)
    values, villages, items = _values(hearing.municipality, data)
    moved = (values["starts_at"], values["place"]) != (hearing.starts_at, hearing.place)
    for key, value in values.items():
        setattr(hearing, key, value)
    hearing.villages = villages
    _set_agenda(hearing, items)
    db.session.flush()
    record(actor, "hearing.update", hearing, moved=moved, **_audit_values(values, villages, items))
    if moved:
        notify(_interested(hearing), "hearing.rescheduled", "hearing", hearing.id, actor=actor, place=hearing.place)
    db.session.commit()
    return hearing


def _move(hearing, frm, to, **values):
    """Change the status only if it still is frm: two devices pressing at once change it once.

    The UPDATE also takes the hearing's row lock before the audit's lock, the order console entries use.
    """
    table = Hearing.__table__
    moved = db.session.execute(
        sa.update(table).where(table.c.id == hearing.id, table.c.status == frm.value)
        .values(status=to.value, **values)
    ).rowcount
    db.session.refresh(hearing)
    return bool(moved)


def cancel_hearing(actor, hearing, reason=""):
    """Cancel a scheduled hearing, with an optional public reason."""
    ensure(actor, "edit", hearing)
    reason = (reason or "").strip()
    if len(reason) > MAX_NOTES:
        raise ValidationFailed.single("reason", _l("At most %(n)d characters.", n=MAX_NOTES))
    if not _move(hearing, HearingStatus.SCHEDULED, HearingStatus.CANCELLED):
        db.session.rollback()
        raise Conflict(_l("The hearing can no longer be cancelled: it is «%(status)s».", status=hearing.status.label))
    record(actor, "hearing.cancel", hearing, reason=reason)
    notify(_interested(hearing), "hearing.cancelled", "hearing", hearing.id, actor=actor, reason=reason)
    db.session.commit()


def open_hearing(actor, hearing):
    """Open the hearing: from now on the console takes entries."""
    ensure(actor, "run", hearing)
    if not _move(hearing, HearingStatus.SCHEDULED, HearingStatus.OPEN, opened_at=utcnow()):
        db.session.rollback()
        raise Conflict(_l("The hearing cannot be opened: it is «%(status)s».", status=hearing.status.label))
    record(actor, "hearing.open", hearing)
    db.session.commit()


def close_hearing(actor, hearing):
    """Close the hearing: the agenda item under way stops, and no entry is taken any more."""
    ensure(actor, "run", hearing)
    now = utcnow()
    if not _move(hearing, HearingStatus.OPEN, HearingStatus.CLOSED, closed_at=now):
        db.session.rollback()
        raise Conflict(_l("The hearing cannot be closed: it is «%(status)s».", status=hearing.status.label))
    stopped = agenda_clock.stop_running(hearing, now)
    record(actor, "hearing.close", hearing, stopped_item=stopped.id if stopped else None)
    db.session.commit()
