"""The allocation at a round's close (services.close_round → outcomes.record_outcome), without HTTP."""
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from pb.audit.models import AuditEntry
from pb.core.errors import ValidationFailed
from pb.proposals.states import Status
from pb.voting import codes, outcomes, result_sheet, results
from pb.voting import services as voting
from pb.voting.models import Ballot, BallotChoice, RoundOutcome, RoundProposal
from pb.voting.reasons import reason_text
from pb.voting.states import Channel, Method, RoundStatus
from tests import factories as f
from tests.proposal_factories import make_proposal
from tests.voting_factories import key, make_round, proposal_ids


def cast(db, round_, choices, channel=Channel.PAPER):
    """A counted ballot written directly: {proposal_id: value} (1, points, or rank)."""
    ballot = Ballot(round_id=round_.id, receipt=codes.new_receipt(), client_key=key(), channel=channel)
    ballot.choices = [BallotChoice(proposal_id=pid, value=value) for pid, value in choices.items()]
    db.session.add(ballot)
    db.session.commit()


def organiser(round_):
    return f.make_staff(round_.municipality)


def _count(db, model, *where):
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar()


def test_close_round_allocates_keeps_the_outcome_and_marks_the_proposals(db):
    round_ = make_round(costs=[Decimal("300000"), Decimal("500000"), Decimal("400000")])
    a, b, c = proposal_ids(round_)
    for choices in ({b: 1}, {b: 1, c: 1}, {c: 1}, {b: 1}, {a: 1}):
        cast(db, round_, choices)
    voting.close_round(organiser(round_), round_)
    kept = db.session.execute(sa.select(RoundOutcome).where(RoundOutcome.round_id == round_.id)).scalar_one()
    assert (kept.rule, kept.ballots, kept.cost) == ("greedy", 5, Decimal("900000.00"))
    assert kept.detail["selected"] == [b, c]
    assert kept.detail["reasons"][str(a)]["kind"] == "not_fits"
    statuses = {e.proposal_id: e.proposal.status for e in round_.entries}
    assert statuses == {a: Status.NOT_SELECTED, b: Status.SELECTED, c: Status.SELECTED}
    # the reason the residents read on the proposal, in the organiser's language (Kyrgyz), with the figures
    reason = next(e.proposal for e in round_.entries if e.proposal_id == a).status_reason.replace("\xa0", " ")
    assert "100 000" in reason and "300 000" in reason
    assert _count(db, AuditEntry, AuditEntry.action == "voting.allocate") == 1
    assert _count(db, AuditEntry, AuditEntry.action == "proposal.change_status") == 3


def test_the_kept_outcome_is_what_the_rule_gives_and_does_not_move_with_later_rows(db):
    round_ = make_round(costs=[Decimal("300000"), Decimal("500000"), Decimal("400000")])
    a, b, c = proposal_ids(round_)
    for choices in ({a: 1}, {a: 1, b: 1}, {c: 1}):
        cast(db, round_, choices)
    voting.close_round(organiser(round_), round_)
    before = outcomes.outcome_of(round_)
    assert before.kept and before.selected == tuple(int(p) for p in outcomes.compute_outcome(round_).selected)
    cast(db, round_, {b: 1})  # a row slipped in after the close (never through the services) ...
    cast(db, round_, {b: 1})
    after = outcomes.outcome_of(round_)
    assert after.selected == before.selected and after.digest == before.digest  # ... changes no published figure
    assert outcomes.round_input(round_)[1] != before.digest  # but a recount would show it


def test_a_round_closes_with_its_outcome_or_not_at_all(db):
    municipality = f.make_municipality()
    f.make_village(municipality, registered_voters=0, revenue_contribution=Decimal(0))
    round_ = make_round(f.make_budget(municipality), quota_basis="voters")
    cast(db, round_, {proposal_ids(round_)[0]: 1})
    audit = _count(db, AuditEntry)
    with pytest.raises(ValidationFailed):
        voting.close_round(organiser(round_), round_)
    db.session.expire_all()
    assert round_.status == RoundStatus.OPEN and round_.outcome is None
    assert {e.proposal.status for e in round_.entries} == {Status.ON_BALLOT}
    assert _count(db, AuditEntry) == audit


def test_create_round_refuses_quotas_the_villages_have_no_figures_for(db):
    municipality = f.make_municipality()
    f.make_village(municipality, registered_voters=0, revenue_contribution=Decimal(0))
    budget = f.make_budget(municipality)
    proposal = make_proposal(budget, status=Status.ON_BALLOT)
    data = dict(title="Т", method="approval", min_choices="1", max_choices="1", amount="100000",
                allocation_rule="greedy", channels=["paper"], eligibility="both", opens_at="2027-02-14T09:00",
                closes_at="2027-02-14T18:00", proposal_ids=[str(proposal.id)])
    for basis, field in (("voters", "quota_basis"), ("by-height", "quota_basis")):
        with pytest.raises(ValidationFailed) as caught:
            voting.create_round(f.make_staff(municipality), budget, dict(data, quota_basis=basis))
        assert [name for name, _message in caught.value.errors] == [field]


def test_village_quotas_give_each_village_its_share_first(db):
    municipality = f.make_municipality()
    big = f.make_village(municipality, name="Чоң-Айыл", registered_voters=600)
    small = f.make_village(municipality, name="Кичи-Айыл", registered_voters=400)
    budget = f.make_budget(municipality)
    round_ = make_round(budget, proposals=0, amount=Decimal("1000000"), quota_basis="voters")
    for village, cost in ((big, "550000"), (big, "300000"), (small, "380000"), (small, "200000")):
        proposal = make_proposal(budget, village=village, status=Status.ON_BALLOT, estimated_cost=Decimal(cost))
        round_.entries.append(RoundProposal(proposal_id=proposal.id, cost=Decimal(cost)))
    db.session.commit()
    big1, big2, small1, small2 = proposal_ids(round_)
    # the big village's voters outnumber the small one's: without quotas both big proposals would win
    for choices in [{big1: 1, big2: 1}] * 4 + [{big1: 1}] * 2 + [{small1: 1, small2: 1}] * 2 + [{small1: 1}]:
        cast(db, round_, choices)
    voting.close_round(organiser(round_), round_)
    kept = outcomes.outcome_of(round_)
    assert kept.notes["shares"] == {str(big.id): 600000, str(small.id): 400000}
    assert set(kept.selected) == {big1, small1}  # each village's share goes to its own most voted proposal
    assert outcomes.run_rule(outcomes.round_input(round_)[0], "greedy").selected == (str(big1), str(big2))
    assert kept.reasons[small1].stage == f"group:{small.id}"
    assert {kept.reasons[pid].stage for pid in (big2, small2)} == {"pool"}
    with force_locale("ru"):
        sheet = result_sheet.build_sheet(round_)
    words = {row.entry.proposal_id: row.reason_text for row in sheet.rows}
    assert "Кичи-Айыл" in words[small1] and words[big2].startswith("общий фонд") is True
    assert {v.village.name: v.share for v in sheet.villages} == {"Чоң-Айыл": 600000, "Кичи-Айыл": 400000}


@pytest.mark.parametrize("method", [Method.CUMULATIVE, Method.RANKING])
def test_points_and_rankings_count_as_the_page_counts_them(db, method):
    round_ = make_round(method=method, rank_depth=3, points=10, amount=Decimal("800000"),
                        costs=[Decimal("300000"), Decimal("500000"), Decimal("400000")])
    a, b, c = proposal_ids(round_)
    for choices in ({a: 6, b: 4}, {c: 9, a: 1}, {b: 2, c: 8}) if method == Method.CUMULATIVE else \
            ({a: 1, b: 2}, {c: 1, a: 2, b: 3}, {b: 1, c: 2}):
        cast(db, round_, choices)
    election = outcomes.round_input(round_)[0]
    assert {int(pid): score for pid, score in election.scores.items()} == \
        {count.entry.proposal_id: count.score for count in results.tally(round_)}
    voting.close_round(organiser(round_), round_)
    assert {r.numbers["unit"] for r in outcomes.outcome_of(round_).reasons.values()} == {"points"}


@pytest.mark.parametrize(("lang", "words"), [
    ("ky", ("каржыланды", "добуш", "сом")), ("ru", ("профинансировано", "голос", "сом"))])
def test_reasons_read_in_the_language_with_their_figures(app, lang, words):
    from pb.allocation import Reason

    funded = Reason("7", "funded", {"score": 84, "unit": "votes", "cost": 310000, "left": 90000})
    not_fits = Reason("8", "not_fits", {"score": 40, "unit": "votes", "cost": 300000, "left": 120000})
    with force_locale(lang):
        first = reason_text(funded, {}, {}).replace("\xa0", " ")
        second = reason_text(not_fits, {}, {}).replace("\xa0", " ")
    assert words[0] in first and words[1] in first and "84" in first and "310 000" in first
    assert "120 000" in second and "300 000" in second and words[2] in second
