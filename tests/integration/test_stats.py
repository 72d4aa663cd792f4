"""Hearing statistics per year, per municipality and for the platform, on each database."""
from datetime import datetime
from fractions import Fraction

import pytest

from pb.budgets.states import Phase
from pb.hearings import stats
from pb.hearings.states import AgeBand, Gender, HearingStatus
from pb.proposals.states import Status
from tests import factories as f
from tests import minutes_factories as mf
from tests import proposal_factories as pf


@pytest.fixture
def record(app):
    """Nookat: the known 2027 hearing (48 people) and a 2026 one; Ak-Dobo: one in 2027; others not held."""
    nookat = f.make_municipality(slug="janynookat")
    mf.make_held_hearing(nookat)  # 2027: 48 people, 28 women, 21 young, 3 questions, 2 proposals, 1 selected
    budget = f.make_budget(nookat, Phase.HEARING, lines=0, fiscal_year=2026)
    village = nookat.villages[0]
    earlier = mf.make_hearing(nookat, starts_at=datetime(2026, 3, 1, 14, 0))
    mf.add_attendance(earlier, Gender.FEMALE, AgeBand.FROM_18_TO_29, village, 4)
    mf.add_attendance(earlier, Gender.MALE, AgeBand.FROM_45_TO_59, None, 6)
    mf.add_question(earlier, "Суу качан келет?")
    target = pf.make_proposal(budget, village=village, title="Арык", status=Status.FUNDED)
    merged = pf.make_proposal(budget, village=village, title="Арык (кайталоо)", status=Status.MERGED,
                              merged_into_id=target.id)
    refused = pf.make_proposal(budget, village=village, title="Стадион", status=Status.NOT_FEASIBLE)
    mf.add_hearing_proposal(earlier, merged)  # merged into a funded one: taken
    mf.add_hearing_proposal(earlier, refused)
    under_way = mf.make_hearing(nookat, status=HearingStatus.OPEN, starts_at=datetime(2027, 11, 1, 10, 0))
    mf.add_attendance(under_way, Gender.FEMALE, AgeBand.FROM_60, village, 9)  # not held yet: not counted
    mf.make_hearing(nookat, status=HearingStatus.SCHEDULED)
    ak_dobo = f.make_municipality(slug="ak-dobo")
    other = mf.make_hearing(ak_dobo, starts_at=datetime(2027, 5, 5, 10, 0))
    mf.add_attendance(other, Gender.FEMALE, AgeBand.UNDER_18, None, 2)
    mf.add_attendance(other, Gender.MALE, AgeBand.FROM_30_TO_44, None, 3)
    return nookat, ak_dobo


def _row(s, year):
    return next(row for row in s.years if row.year == year)


def test_municipality_stats_count_held_hearings_per_year(record):
    nookat, _ak_dobo = record
    result = stats.hearing_stats(nookat.id)
    assert [row.year for row in result.years] == [2027, 2026]
    y2027, y2026 = _row(result, 2027), _row(result, 2026)
    assert (y2027.hearings, y2027.participants, y2027.women, y2027.young) == (1, 48, 28, 21)
    assert (y2027.questions, y2027.proposals, y2027.taken) == (3, 2, 1)
    assert (y2026.hearings, y2026.participants, y2026.women, y2026.young) == (1, 10, 4, 4)
    assert (y2026.questions, y2026.proposals, y2026.taken) == (1, 2, 1)
    total = result.total
    assert (total.hearings, total.participants, total.women, total.young) == (2, 58, 32, 25)
    assert (total.questions, total.proposals, total.taken, total.municipalities) == (4, 4, 2, 1)
    assert total.women_share == Fraction(32, 58)


def test_platform_stats_add_up_the_municipalities(record):
    result = stats.hearing_stats()
    y2027 = _row(result, 2027)
    assert (y2027.hearings, y2027.municipalities, y2027.participants, y2027.women, y2027.young) == (2, 2, 53, 30, 23)
    assert (result.total.hearings, result.total.municipalities, result.total.participants) == (3, 2, 63)
    held = stats.municipalities_with_hearings()
    assert [(m.slug, m.hearings, m.participants) for m in held] == [("janynookat", 2, 58), ("ak-dobo", 1, 5)]


def test_stats_pages_show_the_figures(record, client):
    page = client.get("/m/janynookat/stats")
    assert page.status_code == 200
    assert ">58<" in page.text and "2026" in page.text and "2027" in page.text
    platform = client.get("/stats")
    assert platform.status_code == 200 and ">63<" in platform.text
    assert "/m/ak-dobo/stats" in platform.text and "/m/janynookat/stats" in platform.text
    assert client.get("/m/nowhere/stats").status_code == 404


def test_stats_without_hearings_are_empty(app, client):
    f.make_municipality(slug="empty")
    result = stats.hearing_stats()
    assert result.years == () and result.total.hearings == 0 and result.total.women_share is None
    assert client.get("/m/empty/stats").status_code == 200
    assert client.get("/stats").status_code == 200
