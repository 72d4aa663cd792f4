"""A known kiosk's ballots through the sync route: the short way (pb/voting/fast_cast.py, PostgreSQL) must
answer as the long way does, and must store nothing it should not.

Each test first sends one ballot, so that the kiosk is known to the process, then the case itself. On
PostgreSQL a new ballot of a known kiosk is one statement; on SQLite everything takes the long way, and the
same answers are expected.
"""
from datetime import timedelta

import pytest
import sqlalchemy as sa

from pb.core.models import local_now
from pb.voting import code_batches, codes, fast_cast, kiosks
from pb.voting.casting import cast_online
from pb.voting.models import Ballot, BallotChoice, Kiosk, RefusedBallot, RoundVoter, VotingCode
from pb.voting.services import close_round
from tests import factories as f
from tests.voting_factories import key, make_codes, make_round, make_verified_resident, proposal_ids

COOKIE = "ashar_kiosk"


@pytest.fixture
def hall(db, client):
    """An open round, its staff, a kiosk in the client's cookie that has sent one ballot, and fresh codes."""
    round_ = make_round(proposals=4)
    staff = f.make_staff(round_.municipality)
    kiosk, token = kiosks.start_kiosk(staff, round_, round_.locations[0].id)
    client.set_cookie(COOKIE, token)
    first, *clear = make_codes(round_, 6)
    assert _sync(client, [_item(round_, first)]).get_json()["results"][0]["status"] == "counted"
    return round_, staff, kiosk, clear


@pytest.fixture
def statements(db):
    """The SQL statements sent while the test runs (the short way's own connection included)."""
    sent = []

    def note(_conn, _cursor, statement, _parameters, _context, _executemany):
        sent.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", note)
    yield sent
    sa.event.remove(db.engine, "before_cursor_execute", note)


def _item(round_, code, cast_at=None, **overrides):
    item = dict(key=key(), code=code, receipt=codes.new_receipt(), choices={str(proposal_ids(round_)[0]): 1},
                cast_at=(cast_at or local_now()).replace(microsecond=0).isoformat())
    item.update(overrides)
    return item


def _sync(client, items):
    return client.post("/kiosk/api/ballots", json=dict(items=items))


def _count(db, model, *where):
    db.session.expire_all()
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar()


def _spent(db):
    return _count(db, VotingCode, VotingCode.used_at.is_not(None))


def _short_way(db):
    return db.engine.dialect.name == "postgresql"


def test_a_known_kiosks_ballot_is_stored_whole_by_one_statement(client, db, hall, statements):
    round_, _staff, kiosk, clear = hall
    ids = proposal_ids(round_)
    item = _item(round_, clear[0], choices={str(ids[2]): 1, str(ids[0]): 1, str(ids[1]): 1})
    statements.clear()
    [result] = _sync(client, [item]).get_json()["results"]
    assert (result["status"], result["receipt"]) == ("counted", codes.display(item["receipt"]))
    if _short_way(db):
        assert len(statements) == 1 and statements[0].lstrip().startswith("WITH spent AS")
    ballot = db.session.execute(sa.select(Ballot).where(Ballot.client_key == item["key"])).scalar_one()
    assert (ballot.receipt, ballot.location_id, ballot.round_id) == (item["receipt"], kiosk.location_id, round_.id)
    assert [(c.proposal_id, c.value) for c in ballot.choices] == [(ids[0], 1), (ids[1], 1), (ids[2], 1)]
    assert _spent(db) == 2 and _count(db, RefusedBallot) == 0
    again = _sync(client, [item]).get_json()["results"][0]  # the answer was lost: the same answer again
    assert (again["status"], again["receipt"]) == ("duplicate", result["receipt"])
    assert _count(db, Ballot) == 2 and _count(db, BallotChoice) == 4


def test_a_queue_of_a_known_kiosk_is_answered_in_order(client, db, hall):
    round_, _staff, _kiosk, clear = hall
    taken = db.session.execute(sa.select(Ballot.receipt)).scalar_one()
    items = [_item(round_, code) for code in clear[:4]]
    items[1]["receipt"] = taken  # refused by a constraint after the first went the short way: a new receipt
    items.insert(2, _item(round_, "ABCDE-23456"))  # no such code: the long way refuses it, the rest still count
    results = _sync(client, items).get_json()["results"]
    assert [(r["key"], r["status"]) for r in results] == [
        (items[0]["key"], "counted"), (items[1]["key"], "counted"), (items[2]["key"], "refused"),
        (items[3]["key"], "counted"), (items[4]["key"], "counted")]
    assert codes.normalise(results[1]["receipt"]) != taken
    assert _count(db, Ballot) == 5 and _count(db, RefusedBallot) == 1 and _spent(db) == 5


def test_an_ended_known_kiosk_counts_only_what_it_took_before_its_end(client, db, hall):
    round_, staff, kiosk, clear = hall
    early = _item(round_, clear[0], cast_at=local_now() - timedelta(minutes=5))
    late = _item(round_, clear[1], cast_at=local_now() + timedelta(minutes=5))
    later = _item(round_, clear[2], cast_at=local_now() + timedelta(minutes=6))
    kiosks.end_kiosk(staff, db.session.get(Kiosk, kiosk.id))
    # the short way stores nothing for an ended kiosk; the long way counts the early one, keeps the late refused
    response = _sync(client, [late, early, later]).get_json()
    assert response["ended"] is True
    assert [(r["key"], r["status"], r.get("reason")) for r in response["results"]] == [
        (late["key"], "refused", "kiosk_ended"), (early["key"], "counted", None),
        (later["key"], "refused", "kiosk_ended")]
    again = _sync(client, [late])
    assert again.status_code == 200 and again.get_json()["results"][0]["reason"] == "kiosk_ended"
    assert _count(db, Ballot) == 2 and _spent(db) == 2
    assert _count(db, RefusedBallot, RefusedBallot.reason == "kiosk_ended", RefusedBallot.code_id.is_not(None)) == 2


def test_a_closed_round_spends_no_code_of_a_known_kiosk(client, db, hall):
    round_, staff, _kiosk, clear = hall
    close_round(f.make_user(is_admin=True), round_)
    [result] = _sync(client, [_item(round_, clear[0])]).get_json()["results"]
    assert (result["status"], result["reason"]) == ("refused", "not_open")
    assert _count(db, Ballot) == 1 and _spent(db) == 1 and _count(db, RefusedBallot) == 1


def test_a_refused_key_stays_refused_with_a_fresh_code(client, db, hall):
    round_, _staff, _kiosk, clear = hall
    used = _item(round_, clear[0])
    assert _sync(client, [used]).get_json()["results"][0]["status"] == "counted"
    refused = _item(round_, clear[0])  # the code again, as a second tablet that took it offline would send it
    assert _sync(client, [refused]).get_json()["results"][0]["reason"] == "code_used"
    replay = dict(refused, code=clear[1])  # the same key with an unused code: the first answer stands
    assert _sync(client, [replay]).get_json()["results"][0]["reason"] == "code_used"
    assert _count(db, Ballot) == 2 and _spent(db) == 2 and _count(db, RefusedBallot) == 1


def test_a_taken_receipt_gets_a_new_one(client, db, hall):
    round_, _staff, _kiosk, clear = hall
    taken = db.session.execute(sa.select(Ballot.receipt)).scalar_one()
    [result] = _sync(client, [_item(round_, clear[0], receipt=taken)]).get_json()["results"]
    assert result["status"] == "counted" and codes.normalise(result["receipt"]) != taken
    assert _count(db, Ballot) == 2 and _spent(db) == 2


def test_a_code_bound_to_a_resident_is_their_one_vote(client, db, hall):
    round_, staff, _kiosk, clear = hall
    resident, voted_online = make_verified_resident(round_), make_verified_resident(round_)
    code_batches.bind_code(staff, round_, clear[0], resident.id)
    code_batches.bind_code(staff, round_, clear[1], voted_online.id)
    cast_online(voted_online, round_, proposal_ids(round_)[:1], key())
    assert _sync(client, [_item(round_, clear[0])]).get_json()["results"][0]["status"] == "counted"
    [second] = _sync(client, [_item(round_, clear[1])]).get_json()["results"]
    assert (second["status"], second["reason"]) == ("refused", "already_voted")
    marks = dict(db.session.execute(sa.select(RoundVoter.voter_id, RoundVoter.channel)).all())
    assert marks == {resident.id: "kiosk", voted_online.id: "online"}
    assert _count(db, Ballot) == 3  # the first ballot, the resident's, and the online one


def test_a_known_kiosk_is_forgotten_when_its_ballot_takes_the_long_way(client, db, hall):
    round_, staff, kiosk, clear = hall
    digest = kiosks._digest(client.get_cookie(COOKIE).value)
    assert fast_cast.known(digest) is _short_way(db)
    kiosks.end_kiosk(staff, db.session.get(Kiosk, kiosk.id))
    late = _sync(client, [_item(round_, clear[0], cast_at=local_now() + timedelta(minutes=1))]).get_json()
    assert late["ended"] is True and late["results"][0]["reason"] == "kiosk_ended"
    assert not fast_cast.known(digest)
