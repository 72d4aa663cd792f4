"""Two council members recording the approval at the same moment: one approval, its lines once, on each database.

Each member is a thread with its own app context, session and connection; on SQLite the race runs on an
app of its own with a database file (the fixture's in-memory database lives in one connection).
"""
import threading

import sqlalchemy as sa

from pb.budgets.models import Budget, BudgetApproval, BudgetLine
from pb.core.errors import Conflict
from pb.extensions import db as _db
from pb.proposals.approval import approve_budget
from pb.proposals.states import Status
from tests import approval_factories as af
from tests import factories as f


def _member(app, budget_id, user_id, start, outcomes):
    from pb.accounts.models import User

    with app.app_context():
        try:
            budget, user = _db.session.get(Budget, budget_id), _db.session.get(User, user_id)
            start.wait()
            approve_budget(user, budget, dict(session_number="XII", session_date=af.yesterday().isoformat()))
            outcomes.append("approved")
        except Conflict:
            outcomes.append("conflict")
        except BaseException as exc:  # noqa: BLE001  reported by the test, not lost in the thread
            outcomes.append(exc)
        finally:
            _db.session.remove()


def test_two_council_members_approving_at_once_make_one_approval(race_app):
    budget, chosen, _other = af.make_budget_for_approval()
    members = [f.make_staff(budget.municipality, role="council") for _ in range(2)]
    start, outcomes = threading.Barrier(2), []
    threads = [threading.Thread(target=_member, args=(race_app, budget.id, m.id, start, outcomes)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(map(str, outcomes)) == ["approved", "conflict"], outcomes
    _db.session.expire_all()
    count = lambda *where: _db.session.execute(sa.select(sa.func.count()).select_from(where[0]).where(*where[1:])).scalar()  # noqa: E731
    assert count(BudgetApproval, BudgetApproval.budget_id == budget.id) == 1
    assert count(BudgetLine, BudgetLine.proposal_id.is_not(None)) == len(chosen)
    assert all(_db.session.get(type(p), p.id).status == Status.FUNDED for p in chosen)
