"""The monitoring demo: Ak-Dobo's 2026 budget with three quarters, two projects and an answered report."""
from pb.accounts.identifiers import normalize_phone
from pb.budgets import execution
from pb.budgets.states import Phase
from pb.demo.monitoring import load_demo_monitoring
from pb.demo.seed import MUNICIPALITIES
from pb.groups.models import GroupKind, Position
from pb.monitoring import projects, reports
from pb.monitoring.states import ProjectStatus
from pb.reports.monitoring_documents import monitoring_pdf
from tests import factories as f


def test_demo_monitoring_year(app):
    spec = next(m for m in MUNICIPALITIES if m["slug"] == "ak-dobo")
    ak = f.make_municipality(slug="ak-dobo", name_ky=spec["name_ky"], name_ru=spec["name_ru"])
    villages = [f.make_village(ak, name=name) for name, *_rest in spec["villages"]]
    f.make_user(email="admin@ashar.kg", is_admin=True)
    f.make_staff(ak, email="finance@ak-dobo.kg")
    f.make_staff(ak, role="council", email="deputy@ak-dobo.kg")
    f.make_member(f.make_group(ak), Position.CHAIR, villages[0], email="chair@ak-dobo.kg")
    f.make_group(ak, GroupKind.MONITORING)
    f.make_user(phone=normalize_phone("0555123456"), email=None, village_id=villages[0].id)

    budget = load_demo_monitoring(ak)

    assert budget.phase == Phase.MONITORING and budget.fiscal_year == 2026
    report = execution.execution_report(budget)
    assert report.periods == (1, 2, 3) and report.off_plan
    records = projects.list_projects(budget).records
    assert sorted((r.status, r.progress) for r in records) == [(ProjectStatus.DELAYED, 40), (ProjectStatus.DONE, 100)]
    filed = reports.list_reports(budget=budget)
    assert len(filed) == 2 and sum(1 for r in filed if r.answer) == 1
    for lang in ("ky", "ru"):
        assert monitoring_pdf(budget, lang).startswith(b"%PDF")
