"""Benchmark: the minutes PDF of a big hearing (python benchmarks/minutes_pdf.py).

Builds on an in-memory SQLite database a held hearing with 300 attendees, 200 questions with their
answers, 12 agenda items, 20 proposals, 10 decisions and a page of notes, then times, in Kyrgyz and in
Russian, building the minutes from the record and rendering the PDF (median of RUNS runs each).
"""
import io
import statistics
import sys
import time
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402

from config import TestConfig  # noqa: E402
from pb import create_app  # noqa: E402
from pb.budgets.models import Budget  # noqa: E402
from pb.extensions import db  # noqa: E402
from pb.hearings.models import (  # noqa: E402
    AgendaItem, Attendance, Hearing, HearingDecision, HearingProposal, HearingQuestion, MinutesRevision,
)
from pb.hearings.states import AgeBand, Gender, Outcome  # noqa: E402
from pb.places.models import Municipality, Village  # noqa: E402
from pb.proposals.models import Proposal  # noqa: E402
from pb.reports.documents import minutes_pdf  # noqa: E402

ATTENDEES = 300
QUESTIONS = 200
RUNS = 5
LIMIT_SECONDS = 3.0  # "a few seconds at most", per language


def build_hearing():
    municipality = Municipality(slug="isanov", name_ky="Исанов айыл өкмөтү", name_ru="Исановский айыл окмоту",
                                kind="aiyl_okmotu", oblast="osh", rayon="Ноокат району", population=21400)
    villages = [Village(municipality=municipality, name=name, population=5000, registered_voters=3000,
                        revenue_contribution=Decimal("1000000")) for name in ("Кара-Таш", "Сары-Булак", "Көк-Бел")]
    budget = Budget(municipality=municipality, fiscal_year=2027, phase="hearing")
    starts = datetime(2027, 2, 14, 10, 0)
    hearing = Hearing(municipality=municipality, budget=budget, kind="draft_budget", status="closed", starts_at=starts,
                      place="Кара-Таш айылындагы мектептин жыйындар залы", chair_name="Асан Токтосунов",
                      secretary_name="Гүлнара Бекова", opened_at=starts - timedelta(hours=6),
                      closed_at=starts - timedelta(hours=3), villages=villages)
    db.session.add(hearing)
    db.session.flush()
    seq = 0

    def entry(cls, **values):
        nonlocal seq
        seq += 1
        db.session.add(cls(hearing_id=hearing.id, client_key=f"b{seq}", seq=seq, device="bench", **values))

    bands = list(AgeBand)
    for i in range(ATTENDEES):
        entry(Attendance, gender=Gender.FEMALE if i % 5 < 2 else Gender.MALE, age_band=bands[i % len(bands)],
              village_id=villages[i % 4].id if i % 4 < 3 else None)
    for i in range(12):
        db.session.add(AgendaItem(hearing_id=hearing.id, position=i + 1, title=f"Күн тартибинин {i + 1}-маселеси: "
                                  "бюджеттин долбоорундагы чыгашалар", seconds_spent=300 + 60 * i))
    for i in range(QUESTIONS):
        entry(HearingQuestion, asked_by=f"Тургун {i}" if i % 3 else "", village_id=villages[i % 3].id,
              text=f"Суроо {i}: көчөнүн жарыгы жана ичүүчү суу качан оңдолот? <b>&</b> кайсы каражаттан?",
              answer="Айыл өкмөтү кийинки жылдын бюджетине киргизет; иштер жазында башталат.",
              answered_by="Айыл өкмөтүнүн башчысы")
    for i in range(20):
        proposal = Proposal(budget=budget, municipality_id=municipality.id, village=villages[i % 3], category="water",
                            title=f"Сунуш {i + 1}: арыктарды тазалоо", description="Арыктарды тазалоо.",
                            estimated_cost=Decimal(150000 + 1000 * i), status="submitted")
        db.session.add(proposal)
        db.session.flush()
        entry(HearingProposal, proposal_id=proposal.id)
    for i in range(10):
        entry(HearingDecision, motion=f"Чечим {i + 1}: сунуштар бюджеттин долбооруна киргизилсин.",
              votes_for=200 - i, votes_against=40 + i, abstentions=60, outcome=Outcome.ADOPTED)
    db.session.add(MinutesRevision(hearing_id=hearing.id, number=1, text="\n\n".join(
        ["Угуу убагында башталды; катышуучулар каттоодон өттү жана күн тартиби бекитилди."] * 12)))
    hearing.last_seq = seq
    db.session.commit()
    return hearing


def main():
    app = create_app(TestConfig)
    with app.app_context():
        db.create_all()
        hearing = build_hearing()
        minutes_pdf(hearing, "ky")  # fonts registered and caches warm, as in a running server
        results = {}
        for lang in ("ky", "ru"):
            timings = []
            for _ in range(RUNS):
                start = time.perf_counter()
                data = minutes_pdf(hearing, lang)
                timings.append(time.perf_counter() - start)
            results[lang] = (statistics.median(timings), len(data), len(PdfReader(io.BytesIO(data)).pages))
    print(f"minutes PDF, {ATTENDEES} attendees and {QUESTIONS} questions (median of {RUNS} runs, content and PDF):")
    for lang, (median, size, pages) in results.items():
        print(f"  {lang}: {median * 1000:.0f} ms, {pages} pages, {size / 1024:.0f} KiB")
    slowest = max(median for median, _size, _pages in results.values())
    if slowest > LIMIT_SECONDS:
        raise SystemExit(f"too slow: {slowest:.2f} s > {LIMIT_SECONDS} s")


if __name__ == "__main__":
    main()
