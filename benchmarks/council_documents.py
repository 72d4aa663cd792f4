"""Benchmark: the approved-budget summary and the citizen budget of the demo (python benchmarks/council_documents.py).

Loads the demo into an in-memory SQLite database (as `flask pb seed-demo` does), then times, in Kyrgyz and
in Russian, reading Isanov's approved 2027 budget through the services and rendering each document as PDF
(median of RUNS runs each, fonts already registered, as in a running server). Fails over LIMIT_SECONDS.
"""
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from config import TestConfig  # noqa: E402
from pb import create_app  # noqa: E402
from pb.budgets.models import Budget  # noqa: E402
from pb.budgets.states import Phase  # noqa: E402
from pb.demo.seed import load_demo  # noqa: E402
from pb.extensions import db  # noqa: E402
from pb.reports.documents import citizen_pdf, summary_pdf  # noqa: E402

RUNS = 5
LIMIT_SECONDS = 1.0  # each document, each language


def main():
    app = create_app(TestConfig)
    with app.app_context():
        db.create_all()
        load_demo()
        budget_id = db.session.execute(sa.select(Budget.id).where(Budget.phase == Phase.APPROVED)).scalar_one()
        summary_pdf(db.session.get(Budget, budget_id), "ky")  # fonts registered, as in a running server
        results = {}
        for name, render in (("summary", summary_pdf), ("citizen budget", citizen_pdf)):
            for lang in ("ky", "ru"):
                timings = []
                for _ in range(RUNS):
                    db.session.expire_all()  # each run reads the budget afresh, as a request would
                    start = time.perf_counter()
                    data = render(db.session.get(Budget, budget_id), lang)
                    timings.append(time.perf_counter() - start)
                pages = len(PdfReader(io.BytesIO(data)).pages)
                results[(name, lang)] = (statistics.median(timings), max(timings), pages, len(data))
    print(f"council documents of the demo's approved budget (median and slowest of {RUNS} runs, reading and PDF):")
    for (name, lang), (median, slowest, pages, size) in results.items():
        plural = "s" if pages != 1 else ""
        print(f"  {name} {lang}: {median * 1000:.0f} ms (slowest {slowest * 1000:.0f} ms), {pages} page{plural}, "
              f"{size / 1024:.0f} KiB")
    slowest = max(median for median, *_rest in results.values())
    if slowest > LIMIT_SECONDS:
        raise SystemExit(f"too slow: {slowest:.2f} s > {LIMIT_SECONDS} s")


if __name__ == "__main__":
    main()
