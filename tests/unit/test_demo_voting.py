"""The demo's voting, as a visitor finds it: a closed round in each Nookat aiyl okmotu (52 proposals,
3,939,000 som, ballots from kiosks, online and paper) and an open Ak-Dobo round whose unused codes are
printed as slips by `flask pb seed-demo`."""
import io
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from pb.audit.models import AuditEntry
from pb.core.models import local_now
from pb.extensions import db
from pb.places.models import Municipality
from pb.proposals.states import Status
from pb.voting import casting, code_batches, codes, outcomes, results
from pb.voting import services as voting
from pb.voting.models import PaperEntry, RoundVoter, VotingCode
from pb.voting.rules import RULE_NAMES
from pb.voting.states import Channel, Method, PaperStatus, Refusal, RoundStatus
from tests.conftest import _empty_tables

NOOKAT = ("isanov", "zulpuev", "janynookat")
SLIPS = "demo-voting-codes-ak-dobo.pdf"
CODE = re.compile(r"\b[A-Z2-9]{5}-[A-Z2-9]{5}\b")


@pytest.fixture(scope="module")
def demo(_app, tmp_path_factory):
    """The demo as `flask pb seed-demo` loads it, once for the module (it takes seconds): (its output,
    the codes on the slips it wrote). The instance folder is a temporary one."""
    instance, _app.instance_path = _app.instance_path, str(tmp_path_factory.mktemp("instance"))
    try:
        with _app.app_context():
            result = _app.test_cli_runner().invoke(args=["pb", "seed-demo"])
            assert result.exit_code == 0, result.output
            pdf = PdfReader(io.BytesIO((Path(_app.instance_path) / SLIPS).read_bytes()))
            printed = CODE.findall("\n".join(page.extract_text() for page in pdf.pages))
            yield result.output, [codes.normalise(code) for code in printed]
            db.session.rollback()
            _empty_tables()
            db.session.remove()
    finally:
        _app.instance_path = instance


def _only_round(slug):
    municipality = db.session.execute(sa.select(Municipality).where(Municipality.slug == slug)).scalar_one()
    rounds = voting.list_rounds(municipality.id)
    assert len(rounds) == 1
    return rounds[0]


def _count(model, *where):
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar()


def test_demo_nookat_rounds_are_closed_in_the_past_with_52_proposals_and_3939000_som(demo):
    rounds = [_only_round(slug) for slug in NOOKAT]
    assert all(r.status == RoundStatus.CLOSED for r in rounds)
    assert all(r.opens_at < r.closes_at < local_now() - timedelta(days=1) for r in rounds)
    assert sum(len(r.entries) for r in rounds) == 52
    assert sum(r.amount for r in rounds) == Decimal("3939000")
    assert {r.method for r in rounds} == {Method.APPROVAL, Method.KNAPSACK}
    assert all(r.allocation_rule in RULE_NAMES and r.channels == list(Channel) for r in rounds)
    for r in rounds:
        assert {e.proposal.village.municipality_id for e in r.entries} == {r.municipality_id}
        # Isanov's budget is approved in the demo (pb/demo/approval.py): its winners are funded
        chosen = Status.FUNDED if r.municipality.slug == "isanov" else Status.SELECTED
        assert {e.proposal.status for e in r.entries} == {chosen, Status.NOT_SELECTED}
        assert {loc.village_id for loc in r.locations} == {v.id for v in r.municipality.villages}
        assert results.tally(r)[0].score > 0
    closings = _count(AuditEntry, AuditEntry.action == "voting.close_round")
    assert closings == 3  # closed through the service, audited
    assert _count(AuditEntry, AuditEntry.action == "voting.allocate") == 3


def test_demo_zulpuev_round_allocates_by_village_quotas_and_equal_shares(demo):
    round_ = _only_round("zulpuev")
    assert (round_.allocation_rule, round_.quota_basis) == ("mes-cost-greedy", "contribution")
    kept = outcomes.outcome_of(round_)
    assert kept.kept and kept.ballots == results.turnout(round_).total
    villages = {str(v.id) for v in round_.municipality.villages}
    assert set(kept.notes["shares"]) == villages and len(villages) == 3
    # every proposal was decided inside its village's share or in the common pool, by Equal Shares
    stages = {r.stage for r in kept.reasons.values()}
    assert {f"group:{vid}" for vid in villages} <= stages
    kinds = {r.kind for r in kept.reasons.values()}
    # Equal Shares first; then the completion by votes funds what still fits, or says it no longer fits
    assert "mes_funded" in kinds and kinds <= {"mes_funded", "mes_unaffordable", "no_supporters",
                                               "completion_funded", "not_fits"}
    funded_villages = {e.proposal.village_id for e in round_.entries if e.proposal_id in kept.selected}
    assert len(funded_villages) == 3
    assert sum(e.cost for e in round_.entries if e.proposal_id in kept.selected) == kept.cost <= round_.amount
    # the kept outcome is what the rule gives on the ballots now
    assert tuple(int(pid) for pid in outcomes.compute_outcome(round_).selected) == kept.selected


def test_demo_nookat_ballots_come_from_every_channel_and_each_counts_once(demo):
    total = 0
    for slug in NOOKAT:
        round_ = _only_round(slug)
        turnout = results.turnout(round_)
        assert all(turnout.by_channel[channel] > 0 for channel in Channel)
        # every ballot has exactly one trace of who or what opened it, and no trace has two ballots
        assert turnout.by_channel[Channel.ONLINE] == _count(
            RoundVoter, RoundVoter.round_id == round_.id, RoundVoter.channel == Channel.ONLINE)
        assert turnout.by_channel[Channel.KIOSK] == turnout.codes_used == _count(
            VotingCode, VotingCode.round_id == round_.id, VotingCode.used_at.is_not(None))
        assert turnout.by_channel[Channel.PAPER] == _count(
            PaperEntry, PaperEntry.round_id == round_.id, PaperEntry.status == PaperStatus.COUNTED,
            PaperEntry.ballot_id.is_not(None))
        assert len({row.receipt for row in results.receipts(round_)}) == turnout.total
        assert {loc.name for loc, _counts, _n in turnout.by_location if loc} == {loc.name for loc in round_.locations}
        total += turnout.total
    assert 180 <= total <= 220  # "about 200 villagers"


def test_demo_one_nookat_round_reports_a_code_used_on_two_kiosks(demo):
    refused = {slug: results.refused_list(_only_round(slug)) for slug in NOOKAT}
    assert [slug for slug, rows in refused.items() if rows] == ["zulpuev"]
    rows = refused["zulpuev"]
    assert len(rows) == 2 and {row.reason for row in rows} == {Refusal.CODE_USED}
    for row in rows:
        assert row.kiosk is not None and row.cast_at is not None
        code = db.session.get(VotingCode, row.code_id)
        assert code.used_at is not None  # the code counted once, on the other tablet
    assert len({row.kiosk_id for row in rows}) == 2


def test_demo_ak_dobo_round_is_open_with_a_ballot_worth_showing(demo):
    round_ = _only_round("ak-dobo")
    assert voting.is_accepting(round_) and round_.method == Method.KNAPSACK
    assert timedelta(days=12) < round_.closes_at - local_now() < timedelta(days=16)
    assert round_.channels == list(Channel)
    assert "Ак-Добо мектеби" in {loc.name for loc in round_.locations} and len(round_.locations) == 3
    assert len(round_.entries) >= 6


def test_seed_demo_prints_ak_dobo_unused_codes_as_slips_that_work(demo):
    output, clear = demo
    round_ = _only_round("ak-dobo")
    samples = CODE.findall(output)
    assert SLIPS in output and len(samples) == 3 and {codes.normalise(code) for code in samples} <= set(clear)
    assert len(clear) == len(set(clear)) == 60
    assert all(code_batches.check_code(round_, code) == code_batches.VALID for code in clear)
    cheapest = min(round_.entries, key=lambda e: e.cost)
    outcome = casting.cast_with_code(round_, clear[0], [cheapest.proposal_id], "test-demo-code")
    assert outcome.status == casting.COUNTED
    assert code_batches.check_code(round_, clear[0]) == code_batches.USED
    assert code_batches.check_code(round_, clear[1]) == code_batches.VALID


def test_demo_isanov_budget_is_approved_with_its_winners_as_lines_and_prints(demo):
    from pb.budgets.approval import find_approval
    from pb.budgets.states import Phase
    from pb.reports.documents import citizen_pdf, summary_pdf

    round_ = _only_round("isanov")
    budget = round_.budget
    approval = find_approval(budget)
    assert budget.phase == Phase.APPROVED and approval.session_number == "XXIV"
    funded = [e for e in round_.entries if e.proposal.status == Status.FUNDED]
    lines = {line.proposal_id: line.proposed for line in budget.lines if line.proposal_id}
    assert funded and lines == {e.proposal_id: e.cost for e in funded}
    assert sum(lines.values()) <= round_.amount
    assert approval.lines_added == len(funded)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(summary_pdf(budget, "ky"))).pages)
    assert "Исанов айыл өкмөтү" in text and funded[0].proposal.title in text.replace("\n", " ")
    assert len(PdfReader(io.BytesIO(citizen_pdf(budget, "ru"))).pages) == 1


def test_demo_janynookat_budget_waits_for_its_council_with_the_winners_selected(demo):
    from pb.accounts import services as accounts
    from pb.budgets.approval import find_approval
    from pb.budgets.states import Phase
    from pb.core.permissions import can
    from pb.proposals.approval import list_accepted
    from pb.voting.outcomes import outcome_of

    round_ = _only_round("janynookat")
    budget = round_.budget
    assert budget.phase == Phase.APPROVAL and find_approval(budget) is None
    selected = list_accepted(budget)
    assert selected and sum(p.estimated_cost for p in selected) <= round_.amount
    # the winners are those the round's rule chose at its close, as its results page shows them
    assert {p.id for p in selected} == set(outcome_of(round_).selected)
    deputy = accounts.find_user_by_login("deputy@janynookat.kg")
    other_council = accounts.find_user_by_login("deputy@isanov.kg")
    assert can(deputy, "approve", budget) and not can(other_council, "approve", budget)
