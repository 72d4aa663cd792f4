"""The interval runs of the add-one loop against exact runs of Equal Shares.

A run over one share must fund what the exact run funds (or give up); a run over a
stretch that succeeds proves that every step of it funds the same projects, so here
every step of every proved stretch is run exactly (`pb/allocation/interval.py`).
"""
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pb.allocation import mes
from pb.allocation.interval import kernel
from pb.allocation.model import Election, Project
from pb.allocation.pabulib import read
from tests.unit.allocation.conftest import pabulib_file


@st.composite
def stretches(draw):
    """A small approval election, a starting share and a stretch of whole steps."""
    n = draw(st.integers(2, 5))
    projects = [Project(f"p{i}", draw(st.integers(1, 40))) for i in range(n)]
    ballots = draw(st.lists(st.sets(st.sampled_from([p.id for p in projects]), min_size=1), min_size=1,
                            max_size=40))
    election = Election.build(projects, draw(st.integers(1, 120)), ballots)
    share = draw(st.fractions(0, 30, max_denominator=7))
    return election, share, draw(st.integers(1, 8)), draw(st.sampled_from(["pabutools", "equalshares"]))


@settings(max_examples=150, deadline=None, database=None)
@given(stretches())
def test_on_small_elections_a_proof_holds_at_every_step(case):
    election, share, stride, tie = case
    prep = mes.Prepared(election, mes.COST, tie)
    fast = kernel(prep)
    exact = [set(mes.equal_shares(prep, share + k).sequence) for k in range(stride + 1)]
    found = fast.run(share, share)
    assert found is None or set(found) == exact[0]
    if fast.run(share, share + stride, mes.equal_shares(prep, share).sequence) is not None:
        assert all(funded == exact[0] for funded in exact)


@pytest.mark.parametrize("name, tie, first, steps", [
    ("France_Toulouse_2024.pb", "pabutools", 0, 40),           # the projects change every few steps
    ("Hungary_Budapest_2024.pb", "pabutools", 150, 60),        # near-tied pairs; the sequence changes at 192
    ("Poland_Warszawa_2026.pb", "equalshares", 0, 24),
])
def test_a_proved_stretch_funds_the_same_at_every_step(name, tie, first, steps):
    election = read(pabulib_file(name)).election()
    prep = mes.Prepared(election, mes.COST, tie)
    fast = kernel(prep)
    share = Fraction(election.budget) / prep.voters + first
    plain = [mes.equal_shares(prep, share + k) for k in range(steps + 1)]
    proved = 0
    for k in range(0, steps, 3):
        assert set(fast.run(share + k, share + k)) == set(plain[k].sequence)
        for stride in (1, 2, 4, 8, 16, 32):
            if k + stride > steps:
                break
            if fast.run(share + k, share + k + stride, plain[k].sequence) is None:
                continue
            proved += 1
            for j in range(k, k + stride + 1):
                assert set(plain[j].sequence) == set(plain[k].sequence), (k, stride, j)
    assert proved >= 3          # proofs do skip steps, even where the projects change every few steps


@pytest.mark.parametrize("name, tie", [
    ("Poland_Warszawa_2020_Praga-Poludnie.pb", "pabutools"),
    ("Poland_Wieliczka_2023_Green_Budget.pb", "equalshares"),
    ("France_Toulouse_2024.pb", "equalshares"),
    ("Netherlands_Amsterdam_252.pb", "pabutools"),
])
def test_a_run_over_one_share_funds_what_the_exact_run_funds(name, tie):
    election = read(pabulib_file(name)).election()
    prep = mes.Prepared(election, mes.COST, tie)
    fast = kernel(prep)
    start = Fraction(election.budget) / prep.voters
    shares = [start] + [start * Fraction(random.Random(seed).randint(100, 300), 100) for seed in range(12)]
    given_up = 0
    for share in shares:
        found = fast.run(share, share)
        if found is None:
            given_up += 1
        else:
            assert set(found) == set(mes.equal_shares(prep, share).sequence), share
    assert given_up <= 2


@pytest.mark.parametrize("tie, funded", [("pabutools", ["p1"]), ("equalshares", ["p2"])])
def test_exact_ties_go_by_the_tie_order_as_in_the_exact_run(tie, funded):
    # two voters with 150 each; p1 (200) and p2 (150) both ask exactly ρ/cost = 1/2; one excludes the other
    election = Election.build([Project("p1", 200), Project("p2", 150)], 300, [{"p1", "p2"}] * 2)
    prep = mes.Prepared(election, mes.COST, tie)
    found = kernel(prep).run(Fraction(150), Fraction(150))
    assert [prep.ids[p] for p in found] == funded
    assert [prep.ids[p] for p in mes.equal_shares(prep, Fraction(150)).sequence] == funded


@pytest.mark.parametrize("low, high", [(334, 336), (684, 686)])
def test_a_stretch_across_a_change_of_projects_is_not_proved(low, high):
    election = read(pabulib_file("Hungary_Budapest_2024.pb")).election()
    prep = mes.Prepared(election, mes.COST, "pabutools")
    share = Fraction(election.budget) / prep.voters
    before, after = mes.equal_shares(prep, share + low), mes.equal_shares(prep, share + high)
    assert set(before.sequence) != set(after.sequence)
    assert kernel(prep).run(share + low, share + high, before.sequence) is None


def test_a_stretch_where_projects_only_change_places_is_proved():
    # Budapest, pabutools' ties: at share + 192 two funded projects swap places in the sequence
    election = read(pabulib_file("Hungary_Budapest_2024.pb")).election()
    prep = mes.Prepared(election, mes.COST, "pabutools")
    share = Fraction(election.budget) / prep.voters
    plain = [mes.equal_shares(prep, share + k).sequence for k in range(189, 196)]
    assert plain[0] != plain[-1] and set(plain[0]) == set(plain[-1])
    assert kernel(prep).run(share + 189, share + 195, plain[0]) is not None
    assert all(set(sequence) == set(plain[0]) for sequence in plain)
