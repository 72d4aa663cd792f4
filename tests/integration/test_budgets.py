"""Budgets through HTTP: import, phases, versions, pages."""
import io
from decimal import Decimal

import sqlalchemy as sa

from pb.budgets.models import BudgetLine, BudgetVersion
from pb.budgets.states import Phase
from pb.groups.models import Position
from tests import factories as f

HEADER = "kind,code,name_ky,name_ru,category,approved_last_year,executed_last_year,proposed,note\n"


def upload(client, budget, name, text):
    return client.post(f"/budgets/{budget.id}/import",
                       data=dict(file=(io.BytesIO(text.encode("utf-8")), name)),
                       content_type="multipart/form-data")


def line_count(db, budget):
    return db.session.execute(sa.select(sa.func.count(BudgetLine.id)).where(BudgetLine.budget_id == budget.id)).scalar()


def test_import_with_bad_rows_lists_every_problem_and_saves_nothing(client, login_as, db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.DRAFT, lines=3)
    login_as(f.make_staff(municipality))
    text = HEADER + (
        "revenue,1111,Салык,Налог,other,100,90,120,\n"
        "expenditure,7011,Аппарат,Аппарат,mystery,100,90,abc,\n"
        "spending,7012,,Х,roads,-5,0,10,\n"
    )
    response = upload(client, budget, "draft.csv", text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "mystery" in page and "abc" in page
    # rows 3 and 4 are named in the table of problems
    assert "<td>3</td>" in page and "<td>4</td>" in page
    assert line_count(db, budget) == 3


def test_import_good_file_replaces_lines_exactly(client, login_as, db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.DRAFT, lines=3)
    login_as(f.make_staff(municipality))
    text = HEADER + "revenue,1111,Салык,Налог,other,100,90,120.55,\nexpenditure,7011,Аппарат,Аппарат,administration,100,90,80,Эскертүү\n"
    response = upload(client, budget, "draft.csv", text)
    assert response.status_code == 302
    lines = db.session.execute(sa.select(BudgetLine).where(BudgetLine.budget_id == budget.id)).scalars().all()
    assert sorted(line.proposed for line in lines) == [Decimal("80.00"), Decimal("120.55")]


def test_import_of_unreadable_file_gives_a_message(client, login_as, db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.DRAFT, lines=1)
    login_as(f.make_staff(municipality))
    response = client.post(f"/budgets/{budget.id}/import", data=dict(file=(io.BytesIO(b"PK\x03\x04garbage"), "x.xlsx")),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert line_count(db, budget) == 1


def test_export_then_import_round_trips(client, login_as, db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.DRAFT, lines=4)
    login_as(f.make_staff(municipality))
    data = client.get(f"/budgets/{budget.id}/export.xlsx").data
    before = sorted((line.code, line.proposed) for line in budget.lines)
    response = client.post(f"/budgets/{budget.id}/import", data=dict(file=(io.BytesIO(data), "b.xlsx")),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    lines = db.session.execute(sa.select(BudgetLine).where(BudgetLine.budget_id == budget.id)).scalars()
    assert sorted((line.code, line.proposed) for line in lines) == before


def test_leaving_draft_publishes_a_version_and_edits_make_the_next(client, login_as, db):
    municipality = f.make_municipality()
    group = f.make_group(municipality)
    budget = f.make_budget(municipality, Phase.DRAFT, lines=2)
    chair = f.make_member(group, Position.CHAIR)
    login_as(chair)
    client.post(f"/budgets/{budget.id}/phase", data=dict(to="consultation", expected="draft"))
    db.session.refresh(budget)
    assert budget.phase == Phase.CONSULTATION
    assert [v.number for v in budget.versions] == [1]
    line = budget.lines[0]
    client.post(f"/lines/{line.id}/edit", data=dict(
        kind="expenditure", code=line.code, name_ky=line.name_ky, name_ru=line.name_ru, category="water",
        approved_last_year="100000", executed_last_year="95000", proposed="999999"))
    client.post(f"/budgets/{budget.id}/publish", data=dict(comment="суу"))
    page = client.get(f"/budgets/{budget.id}/versions?a=1&b=2").get_data(as_text=True)
    assert "999 999" in page.replace("\u00a0", " ") or "999,999" in page
    versions = db.session.execute(sa.select(BudgetVersion).where(BudgetVersion.budget_id == budget.id)).scalars().all()
    assert [v.number for v in versions] == [1, 2]


def test_council_approves_only_by_recording_the_decision(client, login_as, db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.CONSULTATION)
    council = f.make_staff(municipality, role="council")
    login_as(council)
    assert client.post(f"/budgets/{budget.id}/phase", data=dict(to="hearing")).status_code == 403
    budget.phase = Phase.APPROVAL
    db.session.commit()
    # the phase form cannot approve: the approval page records the session and makes the lines
    assert client.post(f"/budgets/{budget.id}/phase", data=dict(to="approved", expected="approval")).status_code == 403
    db.session.refresh(budget)
    assert budget.phase == Phase.APPROVAL
    page = client.get(f"/budgets/{budget.id}").get_data(as_text=True)
    assert f"/budgets/{budget.id}/approve" in page


def test_phase_change_on_a_stale_page_is_refused(client, login_as, db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.HEARING)
    login_as(f.make_staff(municipality))
    client.post(f"/budgets/{budget.id}/phase", data=dict(to="voting", expected="consultation"))
    db.session.refresh(budget)
    assert budget.phase == Phase.HEARING


def test_lines_are_frozen_after_the_hearing(client, login_as, db):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality, Phase.APPROVAL)
    login_as(f.make_staff(municipality))
    assert client.get(f"/budgets/{budget.id}/import").status_code == 403


def test_budget_page_shows_totals_categories_and_per_resident(client):
    municipality = f.make_municipality(population=1000)
    budget = f.make_budget(municipality, Phase.CONSULTATION, lines=0)
    f.make_line(budget, kind="revenue", category="other", proposed=Decimal("500000"))
    f.make_line(budget, category="water", proposed=Decimal("300000"))
    f.make_line(budget, category="roads", proposed=Decimal("100000"))
    page = client.get(f"/budgets/{budget.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    page = page.replace("\u00a0", " ")
    assert "500 000" in page and "400 000" in page  # revenue, expenditure
    assert "<svg" in page and ("75,0%" in page or "75.0%" in page)  # water's share, also drawn as a bar
    assert "400 сом" in page or "400 som" in page  # 400 000 of expenditure / 1000 residents


def test_budget_page_of_500_lines_stays_under_150_kb(client, app, db):
    municipality = f.make_municipality(name_ky="Ак-Добо айыл өкмөтү")
    budget = f.make_budget(municipality, Phase.CONSULTATION, lines=0)
    for i in range(500):
        f.make_line(budget, commit=False, code=f"{7000000 + i}", name_ky="Айыл ичиндеги жолдорду шагыл менен төшөө",
                    name_ru="Гравирование внутрисельских дорог", note="бар" if i % 3 else "")
    db.session.commit()
    html = client.get(f"/budgets/{budget.id}").data
    response = client.get("/static/css/ashar.css")
    css = response.data
    response.close()
    assert html.count(b"<tr>") >= 500
    assert len(html) + len(css) < 150 * 1024, len(html) + len(css)
