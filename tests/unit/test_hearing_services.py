"""Scheduling, changing, cancelling, opening and closing hearings without HTTP."""
from datetime import datetime

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets.states import Phase
from pb.core.errors import Conflict, PermissionDenied, ValidationFailed
from pb.groups.models import Position
from pb.hearings import services
from pb.hearings.models import Hearing
from pb.hearings.states import HearingStatus
from pb.notifications.models import Follow, Notification
from tests import factories as f
from tests import hearing_factories as hf
from tests import proposal_factories as pf


@pytest.fixture
def place(db):
    municipality = f.make_municipality()
    villages = [f.make_village(municipality, name=name) for name in ("Ак-Добо", "Кызыл-Арык")]
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    group = f.make_group(municipality)
    return municipality, villages, budget, group


def _actions(db):
    return db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()


def test_schedule_hearing_saves_everything_audits_and_tells_the_budget_followers(db, place, outbox):
    municipality, villages, budget, group = place
    lead = f.make_member(group, Position.CHAIR)
    secretary = f.make_member(group, Position.MEMBER, name="Нургүл Токтосунова")
    follower = f.make_user(email="follower@example.kg")
    db.session.add(Follow(user_id=follower.id, target_type="budget", target_id=budget.id))
    db.session.commit()
    line = budget.lines[0]
    proposal = pf.make_proposal(budget)
    data = hf.hearing_data(municipality, budget_id=str(budget.id), secretary_id=str(secretary.id), secretary_name="",
                           quorum="50", village_ids=[str(villages[1].id)],
                           agenda=[dict(title="Чыгашалар", about=f"line:{line.id}"),
                                   dict(title="", about=""), dict(title="Сунуш", about=f"proposal:{proposal.id}")])
    hearing = services.schedule_hearing(lead, municipality, data)
    assert hearing.status == HearingStatus.SCHEDULED and hearing.starts_at == datetime(2027, 2, 14, 10, 0)
    assert [v.name for v in hearing.villages] == ["Кызыл-Арык"] and hearing.quorum == 50
    assert hearing.secretary_id == secretary.id and hearing.secretary_name == "Нургүл Токтосунова"
    assert [(i.position, i.title, i.budget_line_id, i.proposal_id) for i in hearing.agenda] == [
        (1, "Чыгашалар", line.id, None), (2, "Сунуш", None, proposal.id)]
    assert _actions(db) == ["hearing.schedule"]
    note = db.session.execute(sa.select(Notification)).scalar_one()
    assert (note.user_id, note.kind, note.target_type, note.target_id) == (follower.id, "hearing.announced", "hearing", hearing.id)
    assert len(outbox()) == 1


def test_schedule_reports_every_bad_field_and_saves_nothing(db, place):
    municipality, _, budget, _ = place
    other = f.make_municipality()
    stranger = f.make_user()
    foreign_village = f.make_village(other)
    data = hf.hearing_data(municipality, kind="party", budget_id=str(f.make_budget(other).id), date="14.02.2027",
                           time="25:00", place=" ", village_ids=[str(foreign_village.id)], chair_id=str(stranger.id),
                           quorum="-3", agenda=[dict(title="Бир", about="line:999999")])
    with pytest.raises(ValidationFailed) as exc:
        services.schedule_hearing(f.make_staff(municipality), municipality, data)
    fields = {field for field, _ in exc.value.errors}
    assert fields == {"kind", "budget_id", "date", "time", "place", "village_ids", "chair_id", "quorum", "agenda"}
    assert db.session.execute(sa.select(sa.func.count(Hearing.id))).scalar() == 0 and _actions(db) == []


def test_only_organisers_schedule(db, place):
    municipality, _, _, group = place
    for actor in (f.make_user(), f.make_member(group, Position.MEMBER), f.make_staff(municipality, role="council")):
        with pytest.raises(PermissionDenied):
            services.schedule_hearing(actor, municipality, hf.hearing_data(municipality))


def test_moving_a_hearing_tells_followers_but_a_new_agenda_does_not(db, place):
    municipality, _, budget, _ = place
    staff = f.make_staff(municipality)
    hearing = hf.make_hearing(municipality, budget)
    resident = f.make_user()
    db.session.add(Follow(user_id=resident.id, target_type="hearing", target_id=hearing.id))
    db.session.commit()
    data = hf.hearing_data(municipality, budget_id=str(budget.id))
    services.update_hearing(staff, hearing, dict(data, agenda=[dict(title="Жаңы күн тартиби", about="")]))
    assert [i.title for i in hearing.agenda] == ["Жаңы күн тартиби"]
    assert db.session.execute(sa.select(sa.func.count(Notification.id))).scalar() == 0
    services.update_hearing(staff, hearing, dict(data, time="15:30", place="Маданият үйү"))
    note = db.session.execute(sa.select(Notification)).scalar_one()
    assert note.kind == "hearing.rescheduled" and note.user_id == resident.id
    assert hearing.starts_at == datetime(2027, 2, 14, 15, 30) and hearing.place == "Маданият үйү"
    assert _actions(db) == ["hearing.update", "hearing.update"]


def test_cancel_tells_followers_and_only_a_scheduled_hearing_can_be_changed(db, place):
    municipality, _, budget, _ = place
    staff = f.make_staff(municipality)
    hearing = hf.make_hearing(municipality, budget)
    resident = f.make_user()
    db.session.add(Follow(user_id=resident.id, target_type="budget", target_id=budget.id))
    db.session.commit()
    services.cancel_hearing(staff, hearing, "Жол жабык")
    assert hearing.status == HearingStatus.CANCELLED
    note = db.session.execute(sa.select(Notification)).scalar_one()
    assert note.kind == "hearing.cancelled" and "Жол жабык" in note.params
    with pytest.raises(PermissionDenied):
        services.update_hearing(staff, hearing, hf.hearing_data(municipality))
    with pytest.raises(PermissionDenied):
        services.cancel_hearing(staff, hearing)


def test_open_and_close_follow_the_states_and_named_accounts_may_run(db, place):
    municipality, _, _, group = place
    secretary = f.make_member(group, Position.MEMBER)
    hearing = hf.make_hearing(municipality, secretary_id=secretary.id)
    with pytest.raises(Conflict):
        services.close_hearing(secretary, hearing)
    services.open_hearing(secretary, hearing)
    assert hearing.status == HearingStatus.OPEN and hearing.opened_at is not None
    with pytest.raises(Conflict):
        services.open_hearing(secretary, hearing)
    with pytest.raises(PermissionDenied):
        services.close_hearing(f.make_member(group, Position.MEMBER), hearing)
    services.close_hearing(secretary, hearing)
    assert hearing.status == HearingStatus.CLOSED and hearing.closed_at >= hearing.opened_at
    assert _actions(db) == ["hearing.open", "hearing.close"]


def test_list_hearings_splits_upcoming_held_and_cancelled(db, place):
    municipality = place[0]
    later = hf.make_hearing(municipality, starts_at=datetime(2027, 3, 1, 10))
    sooner = hf.make_hearing(municipality, status=HearingStatus.OPEN, starts_at=datetime(2027, 2, 1, 10))
    held = hf.make_hearing(municipality, status=HearingStatus.CLOSED, starts_at=datetime(2026, 2, 1, 10))
    gone = hf.make_hearing(municipality, status=HearingStatus.CANCELLED)
    listed = services.list_hearings(municipality.id)
    assert listed == dict(upcoming=[sooner, later], held=[held], cancelled=[gone])
