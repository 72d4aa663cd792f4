"""The add-one loop's proofs: a stretch that `certified` proves funds, at every step of it, what its first step funds.

The proofs skip steps on the strength of a monotonicity argument, of commuting projects
with no supporter in common, of forks over near-tied pairs and of closer money bounds
(`pb/allocation/add_one.py`); here every step of every proved stretch is run plainly.
"""
from fractions import Fraction

import pytest

from pb.allocation import mes
from pb.allocation.add_one import certified
from pb.allocation.pabulib import read
from tests.unit.allocation.conftest import pabulib_file


@pytest.mark.parametrize("name, tie, first, steps", [
    ("France_Toulouse_2024.pb", "pabutools", 0, 40),           # the projects change every few steps
    ("Hungary_Budapest_2024.pb", "pabutools", 150, 60),        # near-tied pairs; the sequence changes at 192
    ("Poland_Warszawa_2026.pb", "equalshares", 0, 24),
])
def test_a_proved_stretch_funds_the_same_at_every_step(name, tie, first, steps):
    election = read(pabulib_file(name)).election()
    prep = mes.Prepared(election, mes.COST, tie)
    share = Fraction(election.budget) / prep.voters + first
    plain = [mes.equal_shares(prep, share + k) for k in range(steps + 1)]
    proved = 0
    for k in range(0, steps, 3):
        for stride in (1, 2, 4, 8, 16, 32):
            if k + stride > steps:
                break
            if certified(prep, plain[k], share + k + stride) is None:
                continue
            proved += 1
            for j in range(k, k + stride + 1):
                assert set(plain[j].sequence) == set(plain[k].sequence), (k, stride, j)
    assert proved >= steps // 6
