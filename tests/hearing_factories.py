"""Hearings and console entries for tests; every factory takes overrides."""
import uuid
from datetime import datetime, timedelta

from pb.core.models import utcnow
from pb.extensions import db
from pb.hearings.models import AgendaItem, Hearing
from pb.hearings.states import HearingKind, HearingStatus


def make_hearing(municipality, budget=None, status=HearingStatus.SCHEDULED, villages=None,
                 agenda=("Бюджеттин долбоору", "Тургундардын сунуштары"), **overrides):
    """A hearing written directly (no audit, no notification), opened an hour ago when open or closed."""
    values = dict(kind=HearingKind.DRAFT_BUDGET, starts_at=datetime(2027, 2, 14, 10, 0), place="Ак-Добо мектеби",
                  chair_name="Мирлан Асанов", secretary_name="Нургүл Токтосунова")
    if status in (HearingStatus.OPEN, HearingStatus.CLOSED):
        values["opened_at"] = utcnow() - timedelta(hours=1)
    if status == HearingStatus.CLOSED:
        values["closed_at"] = utcnow()
    values.update(overrides)
    hearing = Hearing(municipality_id=municipality.id, budget_id=budget.id if budget else None, status=status,
                      **values)
    hearing.villages = list(municipality.villages if villages is None else villages)
    for position, title in enumerate(agenda, start=1):
        hearing.agenda.append(AgendaItem(position=position, title=title))
    db.session.add(hearing)
    db.session.commit()
    return hearing


def hearing_data(municipality, **overrides):
    """What the scheduling service (and form) takes, valid unless overridden."""
    data = dict(kind="draft_budget", budget_id="", date="2027-02-14", time="10:00", place="Ак-Добо мектеби",
                village_ids=[str(v.id) for v in municipality.villages], chair_name="Мирлан Асанов",
                secretary_name="Нургүл Токтосунова", chair_id="", secretary_id="", quorum="", notes="",
                agenda=[dict(title="Бюджеттин долбоору", about=""), dict(title="Тургундардын сунуштары", about="")])
    data.update(overrides)
    return data


def form_data(data):
    """The same as the scheduling form posts it (agenda rows as agenda-N-title)."""
    out = {k: v for k, v in data.items() if k != "agenda"}
    for i, row in enumerate(data.get("agenda", ())):
        out[f"agenda-{i}-title"], out[f"agenda-{i}-about"] = row["title"], row["about"]
    return out


def key():
    """A device key as crypto.randomUUID() makes one."""
    return str(uuid.uuid4())


def entry(kind, key_=None, **data):
    """One console entry as a device sends it."""
    return {"key": key_ or key(), "type": kind, "data": data}


def attendee(village=None, gender="female", age_band="18_29", key_=None, **extra):
    """An attendance entry."""
    return entry("attendance", key_, gender=gender, age_band=age_band,
                 village_id=str(village.id) if village else "", **extra)


def question(text="Суу качан келет?", key_=None, **extra):
    return entry("question", key_, text=text, **extra)


def decision(motion="Бюджеттин долбоорун колдоо", key_=None, **extra):
    values = dict(votes_for="40", votes_against="3", abstentions="2", outcome="adopted")
    values.update(extra)
    return entry("decision", key_, motion=motion, **values)
