"""Kiosk mode through the test client: starting, the lock-in, the sync and code-check JSON, leaving."""
import json
import re
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from pb.audit.models import AuditEntry
from pb.core.errors import ValidationFailed
from pb.core.models import local_now
from pb.voting import ballots, casting, codes, kiosks
from pb.voting.kiosk_texts import texts
from pb.voting.models import Ballot, Kiosk, RefusedBallot, VotingCode
from pb.voting.states import Channel, Method, Refusal
from tests import factories as f
from tests.voting_factories import key, make_codes, make_round, make_verified_resident, proposal_ids

COOKIE = "ashar_kiosk"
ENDED_REASON = "cast after the kiosk had been ended; the code is still unused"


@pytest.fixture
def hall(db):
    round_ = make_round(locations=("Мектеп", "Маданият үйү"))
    return round_, f.make_staff(round_.municipality)


def _tr(app, text):
    """A message as the kiosk shows it (in Kyrgyz, the default language)."""
    with app.test_request_context(), force_locale("ky"):
        return gettext(text)


def _count(db, model):
    db.session.expire_all()
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _actions(db):
    return db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()


def _start(client, round_, staff, location=0):
    """A kiosk started through the service, its token put in the client's cookie as the start page does."""
    kiosk, token = kiosks.start_kiosk(staff, round_, round_.locations[location].id)
    client.set_cookie(COOKIE, token)
    return kiosk


def _item(round_, code, cast_at=None, **overrides):
    item = dict(key=key(), code=code, receipt=codes.new_receipt(), choices={str(proposal_ids(round_)[0]): 1},
                cast_at=(cast_at or local_now()).replace(microsecond=0).isoformat())
    item.update(overrides)
    return item


def _sync(client, items):
    return client.post("/kiosk/api/ballots", json=dict(items=items))


def _page_data(response):
    found = re.search(r'<script type="application/json" id="kiosk-data">(.*?)</script>',
                      response.get_data(as_text=True), re.S)
    return json.loads(found.group(1))


# --- starting and the lock-in -------------------------------------------------------------


def test_start_logs_the_facilitator_out_and_sets_a_strict_long_lived_cookie(client, login_as, db, hall):
    round_, staff = hall
    login_as(staff)
    page = client.get(f"/rounds/{round_.id}/kiosk/start")
    assert page.status_code == 200 and "Маданият үйү" in page.get_data(as_text=True)
    response = client.post(f"/rounds/{round_.id}/kiosk/start",
                           data=dict(location_id=str(round_.locations[1].id), label="Планшет 2"))
    assert response.status_code == 302 and response.location.endswith("/kiosk/")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert int(re.search(r"Max-Age=(\d+)", cookie).group(1)) >= 30 * 24 * 3600
    assert "Secure" not in cookie  # the test app runs over http, as its session cookie does
    with client.session_transaction() as session:
        assert "_user_id" not in session
    kiosk = db.session.execute(sa.select(Kiosk)).scalar_one()
    assert (kiosk.location_id, kiosk.label, kiosk.created_by_id) == (round_.locations[1].id, "Планшет 2", staff.id)
    assert _actions(db)[-1] == "voting.start_kiosk"
    screen = client.get("/kiosk/")
    assert screen.status_code == 200
    data = _page_data(screen)
    assert data["kiosk"] == kiosk.id and data["method"] == "approval" and (data["low"], data["high"]) == (1, 3)
    assert [p["id"] for p in data["proposals"]] == proposal_ids(round_)
    assert data["proposals"][0]["cost"] == 300000 * 100 and data["proposals"][0]["title"] == "Долбоор 1"
    assert set(data["texts"]) == {"ky", "ru", "en"} and data["texts"]["en"]["begin"] == "Enter your code"


def test_the_kiosk_cookie_is_secure_when_the_session_cookie_is(client, login_as, hall, app, monkeypatch):
    round_, staff = hall
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    login_as(staff)
    response = client.post(f"/rounds/{round_.id}/kiosk/start", data=dict(location_id=str(round_.locations[0].id)),
                           base_url="https://localhost")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "Secure" in cookie


def test_start_with_a_location_of_another_round_changes_nothing(app, client, login_as, db, hall):
    round_, staff = hall
    other = make_round()
    login_as(staff)
    response = client.post(f"/rounds/{round_.id}/kiosk/start", data=dict(location_id=str(other.locations[0].id)))
    assert response.status_code == 200
    assert _tr(app, "Choose one of the round's locations.") in response.get_data(as_text=True)
    assert _count(db, Kiosk) == 0
    with client.session_transaction() as session:
        assert session["_user_id"] == str(staff.id)


def test_a_round_without_code_holders_cannot_have_a_kiosk(app, client, login_as, db):
    from pb.voting.states import Eligibility

    round_ = make_round(eligibility=Eligibility.RESIDENTS)
    login_as(f.make_staff(round_.municipality))
    response = client.post(f"/rounds/{round_.id}/kiosk/start", data=dict(location_id=str(round_.locations[0].id)))
    assert response.status_code == 200
    assert _tr(app, "Kiosk ballots are opened with voting codes; this round does not take codes.") in response.get_data(
        as_text=True)
    assert _count(db, Kiosk) == 0


def test_a_running_kiosk_reaches_nothing_but_its_own_screens(client, db, hall):
    round_, staff = hall
    kiosk = _start(client, round_, staff)
    for path in ("/", f"/budgets/{round_.budget_id}", "/login", "/m/nowhere", f"/rounds/{round_.id}"):
        response = client.get(path)
        assert response.status_code == 302 and response.location.endswith("/kiosk/"), path
    assert client.post("/language", data=dict(language="ru")).location.endswith("/kiosk/")
    with client.get("/static/css/kiosk.css") as style:
        assert style.status_code == 200
    with client.get("/kiosk/sw.js") as worker:
        assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert client.get("/kiosk/exit").status_code == 200
    kiosks.end_kiosk(staff, kiosk)
    assert client.get("/").status_code == 200  # an ended kiosk no longer holds the browser
    ended = client.get("/kiosk/")
    assert ended.status_code == 200 and 'data-mode="ended"' in ended.get_data(as_text=True)


def test_a_browser_that_is_no_kiosk_is_told_so(client, db, hall):
    assert client.get("/kiosk/").status_code == 403
    client.set_cookie(COOKIE, "not-a-token")
    assert client.get("/kiosk/").status_code == 403
    assert client.get("/").status_code == 200


# --- the sync endpoint ----------------------------------------------------------------------


def test_sync_counts_each_ballot_once_and_a_replay_gets_the_same_answer(client, db, hall):
    round_, staff = hall
    kiosk = _start(client, round_, staff)
    first, second = make_codes(round_, 2)
    items = [_item(round_, codes.display(first).lower()),
             _item(round_, second, choices={str(proposal_ids(round_)[1]): 1})]
    response = _sync(client, items)
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [(r["key"], r["status"], r["receipt"]) for r in results] == [
        (item["key"], "counted", codes.display(item["receipt"])) for item in items]
    again = _sync(client, items).get_json()["results"]  # the answer was lost: the kiosk sends them again
    assert [(r["status"], r["receipt"]) for r in again] == [("duplicate", r["receipt"]) for r in results]
    assert _count(db, Ballot) == 2
    ballot = db.session.execute(sa.select(Ballot).where(Ballot.client_key == items[0]["key"])).scalar_one()
    assert (ballot.channel, ballot.location_id) == (Channel.KIOSK, kiosk.location_id)
    assert ballot.receipt == items[0]["receipt"]


def test_one_code_on_two_kiosks_counts_once_and_the_second_is_reported(app, client, db, hall):
    round_, staff = hall
    first = _start(client, round_, staff)
    other_client = app.test_client()
    second = _start(other_client, round_, staff, location=1)
    code = make_codes(round_, 1)[0]
    a, b = _item(round_, code), _item(round_, code)
    assert _sync(client, [a]).get_json()["results"][0]["status"] == "counted"
    refused = _sync(other_client, [b]).get_json()["results"][0]
    assert (refused["status"], refused["reason"]) == ("refused", "code_used") and refused["message"]
    row = db.session.execute(sa.select(RefusedBallot)).scalar_one()
    assert (row.kiosk_id, row.location_id, row.receipt) == (second.id, second.location_id, b["receipt"])
    assert _count(db, Ballot) == 1
    report = other_client.get("/kiosk/exit").get_data(as_text=True)
    assert codes.display(b["receipt"]) in report and str(Refusal.CODE_USED.label) in report
    assert codes.display(b["receipt"]) not in client.get("/kiosk/exit").get_data(as_text=True)
    assert first.id != second.id


GOOD = object()  # stands for a well-formed item in the bodies below


@pytest.mark.parametrize("body", [
    "not json", ["a", "list"], {"ballots": []}, {"items": "all"}, {"items": []}, {"items": [GOOD, "text"]},
    {"items": [GOOD, {"code": "ABCDE23456"}]}, {"items": [GOOD, {"key": "a key with spaces"}]},
    {"items": [GOOD, {"key": "k" * 65}]}, {"items": [GOOD] * 201},
])
def test_a_malformed_delivery_is_a_400_with_a_message_and_stores_nothing(client, db, hall, body):
    round_, staff = hall
    _start(client, round_, staff)
    code = make_codes(round_, 1)[0]
    if isinstance(body, dict) and isinstance(body.get("items"), list):
        body = {"items": [_item(round_, code) if item is GOOD else item for item in body["items"]]}
    if body == "not json":
        response = client.post("/kiosk/api/ballots", data="{items: [", content_type="application/json")
    else:
        response = client.post("/kiosk/api/ballots", json=body)
    assert response.status_code == 400 and response.is_json and response.get_json()["error"]
    assert _count(db, Ballot) == _count(db, RefusedBallot) == 0
    assert db.session.execute(sa.select(VotingCode.used_at)).scalar() is None


def test_a_delivery_too_large_is_refused_with_a_message(client, db, hall):
    round_, staff = hall
    _start(client, round_, staff)
    response = client.post("/kiosk/api/ballots", data=json.dumps({"items": ["x" * 600_000]}),
                           content_type="application/json")
    assert response.status_code == 413 and response.get_json()["error"]
    assert _count(db, Ballot) == 0


def test_without_a_kiosk_token_the_json_routes_answer_401(client, db, hall):
    round_, _staff = hall
    code = make_codes(round_, 1)[0]
    for cookie in (None, "made-up-token"):
        if cookie:
            client.set_cookie(COOKIE, cookie)
        response = _sync(client, [_item(round_, code)])
        assert response.status_code == 401 and response.get_json()["error"]
        assert client.post("/kiosk/api/codes", json=dict(code=code)).status_code == 401
    assert _count(db, Ballot) == _count(db, RefusedBallot) == 0


def test_an_ended_kiosk_still_delivers_what_it_took_before_its_end(client, db, hall):
    round_, staff = hall
    kiosk = _start(client, round_, staff)
    early_code, late_code = make_codes(round_, 2)
    early = _item(round_, early_code, cast_at=local_now() - timedelta(minutes=5))
    late = _item(round_, late_code, cast_at=local_now() + timedelta(minutes=5))
    kiosks.end_kiosk(staff, kiosk)
    response = _sync(client, [early, late])
    assert response.get_json()["ended"] is True
    results = response.get_json()["results"]
    assert [(r["key"], r["status"], r.get("reason")) for r in results] == [
        (early["key"], "counted", None), (late["key"], "refused", "kiosk_ended")]
    assert results[1]["message"] == _tr(client.application, ENDED_REASON)
    assert client.post("/kiosk/api/codes", json=dict(code=late_code)).status_code == 401
    assert _count(db, Ballot) == 1


def test_a_ballot_cast_after_a_remote_end_is_refused_kept_and_its_code_stays_usable(app, client, login_as, db, hall):
    round_, staff = hall
    kiosk = _start(client, round_, staff)
    early_code, late_code, unreadable_code = make_codes(round_, 3)
    early = _item(round_, early_code, cast_at=local_now() - timedelta(minutes=5))
    late = _item(round_, late_code, cast_at=local_now() + timedelta(minutes=5))
    undated = dict(_item(round_, unreadable_code), cast_at="yesterday")  # no time it can show: after the end
    staff_client = app.test_client()  # staff at the round's page, in another browser
    with staff_client.session_transaction() as session:
        session["_user_id"] = str(staff.id)
    ended = staff_client.post(f"/rounds/{round_.id}/kiosks/{kiosk.id}/end")
    assert ended.status_code == 302 and ended.location.endswith(f"/rounds/{round_.id}/manage#kiosks")
    db.session.refresh(kiosk)
    assert kiosk.ended_at is not None and _actions(db)[-1] == "voting.end_kiosk"

    response = _sync(client, [early, late, undated])  # the tablet comes back online with its queue
    assert response.status_code == 200 and response.get_json()["ended"] is True
    results = response.get_json()["results"]
    assert [(r["status"], r.get("reason")) for r in results] == [
        ("counted", None), ("refused", "kiosk_ended"), ("refused", "kiosk_ended")]
    assert results[1]["receipt"] == codes.display(late["receipt"])
    again = _sync(client, [late, early]).get_json()["results"]  # the answer was lost: the same answers
    assert [(r["status"], r.get("reason")) for r in again] == [("refused", "kiosk_ended"), ("duplicate", None)]
    assert _count(db, Ballot) == 1 and _count(db, RefusedBallot) == 2
    row = db.session.execute(sa.select(RefusedBallot).where(RefusedBallot.client_key == late["key"])).scalar_one()
    assert (row.reason, row.kiosk_id, row.location_id, row.receipt) == (
        Refusal.KIOSK_ENDED, kiosk.id, kiosk.location_id, late["receipt"])
    assert row.cast_at == datetime.fromisoformat(late["cast_at"])
    used = db.session.execute(sa.select(VotingCode.used_at).where(VotingCode.id == row.code_id)).scalar_one()
    assert used is None  # the code was not spent: that voter may vote again

    # the manage page lists the refusal with its kiosk, place, reason and the time it was cast
    page = staff_client.get(f"/rounds/{round_.id}/manage").get_data(as_text=True)
    refused = page[page.index('id="refused"'):]
    assert f"#{kiosk.id}" in refused and round_.locations[0].name in refused
    assert _tr(app, ENDED_REASON) in refused
    assert row.cast_at.strftime("%H:%M") in refused
    assert f"/kiosks/{kiosk.id}/end" not in page  # ended: no button any more

    # the tablet's pages show it as refused, the ended one and its exit report
    ended_page = client.get("/kiosk/").get_data(as_text=True)
    assert codes.display(late["receipt"]) in ended_page and 'id="refusals-part" hidden' not in ended_page

    # the same code counts at another kiosk, and the voter who kept theirs votes online with it
    other = app.test_client()
    _start(other, round_, staff, location=1)
    moved = _item(round_, late_code)
    assert _sync(other, [moved]).get_json()["results"][0]["status"] == "counted"
    outcome = casting.cast_with_code(round_, unreadable_code, {str(proposal_ids(round_)[0]): 1}, key())
    assert outcome.status == "counted"
    assert _count(db, Ballot) == 3


def test_only_those_who_may_run_the_round_end_a_kiosk_from_afar(app, client, login_as, db, hall):
    round_, staff = hall
    kiosk, _token = kiosks.start_kiosk(staff, round_, round_.locations[0].id)  # on a tablet elsewhere
    other_round = make_round()
    outsider = f.make_staff(other_round.municipality)
    login_as(outsider)
    assert client.post(f"/rounds/{round_.id}/kiosks/{kiosk.id}/end").status_code == 403
    login_as(staff)
    assert client.post(f"/rounds/{other_round.id}/kiosks/{kiosk.id}/end").status_code == 404
    db.session.refresh(kiosk)
    assert kiosk.ended_at is None


# --- the code check ---------------------------------------------------------------------------


def test_code_check_tells_valid_unknown_used_and_void_codes(client, db, hall):
    round_, staff = hall
    _start(client, round_, staff)
    fresh, used, void = make_codes(round_, 3)
    _sync(client, [_item(round_, used)])
    from pb.voting import code_batches

    code_batches.void_code(staff, round_, void)

    def status(text):
        return client.post("/kiosk/api/codes", json=dict(code=text)).get_json()["status"]

    assert status(codes.display(fresh).lower()) == "valid"
    assert status(f"https://ashar.kg/rounds/{round_.id}/code?code={codes.display(fresh)}") == "valid"
    assert (status(used), status(void), status("ABCDE-23456"), status("abc")) == ("used", "void", "unknown", "unknown")
    assert client.post("/kiosk/api/codes", json=dict(code=fresh)).get_json()["message"] == ""
    assert client.post("/kiosk/api/codes", json={"nothing": 1}).status_code == 400
    assert db.session.execute(sa.select(VotingCode.used_at).where(VotingCode.voided_at.is_(None))
                              .order_by(VotingCode.id)).scalars().all()[0] is None  # checking spends nothing


def test_wrong_codes_are_limited_per_kiosk_and_per_address_but_right_ones_are_not(app, client, db, hall, monkeypatch):
    round_, staff = hall
    monkeypatch.setitem(app.config, "KIOSK_CODE_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "KIOSK_ADDRESS_RATE_LIMIT", "5 per minute")
    _start(client, round_, staff)
    good = make_codes(round_, 1)[0]

    def check(c, text):
        return c.post("/kiosk/api/codes", json=dict(code=text))

    for _ in range(6):
        assert check(client, good).get_json()["status"] == "valid"
    for _ in range(3):
        assert check(client, "ABCDE-23456").status_code == 200
    limited = check(client, "ABCDE-23457")
    assert limited.status_code == 429
    assert limited.get_json()["error"] == _tr(app, "Too many wrong codes. Wait a minute and try again.")
    assert check(client, good).status_code == 429  # this tablet waits its minute
    # another tablet behind the same address has its own allowance, until the address's is spent
    other = app.test_client()
    _start(other, round_, staff)
    assert [check(other, "ABCDE-23456").status_code for _ in range(3)] == [200, 200, 429]


# --- leaving ------------------------------------------------------------------------------------


def test_exit_with_a_wrong_login_keeps_the_kiosk(app, client, db, hall):
    round_, staff = hall
    kiosk = _start(client, round_, staff)
    response = client.post("/kiosk/exit", data=dict(login=staff.email, password="wrong-password"))
    assert response.status_code == 200
    assert _tr(app, "The login or the password is not right.") in response.get_data(as_text=True)
    resident = make_verified_resident(round_)
    response = client.post("/kiosk/exit", data=dict(login=resident.email, password=f.PASSWORD))
    assert _tr(app, "This account may not take the tablet out of kiosk mode.") in response.get_data(as_text=True)
    db.session.refresh(kiosk)
    assert kiosk.ended_at is None
    assert client.get("/").location.endswith("/kiosk/")
    with client.session_transaction() as session:
        assert "_user_id" not in session


def test_exit_with_a_staff_login_ends_the_kiosk_and_logs_no_one_in(client, db, hall):
    round_, staff = hall
    kiosk = _start(client, round_, staff)
    member = f.make_member(f.make_group(round_.municipality))  # a facilitator of another group may end it too
    response = client.post("/kiosk/exit", data=dict(login=member.email.upper(), password=f.PASSWORD))
    assert response.status_code == 302 and response.location.endswith(f"/rounds/{round_.id}/manage")
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "="))
    assert "Max-Age=0" in cookie or "1970" in cookie
    assert client.get_cookie(COOKIE) is None
    with client.session_transaction() as session:
        assert "_user_id" not in session
    db.session.refresh(kiosk)
    assert kiosk.ended_at is not None and _actions(db)[-1] == "voting.end_kiosk"
    assert client.get("/").status_code == 200
    assert client.get("/kiosk/").status_code == 403


def test_exit_logins_are_rate_limited(app, client, db, hall, monkeypatch):
    round_, staff = hall
    monkeypatch.setitem(app.config, "LOGIN_RATE_LIMIT", "2 per minute")
    kiosk = _start(client, round_, staff)
    for _ in range(2):
        client.post("/kiosk/exit", data=dict(login=staff.email, password="wrong-password"))
    response = client.post("/kiosk/exit", data=dict(login=staff.email, password=f.PASSWORD))
    assert response.status_code == 429
    assert _tr(app, "Too many attempts. Please wait a minute and try again.") in response.get_data(as_text=True)
    db.session.refresh(kiosk)
    assert kiosk.ended_at is None


# --- the script's words ----------------------------------------------------------------------


def _reason(round_, choices):
    with pytest.raises(ValidationFailed) as exc:
        ballots.check_ballot(round_, casting.costs_of(round_), choices)
    return str(exc.value.errors[0][1])


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_the_kiosk_refuses_a_ballot_in_the_words_of_check_ballot(app, db, lang):
    round_ = make_round(proposals=4, min_choices=2, max_choices=3)
    ids = proposal_ids(round_)

    def filled(template, **values):
        return re.sub(r"%\((\w+)\)[sd]", lambda m: str(values[m.group(1)]), template)

    def money(tyiyn):  # as the script writes an amount
        return filled(words["money"], amount=f"{tyiyn // 100:,}".replace(",", words["group"]))

    with app.test_request_context(), force_locale(lang):
        words = texts(round_)
        assert filled(words["rule_low"], n=2) == _reason(round_, {ids[0]: 1})
        assert filled(words["rule_high"], n=3) == _reason(round_, dict.fromkeys(ids, 1))
        assert words["rule_none"] == _reason(round_, {})
        round_.method = Method.KNAPSACK
        assert filled(words["rule_money"], total=money(145000000), amount=money(100000000)) == _reason(
            round_, dict.fromkeys(ids, 1))
        round_.method = Method.CUMULATIVE
        assert filled(words["rule_points"], spent=11, points=10) == _reason(round_, {ids[0]: 6, ids[1]: 5})
        round_.method, round_.rank_depth = Method.RANKING, 2
        assert filled(words["rule_depth"], k=2) == _reason(round_, {ids[0]: 1, ids[1]: 2, ids[2]: 3})
        assert words["rule_places"] == _reason(round_, {ids[0]: 1, ids[1]: 3})
        assert words["refusal_code_used"] == str(Refusal.CODE_USED.label)
    db.session.rollback()
