"""Paper ballots keyed in by the secretary (paper.key_paper): once, or twice with the keyings compared."""
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from pb.audit.models import AuditEntry
from pb.core.errors import Conflict, PermissionDenied, ValidationFailed
from pb.groups.models import Position
from pb.voting import paper, results
from pb.voting.models import Ballot, PaperEntry
from pb.voting.states import Channel, Method, PaperStatus, RoundStatus
from tests import factories as f
from tests.voting_factories import make_round, proposal_ids


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _actions(db):
    return db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()


def _setup(**overrides):
    round_ = make_round(**overrides)
    return round_, f.make_staff(round_.municipality), round_.locations[0].id


def test_single_keying_counts_the_paper_under_its_number(db):
    round_, secretary, place = _setup()
    first, second = proposal_ids(round_)[:2]
    entry = paper.key_paper(secretary, round_, " a-17 ".replace("-", ""), place, [first, second])
    assert entry.status == PaperStatus.COUNTED and entry.serial == "A17"
    ballot = db.session.execute(sa.select(Ballot)).scalar_one()
    assert (ballot.channel, ballot.location_id, ballot.receipt) == (Channel.PAPER, place, "PA17")
    assert sorted(choice.proposal_id for choice in ballot.choices) == [first, second]
    assert _actions(db) == ["voting.key_paper"]


def test_a_paper_counted_once_cannot_be_keyed_again(db):
    round_, secretary, place = _setup()
    paper.key_paper(secretary, round_, "17", place, proposal_ids(round_)[:1])
    with pytest.raises(Conflict):
        paper.key_paper(secretary, round_, "17", place, proposal_ids(round_)[1:2])
    assert _count(db, Ballot) == 1


@pytest.mark.parametrize(("serial", "location", "choices", "field"), [
    ("", None, [1], "serial"),
    ("17/3", None, [1], "serial"),
    ("1234567890123", None, [1], "serial"),
    ("17", "999", [1], "location_id"),
    ("17", "school", [1], "location_id"),
    ("17", None, "all of them", "choices"),
    ("17", None, [], "choices"),
])
def test_bad_keying_is_named_and_stores_nothing(db, serial, location, choices, field):
    round_, secretary, place = _setup()
    ids = proposal_ids(round_)
    choices = [ids[0]] if choices == [1] else choices
    with pytest.raises(ValidationFailed) as exc:
        paper.key_paper(secretary, round_, serial, location or place, choices)
    assert exc.value.errors[0][0] == field
    assert _count(db, PaperEntry) == 0 and _count(db, Ballot) == 0 and _count(db, AuditEntry) == 0


def test_a_paper_breaking_the_methods_rule_is_refused_with_the_reason(db):
    round_, secretary, place = _setup(max_choices=2)
    with pytest.raises(ValidationFailed) as exc:
        paper.key_paper(secretary, round_, "9", place, proposal_ids(round_))
    with force_locale("en"):
        assert str(exc.value.errors[0][1]) == "Choose at most 2 proposals."
    assert _count(db, PaperEntry) == 0


def test_cumulative_and_ranking_papers_carry_their_numbers(db):
    round_, secretary, place = _setup(method=Method.CUMULATIVE, points=10)
    a, b, c = proposal_ids(round_)
    paper.key_paper(secretary, round_, "1", place, {str(a): "6", str(b): "4", str(c): "0"})
    with pytest.raises(ValidationFailed):
        paper.key_paper(secretary, round_, "2", place, {str(a): "8", str(b): "4"})  # 12 of 10 points
    ranked, secretary, place = _setup(method=Method.RANKING, rank_depth=2)
    a, b, _c = proposal_ids(ranked)
    paper.key_paper(secretary, ranked, "1", place, {str(b): 1, str(a): 2})
    with pytest.raises(ValidationFailed):
        paper.key_paper(secretary, ranked, "2", place, {str(a): 1, str(b): 3})  # a gap in the places
    values = db.session.execute(sa.select(Ballot.receipt, Ballot.id)).all()
    assert len(values) == 2


def test_a_spoiled_paper_is_recorded_and_counts_in_no_tally(db):
    round_, secretary, place = _setup()
    entry = paper.key_paper(secretary, round_, "5", place, {}, spoiled=True)
    assert entry.status == PaperStatus.COUNTED and entry.spoiled and entry.ballot is None
    turnout = results.turnout(round_)
    assert (turnout.total, turnout.spoiled) == (0, 1)


def test_double_keying_counts_when_the_second_keying_matches(db):
    round_, first_keyer, place = _setup(double_keying=True)
    second_keyer = f.make_staff(round_.municipality)
    ids = proposal_ids(round_)
    entry = paper.key_paper(first_keyer, round_, "11", place, [ids[1], ids[0]])
    assert entry.status == PaperStatus.AWAITING_SECOND and _count(db, Ballot) == 0
    entry = paper.key_paper(second_keyer, round_, "11", place, [ids[0], ids[1]])
    assert entry.status == PaperStatus.COUNTED and entry.ballot is not None
    assert (entry.first_by_id, entry.second_by_id) == (first_keyer.id, second_keyer.id)
    assert _count(db, Ballot) == 1
    assert _actions(db) == ["voting.key_paper", "voting.key_paper_second"]


def test_double_keying_mismatch_waits_for_a_third_keying_which_decides(db):
    round_, secretary, place = _setup(double_keying=True)
    ids = proposal_ids(round_)
    paper.key_paper(secretary, round_, "12", place, [ids[0]])
    entry = paper.key_paper(secretary, round_, "12", place, [ids[1]])
    assert entry.status == PaperStatus.MISMATCH and _count(db, Ballot) == 0
    assert paper.list_paper(round_, PaperStatus.MISMATCH) == [entry]
    entry = paper.key_paper(secretary, round_, "12", place, [ids[2]])
    assert entry.status == PaperStatus.COUNTED
    assert [choice.proposal_id for choice in entry.ballot.choices] == [ids[2]]
    assert _actions(db)[-1] == "voting.key_paper_decide"
    with pytest.raises(Conflict):
        paper.key_paper(secretary, round_, "12", place, [ids[2]])


def test_a_spoiled_mark_counts_as_a_difference_between_keyings(db):
    round_, secretary, place = _setup(double_keying=True)
    ids = proposal_ids(round_)
    paper.key_paper(secretary, round_, "13", place, [ids[0]])
    assert paper.key_paper(secretary, round_, "13", place, [ids[0]], spoiled=True).status == PaperStatus.MISMATCH


def test_the_second_keying_must_name_the_same_location(db):
    round_, secretary, place = _setup(double_keying=True, locations=("Мектеп", "Клуб"))
    other = next(loc.id for loc in round_.locations if loc.id != place)
    ids = proposal_ids(round_)
    paper.key_paper(secretary, round_, "14", place, [ids[0]])
    with pytest.raises(ValidationFailed) as exc:
        paper.key_paper(secretary, round_, "14", other, [ids[0]])
    assert exc.value.errors[0][0] == "location_id"
    assert paper.get_paper(round_, "14").status == PaperStatus.AWAITING_SECOND


def test_paper_keying_needs_the_paper_channel_an_open_round_and_a_helper(db):
    no_paper, secretary, place = _setup(channel_paper=False)
    with pytest.raises(Conflict):
        paper.key_paper(secretary, no_paper, "1", place, proposal_ids(no_paper)[:1])
    draft, secretary, place = _setup(status=RoundStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        paper.key_paper(secretary, draft, "1", place, proposal_ids(draft)[:1])
    round_, _staff, place = _setup()
    group = f.make_group(round_.municipality)
    member = f.make_member(group, Position.MEMBER)
    assert paper.key_paper(member, round_, "1", place, proposal_ids(round_)[:1]).status == PaperStatus.COUNTED
    for outsider in (f.make_user(), f.make_staff(f.make_municipality())):
        with pytest.raises(PermissionDenied):
            paper.key_paper(outsider, round_, "2", place, proposal_ids(round_)[:1])
    assert _count(db, PaperEntry) == 1
