"""Permission matrix of the hearing routes: every route × every role."""
from dataclasses import dataclass

import pytest

from pb.hearings.states import HearingStatus
from tests import hearing_factories as hf
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, LEADS, cases, check_access, world,
)

NOBODY = set()
RUNNERS = LEADS | {"member"}  # the member is the hearing's secretary account


@dataclass(frozen=True)
class Json:
    """A body the row sends as JSON, as the console's script does."""

    payload: object


class JsonAwareClient:
    """The test client, sending Json bodies as JSON; everything else as check_access does."""

    def __init__(self, client):
        self.client = client

    def get(self, path):
        return self.client.get(path)

    def post(self, path, data=None):
        if isinstance(data, Json):
            return self.client.post(path, json=data.payload)
        return self.client.post(path, data=data)


def _hearing(w, status=HearingStatus.SCHEDULED):
    """The Ak-Dobo hearing in this status, its secretary account the group's member, made once per world."""
    key = f"_hearing_{status.value}"
    if not hasattr(w, key):
        setattr(w, key, hf.make_hearing(w.ak, w.budget, status, secretary_id=w.users["member"].id))
    return getattr(w, key)


def _url(status, suffix=""):
    return lambda w: f"/hearings/{_hearing(w, status).id}{suffix}"


SCHEDULED, OPEN, CANCELLED = HearingStatus.SCHEDULED, HearingStatus.OPEN, HearingStatus.CANCELLED
EDIT = lambda w: hf.form_data(hf.hearing_data(w.ak, budget_id=str(w.budget.id), place="Маданият үйү"))  # noqa: E731
ATTENDEE = lambda w: dict(type="attendance", client_key=hf.key(), gender="female", age_band="18_29",  # noqa: E731
                          village_id=str(w.village.id))

MATRIX = [
    ("hearings.list_hearings", "GET", lambda w: "/m/ak-dobo/hearings", None, ALL),
    ("hearings.schedule_hearing", "GET", lambda w: "/m/ak-dobo/hearings/new", None, LEADS),
    ("hearings.schedule_hearing", "POST", lambda w: "/m/ak-dobo/hearings/new",
     lambda w: hf.form_data(hf.hearing_data(w.ak)), LEADS),
    ("hearings.show_hearing", "GET", _url(SCHEDULED), None, ALL),
    ("hearings.show_hearing", "GET", _url(CANCELLED), None, ALL),
    ("hearings.edit_hearing", "GET", _url(SCHEDULED, "/edit"), None, LEADS),
    ("hearings.edit_hearing", "POST", _url(SCHEDULED, "/edit"), EDIT, LEADS),
    ("hearings.edit_hearing", "POST", _url(OPEN, "/edit"), EDIT, NOBODY),
    ("hearings.cancel_hearing", "POST", _url(SCHEDULED, "/cancel"), lambda w: dict(reason="Жол жабык"), LEADS),
    ("hearings.cancel_hearing", "POST", _url(OPEN, "/cancel"), lambda w: {}, NOBODY),
    ("hearings.open_hearing", "POST", _url(SCHEDULED, "/open"), lambda w: {}, RUNNERS),
    ("hearings.close_hearing", "POST", _url(OPEN, "/close"), lambda w: {}, RUNNERS),
    ("hearings.show_console", "GET", _url(SCHEDULED, "/console"), None, RUNNERS),
    ("hearings.show_console", "GET", _url(OPEN, "/console"), None, RUNNERS),
    ("hearings.add_entry", "POST", _url(OPEN, "/console"), ATTENDEE, RUNNERS),
    ("hearings.post_entries", "POST", _url(OPEN, "/console/entries"),
     lambda w: Json(dict(device="t", entries=[hf.attendee(w.village), hf.question()])), RUNNERS),
    ("hearings.console_state", "GET", _url(OPEN, "/console/state?since=0"), None, RUNNERS),
    ("hearings.service_worker", "GET", lambda w: "/hearings/console-sw.js", None, ALL),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_hearing_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, JsonAwareClient(client), login_as, db)
