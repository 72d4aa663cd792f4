"""Benchmark: weight and render time of a 500-line budget page (python benchmarks/budget_page.py).

Prints the HTML and CSS bytes a phone downloads (fonts and cached assets aside) and the median
time to render the page through the test client on an in-memory SQLite database.
"""
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import TestConfig  # noqa: E402
from pb import create_app  # noqa: E402
from pb.budgets.models import Budget, BudgetLine  # noqa: E402
from pb.extensions import db  # noqa: E402
from pb.places.models import Municipality  # noqa: E402

LINES = 500
RUNS = 20


def main():
    app = create_app(TestConfig)
    with app.app_context():
        db.create_all()
        municipality = Municipality(slug="bench", name_ky="Ак-Добо айыл өкмөтү", name_ru="Ак-Добо",
                                    kind="aiyl_okmotu", oblast="talas", population=8650)
        budget = Budget(municipality=municipality, fiscal_year=2027, phase="consultation")
        db.session.add(budget)
        for i in range(LINES):
            db.session.add(BudgetLine(
                budget=budget, kind="revenue" if i < 40 else "expenditure", code=str(7000000 + i),
                name_ky="Айыл ичиндеги жолдорду шагыл менен төшөө", name_ru="Гравирование внутрисельских дорог",
                category=["roads", "water", "education", "culture", "waste"][i % 5],
                approved_last_year=Decimal("1250000.00"), executed_last_year=Decimal("1190000.00"),
                proposed=Decimal("1312500.50"), note="бар" if i % 3 else ""))
        db.session.commit()
        client = app.test_client()
        url = f"/budgets/{budget.id}"
        html = client.get(url).data
        css_response = client.get("/static/css/ashar.css")
        css = css_response.data
        css_response.close()
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - start)
    print(f"budget page, {LINES} lines: HTML {len(html) / 1024:.1f} KiB + CSS {len(css) / 1024:.1f} KiB "
          f"= {(len(html) + len(css)) / 1024:.1f} KiB (limit 150 KiB)")
    print(f"render time: median {statistics.median(timings) * 1000:.0f} ms over {RUNS} runs")


if __name__ == "__main__":
    main()
