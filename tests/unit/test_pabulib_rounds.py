"""Pabulib files as rounds, without HTTP: import (pb.voting.pabulib_import) and export (pb.voting.pabulib_export)."""
import time
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from pb.allocation.pabulib import parse, selected_ids
from pb.audit.models import AuditEntry
from pb.core.errors import PermissionDenied, ValidationFailed
from pb.proposals import services as proposals
from pb.proposals.models import Proposal
from pb.proposals.states import Status
from pb.voting import outcomes, results
from pb.voting import services as voting
from pb.voting.models import Ballot, BallotChoice, VotingRound
from pb.voting.pabulib_export import MIN_GROUP, export_pabulib
from pb.voting.pabulib_import import import_pabulib
from pb.voting.states import Channel, Method, RoundStatus
from tests import factories as f
from tests.unit.test_voting_outcomes import cast
from tests.voting_factories import make_round, proposal_ids

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "pabulib"
SMALL = """META
key;value
description;Арык 2027
budget;1000
vote_type;approval
max_length;2
PROJECTS
project_id;cost;name;village
a;600;Арык;Кара-Суу
b;500;Мектеп;Paris
c;400;Жол;кара-суу
VOTES
voter_id;vote
1;b,c
2;b,c
3;c
4;a,a
"""


def _count(db, model, *where):
    return db.session.execute(sa.select(sa.func.count()).select_from(model).where(*where)).scalar()


def _municipality():
    municipality = f.make_municipality()
    f.make_village(municipality, name="Кара-Суу")
    f.make_budget(municipality)
    return municipality


def test_import_makes_a_closed_rehearsal_round_that_decides_nothing_real(db):
    municipality = _municipality()
    staff = f.make_staff(municipality)
    real = f.make_budget(municipality, fiscal_year=2026)
    round_ = import_pabulib(staff, municipality, SMALL.encode(), "aryk.pb")
    assert round_.is_imported and round_.status == RoundStatus.CLOSED and round_.imported_from == "aryk.pb"
    assert (round_.method, round_.max_choices, round_.amount, round_.allocation_rule) == (
        Method.APPROVAL, 2, Decimal("1000"), "greedy")
    assert round_.budget_id != real.id  # the latest budget (2027) by default
    titles = {e.proposal.title: e.proposal for e in round_.entries}
    village = municipality.villages[0]
    # a project column naming one of the municipality's villages (any case) gives the village; Paris none
    assert (titles["Арык"].village_id, titles["Жол"].village_id, titles["Мектеп"].village_id) == (
        village.id, village.id, None)
    assert all(p.rehearsal and p.status == Status.ON_BALLOT for p in titles.values())
    assert _count(db, Ballot, Ballot.round_id == round_.id) == 4
    # "a,a" counts once; greedy: c (3 votes, 400) then b (2 votes, 500); a (600) no longer fits
    assert _count(db, BallotChoice, BallotChoice.proposal_id == titles["Арык"].id) == 1
    assert set(round_.outcome.detail["selected"]) == {titles["Мектеп"].id, titles["Жол"].id}
    # kept out of the budget's real proposals and of real rounds' ballots
    assert proposals.list_proposals(round_.budget).total == 0
    assert voting.ballot_candidates(round_.budget) == []
    assert _count(db, AuditEntry, AuditEntry.action == "voting.import_round") == 1
    assert _count(db, AuditEntry, AuditEntry.action == "proposal.change_status") == 0


@pytest.mark.parametrize("text, expected", [
    ("hello;world\n", "not a Pabulib file"),
    (SMALL.replace("VOTES\nvoter_id;vote\n1;b,c\n2;b,c\n3;c\n4;a,a\n", ""), "VOTES"),
    (SMALL.replace("budget;1000", "budget;lots"), "budget lots"),
    (SMALL.replace("c;400;", "c;4x0;").replace("a;600;", "a;-1;"), "a (-1), c (4x0)"),
    (SMALL.replace("3;c", "3;c,z,y"), "not in PROJECTS: y, z"),
    (SMALL.replace("vote_type;approval", "vote_type;scoring"), "scoring"),
])
def test_a_bad_file_lists_its_problems_and_writes_nothing(db, text, expected):
    municipality = _municipality()
    with pytest.raises(ValidationFailed) as exc:
        import_pabulib(f.make_staff(municipality), municipality, text.encode(), "bad.pb")
    with force_locale("en"):
        assert expected in " ".join(str(message) for _field, message in exc.value.errors)
    assert _count(db, VotingRound) == _count(db, Proposal) == _count(db, Ballot) == 0


def test_a_bad_file_is_told_in_the_users_language(db):
    municipality = _municipality()
    with pytest.raises(ValidationFailed) as exc:
        import_pabulib(f.make_staff(municipality), municipality, SMALL.replace("3;c", "3;z").encode(), "bad.pb")
    with force_locale("ru"):
        assert "VOTES" in str(exc.value.errors[0][1]) and "PROJECTS" in str(exc.value.errors[0][1])
        assert "проект" in str(exc.value.errors[0][1])


def test_upload_limits_and_permissions(db):
    municipality = _municipality()
    staff = f.make_staff(municipality)
    with pytest.raises(ValidationFailed):
        import_pabulib(staff, municipality, SMALL.encode(), "big.pb", max_ballots=3)
    with pytest.raises(ValidationFailed):
        import_pabulib(staff, municipality, SMALL.encode(), "big.pb", max_bytes=100)
    with pytest.raises(PermissionDenied):
        import_pabulib(f.make_user(), municipality, SMALL.encode(), "x.pb")
    with pytest.raises(ValidationFailed):  # Equal Shares does not fit ranked ballots
        text = SMALL.replace("vote_type;approval", "vote_type;ordinal")
        import_pabulib(staff, municipality, text.encode(), "x.pb", rule="mes-cost")
    assert _count(db, VotingRound) == 0


def test_the_round_form_refuses_a_rule_that_does_not_fit_the_method(db):
    round_ = make_round(status=RoundStatus.DRAFT)
    staff = f.make_staff(round_.municipality)
    data = dict(title="T", method="cumulative", points="10", amount="1000000", allocation_rule="mes-cost",
                channels=["paper"], eligibility="both", opens_at="2027-02-14T09:00", closes_at="2027-02-15T09:00",
                proposal_ids=[str(pid) for pid in proposal_ids(round_)])
    with pytest.raises(ValidationFailed) as exc:
        voting.update_round(staff, round_, data)
    assert [field for field, _m in exc.value.errors] == ["allocation_rule"]
    voting.update_round(staff, round_, dict(data, allocation_rule="greedy-no-skip"))
    assert round_.allocation_rule == "greedy-no-skip"


@pytest.mark.parametrize("name, rule", [
    ("Netherlands_Assen_2024.pb", None),  # equalshares/add1, as recorded
    ("France_Toulouse_2022_1_-_Capitole_Arnaud_Bernard_Carmes.pb", None),  # greedy, decimal costs
    ("Worldwide_Mechanical_Turk_Utilities_3.pb", "greedy"),  # cumulative
    ("US_Stanford_Dataset_PB_Rochester_NY_2019_vote_rankings.pb", "greedy"),  # ordinal
])
def test_real_files_import_and_their_recorded_winners_come_back(db, name, rule):
    municipality = _municipality()
    raw = (DATA / name).read_bytes()
    round_ = import_pabulib(f.make_staff(municipality), municipality, raw, name, rule=rule)
    data = parse(raw.decode("utf-8-sig"))
    assert _count(db, Ballot, Ballot.round_id == round_.id) == len(data.column("vote"))
    exported = parse(export_pabulib(round_))
    assert len(exported.projects) == len(data.projects)
    if "selected" in data.project_columns:
        by_title = {p["name"]: p["project_id"] for p in data.projects}
        assert sorted(by_title[p["name"]] for p in exported.projects if p["selected"] == "1") == sorted(
            selected_ids(data))


def test_a_big_file_imports_in_bulk_quickly(db):
    municipality = _municipality()
    raw = (DATA / "Poland_Gdynia_2021.pb").read_bytes()
    started = time.perf_counter()
    round_ = import_pabulib(f.make_staff(municipality), municipality, raw, "gdynia.pb", rule="greedy")
    elapsed = time.perf_counter() - started
    assert round_.outcome.ballots == len(parse(raw.decode("utf-8-sig")).column("vote"))
    assert elapsed < 60, elapsed


def test_export_is_anonymous_deterministic_and_shows_channels_only_for_large_groups(db):
    round_ = make_round(costs=[Decimal("300000"), Decimal("500000"), Decimal("400000")])
    a, b, c = proposal_ids(round_)
    for n in range(MIN_GROUP):
        cast(db, round_, {a: 1, b: 1} if n % 2 else {c: 1}, channel=Channel.PAPER)
    cast(db, round_, {b: 1}, channel=Channel.ONLINE)  # one online ballot: the channel would single it out
    voting.close_round(f.make_staff(round_.municipality), round_)
    text = export_pabulib(round_)
    assert text == export_pabulib(round_)
    data = parse(text)
    assert data.vote_columns == ("voter_id", "vote")
    assert [row[0] for row in data.votes] == [str(n) for n in range(1, MIN_GROUP + 2)]
    receipts = {r for r, *_ in db.session.execute(sa.select(Ballot.receipt, Ballot.id))}
    assert not receipts & {row[0] for row in data.votes}
    assert sorted(row[1] for row in data.votes) == sorted([f"{a},{b}"] * 5 + [str(c)] * 5 + [str(b)])
    assert data.meta["budget"] == "1000000" and data.meta["vote_type"] == "approval"
    assert {p["project_id"]: p["selected"] for p in data.projects} == {
        str(pid): "1" if pid in round_.outcome.detail["selected"] else "0" for pid in (a, b, c)}


@pytest.mark.parametrize("name", ["Netherlands_Assen_2024.pb", "Worldwide_Mechanical_Turk_k_approval_3.pb"])
@pytest.mark.parametrize("rule", ["greedy", "mes-cost", "mes-card", "mes-cost-greedy", "mes-cost-add1"])
def test_pabutools_reads_the_export_and_finds_the_kept_outcome(db, tmp_path, name, rule):
    from tests.unit.allocation.test_pabutools_equality import CALLS
    from pabutools.election import parse_pabulib

    municipality = _municipality()
    round_ = import_pabulib(f.make_staff(municipality), municipality, (DATA / name).read_bytes(), name, rule=rule)
    path = tmp_path / "round.pb"
    path.write_text(export_pabulib(round_), encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    assert len(profile) == round_.outcome.ballots
    theirs = CALLS[rule][1](instance, profile)
    assert sorted(int(p.name) for p in theirs) == sorted(round_.outcome.detail["selected"])


@pytest.mark.parametrize("method, values", [
    (Method.APPROVAL, (1, 1)), (Method.KNAPSACK, (1, 1)), (Method.CUMULATIVE, (3, 7)), (Method.RANKING, (1, 2)),
])
def test_pabutools_reads_a_round_voted_in_ashar_with_each_method(db, tmp_path, method, values):
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    rule = "mes-cost" if method in (Method.APPROVAL, Method.KNAPSACK) else "greedy"
    round_ = make_round(costs=[Decimal("300000"), Decimal("500000"), Decimal("400000"), Decimal("250000")],
                        proposals=4, allocation_rule=rule, method=method)
    a, b, c, d = proposal_ids(round_)
    first, second = values
    for x, y in ((a, b), (b, c), (b, d), (c, d), (d, a), (a, d), (b, a)):
        cast(db, round_, {x: first, y: second})
    cast(db, round_, {d: first})
    voting.close_round(f.make_staff(round_.municipality), round_)
    path = tmp_path / "round.pb"
    path.write_text(export_pabulib(round_), encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    assert len(profile) == 8 and len(instance) == 4
    assert instance.budget_limit == 1000000
    if rule == "mes-cost":
        for call in (method_of_equal_shares, greedy_utilitarian_welfare):
            theirs = call(instance, profile, sat_class=Cost_Sat)
            ours = outcomes.run_rule(outcomes.round_input(round_)[0], "greedy" if call is greedy_utilitarian_welfare
                                     else "mes-cost")
            assert sorted(p.name for p in theirs) == sorted(ours.selected)
        assert sorted(int(p.name) for p in method_of_equal_shares(instance, profile, sat_class=Cost_Sat)) == sorted(
            round_.outcome.detail["selected"])
    else:  # pabutools has no greedy by points or rank points: its ballots are ours, point for point
        theirs = sorted(sorted((int(p.name), ballot[p]) for p in ballot) if method == Method.CUMULATIVE
                        else [int(p.name) for p in ballot] for ballot in profile)
        stored = [choices for *_rest, choices in results.anonymous_ballots(round_)]
        ours = sorted(sorted(choices.items()) if method == Method.CUMULATIVE
                      else [pid for pid, _rank in sorted(choices.items(), key=lambda item: item[1])]
                      for choices in stored)
        assert theirs == ours


def test_pabutools_agrees_on_a_round_voted_in_ashar(db, tmp_path):
    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    round_ = make_round(costs=[Decimal("300000"), Decimal("500000"), Decimal("400000"), Decimal("250000")],
                        proposals=4, allocation_rule="mes-cost")
    a, b, c, d = proposal_ids(round_)
    for choices in ({a: 1, b: 1}, {b: 1}, {b: 1, c: 1}, {c: 1, d: 1}, {d: 1}, {a: 1, d: 1}, {b: 1, d: 1}):
        cast(db, round_, choices)
    voting.close_round(f.make_staff(round_.municipality), round_)
    path = tmp_path / "round.pb"
    path.write_text(export_pabulib(round_), encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    theirs = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    assert sorted(int(p.name) for p in theirs) == sorted(round_.outcome.detail["selected"])
    assert round_.outcome.detail["selected"]


@pytest.mark.parametrize("path", sorted(DATA.glob("*.pb")), ids=lambda p: p.stem)
def test_every_shared_file_passes_the_import_checks(path):
    from pb.voting.pabulib_import import METHODS, read_pabulib

    data, election = read_pabulib(path.read_bytes())
    assert election.num_voters == len(data.column("vote")) and election.projects
    assert data.meta["vote_type"] in METHODS
