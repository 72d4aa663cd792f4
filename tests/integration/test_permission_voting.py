"""Permission matrix of the voter's routes (rounds, ballot, code ballot, receipts, exports, results and their
downloads): every route × every role."""
import pytest

from pb.extensions import db
from pb.voting import codes
from pb.voting.casting import code_hash
from pb.voting.models import CodeBatch, VotingCode
from pb.voting.states import RoundStatus
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, LEADS, cases, check_access, world,
)
from tests.voting_factories import key, make_round, proposal_ids

NOBODY = set()
VOTER = {"resident"}  # verified in Ak-Dobo by _round; no one else in the world is


def _round(w, status=RoundStatus.OPEN):
    """The Ak-Dobo budget's round in this status, made once per world; the world's resident is verified."""
    name = f"_round_{status.value}"
    if not hasattr(w, name):
        resident = w.users["resident"]
        if resident.verified_village_id is None:
            resident.verified_village_id = w.village.id
        setattr(w, name, make_round(w.budget, status=status, title=f"Добуш ({status.value})"))
    return getattr(w, name)


def _code(w):
    """A fresh code of the open round, written directly: making a batch through the service would audit."""
    round_ = _round(w)
    code = codes.new_code()
    batch = CodeBatch(round_id=round_.id, size=1, label="matrix")
    db.session.add(VotingCode(round_id=round_.id, batch=batch, code_hash=code_hash(round_.id, code)))
    db.session.commit()
    return code


def _url(status, suffix=""):
    return lambda w: f"/rounds/{_round(w, status).id}{suffix}"


def _ballot(w, **extra):
    """The open round's first proposal chosen, as the ballot form sends it."""
    return dict({f"v-{proposal_ids(_round(w))[0]}": "1"}, **extra)


OPEN, CLOSED, DRAFT = RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.DRAFT

MATRIX = [
    ("voting.list_rounds", "GET", lambda w: "/m/ak-dobo/rounds", None, ALL),
    ("voting.show_round", "GET", _url(OPEN), None, ALL),
    ("voting.show_round", "GET", _url(CLOSED), None, ALL),
    ("voting.show_round", "GET", _url(DRAFT), None, LEADS),
    ("voting.cast_ballot", "GET", _url(OPEN, "/ballot"), None, VOTER),
    ("voting.cast_ballot", "POST", _url(OPEN, "/ballot"), lambda w: _ballot(w, step="review"), VOTER, False),
    ("voting.cast_ballot", "POST", _url(OPEN, "/ballot"), lambda w: _ballot(w, step="confirm", client_key=key()),
     VOTER, False),
    ("voting.cast_ballot", "GET", _url(CLOSED, "/ballot"), None, NOBODY),
    ("voting.cast_ballot", "GET", _url(DRAFT, "/ballot"), None, NOBODY),
    ("voting.cast_ballot", "POST", _url(DRAFT, "/ballot"), lambda w: _ballot(w, step="review"), NOBODY),
    ("voting.enter_code", "GET", _url(OPEN, "/code"), None, ALL),
    ("voting.enter_code", "POST", _url(OPEN, "/code"), lambda w: dict(step="code", code=_code(w)), ALL, False),
    ("voting.enter_code", "POST", _url(OPEN, "/code"),
     lambda w: _ballot(w, step="confirm", code=_code(w), client_key=key()), ALL, False),
    ("voting.enter_code", "GET", _url(CLOSED, "/code"), None, NOBODY),
    ("voting.enter_code", "GET", _url(DRAFT, "/code"), None, NOBODY),
    ("voting.list_receipts", "GET", _url(OPEN, "/receipts?q=ABCDE-23456"), None, ALL),
    ("voting.list_receipts", "GET", _url(DRAFT, "/receipts"), None, LEADS),
    ("voting.export_ballots", "GET", _url(CLOSED, "/ballots.csv"), None, ALL),
    ("voting.export_ballots", "GET", _url(OPEN, "/ballots.csv"), None, NOBODY),
    ("voting.export_ballots", "GET", _url(DRAFT, "/ballots.csv"), None, NOBODY),
    ("voting.show_results", "GET", _url(CLOSED, "/results"), None, ALL),
    ("voting.show_results", "GET", _url(OPEN, "/results"), None, NOBODY),
    ("voting.show_results", "GET", _url(DRAFT, "/results"), None, NOBODY),
    ("reports.export_results", "GET", _url(CLOSED, "/results.csv"), None, ALL),
    ("reports.export_results", "GET", _url(CLOSED, "/results.xlsx"), None, ALL),
    ("reports.export_results", "GET", _url(OPEN, "/results.csv"), None, NOBODY),
    ("reports.export_results", "GET", _url(DRAFT, "/results.xlsx"), None, NOBODY),
    ("reports.show_allocation_pdf", "GET", _url(CLOSED, "/allocation/ky.pdf"), None, ALL),
    ("reports.show_allocation_pdf", "GET", _url(OPEN, "/allocation/ru.pdf"), None, NOBODY),
    ("reports.show_allocation_pdf", "GET", _url(DRAFT, "/allocation/ky.pdf"), None, NOBODY),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_voting_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
