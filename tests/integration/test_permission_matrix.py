"""Every route × every role: who may use it, and that a refused request changes nothing.

The matrices of all test_permission*.py modules together must name every route of the app:
a new route without a row fails test_every_route_is_in_the_matrix.
"""
import importlib
from pathlib import Path

import pytest

from tests.integration.permissions_world import (  # noqa: F401  (world is a fixture)
    ADMIN, ALL, GROUP, INSIDERS, LEADS, LOGGED_IN, STAFF, cases, check_access, line_data, world,
)

# (endpoint, method, url(world), data(world) or None, allowed roles)
MATRIX = [
    ("portal.index", "GET", lambda w: "/", None, ALL),
    ("portal.show_municipality", "GET", lambda w: "/m/ak-dobo", None, ALL),
    ("places.create_municipality", "GET", lambda w: "/admin/municipalities/new", None, ADMIN),
    ("places.create_municipality", "POST", lambda w: "/admin/municipalities/new",
     lambda w: dict(slug="new-ao", name_ky="Жаңы", name_ru="Новый", kind="aiyl_okmotu", oblast="naryn", population="10"), ADMIN),
    ("places.edit_municipality", "POST", lambda w: "/m/ak-dobo/edit",
     lambda w: dict(slug="ak-dobo", name_ky="Ак-Добо", name_ru="Ак-Добо", kind="aiyl_okmotu", oblast="talas", population="9000"), ADMIN),
    ("places.create_village", "POST", lambda w: "/m/ak-dobo/villages/new",
     lambda w: dict(name="Жаңы айыл", population="10", registered_voters="5", revenue_contribution="100"), STAFF),
    ("places.edit_village", "POST", lambda w: f"/villages/{w.village.id}/edit",
     lambda w: dict(name="Ак-Добо", population="11", registered_voters="5", revenue_contribution="100"), STAFF),
    ("accounts.login", "GET", lambda w: "/login", None, ALL),
    ("accounts.logout", "POST", lambda w: "/logout", lambda w: {}, ALL, False),
    ("accounts.register", "GET", lambda w: "/register", None, ALL),
    ("accounts.change_password", "GET", lambda w: "/account/password", None, LOGGED_IN),
    ("accounts.set_language", "POST", lambda w: "/language", lambda w: dict(language="ru"), ALL, False),
    ("accounts.list_accounts", "GET", lambda w: "/admin/accounts", None, ADMIN),
    ("accounts.create_account", "POST", lambda w: "/admin/accounts/new",
     lambda w: dict(name="Жаңы", email="new@example.kg", password="long-enough-1", language="ky"), ADMIN),
    ("accounts.show_account", "POST", lambda w: f"/admin/accounts/{w.users['resident'].id}",
     lambda w: dict(municipality_id=str(w.ak.id), role="staff"), ADMIN),
    ("accounts.revoke_role", "POST", lambda w: f"/admin/roles/{w.role_row.id}/revoke", lambda w: {}, ADMIN),
    ("accounts.set_active", "POST", lambda w: f"/admin/accounts/{w.users['resident'].id}/active",
     lambda w: dict(active="0"), ADMIN),
    ("groups.show_group", "GET", lambda w: f"/groups/{w.group.id}", None, ALL),
    ("groups.create_group", "POST", lambda w: "/m/ak-dobo/groups/new",
     lambda w: dict(kind="monitoring", name_ky="Мониторинг тобу", name_ru="Группа мониторинга"), STAFF),
    ("groups.add_member", "POST", lambda w: f"/groups/{w.group.id}/members",
     lambda w: dict(user_id=str(w.users["resident"].id), position="member", village_id=str(w.village.id)), LEADS),
    ("groups.change_member", "POST", lambda w: f"/groups/members/{w.member_row.id}",
     lambda w: dict(position="secretary", village_id=str(w.village.id)), LEADS),
    ("groups.calculate_seats", "GET", lambda w: "/m/ak-dobo/seats?seats=5&weighting=voters&method=dhondt", None, ALL),
    ("groups.verify_residents", "GET", lambda w: "/m/ak-dobo/residents?q=", None, LEADS),
    ("groups.verify_residents", "POST", lambda w: "/m/ak-dobo/residents",
     lambda w: dict(user_id=str(w.users["resident"].id), village_id=str(w.village.id), action="verify"), LEADS),
    ("budgets.create_budget", "POST", lambda w: "/m/ak-dobo/budgets/new", lambda w: dict(fiscal_year="2030"), LEADS),
    ("budgets.show_budget", "GET", lambda w: f"/budgets/{w.budget.id}", None, ALL),
    ("budgets.show_budget", "GET", lambda w: f"/budgets/{w.draft.id}", None, INSIDERS),
    ("budgets.edit_summary", "POST", lambda w: f"/budgets/{w.budget.id}/summary",
     lambda w: dict(summary_ky="Кыскача", summary_ru="Кратко"), GROUP),
    ("budgets.show_line", "GET", lambda w: f"/lines/{w.line.id}", None, ALL),
    ("budgets.show_line", "GET", lambda w: f"/lines/{w.draft_line.id}", None, INSIDERS),
    ("budgets.set_note", "POST", lambda w: f"/lines/{w.line.id}/note", lambda w: dict(note="Түшүндүрмө"), GROUP),
    ("budgets.edit_line", "POST", lambda w: f"/budgets/{w.budget.id}/lines/new", line_data, LEADS),
    ("budgets.edit_line", "POST", lambda w: f"/lines/{w.line.id}/edit", lambda w: line_data(w, code=w.line.code), LEADS),
    ("budgets.delete_line", "POST", lambda w: f"/lines/{w.line.id}/delete", lambda w: {}, LEADS),
    ("budgets.import_lines", "GET", lambda w: f"/budgets/{w.budget.id}/import", None, LEADS),
    ("budgets.export_lines", "GET", lambda w: f"/budgets/{w.budget.id}/export.csv", None, ALL),
    ("budgets.export_lines", "GET", lambda w: f"/budgets/{w.draft.id}/export.xlsx", None, INSIDERS),
    ("budgets.sample_spreadsheet", "GET", lambda w: "/budgets/sample.csv", None, ALL),
    ("budgets.change_phase", "POST", lambda w: f"/budgets/{w.budget.id}/phase",
     lambda w: dict(to="hearing", expected="consultation"), LEADS),
    ("budgets.change_phase", "POST", lambda w: f"/budgets/{w.draft.id}/phase",
     lambda w: dict(to="consultation", expected="draft"), LEADS),
    ("budgets.publish_version", "POST", lambda w: f"/budgets/{w.budget.id}/publish", lambda w: dict(comment="v"), LEADS),
    ("budgets.list_versions", "GET", lambda w: f"/budgets/{w.budget.id}/versions", None, ALL),
    ("audit.list_entries", "GET", lambda w: "/admin/audit", None, ADMIN),
]



@pytest.mark.parametrize(("row", "role"), cases(MATRIX))
def test_route_allows_only_its_roles(row, role, world, client, login_as, db):
    check_access(row, role, world, client, login_as, db)


def test_every_route_is_in_the_matrix(app):
    covered = set()
    for path in Path(__file__).parent.glob("test_permission*.py"):
        module = importlib.import_module(f"tests.integration.{path.stem}")
        covered |= {row[0] for row in module.MATRIX}
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes - covered == set()
