"""The minutes of a hearing: who may edit and read them, their content built from the record, revisions.

The content is the frozen dataclasses of pb.hearings.minutes_content (data, not words).
"""
import re

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from pb.audit.services import record
from pb.budgets.states import GROUP_LEAD, STAFF
from pb.core.errors import Conflict, ValidationFailed
from pb.core.models import utcnow
from pb.core.permissions import ensure, rule
from pb.extensions import db
from pb.groups.services import roles_in
from pb.hearings.models import (
    Attendance, Hearing, HearingDecision, HearingProposal, HearingQuestion, MinutesRevision,
)
from pb.hearings.minutes_content import (
    AgendaRow, AttendanceSummary, Count, DecisionRow, Minutes, Notice, ProposalRow, QuestionRow, RevisionInfo, share,
)
from pb.hearings.states import YOUNG, AgeBand, Gender, HearingStatus
from pb.places.models import Municipality, Village
from pb.proposals.models import Proposal

MAX_TEXT = 50_000
# control characters (but tab and new line) mean nothing in notes, and PostgreSQL refuses NUL outright
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
EDITOR_ROLES = {STAFF, GROUP_LEAD}


# --- who may ----------------------------------------------------------------------------------


def is_minutes_editor(actor, hearing):
    """The hearing's chair and secretary accounts, the municipality's staff and group leads, the admin."""
    if not actor or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_admin or actor.id in (hearing.chair_id, hearing.secretary_id):
        return True
    return bool(EDITOR_ROLES & roles_in(actor, hearing.municipality_id))


@rule(Hearing, "view_minutes")
def can_view_minutes(actor, hearing):
    """Published minutes are public; before that only their editors see them."""
    return hearing.minutes_published_at is not None or is_minutes_editor(actor, hearing)


@rule(Hearing, "edit_minutes")
def can_edit_minutes(actor, hearing):
    """Editors write the narrative once the hearing is closed (the record is final then)."""
    return hearing.status == HearingStatus.CLOSED and is_minutes_editor(actor, hearing)


@rule(Hearing, "publish_minutes")
def can_publish_minutes(actor, hearing):
    """The same people publish, once the hearing is closed."""
    return hearing.status == HearingStatus.CLOSED and is_minutes_editor(actor, hearing)


# --- the content ------------------------------------------------------------------------------


def _attendance(hearing_id):
    # one grouped query; the breakdowns are sums over at most 2 × 5 × villages groups
    groups = db.session.execute(
        sa.select(Attendance.gender, Attendance.age_band, Village.name, sa.func.count(Attendance.id))
        .outerjoin(Village, Attendance.village_id == Village.id)
        .where(Attendance.hearing_id == hearing_id)
        .group_by(Attendance.gender, Attendance.age_band, Village.name)
    ).all()
    total = sum(n for *_, n in groups)
    by_village, by_age = {}, dict.fromkeys(AgeBand, 0)
    for gender, band, village, n in groups:
        by_village[village] = by_village.get(village, 0) + n
        by_age[band] += n
    villages = sorted((v for v in by_village if v is not None)) + ([None] if None in by_village else [])
    return AttendanceSummary(
        total=total,
        women=sum(n for gender, _band, _v, n in groups if gender == Gender.FEMALE),
        young=sum(n for _g, band, _v, n in groups if band in YOUNG),
        by_village=tuple(Count(v, by_village[v], share(by_village[v], total)) for v in villages),
        by_age=tuple(Count(band, n, share(n, total)) for band, n in by_age.items()),
    )


def _agenda(hearing):
    rows = []
    for item in hearing.agenda:
        seconds = item.seconds_spent or 0
        # an item left running when the hearing closed still counts up to the closing time
        if item.started_at and hearing.closed_at and hearing.closed_at > item.started_at:
            seconds += int((hearing.closed_at - item.started_at).total_seconds())
        rows.append(AgendaRow(item.position, item.title, seconds))
    return tuple(rows)


def _questions(hearing_id):
    rows = db.session.execute(
        sa.select(HearingQuestion, Village.name)
        .outerjoin(Village, HearingQuestion.village_id == Village.id)
        .where(HearingQuestion.hearing_id == hearing_id)
        .order_by(HearingQuestion.seq)
    ).all()
    return tuple(QuestionRow(q.asked_by, village, q.text, q.answer, q.answered_by) for q, village in rows)


def _proposals(hearing_id):
    rows = db.session.execute(
        sa.select(Proposal.id, Proposal.title, Village.name, Proposal.estimated_cost)
        .join(HearingProposal, HearingProposal.proposal_id == Proposal.id)
        .join(Village, Proposal.village_id == Village.id)
        .where(HearingProposal.hearing_id == hearing_id)
        .order_by(HearingProposal.seq)
    ).all()
    return tuple(ProposalRow(*row) for row in rows)


def _decisions(hearing_id):
    rows = db.session.execute(
        sa.select(HearingDecision).where(HearingDecision.hearing_id == hearing_id).order_by(HearingDecision.seq)
    ).scalars()
    return tuple(DecisionRow(d.motion, d.votes_for, d.votes_against, d.abstentions, d.outcome) for d in rows)


def _person(name, account):
    return name or (account.name if account is not None else "")


def build_minutes(hearing):
    """The minutes' content from the hearing's record and the latest narrative revision."""
    municipality = db.session.get(Municipality, hearing.municipality_id)
    latest = latest_revision(hearing)
    held = None
    if hearing.opened_at and hearing.closed_at:
        held = max(0, int((hearing.closed_at - hearing.opened_at).total_seconds()))
    return Minutes(
        hearing_id=hearing.id, kind=hearing.kind, status=hearing.status,
        municipality_slug=municipality.slug, municipality_ky=municipality.name_ky,
        municipality_ru=municipality.name_ru, rayon=municipality.rayon, oblast=municipality.oblast,
        starts_at=hearing.starts_at, place=hearing.place,
        chair=_person(hearing.chair_name, hearing.chair),
        secretary=_person(hearing.secretary_name, hearing.secretary),
        villages=tuple(v.name for v in hearing.villages), seconds_held=held,
        attendance=_attendance(hearing.id), agenda=_agenda(hearing), questions=_questions(hearing.id),
        proposals=_proposals(hearing.id), decisions=_decisions(hearing.id),
        narrative=latest.text if latest else "",
        revision=_revision_info(latest) if latest else None,
        published_at=hearing.minutes_published_at,
    )


def build_notice(hearing):
    """The announcement's content: kind, when, where, for which villages, and the agenda."""
    municipality = db.session.get(Municipality, hearing.municipality_id)
    return Notice(
        hearing_id=hearing.id, kind=hearing.kind, status=hearing.status,
        municipality_slug=municipality.slug, municipality_ky=municipality.name_ky,
        municipality_ru=municipality.name_ru, starts_at=hearing.starts_at, place=hearing.place,
        villages=tuple(v.name for v in hearing.villages), agenda=tuple(item.title for item in hearing.agenda),
    )


# --- revisions and publication ----------------------------------------------------------------


class MinutesConflict(Conflict):
    """Someone saved the minutes after the editor loaded them; latest is what they saved."""

    def __init__(self, latest):
        super().__init__(_l("Someone else saved the minutes while you were editing. Your text has not "
                            "been saved and nothing was overwritten: compare the two texts, put together "
                            "what should stay and save again."))
        self.latest = latest


def _revision_info(revision):
    return RevisionInfo(revision.id, revision.number, revision.author.name if revision.author else "",
                        revision.created_at)


def latest_revision(hearing):
    """The newest narrative revision, or None."""
    return db.session.execute(
        sa.select(MinutesRevision).where(MinutesRevision.hearing_id == hearing.id)
        .order_by(MinutesRevision.number.desc()).limit(1)
    ).scalar_one_or_none()


def list_revisions(hearing):
    """Every revision, newest first, with its author."""
    return tuple(_revision_info(r) for r in db.session.execute(
        sa.select(MinutesRevision).options(selectinload(MinutesRevision.author))
        .where(MinutesRevision.hearing_id == hearing.id).order_by(MinutesRevision.number.desc())
    ).scalars())


def _revision_id(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return -1  # a tampered value never matches, so the editor sees the conflict page


def save_minutes(actor, hearing, text, prev_revision_id):
    """Save the narrative as revision N+1; Conflict when prev_revision_id is not the latest revision."""
    ensure(actor, "edit_minutes", hearing)
    text = _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > MAX_TEXT:
        raise ValidationFailed.single("text", _l("The text is too long: at most %(n)d characters.", n=MAX_TEXT))
    latest = latest_revision(hearing)
    if _revision_id(prev_revision_id) != (latest.id if latest else None):
        raise MinutesConflict(latest)
    if latest is not None and latest.text == text:
        return latest  # a second click, or a save without changes: nothing new to keep
    revision = MinutesRevision(hearing_id=hearing.id, number=(latest.number if latest else 0) + 1,
                               text=text, author_id=actor.id)
    db.session.add(revision)
    try:
        db.session.flush()
    except IntegrityError:  # another editor took this number a moment earlier
        db.session.rollback()
        raise MinutesConflict(latest_revision(hearing)) from None
    record(actor, "minutes.save", hearing, revision=revision.number, characters=len(text))
    db.session.commit()
    return revision


def publish_minutes(actor, hearing):
    """Make the minutes public; False when they already were (a second click changes nothing)."""
    ensure(actor, "publish_minutes", hearing)
    # a conditional update, so two editors publishing at once leave one publication and one entry
    done = db.session.execute(
        sa.update(Hearing)
        .where(Hearing.id == hearing.id, Hearing.minutes_published_at.is_(None))
        .values(minutes_published_at=utcnow())
    ).rowcount
    if not done:
        db.session.rollback()
        return False
    latest = latest_revision(hearing)
    record(actor, "minutes.publish", hearing, revision=latest.number if latest else None)
    db.session.commit()
    db.session.refresh(hearing)
    return True
