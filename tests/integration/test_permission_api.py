"""Permission matrix of the read-only API: public objects for every role, non-public ones for none.

The API answers every caller as an anonymous visitor, so a logged-in insider gets no more than anyone.
"""
import pytest

from pb.voting.states import RoundStatus
from tests import monitoring_factories as mf
from tests.integration.permissions_world import ALL, cases, check_access, world  # noqa: F401  (world is a fixture)
from tests.proposal_factories import make_proposal
from tests.voting_factories import make_round

NOBODY = set()
API = "/api/v1"


def _once(w, name, make):
    """An object of the world made on first use, so that each row builds only what it needs."""
    if not hasattr(w, name):
        setattr(w, name, make(w))
    return getattr(w, name)


def _proposal(w):
    return _once(w, "_api_proposal", lambda w: make_proposal(w.budget, village=w.village))


def _draft_proposal(w):
    return _once(w, "_api_draft_proposal", lambda w: make_proposal(w.draft, village=w.village))


def _round(w, status, hide_counts=False):
    key = f"_api_round_{status.value}_{hide_counts}"
    return _once(w, key, lambda w: make_round(w.budget, status=status, hide_counts=hide_counts))


def _monitored(w):
    """A 2026 budget in monitoring with a project and a report, and a project and a report of the draft."""
    def make(w):
        budget = mf.monitoring_budget(w.ak)
        group = mf.make_monitoring_group(w.ak)
        project = mf.make_implementation(mf.make_funded(budget, village=w.village))
        draft_project = mf.make_implementation(mf.make_funded(w.draft, village=w.village))
        return dict(budget=budget, project=project, report=mf.make_report(group, implementation=project),
                    draft_project=draft_project, draft_report=mf.make_report(group, implementation=draft_project))

    return _once(w, "_api_monitored", make)


OPEN, CLOSED, DRAFT = RoundStatus.OPEN, RoundStatus.CLOSED, RoundStatus.DRAFT

MATRIX = [
    ("api.show_docs", "GET", lambda w: "/api", None, ALL),
    ("api.show_spec", "GET", lambda w: f"{API}/openapi.json", None, ALL),
    ("api.list_municipalities", "GET", lambda w: f"{API}/municipalities", None, ALL),
    ("api.show_municipality", "GET", lambda w: f"{API}/municipalities/ak-dobo", None, ALL),
    ("api.list_budgets", "GET", lambda w: f"{API}/municipalities/ak-dobo/budgets", None, ALL),
    ("api.show_budget", "GET", lambda w: f"{API}/budgets/{w.budget.id}", None, ALL),
    ("api.show_budget", "GET", lambda w: f"{API}/budgets/{w.draft.id}", None, NOBODY),
    ("api.list_lines", "GET", lambda w: f"{API}/budgets/{w.budget.id}/lines", None, ALL),
    ("api.list_lines", "GET", lambda w: f"{API}/budgets/{w.draft.id}/lines", None, NOBODY),
    ("api.list_proposals", "GET", lambda w: f"{API}/budgets/{w.budget.id}/proposals", None, ALL),
    ("api.list_proposals", "GET", lambda w: f"{API}/budgets/{w.draft.id}/proposals", None, NOBODY),
    ("api.show_proposal", "GET", lambda w: f"{API}/proposals/{_proposal(w).id}", None, ALL),
    ("api.show_proposal", "GET", lambda w: f"{API}/proposals/{_draft_proposal(w).id}", None, NOBODY),
    ("api.list_rounds", "GET", lambda w: f"{API}/budgets/{w.budget.id}/rounds", None, ALL),
    ("api.list_rounds", "GET", lambda w: f"{API}/budgets/{w.draft.id}/rounds", None, NOBODY),
    ("api.show_round", "GET", lambda w: f"{API}/rounds/{_round(w, OPEN).id}", None, ALL),
    ("api.show_round", "GET", lambda w: f"{API}/rounds/{_round(w, DRAFT).id}", None, NOBODY),
    ("api.show_results", "GET", lambda w: f"{API}/rounds/{_round(w, CLOSED, hide_counts=True).id}/results", None, ALL),
    ("api.show_results", "GET", lambda w: f"{API}/rounds/{_round(w, OPEN).id}/results", None, ALL),
    ("api.show_results", "GET", lambda w: f"{API}/rounds/{_round(w, OPEN, hide_counts=True).id}/results", None,
     NOBODY),
    ("api.show_results", "GET", lambda w: f"{API}/rounds/{_round(w, DRAFT).id}/results", None, NOBODY),
    ("api.show_execution", "GET", lambda w: f"{API}/budgets/{_monitored(w)['budget'].id}/execution", None, ALL),
    ("api.show_execution", "GET", lambda w: f"{API}/budgets/{w.budget.id}/execution", None, NOBODY),
    ("api.show_execution", "GET", lambda w: f"{API}/budgets/{w.draft.id}/execution", None, NOBODY),
    ("api.list_projects", "GET", lambda w: f"{API}/budgets/{_monitored(w)['budget'].id}/projects", None, ALL),
    ("api.list_projects", "GET", lambda w: f"{API}/budgets/{w.draft.id}/projects", None, NOBODY),
    ("api.show_project", "GET", lambda w: f"{API}/projects/{_monitored(w)['project'].id}", None, ALL),
    ("api.show_project", "GET", lambda w: f"{API}/projects/{_monitored(w)['draft_project'].id}", None, NOBODY),
    ("api.list_monitoring_reports", "GET",
     lambda w: f"{API}/budgets/{_monitored(w)['budget'].id}/monitoring-reports", None, ALL),
    ("api.list_monitoring_reports", "GET", lambda w: f"{API}/budgets/{w.draft.id}/monitoring-reports", None, NOBODY),
    ("api.show_monitoring_report", "GET", lambda w: f"{API}/monitoring-reports/{_monitored(w)['report'].id}", None,
     ALL),
    ("api.show_monitoring_report", "GET",
     lambda w: f"{API}/monitoring-reports/{_monitored(w)['draft_report'].id}", None, NOBODY),
    ("api.not_found", "GET", lambda w: f"{API}/budgets/{w.budget.id}/secrets", None, NOBODY),
]


@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_api_routes_show_public_objects_to_everyone_and_others_to_no_one(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)
