"""Permission matrix of the kiosk routes: every route × every role, and a browser that is a kiosk.

What "allowed roles" means here. Starting a kiosk is for those who run the round: the staff, group leads
and group members of the round's municipality, and the admin (the round must be open). The voter-side
routes — the kiosk screen, its exit screen, the code check and the ballot sync — take no login at all:
the kiosk cookie is their credential. So no role of the world is let in as such (without the cookie a
page answers 403 and a JSON route 401, and nothing changes), and one more role is added here: "kiosk",
a browser holding the cookie of a running kiosk of the round, with no one logged in. The kiosk's service
worker is a public file.
"""
import pytest
import sqlalchemy as sa

from pb.core.models import local_now
from pb.voting import codes, kiosks
from pb.voting.models import Ballot, RefusedBallot
from pb.voting.states import RoundStatus
from tests import factories as f
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, GROUP, ROLES, audit_count, world,
)
from tests.voting_factories import key, make_codes, make_round, proposal_ids

NOBODY = set()
KIOSK = {"kiosk"}
RUNNERS = GROUP  # admin, the municipality's staff, its group's chair and member


def _round(w, status=RoundStatus.OPEN):
    """The Ak-Dobo round in this status, with two locations and five codes, made once per world."""
    name = f"_round_{status.value}"
    if not hasattr(w, name):
        round_ = make_round(w.budget, status=status, locations=("Мектеп", "Клуб"))
        if status == RoundStatus.OPEN:
            w.codes = make_codes(round_, 5)
        setattr(w, name, round_)
    return getattr(w, name)


def _codes(w):
    _round(w)
    return w.codes


def _start_url(status):
    return lambda w: f"/rounds/{_round(w, status).id}/kiosk/start"


def _ballots(w):
    round_ = _round(w)
    cast_at = local_now().replace(microsecond=0).isoformat()
    return {"items": [dict(key=key(), code=_codes(w)[0], receipt=codes.new_receipt(),
                           choices={str(proposal_ids(round_)[0]): 1}, cast_at=cast_at)]}


OPEN, DRAFT, CLOSED = RoundStatus.OPEN, RoundStatus.DRAFT, RoundStatus.CLOSED
STAFF_LOGIN = lambda w: dict(login=w.users["staff"].email, password=f.PASSWORD)  # noqa: E731

# (endpoint, method, url(world), data(world) or None, allowed roles[, audits]); data in a set is sent as JSON
MATRIX = [
    ("kiosk.start_kiosk", "GET", _start_url(OPEN), None, RUNNERS),
    ("kiosk.start_kiosk", "POST", _start_url(OPEN),
     lambda w: dict(location_id=str(_round(w).locations[1].id), label="Планшет 1"), RUNNERS),
    ("kiosk.start_kiosk", "GET", _start_url(DRAFT), None, NOBODY),
    ("kiosk.start_kiosk", "POST", _start_url(CLOSED),
     lambda w: dict(location_id=str(_round(w, CLOSED).locations[0].id)), NOBODY),
    ("kiosk.show_kiosk", "GET", lambda w: "/kiosk/", None, KIOSK),
    ("kiosk.exit_kiosk", "GET", lambda w: "/kiosk/exit", None, KIOSK),
    ("kiosk.exit_kiosk", "POST", lambda w: "/kiosk/exit", STAFF_LOGIN, KIOSK),
    ("kiosk.check_code", "POST", lambda w: "/kiosk/api/codes", lambda w: {"json": {"code": _codes(w)[0]}},
     KIOSK, False),
    ("kiosk.sync_ballots", "POST", lambda w: "/kiosk/api/ballots", lambda w: {"json": _ballots(w)}, KIOSK, False),
    ("kiosk.service_worker", "GET", lambda w: "/kiosk/sw.js", None, ALL | KIOSK, False),
]


def _stored(db):
    db.session.expire_all()
    return sum(db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()
               for model in (Ballot, RefusedBallot))


def check_kiosk_access(row, role, w, client, login_as, db):
    """As permissions_world.check_access, with the "kiosk" role and JSON bodies; a refused JSON call may be a 401."""
    endpoint, method, url, data, allowed = row[:5]
    audits = row[5] if len(row) > 5 else method == "POST"
    path = url(w)
    if role == "kiosk":
        _kiosk, token = kiosks.start_kiosk(w.users["staff"], _round(w), _round(w).locations[0].id)
        client.set_cookie("ashar_kiosk", token)
    elif role != "anon":
        login_as(w.users[role])
    body = data(w) if data else None
    before, stored = audit_count(db), _stored(db)
    if method == "GET":
        response = client.get(path)
    elif "json" in body:
        response = client.post(path, json=body["json"])
    else:
        response = client.post(path, data=body)
    went_to_login = response.status_code == 302 and "/login" in response.location
    if role in allowed:
        assert response.status_code < 400 and not went_to_login, (response.status_code, response.location)
        if audits:
            assert audit_count(db) > before, "an allowed change writes an audit entry"
    else:
        if role in ("anon", "kiosk"):
            assert went_to_login or response.status_code in (401, 403, 404), response.status_code
        else:
            assert response.status_code in (401, 403, 404), response.status_code
        db.session.expire_all()
        assert audit_count(db) == before and _stored(db) == stored, "a refused request changes nothing"
    response.close()


@pytest.mark.parametrize(("row", "role"), [
    pytest.param(row, role, id=f"{row[0]}-{row[1]}-{i}-{role}")
    for i, row in enumerate(MATRIX) for role in ROLES + ("kiosk",)
])
def test_kiosk_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_kiosk_access(row, role, world, client, login_as, db)
