"""Test data with sensible defaults; every factory takes overrides."""
import itertools
from decimal import Decimal

from pb.accounts.models import MunicipalRole, User
from pb.accounts.passwords import hash_password
from pb.budgets.models import Budget, BudgetLine
from pb.budgets.states import Category, LineKind, Phase
from pb.extensions import db
from pb.groups.models import CivicGroup, GroupKind, GroupMember, Position
from pb.places.models import Municipality, Village

PASSWORD = "correct-horse-1"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: Argon2 is slow on purpose
_seq = itertools.count(1)


def make_municipality(**overrides):
    n = next(_seq)
    values = dict(slug=f"ao-{n}", name_ky=f"Айыл өкмөтү {n}", name_ru=f"Айыл окмоту {n}",
                  kind="aiyl_okmotu", oblast="talas", rayon="Талас району", population=5000)
    values.update(overrides)
    municipality = Municipality(**values)
    db.session.add(municipality)
    db.session.commit()
    return municipality


def make_village(municipality, **overrides):
    n = next(_seq)
    values = dict(name=f"Айыл {n}", population=1000, registered_voters=700,
                  revenue_contribution=Decimal("100000"))
    values.update(overrides)
    village = Village(municipality=municipality, **values)
    db.session.add(village)
    db.session.commit()
    return village


def make_user(**overrides):
    n = next(_seq)
    values = dict(name=f"Колдонуучу {n}", email=f"user{n}@example.kg", language="ky",
                  password_hash=_PASSWORD_HASH)
    values.update(overrides)
    user = User(**values)
    db.session.add(user)
    db.session.commit()
    return user


def make_staff(municipality, role="staff", **overrides):
    user = make_user(**overrides)
    db.session.add(MunicipalRole(user=user, municipality_id=municipality.id, role=role))
    db.session.commit()
    return user


def make_group(municipality, kind=GroupKind.PUBLIC_BUDGET, **overrides):
    values = dict(name_ky="Коомдук бюджет тобу", name_ru="Общественная бюджетная группа")
    values.update(overrides)
    group = CivicGroup(municipality_id=municipality.id, kind=kind, **values)
    db.session.add(group)
    db.session.commit()
    return group


def make_member(group, position=Position.MEMBER, village=None, **overrides):
    user = make_user(**overrides)
    db.session.add(GroupMember(group=group, user=user, position=position, village=village))
    db.session.commit()
    return user


def make_budget(municipality, phase=Phase.CONSULTATION, lines=2, **overrides):
    values = dict(fiscal_year=2027, phase=phase)
    values.update(overrides)
    budget = Budget(municipality_id=municipality.id, **values)
    db.session.add(budget)
    for i in range(lines):
        make_line(budget, commit=False, code=f"70{i:05d}")
    db.session.commit()
    return budget


def make_line(budget, commit=True, **overrides):
    values = dict(kind=LineKind.EXPENDITURE, code=f"7{next(_seq):06d}", name_ky="Жолдор", name_ru="Дороги",
                  category=Category.ROADS, approved_last_year=Decimal("100000"),
                  executed_last_year=Decimal("95000"), proposed=Decimal("120000.50"), note="")
    values.update(overrides)
    line = BudgetLine(budget=budget, **values)
    db.session.add(line)
    if commit:
        db.session.commit()
    return line
