"""Money as affine forms over a stretch of shares, and what Equal Shares asks of it (compiled).

For the starting shares σ = mid + δ, |δ| ≤ h, each group of identical ballots holds
money c + d·δ ± e: a line in δ and a radius that covers everything the line misses,
the floats' rounding included (every sum carries a slack of a few units in the last
place per term). `interval.py` runs Equal Shares on these forms; here is one
project's side of a round: whether its supporters can pay (`evaluate`), what it asks
(ρ as ρ0 + ρ1·δ ± E), the cheaper test that it asks more than a bound (`floor`), and
its supporters' money after they pay (`pay`). Lines keep two projects whose ρ falls side by side apart where plain
intervals, setting one at the top of the stretch against the other at its bottom,
would have them overlap.
"""
import numpy as np
from numba import njit

UNKNOWN, UNAFFORDABLE, AFFORDABLE, MAYBE = -1, 0, 1, 2
ROUNDING = 2.3e-16        # the relative error of one float operation, with a margin
# a project's state in a round, by column
S, R0, R1, RE, PAYERS, RHO0, RHO1, E = 0, 1, 2, 3, 4, 5, 6, 7
COLUMNS = 8


@njit(cache=True)
def _given(money, weights, n, t):
    """(Σ weight·min(money, t), Σ weight over money > t): four sums side by side, no branches (faster)."""
    t0 = t1 = t2 = t3 = 0.0
    r0 = r1 = r2 = r3 = 0.0
    k = 0
    while k + 4 <= n:
        m0, m1, m2, m3 = money[k], money[k + 1], money[k + 2], money[k + 3]
        t0 += weights[k] * min(m0, t)
        t1 += weights[k + 1] * min(m1, t)
        t2 += weights[k + 2] * min(m2, t)
        t3 += weights[k + 3] * min(m3, t)
        r0 += weights[k] * (m0 > t)
        r1 += weights[k + 1] * (m1 > t)
        r2 += weights[k + 2] * (m2 > t)
        r3 += weights[k + 3] * (m3 > t)
        k += 4
    while k < n:
        t0 += weights[k] * min(money[k], t)
        r0 += weights[k] * (money[k] > t)
        k += 1
    return (t0 + t1) + (t2 + t3), (r0 + r1) + (r2 + r3)


@njit(cache=True)
def _solve(money, weights, n, need, t):
    """ρ with Σ weight·min(money, ρ) ≈ need: Newton steps from t (restarted from below if t is above)."""
    total, rich = _given(money, weights, n, t)
    if total > need:
        t = 0.0
        total, rich = _given(money, weights, n, t)
    for _ in range(200):
        gap = need - total
        if rich == 0.0 or gap <= need * 1e-15:
            return t
        step = gap / rich
        if t + step <= t:
            return t
        t += step
        total, rich = _given(money, weights, n, t)
    return t


@njit(cache=True)
def _gather(p, c, d, e, ptr, group, bc, bd, be):
    """p's supporters' money forms, in a row: reading them in place costs more than copying them once."""
    start, end = ptr[p], ptr[p + 1]
    for k in range(start, end):
        g = group[k]
        bc[k - start] = c[g]
        bd[k - start] = d[g]
        be[k - start] = e[g]
    return end - start


@njit(cache=True)
def floor(p, t, richest, weights, ptr, group, cost, buffer):
    """A lower bound above t on p's ρ at every share, or 0.0 if p may ask t or less.

    Even the richest case (every supporter with the most money they may have) gives
    less than the cost at ρ = t, so ρ > t; then Newton steps from t on that case (what
    supporters give is concave in ρ) find its ρ, from below: a bound for later rounds too."""
    start, end = ptr[p], ptr[p + 1]
    n = end - start
    scale = 0.0
    for k in range(n):
        m = richest[group[start + k]]
        buffer[k] = m
        scale += weights[start + k] * abs(m)
    need = cost[p]
    w = weights[start:end]
    slack = (n + 8) * ROUNDING * (scale + need)
    total, rich = _given(buffer, w, n, t)
    if total + slack >= need:
        return 0.0
    if rich == 0.0:
        return np.inf
    for _ in range(30):
        step = (need - total - slack) / rich
        if step <= t * 1e-12:
            break
        t += step * (1 - 1e-9)
        total, rich = _given(buffer, w, n, t)
        if rich == 0.0 or total + slack >= need:
            break
    return t * (1 - 1e-12)


@njit(cache=True)
def evaluate(p, c, d, e, h, weights, ptr, group, cost, out, bc, bd, be):
    """p's state in this round, at every share: out[S], ρ as ρ0 + ρ1·δ ± E, ρ/u likewise, payers.

    UNAFFORDABLE: its supporters surely have less than its cost. AFFORDABLE: surely at
    least, with both sides of ρ bounded. MAYBE: only ρ's lower side is known (R0 = 0:
    not even that). The line ρ0 + ρ1·δ is what Equal Shares would ask were the
    supporters who are poor at the middle share (money ≤ ρ0) poor at every share and the
    others rich; `_radius_below` and `_radius_above` bound how far the true ρ strays
    from it. PAYERS > 0: every supporter who may have money surely can pay an equal
    split, so ρ = cost / payers exactly (a tie between two such projects is exact).
    """
    start = ptr[p]
    n = _gather(p, c, d, e, ptr, group, bc, bd, be)
    w = weights[start:start + n]
    need = cost[p]
    sc = sd = se = scale = everyone = 0.0
    payers = 0.0
    poorest = np.inf
    for k in range(n):
        sc += w[k] * bc[k]
        sd += w[k] * bd[k]
        se += w[k] * be[k]
        spread = abs(bd[k]) * h + be[k]
        scale += w[k] * (abs(bc[k]) + spread)
        everyone += w[k]
        if bc[k] + spread > 0.0:
            payers += w[k]
            poorest = min(poorest, bc[k] - spread)
    slack = (n + 8) * ROUNDING * (scale + need)
    least = sc - abs(sd) * h - se - slack
    most = sc + abs(sd) * h + se + slack
    out[PAYERS] = 0.0
    if most < need:
        out[S] = UNAFFORDABLE
        return
    if least >= need and poorest > need / payers * (1 + 1e-12):
        # everyone who may have money surely can pay an equal split: ρ = cost / payers, exactly
        rho = need / payers
        out[S] = AFFORDABLE
        out[RHO0], out[RHO1], out[E] = rho, 0.0, rho * 4 * ROUNDING
        out[R0], out[R1], out[RE] = 1.0 / payers, 0.0, 8 * ROUNDING / payers
        out[PAYERS] = payers
        return
    rho0 = _solve(bc, w, n, need, max(need / everyone, out[RHO0]))
    rich = 0.0
    poor_slope = 0.0
    poor_money = 0.0
    for k in range(n):
        if bc[k] > rho0:
            rich += w[k]
        else:
            poor_slope += w[k] * bd[k]
            poor_money += w[k] * bc[k]
    if rich == 0.0:
        out[S] = MAYBE
        out[R0], out[R1], out[RE] = 0.0, 0.0, 0.0      # no bound: ρ/u ≥ 0
        out[RHO0] = 0.0
        return
    rho1 = -poor_slope / rich
    residual = abs(need - (rich * rho0 + poor_money)) + abs(rich * rho1 + poor_slope) * h
    residual += (2 * n + 16) * ROUNDING * (scale + everyone * (abs(rho0) + abs(rho1) * h) + need)
    low_radius = _radius_below(bc, bd, be, w, n, h, rho0, rho1, residual, (residual + se) / rich)
    if low_radius < 0.0:
        out[S] = MAYBE
        out[R0], out[R1], out[RE] = 0.0, 0.0, 0.0
        out[RHO0] = 0.0
        return
    out[RHO0], out[RHO1] = rho0, rho1
    if least < need:
        out[S] = MAYBE
        out[E] = low_radius
        _ratios(out, need)
        return
    radius = _radius_above(bc, bd, be, w, n, h, rho0, rho1, residual, max(low_radius, (residual + se) / rich))
    if radius >= 0.0:
        out[S] = AFFORDABLE
        out[E] = radius
        _ratios(out, need)
        return
    out[S] = MAYBE
    out[E] = low_radius
    _ratios(out, need)


@njit(cache=True)
def _radius_below(bc, bd, be, w, n, h, rho0, rho1, residual, radius):
    """E with ρ > ρ0 + ρ1·δ - E at every share (or the project unaffordable there); -1.0 if none is found.

    At t = ρ0 + ρ1·δ - E what supporters give is at most the line's own sum (the cost,
    but for `residual`) plus, per supporter, min(e, -x_min - E) if poor at the middle
    and min(x_max + e, -E) if rich, x being their money less ρ0 along the lines; E is
    grown by Newton steps until that is surely below the cost.
    """
    for _ in range(60):
        total = residual
        slope = 0.0
        for k in range(n):
            x = bc[k] - rho0
            spread = abs(bd[k] - rho1) * h
            if bc[k] > rho0:
                v = x + spread + be[k]
                if v > -radius:
                    total -= w[k] * radius
                    slope += w[k]
                else:
                    total += w[k] * v
            else:
                v = -(x - spread) - radius
                if v < be[k]:
                    total += w[k] * v
                    slope += w[k]
                else:
                    total += w[k] * be[k]
        if total < 0.0:
            return radius
        if slope == 0.0:
            return -1.0
        radius += total / slope * (1 + 1e-9) + 1e-300
    return -1.0


@njit(cache=True)
def _radius_above(bc, bd, be, w, n, h, rho0, rho1, residual, radius):
    """E with ρ ≤ ρ0 + ρ1·δ + E at every share; -1.0 if none is found (the mirror of `_radius_below`)."""
    for _ in range(60):
        total = -residual
        slope = 0.0
        for k in range(n):
            x = bc[k] - rho0
            spread = abs(bd[k] - rho1) * h
            if bc[k] > rho0:
                v = x - spread - be[k]
                if v > radius:
                    total += w[k] * radius
                    slope += w[k]
                else:
                    total += w[k] * v
            else:
                v = radius - (x + spread)
                if v < -be[k]:
                    total += w[k] * v
                    slope += w[k]
                else:
                    total -= w[k] * be[k]
        if total >= 0.0:
            return radius
        if slope == 0.0:
            return -1.0
        radius += -total / slope * (1 + 1e-9) + 1e-300
    return -1.0


@njit(cache=True)
def _ratios(out, need):
    """ρ/u (cost utilities: ρ / cost) from ρ's form."""
    out[R0] = out[RHO0] / need
    out[R1] = out[RHO1] / need
    out[RE] = out[E] / need * (1 + 4 * ROUNDING) + (abs(out[R0]) + abs(out[R1])) * 4 * ROUNDING


@njit(cache=True)
def ratio_least(state, p, h):
    """The least p may ask (ρ/u) at any share of the stretch, by its form."""
    return state[p, R0] - abs(state[p, R1]) * h - state[p, RE]


@njit(cache=True)
def ratio_most(state, p, h):
    """The most p may ask (ρ/u) at any share of the stretch, by its form."""
    return state[p, R0] + abs(state[p, R1]) * h + state[p, RE]


@njit(cache=True)
def beats(w, q, state, h, rank):
    """Whether w surely asks less than q at every share (or ties exactly and comes first in the tie order)."""
    if state[q, S] == UNAFFORDABLE:
        return True
    if state[w, PAYERS] > 0.0 and state[q, PAYERS] > 0.0:
        if state[w, PAYERS] != state[q, PAYERS]:
            return state[w, PAYERS] > state[q, PAYERS]
        return rank[w] < rank[q]
    if state[q, S] == MAYBE and state[q, R0] == 0.0:
        return False
    gap = state[q, R0] - state[w, R0]
    slope = abs(state[q, R1] - state[w, R1]) * h
    error = state[q, RE] + state[w, RE] + (abs(state[q, R0]) + abs(state[w, R0]) + slope) * 4 * ROUNDING
    return gap - slope - error > 0.0




@njit(cache=True)
def pay(p, state, c, d, e, richest, h, ptr, group):
    """p's supporters pay ρ: money after is max(0, m - ρ), as a form again.

    Where m - ρ may fall on either side of 0 over the stretch, max(0, ·) is replaced by
    its chord between the two ends, widened by half the chord's greatest distance from it."""
    rho0, rho1, radius = state[p, RHO0], state[p, RHO1], state[p, E]
    for k in range(ptr[p], ptr[p + 1]):
        g = group[k]
        yc = c[g] - rho0
        yd = d[g] - rho1
        ye = e[g] + radius
        spread = abs(yd) * h
        ye += (abs(c[g]) + abs(rho0) + (abs(d[g]) + abs(rho1)) * h + ye) * 4 * ROUNDING
        top = yc + spread + ye
        bottom = yc - spread - ye
        if bottom >= 0.0:
            c[g], d[g], e[g] = yc, yd, ye
        elif top <= 0.0:
            c[g], d[g], e[g] = 0.0, 0.0, 0.0
        else:
            lam = top / (top - bottom)
            c[g] = lam * yc - lam * bottom / 2
            d[g] = lam * yd
            e[g] = lam * ye - lam * bottom / 2
            e[g] += (abs(c[g]) + abs(d[g]) * h + e[g]) * 8 * ROUNDING
        richest[g] = (c[g] + abs(d[g]) * h + e[g]) * (1 + 4 * ROUNDING)
