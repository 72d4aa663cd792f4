"""Casting ballots on every channel: one person one ballot, one submission one ballot, refusals kept."""
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from pb.core.errors import Conflict, PermissionDenied, ValidationFailed
from pb.core.models import local_now
from pb.voting import casting, code_batches, codes, kiosk_casting
from pb.voting.models import Ballot, Kiosk, RefusedBallot, RoundVoter, VotingCode
from pb.voting.states import Channel, Eligibility, Refusal, RoundStatus
from tests.voting_factories import key, make_codes, make_round, make_verified_resident, proposal_ids


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _kiosk(db, round_):
    kiosk = Kiosk(round_id=round_.id, location_id=round_.locations[0].id, token_hash=key())
    db.session.add(kiosk)
    db.session.commit()
    return kiosk


def test_cast_online_counts_once_and_a_replay_returns_the_same_receipt(db):
    round_ = make_round()
    voter = make_verified_resident(round_)
    first, second = proposal_ids(round_)[:2]
    k = key()
    outcome = casting.cast_online(voter, round_, [first, second], k)
    again = casting.cast_online(voter, round_, [first, second], k)
    assert outcome.status == casting.COUNTED and again.status == casting.DUPLICATE
    assert again.receipt == outcome.receipt and codes.normalise(outcome.receipt)
    assert _count(db, Ballot) == 1 and _count(db, RoundVoter) == 1


def test_cast_online_a_second_ballot_by_the_same_person_is_refused(db):
    round_ = make_round()
    voter = make_verified_resident(round_)
    casting.cast_online(voter, round_, proposal_ids(round_)[:1], key())
    with pytest.raises(Conflict):
        casting.cast_online(voter, round_, proposal_ids(round_)[1:2], key())
    assert _count(db, Ballot) == 1


def test_the_database_refuses_a_second_mark_for_the_same_voter(db):
    round_ = make_round()
    voter = make_verified_resident(round_)
    db.session.add(RoundVoter(round_id=round_.id, voter_id=voter.id, channel=Channel.ONLINE))
    db.session.commit()
    db.session.add(RoundVoter(round_id=round_.id, voter_id=voter.id, channel=Channel.KIOSK))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_cast_online_needs_a_verified_resident_of_the_municipality(db):
    round_ = make_round()
    other = make_round()
    stranger = make_verified_resident(other)
    with pytest.raises(PermissionDenied):
        casting.cast_online(stranger, round_, proposal_ids(round_)[:1], key())
    codes_only = make_round(eligibility=Eligibility.CODES)
    with pytest.raises(PermissionDenied):
        casting.cast_online(make_verified_resident(codes_only), codes_only, proposal_ids(codes_only)[:1], key())


@pytest.mark.parametrize("when", ["before", "after", "closed"])
def test_cast_outside_the_round_is_refused(db, when):
    now = local_now()
    overrides = dict(before=dict(opens_at=now + timedelta(hours=1)),
                     after=dict(opens_at=now - timedelta(days=2), closes_at=now - timedelta(minutes=1)),
                     closed=dict(status=RoundStatus.CLOSED))[when]
    round_ = make_round(**overrides)
    with pytest.raises(Conflict):
        casting.cast_online(make_verified_resident(round_), round_, proposal_ids(round_)[:1], key())
    assert _count(db, Ballot) == 0


def test_invalid_ballot_is_refused_with_its_reason(db):
    round_ = make_round(max_choices=2)
    with pytest.raises(ValidationFailed) as exc:
        casting.cast_online(make_verified_resident(round_), round_, proposal_ids(round_), key())
    with force_locale("en"):
        assert str(exc.value.errors[0][1]) == "Choose at most 2 proposals."


def test_code_counts_once_and_its_second_use_is_refused(db):
    round_ = make_round()
    code = make_codes(round_, 1)[0]
    outcome = casting.cast_with_code(round_, codes.display(code).lower(), proposal_ids(round_)[:1], key())
    assert outcome.status == casting.COUNTED
    with pytest.raises(ValidationFailed) as exc:
        casting.cast_with_code(round_, code, proposal_ids(round_)[:1], key())
    with force_locale("en"):
        assert str(exc.value.errors[0][1]) == "this code has already been used"
    assert _count(db, Ballot) == 1


def test_codes_are_stored_only_hashed(db):
    round_ = make_round()
    clear = make_codes(round_, 3)
    stored = db.session.execute(sa.select(VotingCode.code_hash)).scalars().all()
    assert len(stored) == 3 and not set(clear) & set(stored)
    assert all(code not in digest for code in clear for digest in stored)


def test_kiosk_offline_duplicate_counts_once(db):
    round_ = make_round()
    kiosk = _kiosk(db, round_)
    code = make_codes(round_, 1)[0]
    item = dict(key=key(), code=code, receipt=codes.new_receipt(), choices={str(proposal_ids(round_)[0]): 1},
                cast_at=local_now().isoformat())
    first = kiosk_casting.submit_from_kiosk(kiosk, item)
    second = kiosk_casting.submit_from_kiosk(kiosk, dict(item))
    assert first.status == casting.COUNTED and second.status == casting.DUPLICATE
    assert first.receipt == second.receipt == item["receipt"]
    assert _count(db, Ballot) == 1


def test_one_code_used_offline_on_two_kiosks_counts_once_and_the_second_is_reported(db):
    round_ = make_round()
    kiosk_a, kiosk_b = _kiosk(db, round_), _kiosk(db, round_)
    code = make_codes(round_, 1)[0]
    choices = {str(proposal_ids(round_)[0]): 1}
    a = kiosk_casting.submit_from_kiosk(kiosk_a, dict(key=key(), code=code, receipt=codes.new_receipt(),
                                                      choices=choices))
    b = kiosk_casting.submit_from_kiosk(kiosk_b, dict(key=key(), code=code, receipt=codes.new_receipt(),
                                                      choices=choices))
    assert a.status == casting.COUNTED
    assert b.status == casting.REFUSED and b.reason == Refusal.CODE_USED
    refused = db.session.execute(sa.select(RefusedBallot)).scalar_one()
    assert refused.kiosk_id == kiosk_b.id and refused.reason == Refusal.CODE_USED and refused.code_id is not None
    assert _count(db, Ballot) == 1


def test_kiosk_ballot_cast_offline_before_the_close_counts_after_it(db):
    now = local_now()
    round_ = make_round(opens_at=now - timedelta(days=1), closes_at=now - timedelta(minutes=5))
    kiosk = _kiosk(db, round_)
    code = make_codes(round_, 1)[0]
    item = dict(key=key(), code=code, choices=[proposal_ids(round_)[0]],
                cast_at=(now - timedelta(minutes=30)).isoformat())
    assert kiosk_casting.submit_from_kiosk(kiosk, item).status == casting.COUNTED
    late = dict(key=key(), code=make_codes(round_, 1)[0], choices=[proposal_ids(round_)[0]],
                cast_at=(now - timedelta(minutes=1)).isoformat())
    assert kiosk_casting.submit_from_kiosk(kiosk, late).reason == Refusal.NOT_OPEN


def test_code_bound_at_the_desk_to_a_resident_who_voted_online_is_refused(db):
    round_ = make_round()
    resident = make_verified_resident(round_)
    code = make_codes(round_, 1)[0]
    from tests import factories as f

    staff = f.make_staff(round_.municipality)
    code_batches.bind_code(staff, round_, code, resident.id)
    casting.cast_online(resident, round_, proposal_ids(round_)[:1], key())
    kiosk = _kiosk(db, round_)
    outcome = kiosk_casting.submit_from_kiosk(kiosk, dict(key=key(), code=code, choices=proposal_ids(round_)[:1]))
    assert outcome.reason == Refusal.ALREADY_VOTED
    assert _count(db, Ballot) == 1


def test_desk_refuses_to_bind_a_code_for_someone_who_already_voted(db):
    from tests import factories as f

    round_ = make_round()
    resident = make_verified_resident(round_)
    casting.cast_online(resident, round_, proposal_ids(round_)[:1], key())
    staff = f.make_staff(round_.municipality)
    with pytest.raises(Conflict) as exc:
        code_batches.bind_code(staff, round_, make_codes(round_, 1)[0], resident.id)
    with force_locale("en"):
        assert "has already voted in this round (online)" in str(exc.value.message)
    [(user, mark, _bound)] = code_batches.desk_search(staff, round_, resident.name)
    assert mark.channel == Channel.ONLINE


def test_voided_code_is_refused(db):
    from tests import factories as f

    round_ = make_round()
    code = make_codes(round_, 2)[0]
    code_batches.void_code(f.make_staff(round_.municipality), round_, code)
    with pytest.raises(ValidationFailed) as exc:
        casting.cast_with_code(round_, code, proposal_ids(round_)[:1], key())
    with force_locale("en"):
        assert str(exc.value.errors[0][1]) == "this code has been voided"
