"""The rounds of the compiled run (`interval.py`): choosing a round's project, checking it
against its rivals, funding it, and funding a block of projects in every order the shares
of the stretch may follow.
"""
from math import nextafter

import numpy as np

from pb.allocation import bounds
from pb.allocation.bounds import (AFFORDABLE, PAYERS, R0, UNAFFORDABLE, UNKNOWN, S, beats, hull, pay, ratio_least,
                                  ratio_most)
from pb.allocation.jit import njit

# What a run passes around: the election as a tuple (weights, ptr, group, cost, rank,
# near_ptr, near: see `Kernel`), the money (a row per group of ballots: its form and the
# most it may be, columns in `bounds.py`) and three buffers the size of the largest
# project's supporters.


@njit
def _lift(lower, p, found, cost, remaining):
    """Record a `floor` found for p: a lower bound on its ρ/u from here on (inf: never paid for)."""
    lower[p] = nextafter(found / cost[p], -np.inf)
    if found == np.inf:
        remaining[p] = False


@njit
def evaluate(p, state, money, h, election, buffers):
    """`bounds.evaluate` on the run's tuples: p's row of the state."""
    weights, ptr, group, cost = election[0], election[1], election[2], election[3]
    bounds.evaluate(p, money, h, weights, ptr, group, cost, state[p], buffers[0], buffers[1], buffers[2])


@njit
def _floor(p, t, money, election, buffers):
    """`bounds.floor` on the run's tuples."""
    return bounds.floor(p, t, money, election[0], election[1], election[2], election[3], buffers[0])


@njit
def _examine(p, bound, state, lower, remaining, money, h, election, buffers):
    """Bring p's state up to date: True if it may still be paid for and may ask `bound` (ρ/u) or
    less; False, with its lower bound raised, if a `floor` shows it asks more or it cannot be paid for."""
    cost = election[3]
    if state[p, S] == UNKNOWN:
        if bound < np.inf:
            found = _floor(p, bound * cost[p] * (1 + 1e-15), money, election, buffers)
            if found > 0.0:
                _lift(lower, p, found, cost, remaining)
                return False
        evaluate(p, state, money, h, election, buffers)
    if state[p, S] == UNAFFORDABLE:
        remaining[p] = False
        return False
    lower[p] = max(lower[p], ratio_least(state, p, h))
    return True


@njit
def choose(state, lower, remaining, money, h, election, buffers):
    """The round's project: affordable at every share, the least ρ/u at the middle; -1 if none.

    Projects are looked at by their lower bounds, and only while one may ask less than
    the most the best so far asks; one that surely asks more (`floor`) is not evaluated."""
    cost, rank = election[3], election[4]
    order = np.argsort(lower)
    winner = -1
    best = np.inf           # the least "most" ρ/u of a project that surely can be paid for
    center = np.inf
    for i in range(cost.shape[0]):
        p = order[i]
        if not remaining[p]:
            continue
        if lower[p] > best:
            break
        if not _examine(p, best, state, lower, remaining, money, h, election, buffers):
            continue
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


@njit
def rival(w, skip, state, lower, remaining, money, h, election, buffers):
    """-1 if w surely asks less than every other project left that shares a supporter with it
    (those marked in skip aside), or cannot be paid for; else the first that may ask no more."""
    rank, near_ptr, near = election[4], election[5], election[6]
    bound = ratio_most(state, w, h)
    for i in range(near_ptr[w], near_ptr[w + 1]):
        q = near[i]
        if q == w or skip[q] or not remaining[q] or lower[q] > bound:
            continue
        if _examine(q, bound, state, lower, remaining, money, h, election, buffers) \
                and not beats(w, q, state, h, rank):
            return q
    return -1


@njit
def fund(w, state, remaining, money, h, election):
    """w's supporters pay; what their money was no longer tells what the projects near w ask."""
    ptr, group, near_ptr, near = election[1], election[2], election[5], election[6]
    pay(w, state, money, h, ptr, group)
    remaining[w] = False
    for i in range(near_ptr[w], near_ptr[w + 1]):
        state[near[i], S] = UNKNOWN


@njit
def _in_order(members, order, skip, state, lower, remaining, money, h, election, buffers, why):
    """Fund the block's members in this order, checking each round: 1 if it holds, 0 if no share
    follows it (a later member, surely affordable, surely asks less than an earlier one, or the
    earlier one surely cannot be paid for), -1 if the run must give up (why[2]: a project that
    may ask less than a member, or a member that may not be paid for)."""
    rank = election[4]
    skip[members] = True
    for i in range(members.shape[0]):
        f = members[order[i]]
        skip[f] = False
        if state[f, S] == UNKNOWN:
            evaluate(f, state, money, h, election, buffers)
        for j in range(i + 1, members.shape[0]):
            b = members[order[j]]
            if state[b, S] == UNKNOWN:
                evaluate(b, state, money, h, election, buffers)
            if state[b, S] == AFFORDABLE and beats(b, f, state, h, rank):
                return 0        # b, or another affordable one, goes before f at every share
        if state[f, S] != AFFORDABLE:
            why[2] = f          # a share may follow this order up to f, and not pay for it
            return -1
        why[2] = rival(f, skip, state, lower, remaining, money, h, election, buffers)
        if why[2] >= 0:
            return -1
        fund(f, state, remaining, money, h, election)
    return 1


@njit
def _next_order(order):
    """The next permutation in lexicographic order, in place; False after the last."""
    i = order.shape[0] - 2
    while i >= 0 and order[i] >= order[i + 1]:
        i -= 1
    if i < 0:
        return False
    j = order.shape[0] - 1
    while order[j] <= order[i]:
        j -= 1
    order[i], order[j] = order[j], order[i]
    order[i + 1:] = order[i + 1:][::-1].copy()
    return True


@njit
def _supporters(members, election, groups):
    """The groups that support any of the members, each once."""
    ptr, group = election[1], election[2]
    mark = np.zeros(groups, dtype=np.bool_)
    for f in members:
        mark[group[ptr[f]:ptr[f + 1]]] = True
    return np.nonzero(mark)[0]


@njit
def _rows(money, rows):
    found = np.empty((rows.shape[0], money.shape[1]))
    for i in range(rows.shape[0]):
        found[i] = money[rows[i]]
    return found


@njit
def _put_rows(money, rows, values):
    for i in range(rows.shape[0]):
        money[rows[i]] = values[i]


@njit
def any_order(members, state, lower, remaining, money, h, election, buffers, why):
    """Fund a block of projects that may change places within the stretch: every order checked.

    At each share the run funds, of the block's members left, the one that asks least of
    those it can pay for. That order is never passed over: only a member surely affordable
    rules an order out (surely asking less than an earlier one, or the earlier one surely
    unaffordable), and it cannot at that share.
    Each member of an order not ruled out must in turn be surely affordable and surely ask
    less than every other project near it, or the run gives up; so every share's own order
    is checked, and its money afterwards lies in the hull of the checked orders' money.
    Lower bounds found along one order hold for it alone: the least of them is kept.
    False (all as it was) where the run gives up: see `_in_order`."""
    touched = _supporters(members, election, money.shape[0])      # the rows an order changes
    saved_rows = _rows(money, touched)
    union = np.empty_like(saved_rows)           # the hull of the checked orders' money
    saved_state, saved_lower, saved_remaining = state.copy(), lower.copy(), remaining.copy()
    union_lower, union_remaining = lower.copy(), remaining.copy()
    skip = np.zeros(remaining.shape[0], dtype=np.bool_)
    order = np.arange(members.shape[0])
    why[2] = -1
    checked = 0
    while True:
        skip[:] = False
        held = _in_order(members, order, skip, state, lower, remaining, money, h, election, buffers, why)
        if held > 0:
            if checked == 0:
                union[:, :] = _rows(money, touched)
                union_lower[:] = lower
                union_remaining[:] = remaining
            else:
                hull(union, _rows(money, touched), h)
                np.minimum(union_lower, lower, union_lower)
                union_remaining |= remaining
            checked += 1
        _put_rows(money, touched, saved_rows)
        state[:, :] = saved_state
        lower[:] = saved_lower
        remaining[:] = saved_remaining
        if held < 0:
            return False
        if not _next_order(order):
            break
    if checked == 0:
        return False
    _put_rows(money, touched, union)
    lower[:] = union_lower
    remaining[:] = union_remaining
    state[:, :] = saved_state
    near_ptr, near = election[5], election[6]
    for f in members:
        for i in range(near_ptr[f], near_ptr[f + 1]):
            state[near[i], S] = UNKNOWN
    return True
