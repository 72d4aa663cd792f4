"""Our rules give pabutools 1.2.3's outcomes on every approval file, and real elections their winners.

pabutools runs live where it is quick (small files); for the rest, its precomputed
outcomes (../shared/data/pabulib/pabutools-outcomes.json) are the reference.
"""
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pabutools.election import Cardinality_Sat, Cost_Sat, parse_pabulib
from pabutools.rules import completion_by_rule_combination, greedy_utilitarian_welfare, method_of_equal_shares

from pb.allocation import Election, Project, allocate, rule_for_pabulib
from pb.allocation.pabulib import read, selected_ids, write
from tests.unit.allocation.conftest import PABULIB, pabulib_file, pabutools_outcomes

# our rule -> (key in pabutools-outcomes.json, the pabutools call)
CALLS = {
    "greedy": ("greedy_cost", lambda i, p: greedy_utilitarian_welfare(i, p, sat_class=Cost_Sat)),
    "mes-cost": ("mes_cost", lambda i, p: method_of_equal_shares(i, p, sat_class=Cost_Sat)),
    "mes-card": ("mes_card", lambda i, p: method_of_equal_shares(i, p, sat_class=Cardinality_Sat)),
    "mes-cost-greedy": ("mes_cost+greedy_cost", lambda i, p: completion_by_rule_combination(
        i, p, [method_of_equal_shares, greedy_utilitarian_welfare], [{"sat_class": Cost_Sat}, {"sat_class": Cost_Sat}])),
    "mes-cost-add1": ("mes_cost_add1", lambda i, p: method_of_equal_shares(
        i, p.as_multiprofile(), sat_class=Cost_Sat, voter_budget_increment=1)),
}
# where pabutools answers in about a second or less (its add-one only on the smallest)
LIVE = {
    "Netherlands_Assen_2024.pb": set(CALLS),
    "Worldwide_Mechanical_Turk_k_approval_3.pb": set(CALLS),
    "US_Stanford_Dataset_PB_Chicago_49th_Ward_2019_vote_approvals.pb": set(CALLS),
    "France_Toulouse_2022_1_-_Capitole_Arnaud_Bernard_Carmes.pb": set(CALLS),
    "Poland_Warszawa_2026_Sady_Zoliborskie.pb": set(CALLS) - {"mes-cost-add1"},
    "Poland_Swiecie_2023.pb": set(CALLS) - {"mes-cost-add1"},
}
APPROVAL = sorted(p.name for p in PABULIB.glob("*.pb")
                  if "vote_type;approval" in p.read_text(encoding="utf-8-sig")[:3000])


@lru_cache(maxsize=None)
def election(name):
    return read(pabulib_file(name)).election()


@lru_cache(maxsize=None)
def pabutools_file(name):
    return parse_pabulib(str(pabulib_file(name)))


@lru_cache(maxsize=None)
def reference(name, rule):
    key, call = CALLS[rule]
    if rule in LIVE.get(name, ()):
        instance, profile = pabutools_file(name)
        return sorted(p.name for p in call(instance, profile)), "live"
    recorded = pabutools_outcomes()[name].get(key)
    if not isinstance(recorded, list):
        pytest.skip(f"pabutools has no outcome for {rule} on {name}: {recorded}")
    return sorted(recorded), "json"


def test_the_approval_files_are_all_there():
    assert len(APPROVAL) == 16
    assert set(pabutools_outcomes()) == {p.name for p in PABULIB.glob("*.pb")}


@pytest.mark.parametrize("rule", list(CALLS))
@pytest.mark.parametrize("name", APPROVAL)
def test_our_rule_gives_pabutools_outcome(name, rule):
    expected, _ = reference(name, rule)
    assert sorted(allocate(election(name), rule).selected) == expected


def test_the_live_calls_agree_with_the_recorded_outcomes():
    outcomes = pabutools_outcomes()
    for name, rules in LIVE.items():
        for rule in rules:
            assert reference(name, rule)[0] == sorted(outcomes[name][CALLS[rule][0]]), (name, rule)


@settings(max_examples=40, deadline=None, database=None)
@given(st.integers(2, 6).flatmap(lambda n: st.tuples(
    st.lists(st.integers(1, 50), min_size=n, max_size=n),
    st.integers(1, 150),
    st.lists(st.sets(st.sampled_from(["1", "2", "10", "20", "a", "b"][:n]), min_size=1), min_size=1, max_size=9))))
def test_random_small_elections_match_pabutools(tmp_path_factory, case):
    costs, budget, ballots = case
    ids = ["1", "2", "10", "20", "a", "b"][:len(costs)]
    ours = Election.build([Project(pid, cost) for pid, cost in zip(ids, costs)], budget, ballots)
    path = tmp_path_factory.mktemp("random") / "random.pb"
    path.write_text(write(ours), encoding="utf-8")
    instance, profile = parse_pabulib(str(path))
    for rule, (_, call) in CALLS.items():
        assert sorted(allocate(ours, rule).selected) == sorted(p.name for p in call(instance, profile)), rule


RECORDED = [
    "Netherlands_Assen_2024.pb", "Poland_Swiecie_2023.pb", "Poland_Wieliczka_2023_Green_Budget.pb",
    "Poland_Lodz_2022.pb", "Poland_Warszawa_2026.pb", "Poland_Warszawa_2020_Praga-Poludnie.pb",
    "Poland_Warszawa_2026_Sady_Zoliborskie.pb", "Poland_Katowice_2023.pb", "Poland_Wroclaw_2015_150_-_500.pb",
    "Poland_Wroclaw_2017.pb", "Poland_Gdynia_2021.pb", "Poland_Krakow_2023_Bienczyce.pb", "Poland_Krakow_2024.pb",
    "Poland_Krakow_2024_Podgorze.pb",
]


@pytest.mark.parametrize("name", RECORDED)
def test_as_recorded_selects_the_real_winners(name):
    data = read(pabulib_file(name))
    rule, options = rule_for_pabulib(data.meta, election(name).num_voters)
    assert sorted(allocate(election(name), rule, **options).selected) == sorted(selected_ids(data))


def test_as_recorded_reads_the_variant_from_meta():
    assert rule_for_pabulib({"rule": "greedy-threshold", "min_project_score_threshold": "3000"}, 10) == (
        "greedy", {"min_score": 3000})
    assert rule_for_pabulib({"rule": "greedy-no-skip", "min_project_score_threshold": "5%"}, 300) == (
        "greedy-no-skip", {"min_score": 15})
    assert rule_for_pabulib({"rule": "equalshares/add1-comparison"}, 10) == ("equalshares-add1-comparison", {})
    with pytest.raises(ValueError, match="'unknown' is not one Ashar implements"):
        rule_for_pabulib({"rule": "unknown"}, 10)
    with pytest.raises(ValueError, match="no min_project_score_threshold"):
        rule_for_pabulib({"rule": "greedy-threshold"}, 10)
