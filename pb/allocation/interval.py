"""Equal Shares in floats with proven bounds, compiled: a whole stretch of shares in one run.

For the starting shares σ = mid + δ, |δ| ≤ h, each group of identical ballots holds
money c + d·δ ± e, a form that holds the exact money at every share of the stretch,
rounding always outwards, and each project's ρ is bounded likewise (`bounds.py`). Every
decision the run takes (who is funded in a round, who can no longer be paid for) is
taken only when it holds at every share of the stretch; where two projects' ρ/u may
meet the run gives up (`None`), and the caller decides exactly (`mes.equal_shares`)
or over a shorter stretch. Forms, unlike plain intervals, keep two projects apart
whose ρ/u move side by side as the share grows, up to the share where they cross.

A run may follow a given sequence (a proof that a stretch of shares funds the same
projects) or choose its own; either way it checks, in each round, that every unfunded
project sharing a supporter with the round's project w surely asks more than w (or
cannot be paid for), and at the end that nothing more can be paid for. That is enough,
at every share of the stretch. Projects with no supporter in common never change each
other's ρ, so the order in which they are funded changes no payment: any sequence that
keeps, for every two funded projects sharing a supporter, their order in the run's
sequence funds the same projects with the same payments. Exact Equal Shares follows
such a sequence: by induction on its rounds, what it has funded is closed under "funded
earlier in the run and shares a supporter"; a project all of whose predecessors of that
kind are funded asks exactly what it asks in the run, and any other asks at least as
much as one of those (by the check in the round of its earliest predecessor not yet
funded, as ρ/u only rises from round to round), or can never be paid for. So it funds
one of those next, and in the end exactly the run's projects. A run over a single share
(h = 0) so replaces an exact run wherever its decisions are clear, some twenty
to fifty times faster.

Ties: a project all of whose supporters with money left can pay ρ = cost / them asks
exactly 1 / them (cost utilities); two such projects tie when as many can pay, and the
tie order decides, as in the exact run. Any other near-tie gives up.

Only cost utilities (ρ/u = ρ / cost), as the add-one completion uses.
"""
from __future__ import annotations

from fractions import Fraction
from math import inf, nextafter

import numpy as np
from numba import njit

from pb.allocation.bounds import (AFFORDABLE, COLUMNS, PAYERS, R0, ROUNDING, S, UNAFFORDABLE,
                                  UNKNOWN, beats, evaluate, floor, pay, ratio_least, ratio_most)


@njit(cache=True)
def _lift(lower, p, found, cost, remaining):
    """Record a `floor` found for p: a lower bound on its ρ/u from here on (inf: never paid for)."""
    lower[p] = nextafter(found / cost[p], -np.inf)
    if found == np.inf:
        remaining[p] = False


@njit(cache=True)
def _choose(state, lower, remaining, c, d, e, richest, h, weights, ptr, group, cost, rank, buffers):
    """The round's project: affordable at every share, the least ρ/u at the middle; -1 if none.

    Projects are looked at by their lower bounds, and only while one may ask less than
    the most the best so far asks; one that surely asks more (`floor`) is not evaluated."""
    bc, bd, be = buffers
    projects = cost.shape[0]
    order = np.argsort(lower)
    winner = -1
    best = np.inf           # the least "most" ρ/u of a project that surely can be paid for
    center = np.inf
    for i in range(projects):
        p = order[i]
        if not remaining[p]:
            continue
        if lower[p] > best:
            break
        if state[p, S] == UNKNOWN:
            if best < np.inf:
                found = floor(p, best * cost[p] * (1 + 1e-15), richest, weights, ptr, group, cost, bc)
                if found > 0.0:
                    _lift(lower, p, found, cost, remaining)
                    continue
            evaluate(p, c, d, e, h, weights, ptr, group, cost, state[p], bc, bd, be)
        if state[p, S] == UNAFFORDABLE:
            remaining[p] = False
            continue
        lower[p] = max(lower[p], ratio_least(state, p, h))
        if state[p, S] == AFFORDABLE:
            if winner < 0:
                better = True
            elif state[p, PAYERS] > 0.0 and state[winner, PAYERS] > 0.0:
                better = beats(p, winner, state, h, rank)
            else:
                better = state[p, R0] < center or (state[p, R0] == center and rank[p] < rank[winner])
            if better:
                winner, center = p, state[p, R0]
            best = min(best, ratio_most(state, p, h))
    return winner


@njit(cache=True)
def _run(mid, h, forced, n_forced, weights, ptr, group, cost, voters, rank,
         near_ptr, near, candidates, sequence, why, groups, bc, bd, be):
    """Equal Shares over the stretch mid ± h of starting shares; the number of projects funded, or -1 if it gives up.

    n_forced >= 0: follow forced[:n_forced] (a proof for a stretch); -1: choose freely.
    Where it gives up, why = (kind, round, project, winner): kind 1, the round's project
    may not be paid for (or the floats cannot bound its ρ); 2, the project may ask no
    more than the round's winner; 3, the project may still be paid for at the end.
    """
    projects = cost.shape[0]
    c = np.full(groups, mid)
    d = np.ones(groups)
    e = np.full(groups, abs(mid) * 2 * ROUNDING)
    richest = c + h + e                              # the most money each group may have
    remaining = candidates.copy()
    lower = np.zeros(projects)                       # lower bounds on ρ/u, valid in every later round
    state = np.zeros((projects, COLUMNS))
    state[:, S] = UNKNOWN                            # evaluations still true: none of its supporters paid since
    for p in range(projects):
        if remaining[p]:
            lower[p] = nextafter(1.0 / voters[p], -np.inf) * (1 - 1e-15)
    funded = 0
    while True:
        if n_forced >= 0 and funded == n_forced:
            winner = -1
        elif n_forced >= 0:
            winner = forced[funded]
            if not remaining[winner]:
                return -1
            if state[winner, S] == UNKNOWN:
                evaluate(winner, c, d, e, h, weights, ptr, group, cost, state[winner], bc, bd, be)
            if state[winner, S] != AFFORDABLE:
                why[0], why[1], why[2] = 1, funded, winner
                return -1
        else:
            winner = _choose(state, lower, remaining, c, d, e, richest, h, weights, ptr, group, cost, rank,
                             (bc, bd, be))
        if winner < 0:
            for p in range(projects):
                if remaining[p]:
                    if state[p, S] == UNKNOWN:
                        evaluate(p, c, d, e, h, weights, ptr, group, cost, state[p], bc, bd, be)
                    if state[p, S] != UNAFFORDABLE:
                        why[0], why[1], why[2] = 3, funded, p
                        return -1
            return funded
        bound = ratio_most(state, winner, h)
        for i in range(near_ptr[winner], near_ptr[winner + 1]):
            q = near[i]
            if q == winner or not remaining[q] or lower[q] > bound:
                continue
            if state[q, S] == UNKNOWN:
                found = floor(q, bound * cost[q] * (1 + 1e-15), richest, weights, ptr, group, cost, bc)
                if found > 0.0:
                    _lift(lower, q, found, cost, remaining)
                    continue
                evaluate(q, c, d, e, h, weights, ptr, group, cost, state[q], bc, bd, be)
            if state[q, S] == UNAFFORDABLE:
                remaining[q] = False
                continue
            lower[q] = max(lower[q], ratio_least(state, q, h))
            if not beats(winner, q, state, h, rank):
                why[0], why[1], why[2], why[3] = 2, funded, q, winner
                return -1
        pay(winner, state, c, d, e, richest, h, ptr, group)
        remaining[winner] = False
        sequence[funded] = winner
        funded += 1
        for i in range(near_ptr[winner], near_ptr[winner + 1]):
            state[near[i], S] = UNKNOWN


class Kernel:
    """The election as the compiled run reads it (from `mes.Prepared`, cost utilities only)."""

    def __init__(self, prep):
        if prep.util is not prep.cost:
            raise ValueError("the interval run knows cost utilities only")
        groups = {}
        for ids, count in prep.election.support_sets:
            key = frozenset(ids)
            groups[key] = groups.get(key, 0) + count
        index = {pid: i for i, pid in enumerate(prep.ids)}
        members = [[] for _ in prep.ids]
        weights = []
        for g, (ids, count) in enumerate(groups.items()):
            weights.append(count)
            for pid in ids:
                members[index[pid]].append(g)
        self.groups = len(weights)
        self.weights = np.array([weights[g] for m in members for g in m], dtype=np.float64)   # per supporter
        self.ptr = np.zeros(len(prep.ids) + 1, dtype=np.int64)
        self.ptr[1:] = np.cumsum([len(m) for m in members])
        self.group = np.array([g for m in members for g in m], dtype=np.int64)
        self.cost = np.array(prep.cost, dtype=np.float64)
        self.voters = np.array(prep.votes, dtype=np.int64)
        self.rank = np.array(prep.rank, dtype=np.int64)
        self.candidates = np.zeros(len(prep.ids), dtype=np.bool_)
        self.candidates[prep.candidates] = True
        self.near_ptr = np.zeros(len(prep.ids) + 1, dtype=np.int64)
        self.near_ptr[1:] = np.cumsum([len(q) for q in prep.near])
        self.near = np.array([q for qs in prep.near for q in qs], dtype=np.int64)
        self.scale = prep.scale
        # floats hold every cost and count exactly, or this kernel is not used
        self.usable = max(prep.cost, default=0) < 2 ** 52 and prep.voters < 2 ** 52 and bool(prep.candidates)
        self._sequence = np.empty(len(prep.ids), dtype=np.int64)
        self.why = np.zeros(4, dtype=np.int64)   # where the last run gave up: see `_run`
        size = int(np.max(np.diff(self.ptr), initial=0))
        self._buffers = (np.empty(size), np.empty(size), np.empty(size))

    def run(self, low: Fraction, high: Fraction, forced: list | None = None) -> list | None:
        """The projects funded (a sequence Equal Shares follows at every share in [low, high]), or None."""
        if not self.usable:
            return None
        low, high = low * self.scale, high * self.scale
        mid = float((low + high) / 2)
        h = float(max(high - Fraction(mid), Fraction(mid) - low))
        h = nextafter(h, inf) if h else 0.0       # |σ - mid| ≤ h at every share of the stretch
        order = np.array(forced if forced is not None else [], dtype=np.int64)
        self.why[0] = 0
        funded = _run(mid, h, order, -1 if forced is None else len(order), self.weights, self.ptr,
                      self.group, self.cost, self.voters, self.rank, self.near_ptr, self.near, self.candidates,
                      self._sequence, self.why, self.groups, *self._buffers)
        return None if funded < 0 else self._sequence[:funded].tolist()


def kernel(prep) -> Kernel:
    """The kernel for `prep`, built once and kept with it."""
    found = getattr(prep, "_kernel", None)
    if found is None:
        found = prep._kernel = Kernel(prep)
    return found
