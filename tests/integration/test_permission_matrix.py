"""Every route × every role: who may use it, and that a refused request changes nothing.

The matrix must name every route of the app: a new route without a row here fails
test_every_route_is_in_the_matrix.
"""
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets.states import Phase
from pb.groups.models import Position
from tests import factories as f

ROLES = ("anon", "resident", "staff", "staff_other", "council", "chair", "member", "chair_other", "admin")
ALL = set(ROLES)
LOGGED_IN = ALL - {"anon"}
ADMIN = {"admin"}
STAFF = {"admin", "staff"}
LEADS = {"admin", "staff", "chair"}
GROUP = {"admin", "staff", "chair", "member"}
INSIDERS = {"admin", "staff", "council", "chair", "member"}


@dataclass
class World:
    ak: object
    other: object
    village: object
    group: object
    budget: object
    draft: object
    line: object
    draft_line: object
    member_row: object
    role_row: object
    users: dict


@pytest.fixture
def world(app):
    ak = f.make_municipality(slug="ak-dobo")
    other = f.make_municipality(slug="isanov", oblast="osh")
    village = f.make_village(ak, name="Ак-Добо")
    other_village = f.make_village(other, name="Кара-Таш")
    group = f.make_group(ak)
    other_group = f.make_group(other, name_ky="Демилгелүү топ")
    users = {
        "resident": f.make_user(village_id=village.id),
        "staff": f.make_staff(ak),
        "staff_other": f.make_staff(other),
        "council": f.make_staff(ak, role="council"),
        "chair": f.make_member(group, Position.CHAIR, village),
        "member": f.make_member(group, Position.MEMBER, village),
        "chair_other": f.make_member(other_group, Position.CHAIR, other_village),
        "admin": f.make_user(is_admin=True),
    }
    budget = f.make_budget(ak, Phase.CONSULTATION, lines=2)
    draft = f.make_budget(ak, Phase.DRAFT, lines=1, fiscal_year=2028)
    member_row = group.members[1]
    role_row = users["staff"].municipal_roles[0]
    return World(ak, other, village, group, budget, draft, budget.lines[0], draft.lines[0],
                 member_row, role_row, users)


def line_data(w, **extra):
    data = dict(kind="expenditure", code="7999999", name_ky="Жаңы", name_ru="Новая", category="roads",
                approved_last_year="0", executed_last_year="0", proposed="1000")
    data.update(extra)
    return data


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
    ("accounts.logout", "POST", lambda w: "/logout", lambda w: {}, ALL),
    ("accounts.register", "GET", lambda w: "/register", None, ALL),
    ("accounts.change_password", "GET", lambda w: "/account/password", None, LOGGED_IN),
    ("accounts.set_language", "POST", lambda w: "/language", lambda w: dict(language="ru"), ALL),
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

CASES = [
    pytest.param(row, role, id=f"{row[0]}-{row[1]}-{i}-{role}")
    for i, row in enumerate(MATRIX)
    for role in ROLES
]


def audit_count(db):
    return db.session.execute(sa.select(sa.func.count(AuditEntry.id))).scalar()


@pytest.mark.parametrize(("row", "role"), CASES)
def test_route_allows_only_its_roles(row, role, world, client, login_as, db):
    endpoint, method, url, data, allowed = row
    if role != "anon":
        login_as(world.users[role])
    before = audit_count(db)
    path = url(world)
    if method == "GET":
        response = client.get(path)
    else:
        response = client.post(path, data=data(world))
    went_to_login = response.status_code == 302 and "/login" in response.location
    if role in allowed:
        assert response.status_code < 400 and not went_to_login, (response.status_code, response.location)
        if method == "POST" and endpoint not in {"accounts.logout", "accounts.set_language"}:
            assert audit_count(db) > before, "an allowed change writes an audit entry"
    else:
        if role == "anon" and endpoint not in {"budgets.show_budget", "budgets.show_line", "budgets.export_lines"}:
            assert went_to_login or response.status_code in (403, 404), response.status_code
        else:
            assert response.status_code in (403, 404), response.status_code
        db.session.expire_all()
        assert audit_count(db) == before, "a refused request changes nothing"


def test_every_route_is_in_the_matrix(app):
    covered = {row[0] for row in MATRIX}
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert routes - covered == set()
