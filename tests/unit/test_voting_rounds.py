"""Preparing a round (services.create_round, update_round, open_round): every bad value is named, nothing is stored."""
from datetime import datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.proposals.states import Status
from pb.voting import services
from pb.voting.models import RoundProposal, VotingRound
from pb.voting.states import Eligibility, Method, RoundStatus
from tests import factories as f
from tests.proposal_factories import make_proposal


@pytest.fixture
def setting(app):
    municipality = f.make_municipality()
    f.make_village(municipality)
    budget = f.make_budget(municipality)
    proposals = [make_proposal(budget, status=Status.ON_BALLOT, title=f"Долбоор {n}",
                               estimated_cost=Decimal(100000 * n)) for n in (1, 2, 3)]
    return dict(budget=budget, proposals=proposals, organiser=f.make_staff(municipality))


def data(proposals, **overrides):
    values = dict(title="2027-жылдын долбоорлору", method="approval", min_choices="1", max_choices="2", points="10",
                  rank_depth="3", amount="500 000", allocation_rule="greedy", channels=["kiosk", "online", "paper"],
                  eligibility="both", opens_at="2027-02-14T09:00", closes_at="2027-02-14T18:00", hide_counts=True,
                  double_keying=False, proposal_ids=[str(p.id) for p in proposals])
    values.update(overrides)
    return values


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def _fields(exc):
    return {field for field, _message in exc.value.errors}


def test_create_round_stores_the_settings_and_the_ballot_at_current_costs(setting, db):
    round_ = services.create_round(setting["organiser"], setting["budget"], data(setting["proposals"]))
    assert round_.status == RoundStatus.DRAFT and round_.method == Method.APPROVAL
    assert (round_.min_choices, round_.max_choices, round_.amount) == (1, 2, Decimal("500000"))
    assert round_.opens_at == datetime(2027, 2, 14, 9, 0) and round_.closes_at == datetime(2027, 2, 14, 18, 0)
    assert round_.eligibility == Eligibility.BOTH and round_.hide_counts and not round_.double_keying
    assert sorted(entry.cost for entry in round_.entries) == [Decimal(100000), Decimal(200000), Decimal(300000)]
    assert db.session.execute(sa.select(AuditEntry.action)).scalars().all() == ["voting.create_round"]


def test_create_round_names_every_bad_value_and_stores_nothing(setting, db):
    bad = data(setting["proposals"], title=" ", method="lottery", eligibility="anyone", allocation_rule="dice",
               amount="много", min_choices="3", max_choices="2", points="0", rank_depth="x", channels=["fax"],
               opens_at="tomorrow", closes_at="2027-02-14T18:00")
    with pytest.raises(ValidationFailed) as exc:
        services.create_round(setting["organiser"], setting["budget"], bad)
    assert _fields(exc) == {"title", "method", "eligibility", "allocation_rule", "amount", "max_choices", "points",
                            "rank_depth", "channels", "opens_at"}
    assert _count(db, VotingRound) == 0 and _count(db, RoundProposal) == 0 and _count(db, AuditEntry) == 0


@pytest.mark.parametrize(("field", "value"), [
    ("amount", "0"), ("amount", "-5"), ("amount", "1.555"), ("amount", "NaN"), ("amount", "1" + "0" * 13),
    ("channels", []), ("min_choices", "0"),
    ("max_choices", "1001"), ("title", "x" * 201), ("opens_at", "1999-02-14T09:00"),
])
def test_create_round_refuses_a_value_out_of_range(setting, db, field, value):
    with pytest.raises(ValidationFailed) as exc:
        services.create_round(setting["organiser"], setting["budget"], data(setting["proposals"], **{field: value}))
    assert field in _fields(exc)
    assert _count(db, VotingRound) == 0


def test_create_round_must_close_after_it_opens(setting, db):
    with pytest.raises(ValidationFailed) as exc:
        services.create_round(setting["organiser"], setting["budget"],
                              data(setting["proposals"], opens_at="2027-02-14T18:00", closes_at="2027-02-14T18:00"))
    assert _fields(exc) == {"closes_at"}


def test_create_round_takes_only_proposals_on_this_budgets_ballot(setting, db):
    submitted = make_proposal(setting["budget"], status=Status.SUBMITTED)
    elsewhere = make_proposal(f.make_budget(setting["budget"].municipality, fiscal_year=2028), status=Status.ON_BALLOT)
    for stranger in (submitted, elsewhere):
        with pytest.raises(ValidationFailed) as exc:
            services.create_round(setting["organiser"], setting["budget"],
                                  data(setting["proposals"], proposal_ids=[str(setting["proposals"][0].id),
                                                                           str(stranger.id)]))
        assert _fields(exc) == {"proposal_ids"}
    with pytest.raises(ValidationFailed):
        services.create_round(setting["organiser"], setting["budget"], data(setting["proposals"], proposal_ids=["x"]))
    assert _count(db, VotingRound) == 0


def test_create_round_only_by_the_municipalitys_organisers(setting, db):
    budget = setting["budget"]
    outsiders = [f.make_user(), f.make_staff(budget.municipality, role="council"), f.make_staff(f.make_municipality())]
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            services.create_round(outsider, budget, data(setting["proposals"]))
    assert _count(db, VotingRound) == 0


def test_update_round_changes_the_ballot_until_it_opens(setting, db):
    organiser, proposals = setting["organiser"], setting["proposals"]
    round_ = services.create_round(organiser, setting["budget"], data(proposals))
    services.update_round(organiser, round_, data(proposals, title="Жаңы аты", method="cumulative", points="7",
                                                  proposal_ids=[str(proposals[0].id)]))
    assert (round_.title, round_.method, round_.points) == ("Жаңы аты", Method.CUMULATIVE, 7)
    assert [entry.proposal_id for entry in round_.entries] == [proposals[0].id]
    services.open_round(organiser, round_)
    with pytest.raises(PermissionDenied):
        services.update_round(organiser, round_, data(proposals))
    assert round_.title == "Жаңы аты"


def test_open_round_refuses_an_empty_ballot_and_fixes_the_costs(setting, db):
    organiser, proposals = setting["organiser"], setting["proposals"]
    empty = services.create_round(organiser, setting["budget"], data(proposals, proposal_ids=[]))
    with pytest.raises(ValidationFailed):
        services.open_round(organiser, empty)
    assert empty.status == RoundStatus.DRAFT
    round_ = services.create_round(organiser, setting["budget"], data(proposals))
    proposals[0].estimated_cost = Decimal("150000")
    db.session.commit()
    services.open_round(organiser, round_)
    assert round_.status == RoundStatus.OPEN
    assert sorted(entry.cost for entry in round_.entries)[0] == Decimal("150000")
