"""The console's entries without HTTP: once per key, numbered, counted, refused when they must be."""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets.states import Phase
from pb.core.errors import PermissionDenied
from pb.core.models import utcnow
from pb.groups.models import Position
from pb.hearings import agenda, console, services
from pb.hearings.models import AgendaItem, Attendance, Hearing, HearingDecision, HearingProposal, HearingQuestion
from pb.hearings.states import HearingStatus
from pb.proposals import services as proposals
from pb.proposals.models import Proposal
from tests import factories as f
from tests import hearing_factories as hf


@pytest.fixture
def request_ctx(app):
    """Messages and the entries' lines are rendered in a language: the request's."""
    with app.test_request_context():
        yield


@pytest.fixture
def hall(db, request_ctx):
    municipality = f.make_municipality()
    villages = [f.make_village(municipality, name=name) for name in ("Ак-Добо", "Кызыл-Арык")]
    budget = f.make_budget(municipality, Phase.HEARING)
    hearing = hf.make_hearing(municipality, budget, HearingStatus.OPEN, quorum=3)
    return hearing, villages, f.make_staff(municipality)


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def test_the_same_key_twice_is_stored_once_and_acknowledged_both_times(db, hall):
    hearing, villages, staff = hall
    sent = hf.attendee(villages[0])
    first, again = console.store_entries(staff, hearing, [sent, sent])
    assert (first.status, again.status) == ("stored", "duplicate") and first.seq == again.seq == 1
    assert console.store_entry(staff, hearing, sent).status == "duplicate"
    assert _count(db, Attendance) == 1
    assert db.session.execute(sa.select(AuditEntry.action)).scalars().all() == ["hearing.record_attendance"]


def test_every_kind_of_entry_gets_the_next_number(db, hall):
    hearing, villages, staff = hall
    acks = console.store_entries(staff, hearing, [
        hf.attendee(villages[0]), hf.question(answer="Май айында", answered_by="Бакыт Жумабаев"),
        hf.decision(), hf.entry("proposal", title="Көпүрө", village_id=str(villages[1].id), category="roads",
                                estimated_cost="320000"),
        hf.attendee(villages[1], gender="male", age_band="45_59")])
    assert [a.status for a in acks] == ["stored"] * 5 and [a.seq for a in acks] == [1, 2, 3, 4, 5]
    db.session.expire_all()
    assert db.session.get(Hearing, hearing.id).last_seq == 5
    assert [e["seq"] for e in console.console_state(hearing)["entries"]] == [1, 2, 3, 4, 5]
    assert [e["type"] for e in console.console_state(hearing, since=3)["entries"]] == ["proposal", "attendance"]


def test_counters_count_women_young_villages_and_the_quorum(db, hall):
    hearing, villages, staff = hall
    console.store_entries(staff, hearing, [
        hf.attendee(villages[0], "female", "under_18"), hf.attendee(villages[0], "male", "18_29"),
        hf.attendee(None, "female", "60_plus")])
    counts = console.counters(hearing)
    assert (counts["total"], counts["women"], counts["young"]) == (3, 2, 2)
    assert counts["villages"] == {villages[0].id: 2, None: 1} and counts["quorum_reached"] is True
    state = console.console_state(hearing)
    assert state["counters"]["villages"] == {str(villages[0].id): 2, "": 1} and state["cursor"] == 3


@pytest.mark.parametrize(("sent", "field"), [
    (dict(gender="child", age_band="18_29"), "gender"),
    (dict(gender="female"), "age_band"),
    (dict(gender="female", age_band="18_29", village_id="999999"), "village_id"),
    (dict(gender="female", age_band="18_29", name="x" * 201), "name"),
])
def test_a_bad_attendee_is_refused_with_its_field_and_changes_nothing(db, hall, sent, field):
    hearing, _, staff = hall
    ack = console.store_entry(staff, hearing, hf.entry("attendance", **sent))
    assert ack.status == "refused" and [e[0] for e in ack.errors] == [field]
    assert ack.as_json()["errors"][0]["message"]
    db.session.expire_all()
    assert _count(db, Attendance) == 0 and _count(db, AuditEntry) == 0 and hearing.last_seq == 0


@pytest.mark.parametrize(("sent", "field"), [
    (hf.question(text="  "), "text"),
    (hf.decision(votes_for="-1"), "votes_for"),
    (hf.decision(abstentions="много"), "abstentions"),
    (hf.decision(outcome="maybe"), "outcome"),
    (hf.decision(agenda_item_id="999999"), "agenda_item_id"),
    ({"key": "short", "type": "attendance", "data": {}}, "key"),
    ({"key": hf.key(), "type": "vote", "data": {}}, "type"),
    ({"key": hf.key(), "type": "question", "data": "text"}, "data"),
])
def test_bad_questions_decisions_and_envelopes_are_refused(db, hall, sent, field):
    hearing, _, staff = hall
    ack = console.store_entry(staff, hearing, sent)
    assert ack.status == "refused" and ack.errors[0][0] == field
    assert _count(db, HearingQuestion) == _count(db, HearingDecision) == _count(db, AuditEntry) == 0


@pytest.mark.parametrize("status", [HearingStatus.SCHEDULED, HearingStatus.CLOSED, HearingStatus.CANCELLED])
def test_entries_are_refused_unless_the_hearing_is_open(db, hall, status):
    hearing, villages, staff = hall
    hearing.status = status
    db.session.commit()
    acks = console.store_entries(staff, hearing, [hf.attendee(villages[0]), hf.question(), hf.entry(
        "agenda", item_id=str(hearing.agenda[0].id), from_item_id="")])
    assert {a.status for a in acks} == {"refused"} and all(a.errors[0][0] is None for a in acks)
    assert _count(db, Attendance) == _count(db, HearingQuestion) == _count(db, AuditEntry) == 0


def test_only_runners_may_send_entries(db, hall):
    hearing, villages, _ = hall
    group = f.make_group(hearing.municipality)
    with pytest.raises(PermissionDenied):
        console.store_entries(f.make_member(group, Position.MEMBER), hearing, [hf.attendee(villages[0])])
    named = f.make_member(group, Position.MEMBER)
    hearing.chair_id = named.id
    db.session.commit()
    assert console.store_entry(named, hearing, hf.attendee(villages[0])).status == "stored"


def test_starting_an_item_stops_the_one_before_and_adds_its_time(db, hall):
    hearing, _, _ = hall
    first, second = hearing.agenda
    t0 = utcnow() - timedelta(minutes=10)
    assert agenda.move_to(hearing, first.id, None, t0, utcnow())
    assert agenda.move_to(hearing, second.id, first.id, t0 + timedelta(seconds=90), utcnow())
    assert (first.seconds_spent, first.started_at) == (90, None) and second.started_at == t0 + timedelta(seconds=90)
    assert not agenda.move_to(hearing, second.id, first.id, utcnow(), utcnow())  # a replay changes nothing
    assert agenda.move_to(hearing, first.id, second.id, t0 + timedelta(seconds=150), utcnow())
    assert second.seconds_spent == 60
    assert agenda.move_to(hearing, second.id, first.id, t0 + timedelta(seconds=200), utcnow())
    assert first.seconds_spent == 140  # 90 + 50: a second stretch adds up
    assert agenda.agenda_state(hearing, t0 + timedelta(seconds=230))["items"] == [
        dict(id=first.id, seconds=140), dict(id=second.id, seconds=90)]


def test_a_quick_tap_on_a_view_not_yet_refreshed_still_moves_the_agenda(db, hall):
    hearing, _, staff = hall
    first, second = hearing.agenda
    assert console.store_entry(staff, hearing, hf.entry("agenda", item_id=str(first.id), from_item_id="")).status == "stored"
    # the device had not yet seen its own first move confirmed when the facilitator tapped the next item
    tap = hf.entry("agenda", item_id=str(second.id), from_item_id="",
                   at=int(utcnow().timestamp() * 1000) + 1000)
    assert console.store_entry(staff, hearing, tap).status == "stored"
    db.session.expire_all()
    assert db.session.get(AgendaItem, second.id).started_at is not None
    assert db.session.get(AgendaItem, first.id).started_at is None


def test_agenda_entries_are_idempotent_clamp_device_time_and_refuse_stale_moves(db, hall):
    hearing, _, staff = hall
    first, second = hearing.agenda
    start = hf.entry("agenda", item_id=str(first.id), from_item_id="",
                     at=int((utcnow() + timedelta(hours=5)).timestamp() * 1000))  # a clock five hours fast
    assert console.store_entry(staff, hearing, start).status == "stored"
    assert console.store_entry(staff, hearing, start).status == "duplicate"
    db.session.expire_all()
    assert db.session.get(AgendaItem, first.id).started_at <= utcnow()
    move = hf.entry("agenda", item_id=str(second.id), from_item_id=str(first.id))
    assert console.store_entry(staff, hearing, move).status == "stored"
    # made offline an hour ago, on a view from before the first item started: too old to apply
    stale = hf.entry("agenda", item_id=str(first.id), from_item_id="",
                     at=int((utcnow() - timedelta(hours=1)).timestamp() * 1000))
    ack = console.store_entry(staff, hearing, stale)
    assert ack.status == "refused" and ack.errors[0][0] == "item_id"
    db.session.expire_all()
    assert db.session.get(AgendaItem, second.id).started_at is not None
    services.close_hearing(staff, hearing)
    db.session.expire_all()
    assert db.session.get(AgendaItem, second.id).started_at is None
    assert db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all() == [
        "hearing.start_item", "hearing.start_item", "hearing.close"]


def test_a_proposal_from_the_hall_joins_the_budget_and_is_linked_once(db, hall):
    hearing, villages, staff = hall
    sent = hf.entry("proposal", title="Кызыл-Арыкка көпүрө", village_id=str(villages[1].id), category="roads",
                    estimated_cost="320000")
    first, again = console.store_entries(staff, hearing, [sent, sent])
    assert (first.status, again.status, again.seq) == ("stored", "duplicate", first.seq)
    link = db.session.execute(sa.select(HearingProposal)).scalar_one()
    proposal = link.proposal
    assert (link.client_key, link.seq, link.recorded_by_id) == (sent["key"], first.seq, staff.id)
    assert proposal.budget_id == hearing.budget_id and proposal.author_id == staff.id
    assert "2027" in proposal.description  # the provenance stands in for a description
    assert [p.id for p in proposals.list_proposals(hearing.budget).items] == [proposal.id]
    actions = db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions == ["proposal.submit", "hearing.raise_proposal"]


def test_a_bad_proposal_from_the_hall_is_refused_and_leaves_no_trace(db, hall):
    hearing, villages, staff = hall
    ack = console.store_entry(staff, hearing, hf.entry("proposal", title="", village_id=str(villages[0].id),
                                                       category="roads", estimated_cost="0"))
    assert ack.status == "refused" and {e[0] for e in ack.errors} == {"title", "estimated_cost"}
    db.session.expire_all()
    assert _count(db, Proposal) == _count(db, HearingProposal) == _count(db, AuditEntry) == 0
    assert db.session.get(Hearing, hearing.id).last_seq == 0


@pytest.mark.parametrize("phase", [Phase.VOTING, None])
def test_a_proposal_needs_a_budget_that_takes_proposals(db, hall, phase):
    hearing, villages, staff = hall
    if phase is None:
        hearing.budget_id = None
    else:
        hearing.budget.phase = phase
    db.session.commit()
    ack = console.store_entry(staff, hearing, hf.entry("proposal", title="Көпүрө", village_id=str(villages[0].id),
                                                       category="roads", estimated_cost="1000"))
    assert ack.status == "refused" and ack.errors[0][1]
    assert _count(db, Proposal) == 0 and _count(db, HearingProposal) == 0
