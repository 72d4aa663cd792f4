"""Where the shared Pabulib files are, and a reference Equal Shares to check the fast one against."""
import json
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
# CI puts the shared data beside the clone: ../shared/data/pabulib from the repository root
PABULIB = ROOT.parent / "shared" / "data" / "pabulib"


def pabulib_file(name):
    path = PABULIB / name
    if not path.exists():
        pytest.skip(f"{path} is missing (the shared Pabulib data lives beside the clone)")
    return path


def pabutools_outcomes():
    return json.loads(pabulib_file("pabutools-outcomes.json").read_text(encoding="utf-8"))


def reference_mes(election, share, utility="cost", order=None):
    """Equal Shares as its definition reads, one voter at a time, in Fractions (slow, small elections only).

    Each round funds, among the projects its supporters can still pay for, the one with
    the smallest ρ/u (ρ: the most a supporter pays), ties to the first in `order`.
    """
    order = order or sorted(p.id for p in election.projects)
    cost = {p.id: Fraction(p.cost) for p in election.projects}
    voters = [set(ids) for ids, count in election.support_sets for _ in range(count)]
    money = [Fraction(share)] * len(voters)
    remaining = [pid for pid in order if cost[pid] > 0 and any(pid in v for v in voters)]
    funded = [p.id for p in election.projects if p.cost == 0 and any(p.id in v for v in voters)]
    while True:
        best = None
        for pid in remaining:
            supporters = sorted((money[i] for i, v in enumerate(voters) if pid in v))
            if sum(supporters) < cost[pid]:
                continue
            paid, rich = Fraction(0), len(supporters)
            for b in supporters:
                if (cost[pid] - paid) / rich <= b:
                    break
                paid += b
                rich -= 1
            rho = (cost[pid] - paid) / rich
            ratio = rho / (cost[pid] if utility == "cost" else 1)
            if best is None or ratio < best[0]:
                best = (ratio, pid, rho)
        if best is None:
            return funded
        _, pid, rho = best
        funded.append(pid)
        remaining.remove(pid)
        for i, v in enumerate(voters):
            if pid in v:
                money[i] -= min(money[i], rho)


def reference_add_one(election, stop, integral=False, order=None):
    """The add-one loop one step at a time, on reference_mes (cost utilities)."""
    n = election.num_voters
    cost = {p.id: p.cost for p in election.projects}
    supported = {pid for ids, _ in election.support_sets for pid in ids if cost[pid] > 0}
    share = Fraction(election.budget) / n
    if integral:
        share = Fraction(int(share))
    total = sum(cost.values())
    if stop == "fits" and total <= election.budget:
        return reference_mes(election, Fraction(election.budget) / n, order=order)
    current = reference_mes(election, share, order=order)
    previous = None
    while True:
        spent = sum(cost[pid] for pid in current)
        if stop == "exhaustive":
            if spent > election.budget:
                return previous
            left = election.budget - spent
            if all(pid in current or cost[pid] > left for pid in supported) or share >= total:
                return current
            previous = current
        elif share >= total:
            return current
        share += 1
        following = reference_mes(election, share, order=order)
        if stop == "fits":
            if sum(cost[pid] for pid in following) > election.budget:
                return current
        current = following
