"""Each rule on small elections worked out by hand: outcome, reasons and tie-breaks."""
from fractions import Fraction

import pytest

from pb.allocation import RULES, Election, Project, allocate
from pb.allocation.greedy import equalshares_order, greedy


def five_projects():
    """a:5 votes, b:4, c:4, d:2, e:0; budget 600."""
    projects = [Project("a", 300), Project("b", 200), Project("c", 250), Project("d", 100), Project("e", 50)]
    ballots = [{"a", "b", "c"}] * 2 + [{"a", "b"}] + [{"a", "c", "d"}] * 2 + [{"b"}]
    return Election.build(projects, 600, ballots)


def test_greedy_skips_what_no_longer_fits_and_goes_on():
    outcome = allocate(five_projects(), "greedy")
    assert outcome.selected == ("a", "b", "d")
    assert outcome.cost == 600 and outcome.left == 0
    reasons = outcome.reasons
    assert reasons["a"].text == "funded: 5 votes, 300"
    assert reasons["c"].kind == "not_fits" and reasons["c"].numbers["left"] == 100
    assert reasons["c"].text == "not funded: 4 votes; 100 was left when its turn came, it costs 250"
    assert reasons["d"].numbers == {"score": 2, "unit": "votes", "cost": 100, "left": 0}
    assert reasons["e"].text == "not funded: 0 votes; 0 was left when its turn came, it costs 50"


def test_greedy_breaks_equal_votes_by_id_as_text():
    # b and c have 4 votes each: "b" comes first, so b is funded and c no longer fits
    assert allocate(five_projects(), "greedy").reasons["b"].kind == "funded"
    election = Election.build([Project("10", 100), Project("9", 50)], 100, [{"10", "9"}])
    assert allocate(election, "greedy").selected == ("10",)          # "10" < "9" as text
    assert greedy(election, order=equalshares_order).selected == ("9",)   # the cheaper first


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit():
    outcome = allocate(five_projects(), "greedy-no-skip")
    assert outcome.selected == ("a", "b")
    assert outcome.reasons["c"].kind == "not_fits"
    assert outcome.reasons["d"].kind == "stopped_no_skip"
    assert outcome.reasons["d"].text == ("not funded: 2 votes; counting stopped at project c, "
                                         "which did not fit the money left")


def test_greedy_threshold_excludes_projects_below_the_minimum_score():
    outcome = allocate(five_projects(), "greedy", min_score=3)
    assert outcome.selected == ("a", "b")
    assert outcome.reasons["d"].kind == "below_threshold"
    assert outcome.reasons["d"].text == "not funded: 2 votes, below the minimum of 3"
    # a score equal to the threshold is eligible (Pabulib's min_project_score_threshold)
    assert allocate(five_projects(), "greedy", min_score=2).selected == ("a", "b", "d")


def test_greedy_counts_points_and_ranks():
    projects = [Project("x", 100), Project("y", 100), Project("z", 100)]
    cumulative = Election.build(projects, 100, [{"x": 3}, {"y": 2, "z": 1}, {"y": 2}], kind="cumulative")
    assert cumulative.scores == {"x": 3, "y": 4, "z": 1}
    assert allocate(cumulative, "greedy").reasons["y"].text == "funded: 4 points, 100"
    # ranks are worth 3/2/1 (ballots of at most three ranks), as Kraków counts them
    ordinal = Election.build(projects, 100, [("x", "y", "z"), ("z", "y"), ("y",)], kind="ordinal")
    assert ordinal.scores == {"x": 3, "y": 2 + 2 + 3, "z": 1 + 3}
    assert allocate(ordinal, "greedy").selected == ("y",)


def equal_shares_election():
    """Six voters, 100 each: A (300) by v1-v4, B (200) by v4-v5, C (150) by v5-v6, D (100) by nobody."""
    projects = [Project("A", 300), Project("B", 200), Project("C", 150), Project("D", 100)]
    ballots = [{"A"}] * 3 + [{"A", "B"}, {"B", "C"}, {"C"}]
    return Election.build(projects, 600, ballots)


def test_equal_shares_with_cost_utilities():
    outcome = allocate(equal_shares_election(), "mes-cost")
    # A: 4 supporters pay 75 each (ρ/cost = 1/4); then C: v5, v6 pay 75 (1/2); B: 25 + 25 left < 200
    assert outcome.selected == ("A", "C")
    assert outcome.cost == 450
    a = outcome.reasons["A"]
    assert a.kind == "mes_funded"
    assert a.numbers == {"cost": 300, "rho": 75, "supporters": 4, "paid_rho": 4, "paid_all": 0, "share": 100,
                         "round": 1}
    assert a.text == "funded by equal shares (ρ = 75): 4 voters paid 75 each; it costs 300"
    assert outcome.reasons["B"].text == "not funded: its 2 voters had only 50 left of their shares, it costs 200"
    assert outcome.reasons["B"].numbers["money"] == 50
    assert outcome.reasons["D"].kind == "no_supporters"


def test_equal_shares_then_greedy_completion():
    outcome = allocate(equal_shares_election(), "mes-cost-greedy")
    # 150 left: B (2 votes, 200) does not fit; D (nobody's, 100) does, as pabutools' greedy funds it too
    assert outcome.selected == ("A", "C", "D")
    assert outcome.reasons["B"].kind == "not_fits"
    assert outcome.reasons["D"].text == "funded with the money Equal Shares left: 0 votes, 100"


def test_equal_shares_with_cardinality_utilities_breaks_ties_by_id():
    outcome = allocate(equal_shares_election(), "mes-card")
    # A and C both ask ρ = 75: A comes first as text
    assert outcome.selected == ("A", "C")
    assert outcome.reasons["C"].numbers["round"] == 2


def test_equal_shares_supporter_short_of_rho_pays_what_is_left():
    # W (320) by v1, v4-v6 first (four supporters), leaving v1 20; Z (130) by v1-v3: v1 pays 20, v2, v3 55
    projects = [Project("W", 320), Project("Z", 130)]
    ballots = [{"W", "Z"}, {"Z"}, {"Z"}, {"W"}, {"W"}, {"W"}]
    outcome = allocate(Election.build(projects, 600, ballots), "mes-cost")
    assert outcome.selected == ("W", "Z")
    z = outcome.reasons["Z"]
    assert (z.numbers["rho"], z.numbers["paid_rho"], z.numbers["paid_all"]) == (55, 2, 1)
    assert z.text == "funded by equal shares (ρ = 55): 2 voters paid 55 each, 1 voter paid all they had left; it costs 130"


def test_equal_shares_ties_pabutools_and_equalshares_orders():
    # two voters with 150 each; p1 (200) and p2 (150) both ask ρ/cost = 1/2
    election = Election.build([Project("p1", 200), Project("p2", 150)], 300, [{"p1", "p2"}] * 2)
    assert allocate(election, "mes-cost").selected == ("p1",)       # smallest id as text
    assert allocate(election, "equalshares").selected == ("p2",)    # lowest cost first


def test_add_one_stop_rules_differ():
    # a: 3 voters, 150 each (budget 450): X (300) by all, Y (120) by v1, Z (150) by v2, v3
    projects = [Project("X", 300), Project("Y", 120), Project("Z", 150)]
    election = Election.build(projects, 450, [{"X", "Y"}, {"X", "Z"}, {"X", "Z"}])
    # share 150: X (100 each), then Y: v1 has 50 < 120; Z: 100 < 150 -> {X}, 150 left, Y or Z would fit
    assert allocate(election, "mes-cost").selected == ("X",)
    pabutools_style = allocate(election, "mes-cost-add1")
    equalshares_style = allocate(election, "equalshares-add1")
    # share 175: v2, v3 have 75 each -> Z; share 220: v1 has 120 -> Y too, 570 > 450 overspends
    assert set(pabutools_style.selected) == {"X", "Z"}
    assert pabutools_style.notes["share"] == 175
    assert set(equalshares_style.selected) == {"X", "Z"}
    assert equalshares_style.notes["share"] == 219


def test_comparison_keeps_equal_shares_unless_more_voters_prefer_greedy():
    # greedy by votes funds "big" (3 votes, the whole 300); Equal Shares with add-one funds s1 and s2
    # (shares up to 99: at 100 "big" comes first and s1 too, 600 > 300)
    projects = [Project("big", 300), Project("s1", 150), Project("s2", 150)]
    ballots = [{"big"}] * 3 + [{"s1"}] * 2 + [{"s2"}] * 2
    outcome = allocate(Election.build(projects, 300, ballots), "equalshares-add1-comparison")
    assert (outcome.notes["prefer_equal_shares"], outcome.notes["prefer_greedy"]) == (4, 3)
    assert outcome.notes["kept"] == "equal shares" and set(outcome.selected) == {"s1", "s2"}
    assert outcome.notes["share"] == 99
    # with four for "big", Equal Shares funds nothing that fits: the 4 who prefer greedy win
    ballots = [{"big"}] * 4 + [{"s1"}] * 2 + [{"s2"}] * 2
    outcome = allocate(Election.build(projects, 300, ballots), "equalshares-add1-comparison")
    assert outcome.notes["kept"] == "greedy" and outcome.selected == ("big",)
    assert outcome.reasons["big"].kind == "funded"


def village_election():
    projects = [Project("a1", 400, "A"), Project("a2", 300, "A"), Project("b1", 200, "B"), Project("b2", 250, "B"),
                Project("c", 100)]
    ballots = ([{"a1", "a2", "b2"}] * 3 + [{"a1", "b1"}] * 2 + [{"a2", "b1", "b2"}] + [{"b2"}] * 2 + [{"c"}])
    return Election.build(projects, 900, ballots)


def test_village_quotas_fund_each_share_first_then_the_pool():
    outcome = allocate(village_election(), "village-quotas", weights={"A": 2, "B": 1})
    # A's 600: a1 (400), a2 (300) no longer fits; B's 300: b2 (250); pool 250: a2 no, b1 (200) yes, c no
    assert outcome.selected == ("a1", "b2", "b1")
    assert outcome.notes["shares"] == {"A": 600, "B": 300}
    assert outcome.notes["pool"] == 250
    assert outcome.reasons["a1"].stage == "group:A"
    assert outcome.reasons["a1"].text == "A's share: funded: 5 votes, 400"
    assert outcome.reasons["a2"].text == "common pool: not funded: 4 votes; 250 was left when its turn came, it costs 300"
    assert outcome.reasons["b1"].stage == "pool" and outcome.reasons["b1"].funded


def test_village_quotas_keep_exact_fractions():
    outcome = allocate(village_election(), "village-quotas", weights={"A": 1, "B": 1, "C": 1})
    assert outcome.notes["shares"] == {"A": 300, "B": 300, "C": 300}
    outcome = allocate(village_election(), "village-quotas", weights={"A": 2, "B": 5})
    assert outcome.notes["shares"]["A"] == Fraction(1800, 7)
    assert outcome.cost <= 900


def test_village_quotas_with_equal_shares_inside():
    outcome = allocate(village_election(), "village-quotas", weights={"A": 2, "B": 1}, inner="mes-cost")
    assert outcome.cost <= 900
    assert {r.stage for r in outcome.reasons.values()} <= {"group:A", "group:B", "pool"}


def test_every_rule_is_listed_with_its_tie_breaking():
    for name, rule in RULES.items():
        assert rule.name == name and rule.title and rule.tie_breaking
    with pytest.raises(ValueError, match="unknown rule"):
        allocate(five_projects(), "lottery")
    with pytest.raises(TypeError, match="no option"):
        allocate(five_projects(), "mes-cost", min_score=3)


def test_money_must_be_exact():
    with pytest.raises(TypeError):
        Project("a", 1.5)
    assert Project("a", "4000.0").cost == 4000
    assert Project("a", "1331751,11").cost == Fraction(133175111, 100)
    with pytest.raises(ValueError, match="unknown projects"):
        Election.build([Project("a", 1)], 1, [{"b"}])
