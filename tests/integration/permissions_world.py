"""The world every permission matrix runs in, and the check each row makes.

Each tests/integration/test_permission*.py module defines MATRIX rows
(endpoint, method, url(world), data(world) or None, allowed roles) and runs them
with check_access; test_every_route_is_in_the_matrix collects them all.
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


def audit_count(db):
    return db.session.execute(sa.select(sa.func.count(AuditEntry.id))).scalar()


def check_access(row, role, world, client, login_as, db):
    """Request the row's route as role; allowed roles get through, others change nothing.

    A row is (endpoint, method, url(world), data(world) or None, allowed roles[, audits]);
    an allowed POST must write an audit entry unless audits is False.
    """
    endpoint, method, url, data, allowed = row[:5]
    audits = row[5] if len(row) > 5 else method == "POST"
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
        if audits:
            assert audit_count(db) > before, "an allowed change writes an audit entry"
    else:
        if role == "anon":
            assert went_to_login or response.status_code in (403, 404), response.status_code
        else:
            assert response.status_code in (403, 404), response.status_code
        db.session.expire_all()
        assert audit_count(db) == before, "a refused request changes nothing"
    response.close()


def cases(matrix):
    return [
        pytest.param(row, role, id=f"{row[0]}-{row[1]}-{i}-{role}")
        for i, row in enumerate(matrix)
        for role in ROLES
    ]
