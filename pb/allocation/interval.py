"""Equal Shares in floats with proven bounds, compiled: a whole stretch of shares in one run.

Each voter's money is kept as an interval [low, high] that holds the exact money for
every starting share in [share_low, share_high], rounding always outwards. A project's
ρ is decreasing in its supporters' money, and a voter's money after a payment,
max(0, m - ρ), is increasing in m and decreasing in ρ; so ρ's interval comes from the
money's (ρ_low from the richest case, ρ_high from the poorest), and the money after a
payment from both. Every decision the run takes (who is funded in a round, who can no
longer be paid for) is taken only when it holds for the whole interval; where two
projects' intervals overlap the run gives up (`None`), and the caller decides exactly
(`mes.equal_shares`) or over a shorter stretch.

A run may follow a given sequence (a proof that a stretch of shares funds the same
projects) or choose its own; either way it checks, in each round, that every unfunded
project sharing a supporter with the round's project w surely asks more than w (or
cannot be paid for), and at the end that nothing more can be paid for. That is enough,
at every share of the interval. Projects with no supporter in common never change each
other's ρ, so the order in which they are funded changes no payment: any sequence that
keeps, for every two funded projects sharing a supporter, their order in the run's
sequence funds the same projects with the same payments. Exact Equal Shares follows
such a sequence: by induction on its rounds, what it has funded is closed under "funded
earlier in the run and shares a supporter"; a project all of whose predecessors of that
kind are funded asks exactly what it asks in the run, and any other asks at least as
much as one of those (by the check in the round of its earliest predecessor not yet
funded, as ρ/u only rises from round to round), or can never be paid for. So it funds
one of those next, and in the end exactly the run's projects. A run over a single share
(low = high) so replaces an exact run wherever its decisions are clear, some twenty
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

UNKNOWN, UNAFFORDABLE, AFFORDABLE, MAYBE = -1, 0, 1, 2
_SUM_ERROR = 2.3e-16        # per term, of a float sum of positive terms (with a margin)
_MARGIN = 1e-12             # a first guess of how far a solved ρ is from the exact one


@njit(cache=True)
def _given(money, weights, n, t):
    """(Σ weight·min(money, t), Σ weight over money > t) over the first n of gathered money."""
    total = 0.0
    rich = 0.0
    for k in range(n):
        m = money[k]
        if m > t:
            total += weights[k] * t
            rich += weights[k]
        else:
            total += weights[k] * m
    return total, rich


@njit(cache=True)
def _solve(money, weights, n, need, t):
    """ρ with Σ weight·min(money, ρ) = need, approximately: Newton steps (concave, piecewise linear) from t below it."""
    for _ in range(200):
        total, rich = _given(money, weights, n, t)
        gap = need - total
        if rich == 0.0 or gap <= need * 1e-15:
            return t
        step = gap / rich
        if t + step <= t:
            return t
        t += step
    return t


@njit(cache=True)
def _gather(p, money, ptr, group, buffer):
    """p's supporters' money, in a row: reading it in place costs more than copying it once."""
    start, end = ptr[p], ptr[p + 1]
    for k in range(start, end):
        buffer[k - start] = money[group[k]]
    return end - start


@njit(cache=True)
def _floor(p, t, high, weights, ptr, group, cost):
    """A lower bound above t on p's ρ everywhere in the box, or 0.0 if p may ask t or less (one pass).

    Even the richest case gives less than the cost at ρ = t, so ρ > t; and as what
    supporters give is concave in ρ, a Newton step from t stays below ρ: the bound
    t + (cost - given) / (supporters with more than t), lowered by the sums' error."""
    start, end = ptr[p], ptr[p + 1]
    total = 0.0
    rich = 0.0
    for k in range(start, end):
        m = high[group[k]]
        if m > t:
            total += weights[k] * t
            rich += weights[k]
        else:
            total += weights[k] * m
    error = (end - start + 4) * _SUM_ERROR
    need = cost[p]
    total *= 1 + error
    if total >= need:
        return 0.0
    if rich == 0.0:
        return np.inf
    return max(t, (t + (need - total) / rich) * (1 - error))


@njit(cache=True)
def _evaluate(p, low, high, weights, ptr, group, cost, voters, out, buffer):
    """Classify p and bound its ρ from below over the box [low, high]: out = (state, ρ_low, ρ_high, payers).

    ρ_high is left for `_upper` (nan), unless all supporters with money pay an equal
    split: then payers is how many they are (else 0), and ρ is cost / payers exactly.
    out[1] on entry, if positive, is a ρ_low of an earlier round: a start for the Newton steps."""
    start = ptr[p]
    n = _gather(p, high, ptr, group, buffer)
    w = weights[start:start + n]
    need = cost[p]
    error = (n + 4) * _SUM_ERROR
    sum_high = 0.0
    for k in range(n):
        sum_high += w[k] * buffer[k]
    if sum_high * (1 + error) < need:
        out[0] = UNAFFORDABLE
        return
    everyone = float(voters[p])
    # ρ_low: the richest case asks the least; a lower bound t with Σ min(high, t) < need, surely.
    # Money only falls from round to round: a ρ_low of an earlier round is still below
    t = _solve(buffer, w, n, need, max(need / everyone, out[1])) * (1 - _MARGIN)
    ok = False
    for _ in range(4):
        total, rich = _given(buffer, w, n, t)
        if total * (1 + error) < need:
            ok = True
            break
        t *= 1 - 1e-9
    if not ok:
        out[0] = MAYBE
        out[1] = 0.0
        return
    out[1] = t
    sum_low = 0.0
    poorest = np.inf        # the least money of a supporter who may have any
    paying = 0.0            # supporters who may have money: the others surely have none
    for k in range(start, start + n):
        m = low[group[k]]
        sum_low += weights[k] * m
        if buffer[k - start] > 0.0:
            poorest = min(poorest, m)
            paying += weights[k]
    out[2] = np.nan
    out[3] = 0.0
    if sum_low * (1 - error) < need:
        out[0] = MAYBE
        return
    out[0] = AFFORDABLE
    equal = need / paying
    if poorest > equal * (1 + 1e-12):
        # everyone with money can pay an equal split, in every case: ρ = cost / them exactly
        out[1] = nextafter(equal, -np.inf)
        out[2] = nextafter(equal, np.inf)
        out[3] = paying


@njit(cache=True)
def _upper(p, low, weights, ptr, group, cost, out, buffer):
    """Fill in ρ_high of an affordable p: the poorest case asks the most; t with Σ min(low, t) ≥ need, surely.

    False if the floats cannot tell."""
    if not np.isnan(out[2]):
        return True
    start = ptr[p]
    n = _gather(p, low, ptr, group, buffer)
    w = weights[start:start + n]
    need = cost[p]
    error = (n + 4) * _SUM_ERROR
    t = _solve(buffer, w, n, need, out[1]) * (1 + _MARGIN)
    for _ in range(4):
        total, rich = _given(buffer, w, n, t)
        if total * (1 - error) >= need:
            out[2] = t
            return True
        t *= 1 + 1e-9
    return False


@njit(cache=True)
def _apart(q, w, low, high, width, weights, ptr, group, cost, buffer, pieces):
    """Whether q asks more than w at every share of the box, compared share by share (closer than the box).

    The box compares q in its richest case with w in its poorest, as if they were at
    opposite ends of the stretch; two projects whose ρ/u fall side by side fail that
    although they never cross. Following a fixed sequence, a voter with money left has,
    one unit of share higher, at least one unit more (what they paid can only fall); so
    at a share σ = share_low + x their money is at least low + x (where low > 0) and at
    most high - (width - x) (or 0). The stretch is cut in `pieces`; on each piece
    [a, b], q's ρ from the money at most at b must exceed w's ρ from the money at least at a.
    """
    sq, sw = ptr[q], ptr[w]
    nq = ptr[q + 1] - sq
    nw = ptr[w + 1] - sw
    error_q, error_w = (nq + 4) * _SUM_ERROR, (nw + 4) * _SUM_ERROR
    for i in range(pieces):
        a = nextafter(width * i / pieces, -np.inf) if i else 0.0        # rounded to the safe side
        b = min(width, nextafter(width * (i + 1) / pieces, np.inf))
        for k in range(nq):
            m = high[group[sq + k]] - (width - b)
            buffer[k] = nextafter(m, np.inf) if m > 0 else 0.0
        wq = weights[sq:sq + nq]
        t = _solve(buffer, wq, nq, cost[q], 0.0) * (1 - _MARGIN)
        total, rich = _given(buffer, wq, nq, t)
        if total * (1 + error_q) >= cost[q]:
            return False
        asks_q = nextafter(t / cost[q], -np.inf)
        for k in range(nw):
            m = low[group[sw + k]]
            buffer[k] = nextafter(m + a, -np.inf) if m > 0 else 0.0
        ww = weights[sw:sw + nw]
        t = _solve(buffer, ww, nw, cost[w], 0.0) * (1 + _MARGIN)
        total, rich = _given(buffer, ww, nw, t)
        if total * (1 - error_w) < cost[w]:
            return False
        if not asks_q > nextafter(t / cost[w], np.inf):
            return False
    return True


@njit(cache=True)
def _ratio_low(state, cost, p):
    return nextafter(state[p, 1] / cost[p], -np.inf)


@njit(cache=True)
def _ratio_high(state, cost, p):
    return nextafter(state[p, 2] / cost[p], np.inf)


@njit(cache=True)
def _beats(w, q, state, cost, rank):
    """Whether w surely asks less than q (or ties exactly and comes first), everywhere in the box."""
    if state[q, 0] == UNAFFORDABLE:
        return True
    if state[w, 3] > 0.0 and state[q, 0] == AFFORDABLE and state[q, 3] > 0.0:
        # both ask exactly 1 / (supporters with money)
        if state[w, 3] != state[q, 3]:
            return state[w, 3] > state[q, 3]
        return rank[w] < rank[q]
    return _ratio_low(state, cost, q) > _ratio_high(state, cost, w)


@njit(cache=True)
def _run(share_low, share_high, forced, n_forced, weights, ptr, group, cost, voters, rank,
         near_ptr, near, candidates, sequence, why, groups, buffer):
    """Equal Shares over the box of starting shares; the number of projects funded, or -1 if it gives up.

    n_forced >= 0: follow forced[:n_forced] (a proof for a stretch); -1: choose freely.
    Where it gives up, why = (kind, round, project, winner): kind 1, the round's project
    may not be paid for (or the floats cannot bound its ρ); 2, the project may ask no
    more than the round's winner; 3, the project may still be paid for at the end.
    """
    projects = cost.shape[0]
    low = np.full(groups, share_low)
    high = np.full(groups, share_high)
    remaining = candidates.copy()
    lower = np.zeros(projects)                       # lower bounds on ρ/u, valid in every later round
    state = np.empty((projects, 4))
    state[:, 0] = UNKNOWN                            # evaluations still true: none of its supporters paid since
    state[:, 1] = 0.0
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
            if state[winner, 0] == UNKNOWN:
                _evaluate(winner, low, high, weights, ptr, group, cost, voters, state[winner], buffer)
            if state[winner, 0] != AFFORDABLE or not _upper(winner, low, weights, ptr, group, cost, state[winner],
                                                            buffer):
                why[0], why[1], why[2] = 1, funded, winner
                return -1
        else:
            # the project that surely can be paid for and may ask the least; others by their bounds
            order = np.argsort(lower)
            winner = -1
            best = np.inf
            for i in range(projects):
                p = order[i]
                if not remaining[p]:
                    continue
                if lower[p] > best:
                    break
                if state[p, 0] == UNKNOWN:
                    if best < np.inf:
                        floor = _floor(p, best * cost[p] * (1 + 1e-15), high, weights, ptr, group, cost)
                        if floor > 0.0:         # it only had to lose to the best so far: one pass
                            lower[p] = nextafter(floor / cost[p], -np.inf)
                            if floor == np.inf:
                                remaining[p] = False
                            continue
                    _evaluate(p, low, high, weights, ptr, group, cost, voters, state[p], buffer)
                if state[p, 0] == UNAFFORDABLE:
                    remaining[p] = False
                    continue
                ratio = _ratio_low(state, cost, p)
                lower[p] = max(lower[p], ratio)
                if state[p, 0] == AFFORDABLE:
                    if winner < 0 or (_beats(p, winner, state, cost, rank) if state[p, 3] > 0.0 and state[
                            winner, 3] > 0.0 else ratio < best or (ratio == best and rank[p] < rank[winner])):
                        winner, best = p, min(best, ratio)
            if winner >= 0 and not _upper(winner, low, weights, ptr, group, cost, state[winner], buffer):
                why[0], why[1], why[2] = 1, funded, winner
                return -1
        if winner < 0:
            # the end: nothing left may be paid for in any case
            for p in range(projects):
                if remaining[p]:
                    if state[p, 0] == UNKNOWN:
                        _evaluate(p, low, high, weights, ptr, group, cost, voters, state[p], buffer)
                    if state[p, 0] != UNAFFORDABLE:
                        why[0], why[1], why[2] = 3, funded, p
                        return -1
            return funded
        # every project sharing a supporter with the winner must surely ask more (the others commute)
        bound = _ratio_high(state, cost, winner)
        for i in range(near_ptr[winner], near_ptr[winner + 1]):
            q = near[i]
            if q == winner or not remaining[q] or lower[q] > bound:
                continue
            if state[q, 0] == UNKNOWN:
                floor = _floor(q, bound * cost[q] * (1 + 1e-15), high, weights, ptr, group, cost)
                if floor > 0.0:                 # surely more than the winner's worst: one pass
                    lower[q] = nextafter(floor / cost[q], -np.inf)
                    if floor == np.inf:
                        remaining[q] = False
                    continue
                _evaluate(q, low, high, weights, ptr, group, cost, voters, state[q], buffer)
            if state[q, 0] == UNAFFORDABLE:
                remaining[q] = False
                continue
            lower[q] = max(lower[q], _ratio_low(state, cost, q))
            if not _beats(winner, q, state, cost, rank) and (
                    share_high == share_low or state[q, 0] == UNAFFORDABLE or
                    not _apart(q, winner, low, high, share_high - share_low, weights, ptr, group, cost, buffer, 8)):
                why[0], why[1], why[2], why[3] = 2, funded, q, winner
                return -1
        # pay: money after is max(0, m - ρ), bounded by the extreme cases, rounded outwards
        rho_low, rho_high = state[winner, 1], state[winner, 2]
        for k in range(ptr[winner], ptr[winner + 1]):
            g = group[k]
            left = low[g] - rho_high
            low[g] = nextafter(left, -np.inf) if left > 0 else 0.0
            left = high[g] - rho_low
            high[g] = nextafter(left, np.inf) if left > 0 else 0.0
        remaining[winner] = False
        sequence[funded] = winner
        funded += 1
        for i in range(near_ptr[winner], near_ptr[winner + 1]):
            state[near[i], 0] = UNKNOWN


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
        self._buffer = np.empty(int(np.max(np.diff(self.ptr), initial=0)))

    def run(self, low: Fraction, high: Fraction, forced: list | None = None) -> list | None:
        """The projects funded (a sequence Equal Shares follows at every share in [low, high]), or None."""
        if not self.usable:
            return None
        share_low, share_high = _down(low * self.scale), _up(high * self.scale)
        order = np.array(forced if forced is not None else [], dtype=np.int64)
        self.why[0] = 0
        funded = _run(share_low, share_high, order, -1 if forced is None else len(order), self.weights, self.ptr,
                      self.group, self.cost, self.voters, self.rank, self.near_ptr, self.near, self.candidates,
                      self._sequence, self.why, self.groups, self._buffer)
        return None if funded < 0 else self._sequence[:funded].tolist()


def _down(value: Fraction) -> float:
    approx = float(value)
    return approx if Fraction(approx) <= value else nextafter(approx, -inf)


def _up(value: Fraction) -> float:
    approx = float(value)
    return approx if Fraction(approx) >= value else nextafter(approx, inf)


def kernel(prep) -> Kernel:
    """The kernel for `prep`, built once and kept with it."""
    found = getattr(prep, "_kernel", None)
    if found is None:
        found = prep._kernel = Kernel(prep)
    return found
