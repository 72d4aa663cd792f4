"""Permission matrix of the organisers' voting routes (voting_admin and reports.print_code_slips): route × role."""
from datetime import timedelta

import pytest
from flask import current_app

from pb.core.models import local_now
from pb.extensions import db as _db
from pb.proposals.states import Status
from pb.voting import codes
from pb.voting.models import CodeBatch, Kiosk, VotingCode
from pb.voting.states import RoundStatus
from tests import factories as f
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    GROUP, LEADS, cases, check_access, world,
)
from tests.proposal_factories import make_proposal
from tests.voting_factories import make_round, proposal_ids

NOBODY = set()
DRAFT, OPEN, CLOSED = RoundStatus.DRAFT, RoundStatus.OPEN, RoundStatus.CLOSED


def _round(w, status=OPEN):
    """The Ak-Dobo budget's round in this status, made once per world (written directly: no audit entry)."""
    key = f"_voting_round_{status.value}"
    if not hasattr(w, key):
        setattr(w, key, make_round(budget=w.budget, status=status, title=f"Добуш берүү ({status.value})"))
    return getattr(w, key)


def _codes(w):
    """A batch of three codes of the open round, written directly (the service would audit): its clear codes."""
    if not hasattr(w, "_voting_codes"):
        round_ = _round(w)
        batch = CodeBatch(round_id=round_.id, size=3, label="Көчө 1", created_by_id=w.users["admin"].id)
        _db.session.add(batch)
        _db.session.flush()
        clear = [codes.new_code() for _ in range(3)]
        for code in clear:
            _db.session.add(VotingCode(round_id=round_.id, batch_id=batch.id, code_hash=codes.code_hash(
                current_app.config["SECRET_KEY"], round_.id, code)))
        _db.session.commit()
        w._voting_batch, w._voting_codes = batch, clear
    return w._voting_codes


def _batch(w):
    _codes(w)
    return w._voting_batch


def _kiosk_url(status):
    """A running kiosk of the round in this status, written directly (the service would audit): its end's URL."""
    def url(w):
        round_ = _round(w, status)
        kiosk = Kiosk(round_id=round_.id, location_id=round_.locations[0].id, token_hash=codes.new_code() * 6)
        _db.session.add(kiosk)
        _db.session.commit()
        return f"/rounds/{round_.id}/kiosks/{kiosk.id}/end"
    return url


def _resident(w):
    if not hasattr(w, "_voting_resident"):
        w._voting_resident = f.make_user(name="Бакыт Жумабеков", village_id=w.village.id,
                                         verified_village_id=w.village.id)
    return w._voting_resident


def _url(status, suffix=""):
    return lambda w: f"/rounds/{_round(w, status).id}{suffix}"


def round_form(w):
    candidate = make_proposal(w.budget, status=Status.ON_BALLOT, title="Көпүрө")
    now = local_now()
    return dict(title="Жаңы добуш берүү", method="approval", min_choices="1", max_choices="2", amount="500000",
                allocation_rule="greedy", channels=["online", "paper"], eligibility="both",
                opens_at=(now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
                closes_at=(now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"), proposal_ids=[str(candidate.id)])


def paper_form(w):
    round_ = _round(w)
    return dict(serial="101", location_id=str(round_.locations[0].id), choice=[str(proposal_ids(round_)[0])])


MATRIX = [
    ("voting_admin.create_round", "GET", lambda w: f"/budgets/{w.budget.id}/rounds/new", None, LEADS),
    ("voting_admin.create_round", "GET", lambda w: f"/budgets/{w.draft.id}/rounds/new", None, LEADS),
    ("voting_admin.create_round", "POST", lambda w: f"/budgets/{w.budget.id}/rounds/new", round_form, LEADS),
    ("voting_admin.manage_round", "GET", _url(DRAFT, "/manage"), None, LEADS),
    ("voting_admin.manage_round", "GET", _url(OPEN, "/manage"), None, GROUP),
    ("voting_admin.manage_round", "GET", _url(CLOSED, "/manage"), None, LEADS),
    ("voting_admin.edit_round", "GET", _url(DRAFT, "/edit"), None, LEADS),
    ("voting_admin.edit_round", "POST", _url(DRAFT, "/edit"), round_form, LEADS),
    ("voting_admin.edit_round", "GET", _url(OPEN, "/edit"), None, NOBODY),
    ("voting_admin.edit_round", "POST", _url(OPEN, "/edit"), round_form, NOBODY),
    ("voting_admin.open_round", "POST", _url(DRAFT, "/open"), lambda w: {}, LEADS),
    ("voting_admin.close_round", "POST", _url(OPEN, "/close"), lambda w: {}, LEADS),
    ("voting_admin.add_location", "POST", _url(OPEN, "/locations"), lambda w: dict(name="Маданият үйү"), LEADS),
    ("voting_admin.void_batch", "POST", lambda w: f"/rounds/{_round(w).id}/codes/{_batch(w).id}/void",
     lambda w: dict(reason="Жоголду"), LEADS),
    ("voting_admin.void_code", "POST", _url(OPEN, "/codes/void"), lambda w: dict(code=_codes(w)[0]), LEADS),
    ("reports.print_code_slips", "POST", _url(OPEN, "/codes"), lambda w: dict(size="3", label="Көчө 2"), LEADS),
    ("reports.print_code_slips", "POST", _url(DRAFT, "/codes"), lambda w: dict(size="3"), LEADS),
    ("voting_admin.end_kiosk", "POST", _kiosk_url(OPEN), lambda w: {}, GROUP),
    ("voting_admin.end_kiosk", "POST", _kiosk_url(CLOSED), lambda w: {}, LEADS),
    ("voting_admin.show_desk", "GET", _url(OPEN, "/desk?q=Бакыт"), None, GROUP),
    ("voting_admin.show_desk", "GET", _url(DRAFT, "/desk"), None, NOBODY),
    ("voting_admin.show_desk", "GET", _url(CLOSED, "/desk"), None, NOBODY),
    ("voting_admin.bind_code", "POST", _url(OPEN, "/desk/bind"),
     lambda w: dict(code=_codes(w)[1], resident_id=str(_resident(w).id), q="Бакыт"), GROUP),
    ("voting_admin.key_paper", "GET", _url(OPEN, "/paper"), None, GROUP),
    ("voting_admin.key_paper", "POST", _url(OPEN, "/paper"), paper_form, GROUP),
    ("voting_admin.key_paper", "GET", _url(CLOSED, "/paper"), None, NOBODY),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_voting_admin_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
