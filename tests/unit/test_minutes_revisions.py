"""Revisions of the minutes' notes, the edit-conflict check, publication and who may do each."""
import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.core.permissions import can
from pb.extensions import db
from pb.groups.models import Position
from pb.hearings import minutes
from pb.hearings.minutes import MinutesConflict, publish_minutes, save_minutes
from pb.hearings.models import MinutesRevision
from pb.hearings.states import HearingStatus
from tests import factories as f
from tests import minutes_factories as mf


@pytest.fixture
def setting(app):
    municipality = f.make_municipality()
    village = f.make_village(municipality)
    group = f.make_group(municipality)
    people = {
        "staff": f.make_staff(municipality),
        "lead": f.make_member(group, Position.SECRETARY, village),
        "member": f.make_member(group, Position.MEMBER, village),
        "council": f.make_staff(municipality, role="council"),
        "other_staff": f.make_staff(f.make_municipality()),
        "resident": f.make_user(village_id=village.id),
        "admin": f.make_user(is_admin=True),
        "secretary": f.make_user(),
    }
    hearing = mf.make_hearing(municipality, secretary_id=people["secretary"].id)
    return hearing, people


def _revisions(hearing):
    return db.session.execute(
        sa.select(MinutesRevision.number, MinutesRevision.text).where(MinutesRevision.hearing_id == hearing.id)
        .order_by(MinutesRevision.number)).all()


def _audits(action):
    return db.session.execute(sa.select(sa.func.count()).where(AuditEntry.action == action)).scalar()


def test_save_minutes_numbers_revisions_and_audits_each(setting):
    hearing, people = setting
    first = save_minutes(people["secretary"], hearing, "Угуу убагында өттү.\r\n", None)
    second = save_minutes(people["staff"], hearing, "Угуу убагында өттү.\n\nСуроолор көп болду.", first.id)
    assert (first.number, second.number) == (1, 2)
    assert _revisions(hearing) == [(1, "Угуу убагында өттү."), (2, "Угуу убагында өттү.\n\nСуроолор көп болду.")]
    assert _audits("minutes.save") == 2
    assert [r.number for r in minutes.list_revisions(hearing)] == [2, 1]


def test_save_minutes_on_a_stale_revision_raises_conflict_and_keeps_both(setting):
    hearing, people = setting
    first = save_minutes(people["secretary"], hearing, "Биринчи.", None)
    save_minutes(people["staff"], hearing, "Катчынын тексти.", first.id)
    with pytest.raises(MinutesConflict) as caught:
        save_minutes(people["lead"], hearing, "Менин текстим.", first.id)
    assert caught.value.latest.text == "Катчынын тексти."
    assert [text for _n, text in _revisions(hearing)] == ["Биринчи.", "Катчынын тексти."]
    assert _audits("minutes.save") == 2


def test_save_minutes_from_nothing_after_someone_saved_is_a_conflict(setting):
    hearing, people = setting
    save_minutes(people["secretary"], hearing, "Биринчи.", None)
    for stale in (None, "", "not-a-number"):
        with pytest.raises(MinutesConflict):
            save_minutes(people["staff"], hearing, "Экинчи.", stale)
    assert len(_revisions(hearing)) == 1


def test_two_saves_that_read_the_same_revision_leave_one(setting, monkeypatch):
    """The unique (hearing, number) pair stops the second of two simultaneous saves."""
    hearing, people = setting
    first = save_minutes(people["secretary"], hearing, "Биринчи.", None)
    save_minutes(people["staff"], hearing, "Экинчи.", first.id)
    stale = db.session.get(MinutesRevision, first.id)
    reads = iter([stale])  # the racing request read the latest revision before the other one saved
    real = minutes.latest_revision
    monkeypatch.setattr(minutes, "latest_revision", lambda h: next(reads, None) or real(h))
    with pytest.raises(MinutesConflict) as caught:
        save_minutes(people["lead"], hearing, "Үчүнчү.", first.id)
    assert caught.value.latest.number == 2
    assert [text for _n, text in _revisions(hearing)] == ["Биринчи.", "Экинчи."]


def test_save_minutes_without_changes_makes_no_revision(setting):
    hearing, people = setting
    first = save_minutes(people["secretary"], hearing, "Ошол эле.", None)
    assert save_minutes(people["secretary"], hearing, "  Ошол эле.\n", first.id).id == first.id
    assert len(_revisions(hearing)) == 1 and _audits("minutes.save") == 1


def test_save_minutes_drops_control_characters(setting):
    hearing, people = setting
    revision = save_minutes(people["staff"], hearing, "Текст\x00 жана\x0b таб\tжана сап\r\nбар.", None)
    assert revision.text == "Текст жана таб\tжана сап\nбар."


def test_save_minutes_refuses_a_text_too_long(setting):
    hearing, people = setting
    with pytest.raises(ValidationFailed):
        save_minutes(people["staff"], hearing, "ы" * (minutes.MAX_TEXT + 1), None)
    assert _revisions(hearing) == []


@pytest.mark.parametrize("who", ["member", "council", "other_staff", "resident", None])
def test_only_editors_save_minutes(setting, who):
    hearing, people = setting
    with pytest.raises(PermissionDenied):
        save_minutes(people.get(who), hearing, "Текст.", None)
    assert _revisions(hearing) == []


@pytest.mark.parametrize("who", ["secretary", "staff", "lead", "admin"])
def test_editors_save_only_once_the_hearing_is_closed(app, who, setting):
    hearing, people = setting
    hearing.status = HearingStatus.OPEN
    db.session.commit()
    assert can(people[who], "view_minutes", hearing)
    with pytest.raises(PermissionDenied):
        save_minutes(people[who], hearing, "Текст.", None)
    with pytest.raises(PermissionDenied):
        publish_minutes(people[who], hearing)
    hearing.status = HearingStatus.CLOSED
    db.session.commit()
    assert save_minutes(people[who], hearing, "Текст.", None).number == 1


def test_publish_minutes_once_makes_them_public(setting):
    hearing, people = setting
    assert not can(people["resident"], "view_minutes", hearing)
    assert not can(None, "view_minutes", hearing)
    with pytest.raises(PermissionDenied):
        publish_minutes(people["member"], hearing)
    assert publish_minutes(people["secretary"], hearing) is True
    assert publish_minutes(people["staff"], hearing) is False
    assert hearing.minutes_published_at is not None
    assert _audits("minutes.publish") == 1
    assert can(None, "view_minutes", hearing) and can(people["resident"], "view_minutes", hearing)
    assert not can(people["resident"], "edit_minutes", hearing)
