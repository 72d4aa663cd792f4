"""Execution through the test client: the form, the treasury import, the public page, comments on a figure."""
import io
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets import execution
from pb.budgets.execution_models import ExecutionFigure, PeriodKind
from pb.budgets.states import Category, LineKind, Phase
from pb.comments.models import Comment
from tests import factories as f


@pytest.fixture
def place(app):
    municipality = f.make_municipality(slug="ak-dobo")
    budget = f.make_budget(municipality, Phase.MONITORING, lines=0, fiscal_year=2026)
    roads = f.make_line(budget, code="7045200", name_ky="Кышкы жол тейлөө", name_ru="Зимнее содержание дорог",
                        proposed=Decimal("200000"))
    water = f.make_line(budget, code="7063100", name_ky="Суу түтүгү", name_ru="Водопровод", category=Category.WATER,
                        proposed=Decimal("1000000"))
    tax = f.make_line(budget, code="1421100", kind=LineKind.REVENUE, category=Category.OTHER,
                      name_ky="Жайыт", name_ru="Пастбища", proposed=Decimal("400000"))
    return dict(budget=budget, roads=roads, water=water, tax=tax,
                staff=f.make_staff(municipality, language="en"), resident=f.make_user(language="ru"))


def _figures(db):
    return db.session.execute(sa.select(ExecutionFigure).order_by(ExecutionFigure.id)).scalars().all()


def _csv(text):
    return {"file": (io.BytesIO(text.encode("utf-8")), "treasury.csv")}


def test_import_with_a_bad_row_saves_nothing_and_lists_it_in_the_users_language(client, place, login_as, db):
    staff = place["staff"]
    staff.language = "ru"
    db.session.commit()
    login_as(staff)
    before = db.session.execute(sa.select(sa.func.count(AuditEntry.id))).scalar()
    response = client.post(f"/budgets/{place['budget'].id}/execution/import",
                           data=_csv("Код;Период;Исполнено\n7045200;1 квартал;50000\n7063100;5 квартал;1\n"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Файл не импортирован" in page and "Неизвестный период" in page
    assert _figures(db) == []
    assert db.session.execute(sa.select(sa.func.count(AuditEntry.id))).scalar() == before


def test_import_then_the_page_shows_planned_against_executed(client, place, login_as, db):
    login_as(place["staff"])
    response = client.post(f"/budgets/{place['budget'].id}/execution/import", data=_csv(
        "code,period,executed,note\n7045200,Q1,150000,Snowy\n7045200,Q2,80000,\n7063100,Q1,250000,\n1421100,Q1,90000,\n"))
    assert response.status_code == 302
    assert len(_figures(db)) == 4
    page = client.get(f"/budgets/{place['budget'].id}/execution").get_data(as_text=True)
    assert "230,000" in page and "over plan" in page  # 230,000 of 200,000: more than 10% over
    assert page.count('class="off-plan"') == 2  # the line, and its category (roads)
    assert "10%" in page  # the threshold is said on the page
    # a second import corrects one figure and keeps the others
    client.post(f"/budgets/{place['budget'].id}/execution/import", data=_csv("code,period,executed\n7045200,Q2,40000\n"))
    db.session.expire_all()
    assert sorted(str(fig.executed) for fig in _figures(db)) == ["150000.00", "250000.00", "40000.00", "90000.00"]


def test_under_plan_stands_out_only_once_the_year_is_over(place, db):
    budget = place["budget"]
    for period, amount in ((1, "40000"), (2, "40000")):
        db.session.add(ExecutionFigure(budget_id=budget.id, line_id=place["roads"].id, period_kind=PeriodKind.QUARTER,
                                       period=period, executed=Decimal(amount)))
    db.session.commit()
    during = execution.execution_report(budget, today=date(2026, 7, 1))
    after = execution.execution_report(budget, today=date(2027, 1, 10))
    roads = lambda report: next(r for r in report.expenditure if r.line.id == place["roads"].id)  # noqa: E731
    assert roads(during).status == "" and roads(after).status == "under"
    assert not during.year_over and after.year_over


def test_form_records_and_corrects_a_figure_and_refuses_bad_input(client, place, login_as, db):
    login_as(place["staff"])
    url = f"/lines/{place['water'].id}/execution"
    bad = client.post(url, data=dict(period="quarter-1", executed="a lot", note=""))
    assert bad.status_code == 422 and "Enter an amount in som" in bad.get_data(as_text=True)
    assert client.post(url, data=dict(period="quarter-1", executed="1000", note="")).status_code == 302
    assert client.post(url, data=dict(period="quarter-1", executed="1200.50", note="corrected")).status_code == 302
    mixed = client.post(url, data=dict(period="month-3", executed="5", note=""))
    assert mixed.status_code == 422 and "recorded by quarter" in mixed.get_data(as_text=True)
    db.session.expire_all()
    figures = _figures(db)
    assert [(fig.period, str(fig.executed), fig.note) for fig in figures] == [(1, "1200.50", "corrected")]


def test_a_resident_comments_on_a_figure(client, place, login_as, db):
    budget = place["budget"]
    figure = ExecutionFigure(budget_id=budget.id, line_id=place["water"].id, period_kind=PeriodKind.QUARTER,
                             period=2, executed=Decimal("5000"))
    db.session.add(figure)
    db.session.commit()
    login_as(place["resident"])
    page = client.get(f"/execution/{figure.id}").get_data(as_text=True)
    assert "Водопровод" in page and "5 000" in page.replace("\u00a0", " ")
    response = client.post(f"/comments/execution/{figure.id}", data=dict(body="Почему так мало?"))
    assert response.status_code == 302 and response.location.startswith(f"/execution/{figure.id}")
    assert db.session.execute(sa.select(Comment.target_type)).scalar() == "execution"
    assert "Почему так мало?" in client.get(f"/execution/{figure.id}").get_data(as_text=True)


def test_the_budget_page_links_to_execution_only_once_approved(client, place, app):
    assert f"/budgets/{place['budget'].id}/execution" in client.get(f"/budgets/{place['budget'].id}").get_data(as_text=True)
    draft_year = f.make_budget(place["budget"].municipality, Phase.CONSULTATION, fiscal_year=2027)
    assert "/execution" not in client.get(f"/budgets/{draft_year.id}").get_data(as_text=True)


def test_the_line_page_shows_its_execution_and_monitoring(client, place, login_as, db):
    budget = place["budget"]
    figure = ExecutionFigure(budget_id=budget.id, line_id=place["roads"].id, period_kind=PeriodKind.QUARTER,
                             period=1, executed=Decimal("150000"), note="Snowy winter")
    db.session.add(figure)
    db.session.commit()
    login_as(place["staff"])
    page = client.get(f"/lines/{place['roads'].id}").get_data(as_text=True)
    assert f"/execution/{figure.id}" in page and "Snowy winter" in page and "75%" in page
    assert f"/lines/{place['roads'].id}/execution" in page
    assert f"/lines/{place['roads'].id}/reports/new" not in page  # staff do not sit in a monitoring group
    consultation = f.make_budget(budget.municipality, Phase.CONSULTATION, fiscal_year=2027)
    assert 'id="execution"' not in client.get(f"/lines/{consultation.lines[0].id}").get_data(as_text=True)
