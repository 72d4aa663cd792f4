"""The minutes' content built from a known record: counts, shares, order, and the latest notes."""
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from pb.hearings.minutes import build_minutes, build_notice
from pb.hearings.states import HearingStatus, Outcome
from tests import factories as f
from tests import minutes_factories as mf
from tests.minutes_factories import KNOWN


def test_build_minutes_counts_attendance_and_shares(app):
    minutes = build_minutes(mf.make_held_hearing())
    a = minutes.attendance
    assert (a.total, a.women, a.young) == (KNOWN.total, KNOWN.women, KNOWN.young)
    assert a.women_share == Fraction(28, 48)
    assert a.young_share == Fraction(21, 48)
    assert tuple((c.key, c.count) for c in a.by_village) == KNOWN.by_village  # by name, "not said" last
    assert tuple((c.key, c.count) for c in a.by_age) == KNOWN.by_age
    assert a.by_village[0].share == Fraction(1, 2)
    assert sum(c.share for c in a.by_age) == 1


def test_build_minutes_keeps_the_record_in_order(app):
    hearing = mf.make_held_hearing()
    minutes = build_minutes(hearing)
    assert minutes.municipality_name("ky") == "Жаңы-Ноокат айыл өкмөтү"
    assert minutes.municipality_name("ru") == "Жаны-Ноокатский айыл окмоту"
    assert minutes.villages == ("Жаңы-Ноокат", "Көк-Бел", "Үч-Терек")
    assert (minutes.chair, minutes.secretary) == ("Асан Токтосунов", "Гүлнара Бекова")
    assert minutes.seconds_held == 2 * 3600
    assert [(r.title, r.seconds) for r in minutes.agenda] == [
        ("Бюджеттин долбоору", 1500), ("Тургундардын сунуштары", 2400), ("Ар түрдүү", 300)]
    first, second, third = minutes.questions
    assert (first.text, first.asked_by, first.village) == (KNOWN.tricky_question, "Айгүл Мамытова", "Көк-Бел")
    assert (first.answer, first.answered_by) == ("Жайында, 2027-жылы.", "Айыл өкмөтүнүн башчысы")
    assert (second.asked_by, second.village, second.answer) == ("", "Үч-Терек", "")
    assert (third.asked_by, third.village) == ("Бакыт", None)
    assert [(p.title, p.village, p.cost) for p in minutes.proposals] == [
        ("Ичүүчү суу түтүгү", "Жаңы-Ноокат", Decimal("480000")), ("Көпүрө оңдоо", "Үч-Терек", Decimal("215000.50"))]
    assert minutes.proposals_cost == Decimal("695000.50")
    assert [(d.votes_for, d.votes_against, d.abstentions, d.outcome) for d in minutes.decisions] == [
        (39, 4, 5, Outcome.ADOPTED), (11, 30, 7, Outcome.REJECTED)]
    assert minutes.narrative == "" and minutes.revision is None and minutes.published_at is None


def test_build_minutes_takes_the_latest_notes(app):
    hearing = mf.make_held_hearing()
    author = f.make_user(name="Гүлнара Бекова")
    mf.add_revision(hearing, "Биринчи вариант.", author)
    mf.add_revision(hearing, "Экинчи вариант.", author)
    minutes = build_minutes(hearing)
    assert minutes.narrative == "Экинчи вариант."
    assert (minutes.revision.number, minutes.revision.author) == (2, "Гүлнара Бекова")


def test_build_minutes_of_an_empty_hearing_has_no_shares(app):
    hearing = mf.make_hearing(f.make_municipality(), status=HearingStatus.OPEN)
    minutes = build_minutes(hearing)
    assert minutes.attendance.total == 0
    assert minutes.attendance.women_share is None and minutes.attendance.young_share is None
    assert minutes.attendance.by_village == ()
    assert minutes.questions == minutes.proposals == minutes.decisions == minutes.agenda == ()
    assert minutes.seconds_held is None


def test_build_minutes_counts_an_item_left_running_until_the_close(app):
    hearing = mf.make_hearing(f.make_municipality())
    item = mf.add_agenda_item(hearing, "Бюджет", seconds_spent=60)
    item.started_at = hearing.closed_at - timedelta(minutes=10)
    minutes = build_minutes(hearing)
    assert minutes.agenda[0].seconds == 60 + 600


def test_chair_and_secretary_names_fall_back_to_their_accounts(app):
    municipality = f.make_municipality()
    chair = f.make_user(name="Нурлан Асанов")
    hearing = mf.make_hearing(municipality, chair_name="", secretary_name="", chair_id=chair.id)
    minutes = build_minutes(hearing)
    assert (minutes.chair, minutes.secretary) == ("Нурлан Асанов", "")


def test_build_notice_lists_the_agenda(app):
    hearing = mf.make_held_hearing()
    notice = build_notice(hearing)
    assert notice.agenda == ("Бюджеттин долбоору", "Тургундардын сунуштары", "Ар түрдүү")
    assert notice.place == "Мектептин жыйындар залы"
    assert notice.municipality_name("ru") == "Жаны-Ноокатский айыл окмоту"
