"""Funded projects and monitoring reports through the test client, on each database."""
import io

import pytest
import sqlalchemy as sa

from pb.budgets.models import Budget
from pb.groups.models import CivicGroup
from pb.monitoring import projects
from pb.places.models import Village
from pb.monitoring.models import Implementation, MonitoringReport
from pb.proposals.states import Status
from tests import factories as f
from tests import monitoring_factories as mf
from tests import proposal_factories as pf


@pytest.fixture
def place(app):
    municipality = f.make_municipality(slug="ak-dobo")
    budget = mf.monitoring_budget(municipality)
    villages = [f.make_village(municipality, name=name) for name in ("Ак-Добо", "Бекмолдо")]
    member = f.make_user(language="ru")
    return dict(budget=budget, villages=villages, staff=f.make_staff(municipality, language="ru"), member=member,
                group=mf.make_monitoring_group(municipality, [member]),
                pipe=mf.make_funded(budget, village=villages[0], title="Суу түтүгү"),
                lights=mf.make_funded(budget, village=villages[1], title="Көчө жарыгы"))


def test_staff_start_a_record_bad_input_is_refused_in_the_users_language(client, place, login_as, db):
    login_as(place["staff"])
    url = f"/proposals/{place['pipe'].id}/implementation"
    bad = client.post(url, data=dict(responsible_body="", planned_cost="250000", progress="20", status="cancelled"))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Укажите причину отмены" in page
    assert db.session.execute(sa.select(Implementation)).first() is None
    good = client.post(url, data=dict(responsible_body="Айыл өкмөтү", contractor="Суу-Курулуш ЖЧК",
                                      planned_start="2026-04-01", planned_end="2026-09-30", planned_cost="250000",
                                      spent="120000", contribution_delivered="20000", progress="45",
                                      status="in_progress"))
    assert good.status_code == 302
    record = db.session.execute(sa.select(Implementation)).scalar_one()
    assert record.progress == 45 and place["pipe"].status == Status.IN_PROGRESS
    page = client.get(good.location).get_data(as_text=True)
    assert "Суу-Курулуш ЖЧК" in page and "45%" in page


def test_projects_list_and_printable_view_by_village(client, place, db):
    mf.make_implementation(place["pipe"])
    mf.make_implementation(place["lights"], progress=100, status=mf.ProjectStatus.DONE)
    listing = client.get(f"/budgets/{place['budget'].id}/projects").get_data(as_text=True)
    assert "Суу түтүгү" in listing and "Көчө жарыгы" in listing
    printed = client.get(f"/budgets/{place['budget'].id}/projects/print").get_data(as_text=True)
    assert printed.index("<h2>Ак-Добо</h2>") < printed.index("Суу түтүгү") < printed.index("<h2>Бекмолдо</h2>")
    assert printed.index("<h2>Бекмолдо</h2>") < printed.index("Көчө жарыгы")


def test_a_member_files_a_report_with_a_photo_and_the_municipality_answers(client, place, login_as, db):
    record = mf.make_implementation(place["pipe"])
    login_as(place["member"])
    response = client.post(f"/projects/{record.id}/reports/new", data=dict(
        group_id=str(place["group"].id), visit_date="2026-06-10", findings="Траншея казылды, түтүктөр жок.",
        rating="problem", recommendations="Түтүктөрдү тез алуу.",
        photos=[(io.BytesIO(pf.image_bytes("JPEG", exif=pf.gps_exif())), "visit.jpg")]))
    assert response.status_code == 302
    report = db.session.execute(sa.select(MonitoringReport)).scalar_one()
    assert len(report.photos) == 1
    photo = client.get(f"/monitoring-photos/{report.photos[0].name}")
    assert photo.status_code == 200 and b"GPS" not in photo.data
    photo.close()
    login_as(place["staff"])
    assert client.post(f"/monitoring-reports/{report.id}/answer", data=dict(answer="")).status_code == 422
    assert client.post(f"/monitoring-reports/{report.id}/answer",
                       data=dict(answer="Түтүктөр 20-июнда келет.")).status_code == 302
    login_as(None)
    page = client.get(f"/monitoring-reports/{report.id}").get_data(as_text=True)
    assert "Траншея казылды" in page and "Түтүктөр 20-июнда келет." in page
    assert "rating-problem" in page
    assert "Траншея" not in client.get(f"/projects/{record.id}").get_data(as_text=True)  # the list shows dates
    assert f"/monitoring-reports/{report.id}" in client.get(f"/budgets/{place['budget'].id}/monitoring").get_data(as_text=True)


def test_a_bad_photo_files_nothing(client, place, login_as, db):
    login_as(place["member"])
    line = place["budget"].lines[0]
    response = client.post(f"/lines/{line.id}/reports/new", data=dict(
        group_id=str(place["group"].id), visit_date="2026-06-10", findings="Көрдүк.", rating="on_track",
        photos=[(io.BytesIO(b"not an image"), "x.jpg")]))
    assert response.status_code == 422 and "x.jpg" in response.get_data(as_text=True)
    assert db.session.execute(sa.select(MonitoringReport)).first() is None


def test_next_budget_from_this_one_shows_last_years_results(client, place, login_as, db):
    mf.make_implementation(place["pipe"], progress=60)
    login_as(place["staff"])
    page = client.get(f"/budgets/{place['budget'].id}").get_data(as_text=True)
    assert f"/budgets/{place['budget'].id}/next" in page
    response = client.post(f"/budgets/{place['budget'].id}/next", data=dict(fiscal_year="2027"))
    assert response.status_code == 302
    again = client.post(f"/budgets/{place['budget'].id}/next", data=dict(fiscal_year="2027"))
    assert again.status_code == 422
    new_page = client.get(response.location).get_data(as_text=True)
    assert "Суу түтүгү" in new_page and "60%" in new_page and "Көчө жарыгы" in new_page


def test_bad_dates_and_numbers_get_a_message_in_the_users_language(client, place, login_as, db):
    record = mf.make_implementation(place["pipe"])
    login_as(place["member"])
    response = client.post(f"/projects/{record.id}/reports/new", data=dict(
        group_id="x", visit_date="31.02.2026", findings="Көрдүк.", rating="on_track"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Введите дату в виде 2027-05-31." in page and "Выберите свою группу мониторинга." in page
    login_as(place["staff"])
    bad = client.post(f"/proposals/{place['pipe'].id}/implementation", data=dict(
        responsible_body="Айыл өкмөтү", planned_cost="250000", progress="half", status="in_progress",
        planned_start="2026-02-30"))
    assert bad.status_code == 422
    assert "Введите процент от 0 до 100." in bad.get_data(as_text=True)
    assert record.progress == 20
    milestone = projects.add_milestone(place["staff"], record, "Түтүк", "2026-07-01")
    response = client.post(f"/milestones/{milestone.id}/done", data={"d-done_date": "soon"}, follow_redirects=True)
    assert "Введите дату в виде 2027-05-31." in response.get_data(as_text=True)
    db.session.expire_all()
    assert milestone.done_date is None


def _statements(db, client, url):
    """(status, number of SQL statements) of a GET, with the session emptied first as a new request's is."""
    seen = []

    def count(*_args):
        seen.append(1)

    db.session.expunge_all()
    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        status = client.get(url).status_code
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return status, len(seen)


def test_projects_pages_load_their_details_with_the_list_not_one_project_at_a_time(client, place, db):
    budget_id, village_ids = place["budget"].id, [v.id for v in place["villages"]]
    group_id = mf.make_monitoring_group(place["budget"].municipality).id

    def add_projects(count):
        budget, group = db.session.get(Budget, budget_id), db.session.get(CivicGroup, group_id)
        for i in range(count):
            village = db.session.get(Village, village_ids[i % 2])
            record = mf.make_implementation(mf.make_funded(budget, village=village, title=f"Долбоор {i}"))
            mf.make_report(group, implementation=record)
            mf.make_funded(budget, village=village, title=f"Күтүүдө {i}")  # funded, waiting for its record

    urls = (f"/budgets/{budget_id}/projects", f"/budgets/{budget_id}/projects/print",
            f"/api/v1/budgets/{budget_id}/projects", f"/api/v1/budgets/{budget_id}/monitoring-reports",
            f"/budgets/{budget_id}/monitoring")
    add_projects(1)
    few = [_statements(db, client, url) for url in urls]
    add_projects(6)
    many = [_statements(db, client, url) for url in urls]
    assert all(status == 200 for status, _n in few + many)
    assert [n for _s, n in many] == [n for _s, n in few]


def test_residents_comment_on_a_report_and_staff_answer_officially(client, place, login_as, db):
    from pb.comments.models import Comment

    report = mf.make_report(place["group"], implementation=mf.make_implementation(place["pipe"]))
    resident = f.make_user(language="ru")
    login_as(resident)
    page = client.get(f"/monitoring-reports/{report.id}").get_data(as_text=True)
    assert f'action="/comments/monitoring_report/{report.id}"' in page
    response = client.post(f"/comments/monitoring_report/{report.id}", data=dict(body="Когда привезут трубы?"))
    assert response.status_code == 302 and response.location.startswith(f"/monitoring-reports/{report.id}")
    question = db.session.execute(sa.select(Comment)).scalar_one()
    assert question.target_type == "monitoring_report" and question.municipality_id == report.municipality_id
    thread = client.get(f"/comments/monitoring_report/{report.id}").get_data(as_text=True)
    assert "Когда привезут трубы?" in thread and "Отчёт мониторинга" in thread  # the thread's title, in Russian
    login_as(place["staff"])
    client.post(f"/comments/monitoring_report/{report.id}", data=dict(body="В июне.", parent_id=str(question.id)))
    answer = db.session.execute(sa.select(Comment).where(Comment.parent_id == question.id)).scalar_one()
    assert client.post(f"/comments/{answer.id}/official").status_code in (200, 302)
    assert db.session.get(Comment, answer.id).is_official


def test_a_report_on_a_draft_budget_takes_no_comment_from_outside(client, place, login_as, db):
    from pb.comments.models import Comment

    draft = f.make_budget(place["budget"].municipality, mf.Phase.DRAFT, fiscal_year=2028)
    report = mf.make_report(place["group"], implementation=mf.make_implementation(mf.make_funded(draft)))
    login_as(f.make_user())
    assert client.get(f"/comments/monitoring_report/{report.id}").status_code == 404
    assert client.post(f"/comments/monitoring_report/{report.id}", data=dict(body="?")).status_code in (403, 404)
    assert db.session.execute(sa.select(Comment)).first() is None
