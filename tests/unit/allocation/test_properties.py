"""Properties on many random small elections (hypothesis), and the fast Equal Shares against the reference."""
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from pb.allocation import RULES, Election, Project, allocate
from pb.allocation.greedy import equalshares_order
from pb.allocation.outcome import FUNDED_KINDS
from tests.unit.allocation.conftest import reference_add_one, reference_mes

IDS = ["1", "2", "3", "10", "20", "a"]      # "10" < "2" as text: ties follow the text order
few = settings(max_examples=60, deadline=None, database=None)


@st.composite
def elections(draw, kind="approval", villages=False, max_voters=10):
    n = draw(st.integers(1, len(IDS)))
    ids = IDS[:n]
    costs = draw(st.lists(st.one_of(st.integers(0, 60), st.fractions(0, 60, max_denominator=4)),
                          min_size=n, max_size=n))
    groups = draw(st.lists(st.sampled_from(["A", "B", None]), min_size=n, max_size=n)) if villages else [None] * n
    projects = [Project(pid, cost, group) for pid, cost, group in zip(ids, costs, groups)]
    budget = draw(st.one_of(st.integers(0, 200), st.fractions(0, 200, max_denominator=3)))
    if kind == "approval":
        ballots = draw(st.lists(st.sets(st.sampled_from(ids)), max_size=max_voters))
    elif kind == "cumulative":
        ballots = draw(st.lists(st.dictionaries(st.sampled_from(ids), st.integers(1, 3)), max_size=max_voters))
    else:
        ballots = draw(st.lists(st.lists(st.sampled_from(ids), unique=True, max_size=3), max_size=max_voters))
    return Election.build(projects, budget, ballots, kind=kind)


def whole(election):
    """The same election with whole costs and budget (the add-one reference steps one unit at a time)."""
    projects = [Project(p.id, int(p.cost), p.group) for p in election.projects]
    return Election(tuple(projects), int(election.budget), election.ballots, election.kind)


def check_outcome(election, outcome):
    cost = {p.id: p.cost for p in election.projects}
    assert len(set(outcome.selected)) == len(outcome.selected)
    assert outcome.cost == sum(cost[pid] for pid in outcome.selected)
    assert outcome.cost <= election.budget
    assert set(outcome.reasons) == set(cost)
    assert {pid for pid, r in outcome.reasons.items() if r.kind in FUNDED_KINDS} == set(outcome.selected)
    for reason in outcome.reasons.values():
        assert reason.text


@few
@given(elections(), st.sampled_from(sorted(set(RULES) - {"village-quotas"})))
def test_no_rule_spends_more_than_the_budget(election, rule):
    check_outcome(election, allocate(election, rule))


@few
@given(elections(kind="cumulative"), st.sampled_from(["greedy", "mes-cost", "mes-cost-greedy", "equalshares-add1"]))
def test_no_rule_spends_more_than_the_budget_with_points(election, rule):
    check_outcome(election, allocate(election, rule))


@few
@given(elections(kind="ordinal"), st.sampled_from(["greedy", "greedy-no-skip", "mes-card"]))
def test_no_rule_spends_more_than_the_budget_with_ranks(election, rule):
    check_outcome(election, allocate(election, rule))


@few
@given(elections(), st.integers(0, 4))
def test_greedy_is_exhaustive(election, threshold):
    outcome = allocate(election, "greedy", min_score=threshold or None)
    left = election.budget - outcome.cost
    for project in election.projects:
        if project.id not in outcome.selected and election.scores[project.id] >= threshold:
            assert project.cost > left


@few
@given(elections(villages=True), st.dictionaries(st.sampled_from(["A", "B"]), st.integers(0, 5), min_size=1)
       .filter(lambda w: sum(w.values()) > 0))
def test_village_quotas_spend_each_share_on_its_own_projects_first(election, weights):
    outcome = allocate(election, "village-quotas", weights=weights)
    check_outcome(election, outcome)
    total = sum(weights.values())
    spent_in_stages = 0
    for village, weight in weights.items():
        share = Fraction(election.budget) * weight / total
        assert outcome.notes["shares"][village] == share
        own = [p for p in election.projects if p.group == village]
        funded_here = [p for p in own if outcome.reasons[p.id].stage == f"group:{village}"
                       and outcome.reasons[p.id].funded]
        spent = sum(p.cost for p in funded_here)
        assert spent == outcome.notes["spent"][village] <= share
        # as far as they fit: no own project left out of the stage fits in what the share left
        for p in own:
            if p not in funded_here:
                assert p.cost > share - spent
        spent_in_stages += spent
    assert outcome.notes["pool"] == election.budget - spent_in_stages
    pool_left = outcome.notes["pool"] - outcome.notes["pool_spent"]
    for p in election.projects:
        if p.id not in outcome.selected:
            assert outcome.reasons[p.id].stage == "pool" and p.cost > pool_left


@few
@given(elections(max_voters=8))
def test_equal_shares_matches_the_reference(election):
    share = Fraction(election.budget) / election.num_voters if election.num_voters else 0
    assert list(allocate(election, "mes-cost").selected) == reference_mes(election, share)
    assert list(allocate(election, "mes-card").selected) == reference_mes(election, share, "card")
    order = sorted(election.by_id, key=equalshares_order(election))
    assert list(allocate(election, "equalshares").selected) == reference_mes(election, share, order=order)


@settings(max_examples=40, deadline=None, database=None)
@given(elections(max_voters=8).map(whole))
def test_add_one_gives_the_outcome_of_the_one_step_at_a_time_loop(election):
    if not election.num_voters:
        return
    ours = allocate(election, "mes-cost-add1")
    assert sorted(ours.selected) == sorted(reference_add_one(election, "exhaustive"))
    order = sorted(election.by_id, key=equalshares_order(election))
    ours = allocate(election, "equalshares-add1")
    assert sorted(ours.selected) == sorted(reference_add_one(election, "fits", integral=True, order=order))
