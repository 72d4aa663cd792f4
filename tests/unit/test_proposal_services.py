"""Submitting, supporting and listing proposals without HTTP."""
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pb.audit.models import AuditEntry
from pb.budgets.states import Category, Phase
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.notifications.services import is_following
from pb.proposals import review, services
from pb.proposals.models import Proposal, ProposalSupport
from pb.proposals.states import Status
from tests import factories as f
from tests import proposal_factories as pf


@pytest.fixture
def place(db):
    municipality = f.make_municipality()
    village = f.make_village(municipality)
    return municipality, village, f.make_budget(municipality, Phase.CONSULTATION)


def _count(db, model):
    return db.session.execute(sa.select(sa.func.count()).select_from(model)).scalar()


def test_submit_proposal_records_author_history_audit_and_follow(db, place):
    _, village, budget = place
    resident = f.make_user()
    proposal = services.submit_proposal(resident, budget, pf.proposal_data(village))
    assert proposal.status == Status.SUBMITTED and proposal.municipality_id == budget.municipality_id
    assert proposal.estimated_cost == Decimal("180000.00") and proposal.category == Category.LIGHTING
    assert [a.user_id for a in proposal.authors] == [resident.id]
    assert [(c.from_status, c.to_status) for c in proposal.status_changes] == [(None, Status.SUBMITTED)]
    assert is_following(resident, "proposal", proposal.id)
    entry = db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == "proposal.submit")).scalar_one()
    assert entry.object_id == proposal.id and entry.municipality_id == budget.municipality_id


def test_submit_reports_every_bad_field_and_saves_nothing(db, place):
    _, _, budget = place
    with pytest.raises(ValidationFailed) as exc:
        services.submit_proposal(f.make_user(), budget, dict(title="x" * 201, estimated_cost="abc",
                                                            contribution_money="-5", contribution_labour="y" * 501))
    fields = {field for field, _ in exc.value.errors}
    assert fields == {"title", "description", "village_id", "category", "estimated_cost",
                      "contribution_money", "contribution_labour"}
    assert _count(db, Proposal) == 0 and _count(db, AuditEntry) == 0


@pytest.mark.parametrize("cost", ["0", "-1", "1e30", "NaN", "12.345", ""])
def test_submit_refuses_a_cost_that_is_not_a_positive_amount(db, place, cost):
    _, village, budget = place
    with pytest.raises(ValidationFailed) as exc:
        services.submit_proposal(f.make_user(), budget, pf.proposal_data(village, estimated_cost=cost))
    assert [field for field, _ in exc.value.errors] == ["estimated_cost"]


def test_submit_refuses_a_village_of_another_municipality(db, place):
    _, _, budget = place
    stranger = f.make_village(f.make_municipality())
    with pytest.raises(ValidationFailed) as exc:
        services.submit_proposal(f.make_user(), budget, pf.proposal_data(stranger))
    assert exc.value.errors[0][0] == "village_id"


@pytest.mark.parametrize("phase", [Phase.DRAFT, Phase.VOTING, Phase.APPROVED, Phase.MONITORING])
def test_proposals_are_submitted_only_in_consultation_and_hearing(db, phase):
    municipality = f.make_municipality()
    village = f.make_village(municipality)
    budget = f.make_budget(municipality, phase)
    with pytest.raises(PermissionDenied):
        services.submit_proposal(f.make_staff(municipality), budget, pf.proposal_data(village))


def test_one_support_per_resident_and_it_can_be_withdrawn(db, place):
    _, _, budget = place
    proposal, resident = pf.make_proposal(budget), f.make_user()
    assert services.support(resident, proposal) is True
    assert services.support(resident, proposal) is False
    assert proposal.support_count == 1 and services.is_supporting(resident, proposal)
    assert services.withdraw_support(resident, proposal) is True
    assert services.withdraw_support(resident, proposal) is False
    assert proposal.support_count == 0
    actions = db.session.execute(sa.select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions == ["proposal.support", "proposal.withdraw_support"]


def test_the_database_refuses_a_second_support_by_the_same_resident(db, place):
    _, _, budget = place
    proposal, resident = pf.make_proposal(budget), f.make_user()
    pf.add_supports(proposal, users=[resident])
    db.session.add(ProposalSupport(proposal_id=proposal.id, user_id=resident.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_support_that_loses_the_race_counts_as_already_supported(db, place, monkeypatch):
    _, _, budget = place
    proposal, resident = pf.make_proposal(budget), f.make_user()
    pf.add_supports(proposal, users=[resident])
    monkeypatch.setattr(services, "is_supporting", lambda user, p: False)  # the check ran before the other insert
    assert services.support(resident, proposal) is False
    assert proposal.support_count == 1 and _count(db, AuditEntry) == 0


@pytest.mark.parametrize("status", [Status.NOT_FEASIBLE, Status.SELECTED, Status.DONE])
def test_support_is_closed_once_the_proposal_is_decided(db, place, status):
    _, _, budget = place
    proposal = pf.make_proposal(budget, status=status)
    with pytest.raises(PermissionDenied):
        services.support(f.make_user(), proposal)


def test_a_merged_proposal_takes_no_support(db, place):
    municipality, _, budget = place
    duplicate, into = pf.make_proposal(budget), pf.make_proposal(budget)
    review.merge_proposals(f.make_staff(municipality), duplicate, into, "same")
    with pytest.raises(PermissionDenied):
        services.support(f.make_user(), duplicate)


def _titles(pagination):
    return [p.title for p in pagination.items]


def test_list_filters_by_village_category_and_status_and_hides_merged(db, place):
    municipality, village, budget = place
    other_village = f.make_village(municipality)
    pf.make_proposal(budget, village=village, title="water", category=Category.WATER)
    pf.make_proposal(budget, village=other_village, title="road", category=Category.ROADS)
    feasible = pf.make_proposal(budget, village=village, title="light", category=Category.LIGHTING,
                                status=Status.FEASIBLE)
    duplicate = pf.make_proposal(budget, village=village, title="water again", category=Category.WATER)
    review.merge_proposals(f.make_staff(municipality), duplicate, feasible, "same")
    assert set(_titles(services.list_proposals(budget))) == {"water", "road", "light"}
    assert set(_titles(services.list_proposals(budget, village_id=str(village.id)))) == {"water", "light"}
    assert _titles(services.list_proposals(budget, category="roads")) == ["road"]
    assert _titles(services.list_proposals(budget, status="feasible")) == ["light"]
    assert _titles(services.list_proposals(budget, status="merged")) == ["water again"]
    # unknown values mean "all", never an error
    assert len(services.list_proposals(budget, village_id="x", category="?", status="?", sort="?").items) == 3


def test_list_sorts_by_support_and_cost_in_one_query(db, place):
    _, _, budget = place
    cheap = pf.make_proposal(budget, title="cheap", estimated_cost=Decimal("1000"))
    dear = pf.make_proposal(budget, title="dear", estimated_cost=Decimal("900000"))
    middle = pf.make_proposal(budget, title="middle", estimated_cost=Decimal("50000"))
    pf.add_supports(middle, 3)
    pf.add_supports(dear, 1)
    assert _titles(services.list_proposals(budget, sort="support")) == ["middle", "dear", "cheap"]
    assert _titles(services.list_proposals(budget, sort="cost")) == ["cheap", "middle", "dear"]
    assert _titles(services.list_proposals(budget, sort="cost_desc")) == ["dear", "middle", "cheap"]
    assert _titles(services.list_proposals(budget, sort="newest")) == ["middle", "dear", "cheap"]
    assert cheap.support_count == 0


def test_list_is_paginated(db, place):
    _, _, budget = place
    for i in range(5):
        pf.make_proposal(budget, title=f"p{i}")
    first = services.list_proposals(budget, sort="newest", page=1, per_page=2)
    last = services.list_proposals(budget, sort="newest", page=3, per_page=2)
    assert first.total == 5 and first.pages == 3
    assert _titles(first) == ["p4", "p3"] and _titles(last) == ["p0"]
    assert services.list_proposals(budget, page=9, per_page=2).items == []
