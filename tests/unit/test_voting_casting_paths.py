"""Casting paths the main tests do not reach: unknown codes, replayed refusals, receipt clashes, bound codes."""
import sqlalchemy as sa

from pb.core.models import local_now
from pb.voting import casting, codes, kiosk_casting
from pb.voting.models import Ballot, BallotChoice, Kiosk, RefusedBallot, RoundVoter, VotingCode
from pb.voting.states import Refusal
from tests import factories as f
from tests.voting_factories import key, make_codes, make_round, make_verified_resident, proposal_ids
from pb.voting import code_batches


def _kiosk(db, round_):
    kiosk = Kiosk(round_id=round_.id, location_id=round_.locations[0].id, token_hash=key())
    db.session.add(kiosk)
    db.session.commit()
    return kiosk


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def test_unknown_well_formed_code_is_refused_and_kept(db):
    round_ = make_round()
    kiosk = _kiosk(db, round_)
    make_codes(round_, 1)
    item = dict(key=key(), code="ABCDE-23456", receipt=codes.new_receipt(), choices=proposal_ids(round_)[:1],
                cast_at=local_now().isoformat())
    out = kiosk_casting.submit_from_kiosk(kiosk, item)
    assert out.status == casting.REFUSED and out.reason == Refusal.CODE_UNKNOWN
    again = kiosk_casting.submit_from_kiosk(kiosk, dict(item))
    assert again.status == casting.REFUSED and again.reason == Refusal.CODE_UNKNOWN
    assert _count(db, RefusedBallot) == 1 and _count(db, Ballot) == 0


def test_invalid_ballot_replay_stays_refused_even_with_a_fresh_code(db):
    round_ = make_round(max_choices=1)
    kiosk = _kiosk(db, round_)
    code = make_codes(round_, 1)[0]
    item = dict(key=key(), code=code, choices=proposal_ids(round_)[:2])
    assert kiosk_casting.submit_from_kiosk(kiosk, item).reason == Refusal.INVALID
    fixed = dict(item, choices=proposal_ids(round_)[:1])
    assert kiosk_casting.submit_from_kiosk(kiosk, fixed).reason == Refusal.INVALID  # the first answer stands
    assert db.session.execute(sa.select(VotingCode.used_at)).scalar() is None


def test_taken_receipt_gets_a_new_one_and_the_code_is_spent_once(db):
    round_ = make_round()
    kiosk = _kiosk(db, round_)
    first, second = make_codes(round_, 2)
    receipt = codes.new_receipt()
    a = kiosk_casting.submit_from_kiosk(kiosk, dict(key=key(), code=first, receipt=receipt,
                                                    choices=proposal_ids(round_)[:1]))
    b = kiosk_casting.submit_from_kiosk(kiosk, dict(key=key(), code=second, receipt=receipt,
                                                    choices=proposal_ids(round_)[:2]))
    assert a.status == b.status == casting.COUNTED and a.receipt != b.receipt
    assert _count(db, Ballot) == 2 and _count(db, BallotChoice) == 3
    assert db.session.execute(sa.select(sa.func.count()).where(VotingCode.used_at.is_not(None))).scalar() == 2


def test_code_bound_to_a_resident_marks_the_resident(db):
    round_ = make_round()
    resident = make_verified_resident(round_)
    code = make_codes(round_, 1)[0]
    code_batches.bind_code(f.make_staff(round_.municipality), round_, code, resident.id)
    kiosk = _kiosk(db, round_)
    out = kiosk_casting.submit_from_kiosk(kiosk, dict(key=key(), code=code, choices=proposal_ids(round_)[:1]))
    assert out.status == casting.COUNTED
    mark = db.session.execute(sa.select(RoundVoter)).scalar_one()
    assert mark.voter_id == resident.id and mark.created_at is not None


def test_online_replay_after_count_returns_the_receipt(db):
    round_ = make_round()
    voter = make_verified_resident(round_)
    k = key()
    first = casting.cast_online(voter, round_, {str(proposal_ids(round_)[0]): 1}, k)
    second = casting.cast_online(voter, round_, {str(proposal_ids(round_)[1]): 1}, k)
    assert second.status == casting.DUPLICATE and second.receipt == first.receipt
    assert _count(db, Ballot) == 1 and _count(db, RoundVoter) == 1
