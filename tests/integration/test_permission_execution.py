"""Permission matrix of the execution routes: every route × every role."""
import io
from decimal import Decimal

import pytest

from pb.budgets.execution_models import ExecutionFigure, PeriodKind
from pb.budgets.states import Phase
from pb.extensions import db
from tests import factories as f
from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ALL, INSIDERS, STAFF, cases, check_access, world,
)

NOBODY = set()


def _approved(w, phase=Phase.MONITORING):
    """A budget of the year before in an execution phase, with one line, made once per world."""
    key = f"_approved_{phase.value}"
    if not hasattr(w, key):
        setattr(w, key, f.make_budget(w.ak, phase, lines=1, fiscal_year=2026 if phase == Phase.MONITORING else 2025))
    return getattr(w, key)


def _figure(w, budget=None):
    budget = budget or _approved(w)
    figure = ExecutionFigure(budget_id=budget.id, line_id=budget.lines[0].id, period_kind=PeriodKind.QUARTER,
                             period=1, executed=Decimal("1000"))
    db.session.add(figure)
    db.session.commit()
    return figure.id


def _upload(w):
    code = _approved(w).lines[0].code
    return {"file": (io.BytesIO(f"code,period,executed\n{code},Q2,500\n".encode()), "t.csv")}


MATRIX = [
    ("execution.show_execution", "GET", lambda w: f"/budgets/{_approved(w).id}/execution", None, ALL),
    ("execution.show_execution", "GET", lambda w: f"/budgets/{w.budget.id}/execution", None, NOBODY),
    ("execution.show_execution", "GET", lambda w: f"/budgets/{w.draft.id}/execution", None, NOBODY),
    ("execution.show_figure", "GET", lambda w: f"/execution/{_figure(w)}", None, ALL),
    ("execution.record_figure", "GET", lambda w: f"/lines/{_approved(w).lines[0].id}/execution", None, STAFF),
    ("execution.record_figure", "POST", lambda w: f"/lines/{_approved(w).lines[0].id}/execution",
     lambda w: dict(period="quarter-1", executed="1500.50", note=""), STAFF),
    ("execution.record_figure", "POST", lambda w: f"/lines/{_approved(w, Phase.APPROVED).lines[0].id}/execution",
     lambda w: dict(period="month-1", executed="10", note=""), STAFF),
    ("execution.record_figure", "POST", lambda w: f"/lines/{w.line.id}/execution",
     lambda w: dict(period="quarter-1", executed="10", note=""), NOBODY),
    ("execution.import_execution", "GET", lambda w: f"/budgets/{_approved(w).id}/execution/import", None, STAFF),
    ("execution.import_execution", "POST", lambda w: f"/budgets/{_approved(w).id}/execution/import", _upload, STAFF),
    ("execution.import_execution", "POST", lambda w: f"/budgets/{w.budget.id}/execution/import",
     lambda w: {"file": (io.BytesIO(b"code,period,executed\n"), "t.csv")}, NOBODY),
    ("execution.execution_sample", "GET", lambda w: "/budgets/execution-sample.xlsx", None, ALL),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_execution_routes_allow_only_their_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
