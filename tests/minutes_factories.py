"""Hearings with a record, written directly through the models (no console, no audit entries).

make_held_hearing() builds the record that the minutes tests know by heart (see KNOWN).
"""
import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from pb.budgets.states import Phase
from pb.extensions import db
from pb.hearings.models import (
    AgendaItem, Attendance, Hearing, HearingDecision, HearingProposal, HearingQuestion, MinutesRevision,
)
from pb.hearings.states import AgeBand, Gender, HearingKind, HearingStatus, Outcome
from pb.proposals.states import Status
from tests import factories as f
from tests import proposal_factories as pf

_keys = itertools.count(1)
F, M = Gender.FEMALE, Gender.MALE
VILLAGES = ("Жаңы-Ноокат", "Көк-Бел", "Үч-Терек")

# (village, gender, age band, how many); None: the attendee did not say
ATTENDANCE = (
    ("Жаңы-Ноокат", F, AgeBand.FROM_18_TO_29, 12), ("Жаңы-Ноокат", F, AgeBand.FROM_45_TO_59, 7),
    ("Жаңы-Ноокат", M, AgeBand.FROM_30_TO_44, 5),
    ("Көк-Бел", F, AgeBand.UNDER_18, 2), ("Көк-Бел", M, AgeBand.FROM_18_TO_29, 6),
    ("Көк-Бел", M, AgeBand.FROM_60, 4), ("Көк-Бел", F, AgeBand.FROM_30_TO_44, 3),
    ("Үч-Терек", F, AgeBand.FROM_60, 3), ("Үч-Терек", M, AgeBand.FROM_45_TO_59, 4),
    (None, F, AgeBand.FROM_18_TO_29, 1), (None, M, AgeBand.FROM_30_TO_44, 1),
)


@dataclass(frozen=True)
class Known:
    total: int = 48
    women: int = 28
    young: int = 21
    by_village: tuple = (("Жаңы-Ноокат", 24), ("Көк-Бел", 15), ("Үч-Терек", 7), (None, 2))
    by_age: tuple = ((AgeBand.UNDER_18, 2), (AgeBand.FROM_18_TO_29, 19), (AgeBand.FROM_30_TO_44, 9),
                     (AgeBand.FROM_45_TO_59, 11), (AgeBand.FROM_60, 7))
    tricky_question: str = "<b>Суу & жол</b> качан оңдолот?"


KNOWN = Known()


def make_hearing(municipality, status=HearingStatus.CLOSED, villages=(), **overrides):
    """A hearing of the municipality; closed (held) unless told otherwise."""
    starts_at = overrides.pop("starts_at", datetime(2027, 2, 14, 10, 0))
    values = dict(kind=HearingKind.DRAFT_BUDGET, status=status, starts_at=starts_at,
                  place="Мектептин жыйындар залы", chair_name="Асан Токтосунов", secretary_name="Гүлнара Бекова")
    if status in (HearingStatus.OPEN, HearingStatus.CLOSED):
        values["opened_at"] = starts_at - timedelta(hours=6)  # stored in UTC, Bishkek is UTC+6
    if status == HearingStatus.CLOSED:
        values["closed_at"] = starts_at - timedelta(hours=4)
    values.update(overrides)
    hearing = Hearing(municipality_id=municipality.id, **values)
    hearing.villages = list(villages)
    db.session.add(hearing)
    db.session.commit()
    return hearing


def _entry(hearing, cls, **values):
    hearing.last_seq += 1
    entry = cls(hearing_id=hearing.id, client_key=f"k{next(_keys)}", seq=hearing.last_seq, device="test", **values)
    db.session.add(entry)
    return entry


def add_attendance(hearing, gender, age_band, village=None, count=1, commit=True):
    """count attendees of one kind."""
    for _ in range(count):
        _entry(hearing, Attendance, gender=gender, age_band=age_band, village_id=village.id if village else None)
    if commit:
        db.session.commit()


def add_agenda_item(hearing, title, seconds_spent=0):
    item = AgendaItem(hearing_id=hearing.id, position=len(hearing.agenda) + 1, title=title, seconds_spent=seconds_spent)
    hearing.agenda.append(item)
    db.session.commit()
    return item


def add_question(hearing, text, asked_by="", village=None, answer="", answered_by="", commit=True):
    question = _entry(hearing, HearingQuestion, text=text, asked_by=asked_by, answer=answer,
                      answered_by=answered_by, village_id=village.id if village else None)
    if commit:
        db.session.commit()
    return question


def add_decision(hearing, motion, votes_for, votes_against=0, abstentions=0, outcome=Outcome.ADOPTED):
    decision = _entry(hearing, HearingDecision, motion=motion, votes_for=votes_for, votes_against=votes_against,
                      abstentions=abstentions, outcome=outcome)
    db.session.commit()
    return decision


def add_hearing_proposal(hearing, proposal):
    _entry(hearing, HearingProposal, proposal_id=proposal.id)
    db.session.commit()


def add_revision(hearing, text, author=None):
    """A narrative revision written directly (no audit): the next number."""
    number = 1 + max((r.number for r in db.session.query(MinutesRevision).filter_by(hearing_id=hearing.id)), default=0)
    revision = MinutesRevision(hearing_id=hearing.id, number=number, text=text, author_id=author.id if author else None)
    db.session.add(revision)
    db.session.commit()
    return revision


def villages_of(municipality):
    """The three villages of the known record, made once per municipality."""
    existing = {v.name: v for v in municipality.villages}
    return {name: existing.get(name) or f.make_village(municipality, name=name) for name in VILLAGES}


def make_held_hearing(municipality=None, budget=None, **overrides):
    """A closed hearing with the known record: 48 attendees, agenda, questions, proposals, decisions."""
    municipality = municipality or f.make_municipality(name_ky="Жаңы-Ноокат айыл өкмөтү",
                                                       name_ru="Жаны-Ноокатский айыл окмоту", oblast="osh")
    villages = villages_of(municipality)
    budget = budget or f.make_budget(municipality, Phase.HEARING, lines=0)
    hearing = make_hearing(municipality, budget_id=budget.id, villages=villages.values(), **overrides)
    for name, gender, band, count in ATTENDANCE:
        add_attendance(hearing, gender, band, villages.get(name), count, commit=False)
    db.session.commit()
    for title, seconds in (("Бюджеттин долбоору", 1500), ("Тургундардын сунуштары", 2400), ("Ар түрдүү", 300)):
        add_agenda_item(hearing, title, seconds)
    add_question(hearing, KNOWN.tricky_question, asked_by="Айгүл Мамытова", village=villages["Көк-Бел"],
                 answer="Жайында, 2027-жылы.", answered_by="Айыл өкмөтүнүн башчысы")
    add_question(hearing, "Мектептин чатыры качан жабылат?", village=villages["Үч-Терек"])
    add_question(hearing, "Көчө жарыгы & таза суу", asked_by="Бакыт")
    water = pf.make_proposal(budget, village=villages["Жаңы-Ноокат"], title="Ичүүчү суу түтүгү",
                             estimated_cost=Decimal("480000"), status=Status.SELECTED)
    road = pf.make_proposal(budget, village=villages["Үч-Терек"], title="Көпүрө оңдоо",
                            estimated_cost=Decimal("215000.50"))
    add_hearing_proposal(hearing, water)
    add_hearing_proposal(hearing, road)
    add_decision(hearing, "Бюджеттин долбоору жактырылсын.", 39, 4, 5, Outcome.ADOPTED)
    add_decision(hearing, "Жаңы базар курулсун.", 11, 30, 7, Outcome.REJECTED)
    return hearing
