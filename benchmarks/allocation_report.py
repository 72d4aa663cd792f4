"""Benchmark: the allocation report of the demo's Zulpuev round (python benchmarks/allocation_report.py).

Loads the demo (`flask pb seed-demo`'s data) into an in-memory SQLite database, takes the closed Zulpuev
round (village quotas, Equal Shares completed by votes: the issue's example), then times, in Kyrgyz and
in Russian, what `flask pb allocation-report` and the PDF link do: reading the kept outcome, the counts,
turnout and villages, and rendering the A4 PDF (median of RUNS runs each). It also times recomputing the
outcome from the ballots, which the close does once.
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
from pb.demo.seed import load_demo  # noqa: E402
from pb.extensions import db  # noqa: E402
from pb.places.models import Municipality  # noqa: E402
from pb.reports.documents import allocation_pdf  # noqa: E402
from pb.voting import outcomes  # noqa: E402
from pb.voting import services as voting  # noqa: E402

RUNS = 5
LIMIT_SECONDS = 1.0  # the issue: under a second for the demo round


def _median(action):
    timings, result = [], None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def main():
    app = create_app(TestConfig)
    with app.app_context():
        db.create_all()
        load_demo()
        zulpuev = db.session.execute(sa.select(Municipality).where(Municipality.slug == "zulpuev")).scalar_one()
        round_ = voting.list_rounds(zulpuev.id)[0]
        allocation_pdf(round_, "ky")  # fonts registered and caches warm, as in a running server
        results = {}
        for lang in ("ky", "ru"):
            db.session.expire_all()  # each run reads the round afresh, as a request does
            median, data = _median(lambda: allocation_pdf(round_, lang))
            results[lang] = (median, len(data), len(PdfReader(io.BytesIO(data)).pages))
        recompute, _outcome = _median(lambda: outcomes.compute_outcome(round_))
        entries, ballots = len(round_.entries), round_.outcome.ballots
    print(f"allocation report of the demo's Zulpuev round ({entries} proposals, {ballots} ballots, village quotas "
          f"and Equal Shares; median of {RUNS} runs):")
    for lang, (median, size, pages) in results.items():
        print(f"  {lang}: {median * 1000:.0f} ms, {pages} pages, {size / 1024:.0f} KiB")
    print(f"  recomputing the outcome from the ballots: {recompute * 1000:.0f} ms")
    slowest = max(median for median, _size, _pages in results.values())
    if slowest > LIMIT_SECONDS:
        raise SystemExit(f"too slow: {slowest:.2f} s > {LIMIT_SECONDS} s")


if __name__ == "__main__":
    main()
