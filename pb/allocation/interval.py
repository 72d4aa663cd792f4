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

Where projects funded one after another change places within the stretch, a proof checks
every order the shares may follow (`rounds.any_order`), so that a stretch ends only where the
funded projects change. Where it gives up on two projects whose lines cross, it says at
which share (`Kernel.guess`): the next proof stops short of it.

Ties: a project all of whose supporters with money left can pay ρ = cost / them asks
exactly 1 / them (cost utilities); two such projects tie when as many can pay, and the
tie order decides, as in the exact run. Any other near-tie gives up.

Only cost utilities (ρ/u = ρ / cost), as the add-one completion uses.
"""
from __future__ import annotations

import time
from fractions import Fraction
from math import inf, nextafter

import numpy as np

from pb.allocation.bounds import (AFFORDABLE, COLUMNS, MOST, RADIUS, ROUNDING, UNAFFORDABLE, UNKNOWN, C, D, S,
                                  parting)
from pb.allocation.jit import njit
from pb.allocation.rounds import any_order, choose, evaluate, fund, rival

BLOCK = 4       # the most projects a proof lets change places (their 24 orders checked)


@njit
def _place(q, forced, n_forced, funded, size):
    """The size of the block of forced projects from round `funded` that ends with q, if that is
    more than `size` and at most BLOCK; else 0."""
    for j in range(funded + size, min(n_forced, funded + BLOCK)):
        if forced[j] == q:
            return j - funded + 1
    return 0


@njit
def _run(mid, h, forced, n_forced, election, voters, candidates, sequence, why, guess, groups, buffers):
    """Equal Shares over the stretch mid ± h of starting shares; the number of projects funded, or -1 if it gives up.

    n_forced >= 0: follow forced[:n_forced] (a proof for a stretch); -1: choose freely.
    A proof lets a few projects funded one after the other change places (`rounds.any_order`).
    Where it gives up, why = (kind, round, project, winner): kind 1, the round's project
    may not be paid for (or the floats cannot bound its ρ); 2, the project may ask no
    more than the round's winner (guess: the share up to which the first such surely asks
    more, along the forms: a hint where to try next); 3, the project may still be paid for
    at the end.
    """
    cost = election[3]
    projects = cost.shape[0]
    money = np.empty((groups, 4))                    # per group: c, d, radius, the most it may be
    money[:, C], money[:, D], money[:, RADIUS] = mid, 1.0, abs(mid) * 2 * ROUNDING
    money[:, MOST] = (mid + h + money[:, RADIUS]) * (1 + 4 * ROUNDING)
    remaining = candidates.copy()
    lower = np.zeros(projects)                       # lower bounds on ρ/u, valid in every later round
    state = np.zeros((projects, COLUMNS))
    state[:, S] = UNKNOWN                            # evaluations still true: none of its supporters paid since
    for p in range(projects):
        if remaining[p]:
            lower[p] = nextafter(1.0 / voters[p], -np.inf) * (1 - 1e-15)
    nothing = np.zeros(projects, dtype=np.bool_)
    funded = 0
    while True:
        if n_forced >= 0 and funded == n_forced:
            winner = -1
        elif n_forced >= 0:
            winner = forced[funded]
            if not remaining[winner]:
                return -1
            if state[winner, S] == UNKNOWN:
                evaluate(winner, state, money, h, election, buffers)
            if state[winner, S] != AFFORDABLE:
                why[0], why[1], why[2] = 1, funded, winner
                return -1
        else:
            winner = choose(state, lower, remaining, money, h, election, buffers)
        if winner < 0:
            for p in range(projects):
                if remaining[p]:
                    if state[p, S] == UNKNOWN:
                        evaluate(p, state, money, h, election, buffers)
                    if state[p, S] != UNAFFORDABLE:
                        why[0], why[1], why[2] = 3, funded, p
                        return -1
            return funded
        q = rival(winner, nothing, state, lower, remaining, money, h, election, buffers)
        if q >= 0:
            crossing = mid + parting(winner, q, state)
            size = _place(q, forced, n_forced, funded, 0) if h > 0.0 else 0
            while size:
                if any_order(forced[funded:funded + size], state, lower, remaining, money, h, election,
                              buffers, why):
                    break
                q = why[2]              # a larger block may hold where this one did not
                size = _place(q, forced, n_forced, funded, size)
            if size:
                sequence[funded:funded + size] = forced[funded:funded + size]
                funded += size
                continue
            why[0], why[1], why[2], why[3] = 2, funded, q, winner
            guess[0] = crossing
            return -1
        fund(winner, state, remaining, money, h, election)
        sequence[funded] = winner
        funded += 1


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
        # groups in the order of their projects, the most supported first: the supporters of a
        # popular project then sit in a few runs of rows, which memory serves much faster
        popular = {pid: place for place, pid in enumerate(sorted(prep.ids, key=lambda pid: -prep.votes[index[pid]]))}
        ordered = sorted(groups.items(), key=lambda item: sorted(popular[pid] for pid in item[0]))
        members = [[] for _ in prep.ids]
        weights = []
        for g, (ids, count) in enumerate(ordered):
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
        self._guess = np.zeros(1)
        self.guess = None       # after a proof that failed where two projects' lines cross: that share
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
        self._guess[0] = np.inf
        election = (self.weights, self.ptr, self.group, self.cost, self.rank, self.near_ptr, self.near)
        funded = _run(mid, h, order, -1 if forced is None else len(order), election, self.voters,
                      self.candidates, self._sequence, self.why, self._guess, self.groups, self._buffers)
        found = self._guess[0]
        self.guess = Fraction(found) / self.scale if low <= found < high else None
        return None if funded < 0 else self._sequence[:funded].tolist()


def kernel(prep) -> Kernel:
    """The kernel for `prep`, built once and kept with it."""
    found = getattr(prep, "_kernel", None)
    if found is None:
        found = prep._kernel = Kernel(prep)
    return found


def warm() -> float:
    """Compile the run now, on a two-project election, rather than at its first real use: the CPU
    seconds it took (some 15 s once per version of the kernel, well under one when kept on disk)."""
    from pb.allocation.mes import COST, Prepared
    from pb.allocation.model import Election, Project

    started = time.process_time()
    election = Election.build([Project("p1", 200), Project("p2", 150)], 300, [{"p1", "p2"}, {"p1"}])
    fast = kernel(Prepared(election, COST, "pabutools"))
    fast.run(Fraction(150), Fraction(152), fast.run(Fraction(150), Fraction(150)))
    return time.process_time() - started
