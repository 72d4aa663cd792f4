"""Reviewing proposals without HTTP: the status table, reasons, who may review, and merging."""
import pytest
import sqlalchemy as sa

from pb.audit.models import AuditEntry
from pb.budgets.states import Phase
from pb.core.errors import Conflict, PermissionDenied, ValidationFailed
from pb.groups.models import Position
from pb.notifications.models import Notification
from pb.proposals import review
from pb.proposals.models import ProposalSupport
from pb.proposals.states import MERGEABLE, REASON_REQUIRED, TRANSITIONS, Status, allowed_targets
from tests import factories as f
from tests import proposal_factories as pf


@pytest.fixture
def place(db):
    municipality = f.make_municipality()
    f.make_village(municipality)
    return municipality, f.make_budget(municipality, Phase.CONSULTATION), f.make_staff(municipality)


def _audits(db, action):
    return db.session.execute(sa.select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def test_transition_table_covers_every_status_and_nothing_reaches_merged():
    assert set(TRANSITIONS) == set(Status)
    assert all(Status.MERGED not in targets for targets in TRANSITIONS.values())
    assert TRANSITIONS[Status.DONE] == set() and TRANSITIONS[Status.MERGED] == set()
    assert Status.NOT_FEASIBLE in REASON_REQUIRED
    assert allowed_targets(Status.UNDER_REVIEW) == [Status.FEASIBLE, Status.NOT_FEASIBLE]


def test_change_status_follows_the_whole_cycle_with_a_dated_public_history(db, place):
    _, budget, staff = place
    proposal = pf.make_proposal(budget)
    cycle = [Status.UNDER_REVIEW, Status.FEASIBLE, Status.ON_BALLOT, Status.SELECTED, Status.FUNDED,
             Status.IN_PROGRESS, Status.DONE]
    for to in cycle:
        review.change_status(staff, proposal, to.value, "")
    assert proposal.status == Status.DONE
    history = [(c.from_status, c.to_status) for c in proposal.status_changes]
    assert history == [(None, Status.SUBMITTED)] + list(zip([Status.SUBMITTED] + cycle[:-1], cycle))
    assert all(c.created_at and c.actor_id == staff.id for c in proposal.status_changes[1:])
    assert len(_audits(db, "proposal.change_status")) == len(cycle)


def test_change_status_refuses_a_move_outside_the_table_and_changes_nothing(db, place):
    _, budget, staff = place
    proposal = pf.make_proposal(budget)
    with pytest.raises(ValidationFailed) as exc:
        review.change_status(staff, proposal, "funded", "")
    assert exc.value.errors[0][0] == "to"
    with pytest.raises(ValidationFailed):
        review.change_status(staff, proposal, "merged", "duplicate")  # only merge_proposals merges
    with pytest.raises(ValidationFailed):
        review.change_status(staff, proposal, "no-such-status", "")
    db.session.expire_all()
    assert proposal.status == Status.SUBMITTED and len(proposal.status_changes) == 1
    assert _audits(db, "proposal.change_status") == []


def test_not_feasible_requires_a_reason_which_is_kept_public(db, place):
    _, budget, staff = place
    proposal = pf.make_proposal(budget, status=Status.UNDER_REVIEW)
    with pytest.raises(ValidationFailed) as exc:
        review.change_status(staff, proposal, "not_feasible", "   ")
    assert exc.value.errors[0][0] == "reason"
    assert proposal.status == Status.UNDER_REVIEW
    review.change_status(staff, proposal, "not_feasible", "Жер жеке менчикте.")
    assert proposal.status == Status.NOT_FEASIBLE and proposal.status_reason == "Жер жеке менчикте."
    assert proposal.status_changes[-1].reason == "Жер жеке менчикте."
    review.change_status(staff, proposal, "under_review", "Жер ээси макул болду.")  # a reason on any change
    assert proposal.status_reason == "Жер ээси макул болду."


def test_a_stale_status_form_conflicts(db, place):
    _, budget, staff = place
    proposal = pf.make_proposal(budget, status=Status.UNDER_REVIEW)
    with pytest.raises(Conflict):
        review.change_status(staff, proposal, "feasible", "", expected="submitted")


@pytest.mark.parametrize("who", ["staff", "chair", "secretary", "admin"])
def test_reviewers_may_change_status(db, who):
    municipality = f.make_municipality()
    budget = f.make_budget(municipality)
    group = f.make_group(municipality)
    actor = {"staff": lambda: f.make_staff(municipality), "chair": lambda: f.make_member(group, Position.CHAIR),
             "secretary": lambda: f.make_member(group, Position.SECRETARY),
             "admin": lambda: f.make_user(is_admin=True)}[who]()
    proposal = pf.make_proposal(budget, village=f.make_village(municipality))
    review.change_status(actor, proposal, "under_review")
    assert proposal.status == Status.UNDER_REVIEW


@pytest.mark.parametrize("who", ["resident", "member", "council", "staff_other", "chair_other"])
def test_others_may_not_change_status(db, who):
    municipality, other = f.make_municipality(), f.make_municipality()
    budget = f.make_budget(municipality)
    actor = {"resident": lambda: f.make_user(), "member": lambda: f.make_member(f.make_group(municipality)),
             "council": lambda: f.make_staff(municipality, role="council"), "staff_other": lambda: f.make_staff(other),
             "chair_other": lambda: f.make_member(f.make_group(other), Position.CHAIR)}[who]()
    proposal = pf.make_proposal(budget, village=f.make_village(municipality))
    with pytest.raises(PermissionDenied):
        review.change_status(actor, proposal, "under_review")


def test_merge_keeps_both_authors_and_supporters_without_duplicates(db, place):
    _, budget, staff = place
    author_a, author_b, both = f.make_user(), f.make_user(), f.make_user()
    into = pf.make_proposal(budget, author=author_a, title="Мектепке жол")
    duplicate = pf.make_proposal(budget, author=author_b, title="Мектептин жолу")
    only_a, only_b = f.make_user(), f.make_user()
    pf.add_supports(into, users=[only_a, both])
    pf.add_supports(duplicate, users=[only_b, both, author_a])
    review.merge_proposals(staff, duplicate, into, "Бир эле жол.")

    assert {a.user_id for a in into.authors} == {author_a.id, author_b.id}
    supporters = db.session.execute(
        sa.select(ProposalSupport.user_id).where(ProposalSupport.proposal_id == into.id)).scalars().all()
    assert sorted(supporters) == sorted({only_a.id, only_b.id, both.id, author_a.id})
    assert into.support_count == 4
    assert duplicate.status == Status.MERGED and duplicate.merged_into_id == into.id
    assert duplicate.status_reason == "Бир эле жол." and duplicate.status_changes[-1].to_status == Status.MERGED
    assert {a.user_id for a in duplicate.authors} == {author_b.id}  # its page still says who wrote it
    assert _audits(db, "proposal.merge")[0].object_id == duplicate.id
    assert _audits(db, "proposal.absorb")[0].object_id == into.id


def test_merge_notifies_the_people_of_both_proposals_once(db, place):
    _, budget, staff = place
    author_a, author_b = f.make_user(), f.make_user()
    into = pf.make_proposal(budget, author=author_a)
    duplicate = pf.make_proposal(budget, author=author_b)
    review.merge_proposals(staff, duplicate, into, "Same street.")
    notes = db.session.execute(sa.select(Notification)).scalars().all()
    assert {(n.user_id, n.kind, n.target_id) for n in notes} == {
        (author_b.id, "proposal.status", duplicate.id), (author_a.id, "proposal.merge", into.id)}


def test_merge_needs_another_open_proposal_of_the_same_budget_and_a_reason(db, place):
    municipality, budget, staff = place
    proposal = pf.make_proposal(budget)
    elsewhere = pf.make_proposal(f.make_budget(municipality, fiscal_year=2030))
    target = pf.make_proposal(budget)
    for into in (None, proposal, elsewhere):
        with pytest.raises(ValidationFailed):
            review.merge_proposals(staff, proposal, into, "same")
    with pytest.raises(ValidationFailed) as exc:
        review.merge_proposals(staff, proposal, target, "")
    assert exc.value.errors == [("reason", exc.value.errors[0][1])]
    review.merge_proposals(staff, proposal, target, "same")
    with pytest.raises(ValidationFailed):  # nothing merges into a merged proposal
        review.merge_proposals(staff, pf.make_proposal(budget), proposal, "same")
    assert _audits(db, "proposal.merge") == [_audits(db, "proposal.merge")[0]]


@pytest.mark.parametrize("status", sorted(set(Status) - MERGEABLE - {Status.MERGED}))
def test_a_proposal_on_the_ballot_or_later_cannot_be_merged(db, place, status):
    _, budget, staff = place
    duplicate, into = pf.make_proposal(budget, status=status), pf.make_proposal(budget)
    with pytest.raises(ValidationFailed):
        review.merge_proposals(staff, duplicate, into, "same")
    db.session.expire_all()
    assert duplicate.status == status and duplicate.merged_into_id is None


def test_residents_may_not_merge(db, place):
    _, budget, _ = place
    duplicate, into = pf.make_proposal(budget), pf.make_proposal(budget)
    with pytest.raises(PermissionDenied):
        review.merge_proposals(duplicate.author, duplicate, into, "mine")
