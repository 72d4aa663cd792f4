"""Two devices writing at the same moment lose nothing and double nothing, on SQLite and on PostgreSQL.

Each device is a thread with its own test client, hence its own app context, session and database
connection. The in-memory SQLite of the app fixture lives in one connection, so on SQLite the race
runs on an app of its own with a database file; on PostgreSQL it runs on the fixture's database.
"""
import threading
from collections import Counter

import sqlalchemy as sa

from pb.extensions import db as _db
from pb.hearings.models import Attendance, Hearing, HearingQuestion
from pb.hearings.states import HearingStatus
from tests import factories as f
from tests import hearing_factories as hf

OWN, SHARED, BATCH = 40, 10, 5


def _device(app, hearing_id, user_id, name, entries, start, answers, failures):
    try:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(user_id), True
        start.wait()
        # everything twice: the second round is a device resending what it never heard acknowledged
        for round_ in (entries, entries):
            for i in range(0, len(round_), BATCH):
                response = client.post(f"/hearings/{hearing_id}/console/entries",
                                       json=dict(device=name, entries=round_[i:i + BATCH]))
                assert response.status_code == 200, response.get_data(as_text=True)[:500]
                answers[name].extend(response.get_json()["results"])
    except BaseException as exc:  # noqa: BLE001  reported by the test, not lost in the thread
        failures.append(exc)
        start.abort()


def test_two_devices_at_once_lose_nothing_and_double_nothing(race_app):
    municipality = f.make_municipality()
    village = f.make_village(municipality)
    hearing = hf.make_hearing(municipality, status=HearingStatus.OPEN)
    desk, laptop = f.make_staff(municipality), f.make_staff(municipality)
    shared = [hf.attendee(village, gender="male") for _ in range(SHARED)] + [hf.question() for _ in range(2)]
    lists = {}
    for name in ("desk", "laptop"):
        own = [hf.attendee(village) for _ in range(OWN)]
        # the shared entries sit at the same places in both lists, so that they collide
        lists[name] = own[:10] + shared[:6] + own[10:25] + shared[6:] + own[25:]
    answers, failures = {"desk": [], "laptop": []}, []
    start = threading.Barrier(2, timeout=30)
    threads = [threading.Thread(target=_device, args=(race_app, hearing.id, user.id, name, lists[name], start,
                                                      answers, failures))
               for name, user in (("desk", desk), ("laptop", laptop))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    unique_keys = {e["key"] for entries in lists.values() for e in entries}
    for name, entries in lists.items():
        # every key a device sent was acknowledged to it, each time it was sent
        assert [a["key"] for a in answers[name]] == [e["key"] for e in entries] * 2
        assert {a["status"] for a in answers[name]} <= {"stored", "duplicate"}
    statuses = Counter(a["status"] for name in answers for a in answers[name])
    assert statuses["stored"] == len(unique_keys)
    _db.session.expire_all()
    attendance = _db.session.execute(sa.select(Attendance.client_key, Attendance.seq)
                                     .where(Attendance.hearing_id == hearing.id)).all()
    questions = _db.session.execute(sa.select(HearingQuestion.client_key, HearingQuestion.seq)
                                    .where(HearingQuestion.hearing_id == hearing.id)).all()
    rows = attendance + questions
    assert len(rows) == len({key for key, _ in rows}) == len(unique_keys) == 2 * OWN + SHARED + 2
    assert sorted(seq for _, seq in rows) == list(range(1, len(unique_keys) + 1))  # unique, and no gap
    assert _db.session.get(Hearing, hearing.id).last_seq == len(unique_keys)
    # each device saw the same number for a key, whoever stored it
    seqs = {}
    for name in answers:
        for a in answers[name]:
            assert seqs.setdefault(a["key"], a["seq"]) == a["seq"]
