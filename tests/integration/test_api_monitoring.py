"""The API's execution, funded projects and monitoring reports: what the public pages show, as documented."""
from datetime import date
from decimal import Decimal

import pytest

from pb.api.spec import PREFIX, openapi_path
from pb.budgets import execution
from pb.budgets.states import Category, LineKind, Phase
from pb.monitoring import reports
from pb.monitoring.models import Milestone, MonitoringPhoto
from pb.monitoring.states import ProjectStatus, Rating
from tests import factories as f
from tests import monitoring_factories as mf
from tests.integration.test_api import _json, _validator, app_rule

EMAIL = "monitor.private@example.kg"


@pytest.fixture
def w(app, db):
    ak = f.make_municipality(slug="ak-dobo")
    village = f.make_village(ak, name="Ак-Добо")
    budget = mf.monitoring_budget(ak, lines=0)
    roads = f.make_line(budget, code="7045200", name_ky="Кышкы жол тейлөө", name_ru="Зимнее содержание дорог",
                        category=Category.ROADS, proposed=Decimal("200000"))
    water = f.make_line(budget, code="7063100", name_ky="Суу түтүгү", name_ru="Водопровод", category=Category.WATER,
                        proposed=Decimal("1000000"))
    tax = f.make_line(budget, code="1421100", kind=LineKind.REVENUE, category=Category.OTHER, name_ky="Жайыт",
                      name_ru="Пастбища", proposed=Decimal("400000"))
    staff = f.make_staff(ak)
    for line, period, amount, note in ((roads, 1, "150000", "Кар көп"), (roads, 2, "80000", ""),
                                       (water, 1, "250000", ""), (tax, 1, "90000.50", "")):
        execution.record_figure(staff, line, {"period": f"quarter-{period}", "executed": amount, "note": note})
    pipe = mf.make_implementation(
        mf.make_funded(budget, village=village, title="Суу түтүгү", estimated_cost=Decimal("850000")),
        contractor="Суу-Курулуш ЖЧК", planned_start=date(2026, 4, 1), planned_end=date(2026, 8, 31),
        actual_start=date(2026, 4, 20), spent=Decimal("340000.50"), contribution_delivered=Decimal("40000"),
        progress=40, status=ProjectStatus.DELAYED)
    db.session.add_all([Milestone(implementation=pipe, title="Траншея", planned_date=date(2026, 5, 15),
                                  done_date=date(2026, 5, 28)),
                        Milestone(implementation=pipe, title="Түтүктөр", planned_date=date(2026, 7, 15)),
                        MonitoringPhoto(implementation=pipe, name="abc123.jpg", width=1600, height=1200, size=900)])
    db.session.commit()
    monitor = f.make_user(email=EMAIL)
    group = mf.make_monitoring_group(ak, [monitor])
    on_pipe = mf.make_report(group, implementation=pipe, visit_date=date(2026, 8, 20), rating=Rating.CONCERNS,
                             findings="Түтүктөрдүн жарымы гана.", author_id=monitor.id)
    reports.answer_report(staff, on_pipe, "Түтүктөр 10-сентябрда келет.")
    on_roads = mf.make_report(group, line=roads, visit_date=date(2026, 9, 1), rating=Rating.PROBLEM,
                              findings="Жол тазаланган эмес.", author_id=monitor.id)
    consultation = f.make_budget(ak, Phase.CONSULTATION, lines=1, fiscal_year=2027)
    draft = f.make_budget(ak, Phase.DRAFT, lines=1, fiscal_year=2028)
    hidden = mf.make_implementation(mf.make_funded(draft, village=village))
    return dict(budget=budget, roads=roads, water=water, tax=tax, pipe=pipe, on_pipe=on_pipe, on_roads=on_roads,
                consultation=consultation, draft=draft, hidden=hidden, hidden_report=mf.make_report(group, hidden))


def _urls(w):
    b = w["budget"].id
    return {"api.show_execution": f"{PREFIX}/budgets/{b}/execution",
            "api.list_projects": f"{PREFIX}/budgets/{b}/projects",
            "api.show_project": f"{PREFIX}/projects/{w['pipe'].id}",
            "api.list_monitoring_reports": f"{PREFIX}/budgets/{b}/monitoring-reports",
            "api.show_monitoring_report": f"{PREFIX}/monitoring-reports/{w['on_pipe'].id}"}


def test_execution_gives_planned_against_executed_per_line_period_and_category(client, w):
    body = _json(client, f"{PREFIX}/budgets/{w['budget'].id}/execution")
    assert body["period_kind"] == "quarter" and body["periods"] == [1, 2] and body["off_plan_threshold"] == "0.10"
    assert body["totals"] == {"revenue": {"planned": "400000.00", "executed": "90000.50"},
                              "expenditure": {"planned": "1200000.00", "executed": "480000.00"}}
    lines = {line["code"]: line for line in body["lines"]}
    assert [line["kind"] for line in body["lines"]] == ["revenue", "expenditure", "expenditure"]
    roads = lines["7045200"]
    assert (roads["planned"], roads["executed"], roads["status"]) == ("200000.00", "230000.00", "over")
    assert [(p["period"], p["executed"], p["note"]) for p in roads["periods"]] == [
        (1, "150000.00", "Кар көп"), (2, "80000.00", "")]
    assert "/execution/" in roads["periods"][0]["links"]["page"] and roads["name_ru"] == "Зимнее содержание дорог"
    assert lines["7063100"]["status"] is None and lines["1421100"]["executed"] == "90000.50"
    assert {c["category"]: (c["executed"], c["status"]) for c in body["categories"]} == {
        "water": ("250000.00", None), "roads": ("230000.00", "over")}
    assert body["links"]["page"].endswith(f"/budgets/{w['budget'].id}/execution")


def test_execution_is_not_found_before_approval_or_for_a_draft(client, w):
    before = _json(client, f"{PREFIX}/budgets/{w['consultation'].id}/execution", 404, **{"Accept-Language": "en"})
    assert before["error"]["code"] == "not_found" and "approves" in before["error"]["message"]
    assert _json(client, f"{PREFIX}/budgets/{w['draft'].id}/execution", 404)["error"]["code"] == "not_found"


def test_projects_show_status_progress_dates_money_and_milestones(client, w):
    listed = _json(client, f"{PREFIX}/budgets/{w['budget'].id}/projects")
    assert listed["total"] == 1
    body = listed["items"][0]
    assert body == _json(client, f"{PREFIX}/projects/{w['pipe'].id}")
    assert body["proposal"]["title"] == "Суу түтүгү" and body["proposal"]["village"]["name"] == "Ак-Добо"
    assert (body["status"], body["progress"], body["contractor"]) == ("delayed", 40, "Суу-Курулуш ЖЧК")
    assert (body["planned_start"], body["planned_end"], body["actual_start"], body["actual_end"]) == (
        "2026-04-01", "2026-08-31", "2026-04-20", None)
    assert (body["planned_cost"], body["spent"], body["contribution_delivered"]) == (
        "850000.00", "340000.50", "40000.00")
    assert body["milestones"] == [{"title": "Траншея", "planned_date": "2026-05-15", "done_date": "2026-05-28"},
                                  {"title": "Түтүктөр", "planned_date": "2026-07-15", "done_date": None}]
    assert body["photos"][0]["url"].endswith("/monitoring-photos/abc123.jpg")
    assert client.get(body["links"]["proposal"]).get_json()["id"] == w["pipe"].proposal_id


def test_monitoring_reports_carry_their_answer_and_filter_by_rating(client, w):
    url = f"{PREFIX}/budgets/{w['budget'].id}/monitoring-reports"
    listed = _json(client, url)["items"]
    assert [r["id"] for r in listed] == [w["on_roads"].id, w["on_pipe"].id]  # latest visit first
    roads, pipe = listed
    assert roads["subject"] == {"kind": "line", "project_id": None, "line_id": w["roads"].id, "code": "7045200",
                                "name_ky": "Кышкы жол тейлөө", "name_ru": "Зимнее содержание дорог"}
    assert roads["answer"] is None and roads["rating"] == "problem" and roads["links"]["project"] is None
    assert pipe["subject"]["kind"] == "project" and pipe["subject"]["project_id"] == w["pipe"].id
    assert pipe["answer"]["text"] == "Түтүктөр 10-сентябрда келет." and pipe["answer"]["answered_at"].endswith("Z")
    assert pipe["group"]["name_ky"] == "Мониторинг тобу" and pipe["visit_date"] == "2026-08-20"
    assert [r["id"] for r in _json(client, f"{url}?rating=concerns")["items"]] == [w["on_pipe"].id]
    assert _json(client, f"{url}?rating=fine", 400)["error"]["parameter"] == "rating"
    assert EMAIL not in client.get(url).get_data(as_text=True)


def test_drafts_projects_and_reports_are_not_found(client, login_as, w):
    login_as(f.make_user(is_admin=True))  # the API answers as it would to anyone
    for path in (f"/budgets/{w['draft'].id}/projects", f"/projects/{w['hidden'].id}", "/projects/999999",
                 f"/budgets/{w['draft'].id}/monitoring-reports", f"/monitoring-reports/{w['hidden_report'].id}",
                 "/monitoring-reports/999999"):
        assert _json(client, PREFIX + path, 404)["error"]["code"] == "not_found", path


def test_monitoring_answers_and_examples_match_their_schemas_and_give_etags(client, w):
    spec = _json(client, f"{PREFIX}/openapi.json")
    for endpoint, url in _urls(w).items():
        path = openapi_path(app_rule(client, endpoint))[0]
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        validator = _validator(spec, content["schema"])
        response = client.get(url)
        validator.validate(response.get_json())
        validator.validate(content["example"])
        assert client.get(url, headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    assert "Monitoring" in {tag["name"] for tag in spec["tags"]}


def test_the_api_page_lists_the_monitoring_objects(client, w):
    page = client.get("/api").get_data(as_text=True)
    for anchor in ("object-execution", "object-project", "object-monitoringreport"):
        assert f'id="{anchor}"' in page, anchor
    assert f"GET {PREFIX}/budgets/{{budget_id}}/execution</code>" in page
