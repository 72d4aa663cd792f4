"""Hearing statistics per year, as the national reports count them: hearings held, participants (women,
youth), questions, proposals made at hearings and proposals taken into the budget.

Each figure is one grouped query over held (closed) hearings; Python only joins the per-year rows.
"""
from dataclasses import dataclass, fields, replace
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from pb.extensions import db
from pb.hearings.models import Attendance, Hearing, HearingProposal, HearingQuestion
from pb.hearings.states import YOUNG, Gender, HearingStatus
from pb.places.models import Municipality
from pb.proposals.models import Proposal
from pb.proposals.states import Status

# a proposal is taken into the budget once it is selected, and stays so while funded and carried out
TAKEN = (Status.SELECTED, Status.FUNDED, Status.IN_PROGRESS, Status.DONE)


@dataclass(frozen=True)
class YearStats:
    year: int | None  # None: all years together
    hearings: int = 0
    municipalities: int = 0
    participants: int = 0
    women: int = 0
    young: int = 0
    questions: int = 0
    proposals: int = 0
    taken: int = 0

    @property
    def women_share(self):
        return Fraction(self.women, self.participants) if self.participants else None

    @property
    def young_share(self):
        return Fraction(self.young, self.participants) if self.participants else None


@dataclass(frozen=True)
class HearingStats:
    years: tuple[YearStats, ...]  # newest first
    total: YearStats


@dataclass(frozen=True)
class MunicipalityHearings:
    slug: str
    name_ky: str
    name_ru: str
    hearings: int
    participants: int


def _year():
    # EXTRACT is numeric on PostgreSQL and text-ish on SQLite: cast so both give an int
    return sa.cast(sa.extract("year", Hearing.starts_at), sa.Integer)


def _held(query, municipality_id):
    query = query.where(Hearing.status == HearingStatus.CLOSED)
    if municipality_id is not None:
        query = query.where(Hearing.municipality_id == municipality_id)
    return query.group_by(_year())


def _sum_if(condition):
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def hearing_stats(municipality_id=None):
    """Per-year figures of held hearings, of one municipality or of the whole platform."""
    year = _year()
    merged_into = aliased(Proposal)
    queries = {
        ("hearings", "municipalities"): sa.select(
            year, sa.func.count(Hearing.id), sa.func.count(sa.distinct(Hearing.municipality_id))),
        ("participants", "women", "young"): sa.select(
            year, sa.func.count(Attendance.id), _sum_if(Attendance.gender == Gender.FEMALE),
            _sum_if(Attendance.age_band.in_(sorted(YOUNG)))).join(Hearing, Attendance.hearing_id == Hearing.id),
        ("questions",): sa.select(year, sa.func.count(HearingQuestion.id))
        .join(Hearing, HearingQuestion.hearing_id == Hearing.id),
        # a proposal merged into one that was taken counts as taken: its content went into the budget
        ("proposals", "taken"): sa.select(
            year, sa.func.count(HearingProposal.id),
            _sum_if(sa.or_(Proposal.status.in_(TAKEN), merged_into.status.in_(TAKEN))))
        .join(Hearing, HearingProposal.hearing_id == Hearing.id)
        .join(Proposal, HearingProposal.proposal_id == Proposal.id)
        .outerjoin(merged_into, Proposal.merged_into_id == merged_into.id),
    }
    by_year = {}
    for names, query in queries.items():
        for y, *values in db.session.execute(_held(query, municipality_id)):
            by_year[y] = replace(by_year.get(y, YearStats(y)), **{n: int(v or 0) for n, v in zip(names, values)})
    years = tuple(by_year[y] for y in sorted(by_year, reverse=True))
    total = YearStats(None, **{f.name: sum(getattr(row, f.name) for row in years)
                               for f in fields(YearStats) if f.name != "year"})
    if municipality_id is None:
        # a municipality holding hearings in two years is one municipality, not two
        distinct = db.session.execute(
            sa.select(sa.func.count(sa.distinct(Hearing.municipality_id))).where(Hearing.status == HearingStatus.CLOSED)
        ).scalar()
    else:
        distinct = 1 if years else 0
    return HearingStats(years, replace(total, municipalities=distinct or 0))


def municipalities_with_hearings():
    """The municipalities that held hearings, with how many and how many took part, most hearings first."""
    participants = (
        sa.select(Attendance.hearing_id, sa.func.count(Attendance.id).label("n"))
        .group_by(Attendance.hearing_id).subquery()
    )
    rows = db.session.execute(
        sa.select(Municipality.slug, Municipality.name_ky, Municipality.name_ru, sa.func.count(Hearing.id),
                  sa.func.coalesce(sa.func.sum(participants.c.n), 0))
        .join(Hearing, Hearing.municipality_id == Municipality.id)
        .outerjoin(participants, participants.c.hearing_id == Hearing.id)
        .where(Hearing.status == HearingStatus.CLOSED)
        .group_by(Municipality.id, Municipality.slug, Municipality.name_ky, Municipality.name_ru)
        .order_by(sa.func.count(Hearing.id).desc(), Municipality.name_ky)
    ).all()
    return tuple(MunicipalityHearings(slug, ky, ru, int(n), int(p)) for slug, ky, ru, n, p in rows)


@dataclass(frozen=True)
class HeldHearing:
    starts_at: object  # local time
    kind: object  # HearingKind
    place: str
    participants: int
    women: int
    young: int


def budget_hearings(budget_id):
    """The hearings held (closed) on a budget, oldest first, with their participants, women and young people."""
    rows = db.session.execute(
        sa.select(Hearing.starts_at, Hearing.kind, Hearing.place, sa.func.count(Attendance.id),
                  _sum_if(Attendance.gender == Gender.FEMALE), _sum_if(Attendance.age_band.in_(sorted(YOUNG))))
        .outerjoin(Attendance, Attendance.hearing_id == Hearing.id)
        .where(Hearing.budget_id == budget_id, Hearing.status == HearingStatus.CLOSED)
        .group_by(Hearing.id, Hearing.starts_at, Hearing.kind, Hearing.place)
        .order_by(Hearing.starts_at, Hearing.id)
    ).all()
    return tuple(HeldHearing(s, k, p, int(n), int(w or 0), int(y or 0)) for s, k, p, n, w, y in rows)
