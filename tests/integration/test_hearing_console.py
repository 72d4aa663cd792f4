"""The console through the test client: the JSON entries and state, the plain forms, opening and closing."""
import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets.states import Phase
from pb.hearings.models import Attendance, HearingQuestion
from pb.hearings.states import HearingStatus
from tests import factories as f
from tests import hearing_factories as hf


@pytest.fixture
def hall(db):
    municipality = f.make_municipality(slug="ak-dobo")
    villages = [f.make_village(municipality, name=name) for name in ("Ак-Добо", "Кызыл-Арык")]
    budget = f.make_budget(municipality, Phase.HEARING)
    hearing = hf.make_hearing(municipality, budget, HearingStatus.OPEN, quorum=2)
    return hearing, villages, f.make_staff(municipality, language="ru")


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _post(client, hearing, entries, device="tablet-1"):
    return client.post(f"/hearings/{hearing.id}/console/entries", json=dict(device=device, entries=entries))


def test_good_and_bad_entries_each_get_their_answer(client, login_as, db, hall):
    hearing, villages, staff = hall
    login_as(staff)
    good, bad, replay = hf.attendee(villages[0]), hf.attendee(villages[0], gender=""), hf.question()
    response = _post(client, hearing, [good, bad, replay, replay])
    assert response.status_code == 200 and response.is_json
    results = response.get_json()["results"]
    assert [(r["key"], r["status"]) for r in results] == [
        (good["key"], "stored"), (bad["key"], "refused"), (replay["key"], "stored"), (replay["key"], "duplicate")]
    assert results[1]["errors"][0]["field"] == "gender"
    # the message is in the user's language (no English msgid leaks when a catalogue has it)
    assert results[1]["errors"][0]["message"] and "Traceback" not in response.get_data(as_text=True)
    assert results[2]["seq"] == results[3]["seq"] == 2
    assert _count(db, Attendance) == 1 and _count(db, HearingQuestion) == 1
    attendee = db.session.execute(sa.select(Attendance)).scalar_one()
    assert (attendee.device, attendee.recorded_by_id) == ("tablet-1", staff.id)


@pytest.mark.parametrize("body", [None, {"entries": "all"}, {"entries": []}, {"entries": [{}] * 101}])
def test_a_malformed_batch_is_a_400_with_a_message_and_changes_nothing(client, login_as, db, hall, body):
    hearing, _, staff = hall
    login_as(staff)
    kwargs = {"data": "not json", "content_type": "application/json"} if body is None else {"json": body}
    response = client.post(f"/hearings/{hearing.id}/console/entries", **kwargs)
    assert response.status_code == 400 and response.get_json()["error"]
    assert _count(db, AuditEntry) == 0


def test_entries_are_refused_unless_the_hearing_is_open(client, login_as, db, hall):
    hearing, villages, staff = hall
    login_as(staff)
    hearing.status = HearingStatus.CLOSED
    db.session.commit()
    results = _post(client, hearing, [hf.attendee(villages[0])]).get_json()["results"]
    assert results[0]["status"] == "refused" and results[0]["errors"][0]["message"]
    assert _count(db, Attendance) == 0


def test_state_gives_counters_and_the_entries_after_since(client, login_as, db, hall):
    hearing, villages, staff = hall
    login_as(staff)
    _post(client, hearing, [hf.attendee(villages[0]), hf.attendee(villages[1], gender="male", age_band="60_plus"),
                            hf.decision()])
    response = client.get(f"/hearings/{hearing.id}/console/state?since=1")
    state = response.get_json()
    assert response.headers["Cache-Control"] == "no-store"
    assert [e["seq"] for e in state["entries"]] == [2, 3] and state["cursor"] == 3 and state["more"] is False
    assert state["status"] == "open" and state["counters"]["total"] == 2 and state["counters"]["quorum_reached"]
    assert state["counters"]["villages"] == {str(villages[0].id): 1, str(villages[1].id): 1}
    assert [item["id"] for item in state["agenda"]["items"]] == [i.id for i in hearing.agenda]
    assert client.get(f"/hearings/{hearing.id}/console/state?since=3").get_json()["entries"] == []
    assert client.get(f"/hearings/{hearing.id}/console/state?since=abc").get_json()["cursor"] == 3


def test_the_plain_form_stores_once_and_keeps_the_village(client, login_as, db, hall):
    hearing, villages, staff = hall
    login_as(staff)
    page = client.get(f"/hearings/{hearing.id}/console").get_data(as_text=True)
    assert 'name="client_key"' in page and 'data-entry="attendance"' in page and "hearing-console.js" in page
    form = dict(type="attendance", client_key=hf.key(), age_band="30_44", village_id=str(villages[1].id),
                gender="female", name="")
    first = client.post(f"/hearings/{hearing.id}/console", data=form)
    again = client.post(f"/hearings/{hearing.id}/console", data=form)
    assert first.status_code == again.status_code == 302 and f"village={villages[1].id}" in first.location
    assert _count(db, Attendance) == 1
    page = client.get(first.location).get_data(as_text=True)
    assert f'value="{villages[1].id}" data-sticky checked' in page


def test_a_bad_plain_form_shows_the_message_and_keeps_what_was_typed(client, login_as, db, hall):
    hearing, _, staff = hall
    login_as(staff)
    response = client.post(f"/hearings/{hearing.id}/console", data=dict(
        type="decision", client_key=hf.key(), motion="Көпүрөнү оңдоо", votes_for="-4", outcome="adopted"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'role="alert"' in page and "Көпүрөнү оңдоо" in page
    assert _count(db, AuditEntry) == 0


def test_open_and_close_from_the_console(client, login_as, db, hall):
    hearing, villages, staff = hall
    hearing.status, hearing.opened_at = HearingStatus.SCHEDULED, None
    db.session.commit()
    login_as(staff)
    page = client.get(f"/hearings/{hearing.id}/console").get_data(as_text=True)
    assert 'id="open-hearing"' in page and 'data-entry="attendance"' not in page
    assert client.post(f"/hearings/{hearing.id}/open").status_code == 302 and hearing.status == HearingStatus.OPEN
    assert 'id="close-hearing"' in client.get(f"/hearings/{hearing.id}/console").get_data(as_text=True)
    client.post(f"/hearings/{hearing.id}/close")
    assert hearing.status == HearingStatus.CLOSED
    again = client.post(f"/hearings/{hearing.id}/close", follow_redirects=True)
    assert again.status_code == 200 and "flash-error" in again.get_data(as_text=True)


def test_a_visitor_is_sent_to_log_in_and_a_resident_is_refused(client, login_as, db, hall):
    hearing, villages, _ = hall
    response = _post(client, hearing, [hf.attendee(villages[0])])
    assert response.status_code == 302 and "/login" in response.location
    login_as(f.make_user())
    assert _post(client, hearing, [hf.attendee(villages[0])]).status_code == 403
    assert client.get(f"/hearings/{hearing.id}/console/state").status_code == 403
    assert _count(db, Attendance) == 0


def test_the_service_worker_is_served_from_the_hearings_path(client, db):
    response = client.get("/hearings/console-sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert "caches" in response.get_data(as_text=True)
    response.close()
