"""The monitoring PDF read back with pypdf, in both languages, and the command that writes it."""
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from pb.budgets.execution_models import ExecutionFigure, PeriodKind
from pb.extensions import db
from pb.monitoring.states import ProjectStatus, Rating
from pb.reports.monitoring_documents import monitoring_pdf
from tests import factories as f
from tests import monitoring_factories as mf


def read(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


@pytest.fixture
def budget(app):
    municipality = f.make_municipality(name_ky="Ак-Добо айыл өкмөтү", name_ru="Ак-Добинский айыл окмоту")
    budget = mf.monitoring_budget(municipality, lines=0)
    roads = f.make_line(budget, code="7045200", name_ky="Кышкы жол тейлөө", name_ru="Зимнее содержание дорог",
                        proposed=Decimal("100000"))
    db.session.add(ExecutionFigure(budget_id=budget.id, line_id=roads.id, period_kind=PeriodKind.QUARTER, period=1,
                                   executed=Decimal("150000")))
    village = f.make_village(municipality, name="Үч-Эмчек")
    pipe = mf.make_implementation(mf.make_funded(budget, village=village, title="Ичүүчү суу түтүгү"), progress=45)
    mf.make_implementation(mf.make_funded(budget, village=village, title="Көпүрө"), status=ProjectStatus.CANCELLED,
                           cancel_reason="Жер талаштуу.")
    group = mf.make_monitoring_group(municipality)
    mf.make_report(group, implementation=pipe, rating=Rating.PROBLEM, findings="Түтүктөр жеткирилген жок.",
                   answer="Июндун аягында келет.", answered_at=date(2026, 6, 12))
    mf.make_report(group, line=roads, visit_date=date(2026, 3, 1), findings="Кар тазаланды.")
    return budget


@pytest.mark.parametrize(("lang", "words"), [
    ("ky", ("Мониторинг отчету", "Ак-Добо айыл өкмөтү", "Кышкы жол тейлөө", "пландан ашты", "көйгөй бар",
            "Муниципалитет азырынча жооп бере элек")),
    ("ru", ("Отчёт мониторинга", "Ак-Добинский айыл окмоту", "Зимнее содержание дорог", "сверх плана",
            "проблема", "Муниципалитет пока не ответил")),
])
def test_monitoring_pdf_in_both_languages(budget, lang, words):
    data = monitoring_pdf(budget, lang, today=date(2026, 10, 1))
    assert data.startswith(b"%PDF")
    text = read(data)
    for word in words + ("Ичүүчү суу түтүгү", "Үч-Эмчек", "45%", "Жер талаштуу.", "Июндун аягында келет."):
        assert word in text, word


def test_monitoring_report_command(app, budget, tmp_path):
    out = tmp_path / "out.pdf"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["pb", "monitoring-report", str(budget.id), "--lang", "ru", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Отчёт мониторинга" in read(out.read_bytes())
    missing = runner.invoke(args=["pb", "monitoring-report", "999", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "999" in missing.output
    assert runner.invoke(args=["pb", "monitoring-report", "1", "--lang", "de", "-o", str(out)]).exit_code != 0
