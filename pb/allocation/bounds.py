"""Money as affine forms over a stretch of shares, and what Equal Shares asks of it (compiled).

For the starting shares σ = mid + δ, |δ| ≤ h, each group of identical ballots holds
money c + d·δ ± e: a line in δ and a radius that covers everything the line misses,
the floats' rounding included (every sum carries a slack of a few units in the last
place per term). `interval.py` runs Equal Shares on these forms; here is one
project's side of a round: whether its supporters can pay (`evaluate`), what it asks
(ρ as ρ0 + ρ1·δ ± E), the cheaper test that it asks more than a bound (`floor`), its
supporters' money after they pay (`pay`), and forms that hold two sets of money at once
(`hull`). Lines keep two projects whose ρ falls side by side apart where plain
intervals, setting one at the top of the stretch against the other at its bottom,
would have them overlap; where the lines do cross, `parting` says at which share.
"""
import numpy as np

from pb.allocation.jit import njit

UNKNOWN, UNAFFORDABLE, AFFORDABLE, MAYBE = -1, 0, 1, 2
ROUNDING = 2.3e-16        # the relative error of one float operation, with a margin
# a project's state in a round, by column
S, R0, R1, RE, PAYERS, RHO0, RHO1, E = 0, 1, 2, 3, 4, 5, 6, 7
COLUMNS = 8
# a group of ballots' money, by column: the form c + d·δ ± radius, and the most it may be
C, D, RADIUS, MOST = 0, 1, 2, 3
# Sums may be reordered (and multiply-adds fused), which lets them run in SIMD lanes: the
# slack every sum carries bounds its rounding in any order.
SUMS = {"reassoc", "contract"}


@njit(fastmath=SUMS)
def _given(money, weights, n, t):
    """(Σ weight·min(money, t), Σ weight over money > t), in SIMD lanes."""
    total = 0.0
    rich = 0.0
    for k in range(n):
        m = money[k]
        total += weights[k] * (m if m < t else t)
        rich += weights[k] * (1.0 if m > t else 0.0)
    return total, rich


@njit
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


@njit
def _gather(p, money, ptr, group, bc, bd, be):
    """p's supporters' money forms, in a row: reading them in place costs more than copying them once."""
    start, end = ptr[p], ptr[p + 1]
    for k in range(start, end):
        g = group[k]
        bc[k - start] = money[g, C]
        bd[k - start] = money[g, D]
        be[k - start] = money[g, RADIUS]
    return end - start


@njit
def floor(p, t, money, weights, ptr, group, cost, buffer):
    """A lower bound above t on p's ρ at every share, or 0.0 if p may ask t or less.

    Even the richest case (every supporter with the most money they may have) gives
    less than the cost at ρ = t, so ρ > t; then Newton steps from t on that case (what
    supporters give is concave in ρ) find its ρ, from below: a bound for later rounds too."""
    start, end = ptr[p], ptr[p + 1]
    n = end - start
    scale = 0.0
    for k in range(n):
        m = money[group[start + k], MOST]
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


@njit
def evaluate(p, money, h, weights, ptr, group, cost, out, bc, bd, be):
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
    n = _gather(p, money, ptr, group, bc, bd, be)
    w = weights[start:start + n]
    need = cost[p]
    sc, sd, se, scale, everyone, payers, poorest = _totals(bc, bd, be, w, n, h)
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
    rich, poor_slope, poor_money = _split(bc, bd, w, n, rho0)
    low_radius = -1.0
    if rich > 0.0:
        rho1 = -poor_slope / rich
        residual = abs(need - (rich * rho0 + poor_money)) + abs(rich * rho1 + poor_slope) * h
        residual += (2 * n + 16) * ROUNDING * (scale + everyone * (abs(rho0) + abs(rho1) * h) + need)
        low_radius = _radius_below(bc, bd, be, w, n, h, rho0, rho1, residual, (residual + se) / rich)
    out[S] = MAYBE
    if low_radius < 0.0:
        out[R0], out[R1], out[RE], out[RHO0] = 0.0, 0.0, 0.0, 0.0      # no bound: ρ/u ≥ 0
        return
    out[RHO0], out[RHO1], out[E] = rho0, rho1, low_radius
    if least >= need:
        radius = _radius_above(bc, bd, be, w, n, h, rho0, rho1, residual, max(low_radius, (residual + se) / rich))
        if radius >= 0.0:
            out[S], out[E] = AFFORDABLE, radius
    _ratios(out, need)


@njit(fastmath=SUMS)
def _totals(bc, bd, be, w, n, h):
    """Over p's supporters: Σ w·c, Σ w·d, Σ w·e, the sums' scale, Σ w, Σ w over those who may
    have money, and the least any of those may have."""
    sc = sd = se = scale = everyone = payers = 0.0
    poorest = np.inf
    for k in range(n):
        sc += w[k] * bc[k]
        sd += w[k] * bd[k]
        se += w[k] * be[k]
        spread = abs(bd[k]) * h + be[k]
        scale += w[k] * (abs(bc[k]) + spread)
        everyone += w[k]
        some = bc[k] + spread > 0.0
        payers += w[k] if some else 0.0
        low = bc[k] - spread
        poorest = low if some and low < poorest else poorest
    return sc, sd, se, scale, everyone, payers, poorest


@njit(fastmath=SUMS)
def _split(bc, bd, w, n, rho0):
    """Σ w over supporters rich at ρ0 (money above it), Σ w·d and Σ w·c over the poor."""
    rich = poor_slope = poor_money = 0.0
    for k in range(n):
        above = bc[k] > rho0
        rich += w[k] if above else 0.0
        poor_slope += 0.0 if above else w[k] * bd[k]
        poor_money += 0.0 if above else w[k] * bc[k]
    return rich, poor_slope, poor_money


@njit
def _radius_below(bc, bd, be, w, n, h, rho0, rho1, residual, radius):
    """E with ρ > ρ0 + ρ1·δ - E at every share (or the project unaffordable there); -1.0 if none is found.

    At t = ρ0 + ρ1·δ - E what supporters give is at most the line's own sum (the cost,
    but for `residual`) plus, per supporter, min(e, -x_min - E) if poor at the middle
    and min(x_max + e, -E) if rich, x being their money less ρ0 along the lines; E is
    grown by Newton steps until that is surely below the cost.
    """
    for _ in range(60):
        total, size, slope = _excess(bc, bd, be, w, n, h, rho0, rho1, radius, 1.0)
        total += residual + (n + 8) * ROUNDING * size
        if total < 0.0:
            return radius
        if slope == 0.0:
            return -1.0
        radius += total / slope * (1 + 1e-9) + 1e-300
    return -1.0


@njit
def _radius_above(bc, bd, be, w, n, h, rho0, rho1, residual, radius):
    """E with ρ ≤ ρ0 + ρ1·δ + E at every share; -1.0 if none is found (the mirror of `_radius_below`)."""
    for _ in range(60):
        total, size, slope = _excess(bc, bd, be, w, n, h, rho0, rho1, radius, -1.0)
        total -= residual + (n + 8) * ROUNDING * size
        if total >= 0.0:
            return radius
        if slope == 0.0:
            return -1.0
        radius += -total / slope * (1 + 1e-9) + 1e-300
    return -1.0


@njit(fastmath=SUMS)
def _excess(bc, bd, be, w, n, h, rho0, rho1, radius, side):
    """What supporters give at ρ0 + ρ1·δ - side·E beyond the line's own sum, at most (side 1) or at
    least (side -1), the sum of its terms' sizes (for its rounding), and its slope in E: one pass.

    Rich at the middle (money above ρ0), a supporter gives the line's ρ, or all they have where
    that is less; poor, all they have, or less where the line passes under it."""
    total = 0.0
    size = 0.0
    slope = 0.0
    for k in range(n):
        x = bc[k] - rho0
        spread = abs(bd[k] - rho1) * h
        rich = bc[k] > rho0
        if side > 0.0:
            a = (x + spread + be[k]) if rich else (spread - x - radius)
            b = -radius if rich else be[k]
        else:
            a = (x - spread - be[k]) if rich else (radius - x - spread)
            b = radius if rich else -be[k]
        least = a if a < b else b
        total += w[k] * least
        size += w[k] * (abs(least) + radius)
        slope += w[k] * (1.0 if (a > b) == rich else 0.0)
    return total, size, slope


@njit
def _ratios(out, need):
    """ρ/u (cost utilities: ρ / cost) from ρ's form."""
    out[R0] = out[RHO0] / need
    out[R1] = out[RHO1] / need
    out[RE] = out[E] / need * (1 + 4 * ROUNDING) + (abs(out[R0]) + abs(out[R1])) * 4 * ROUNDING


@njit
def ratio_least(state, p, h):
    """The least p may ask (ρ/u) at any share of the stretch, by its form."""
    return state[p, R0] - abs(state[p, R1]) * h - state[p, RE]


@njit
def ratio_most(state, p, h):
    """The most p may ask (ρ/u) at any share of the stretch, by its form."""
    return state[p, R0] + abs(state[p, R1]) * h + state[p, RE]


@njit
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


@njit
def parting(w, q, state):
    """The δ up to which w surely asks less than q along their forms, as δ grows (inf: no end in sight)."""
    if state[q, S] == UNAFFORDABLE or state[q, R0] == 0.0:
        return np.inf
    closing = state[w, R1] - state[q, R1]
    if closing <= 0.0:
        return np.inf
    return (state[q, R0] - state[w, R0] - state[q, RE] - state[w, RE]) / closing


@njit
def pay(p, state, money, h, ptr, group):
    """p's supporters pay ρ: money after is max(0, m - ρ), as a form again.

    Where m - ρ may fall on either side of 0 over the stretch, max(0, ·) is replaced by
    its chord between the two ends, widened by half the chord's greatest distance from it."""
    rho0, rho1, radius = state[p, RHO0], state[p, RHO1], state[p, E]
    for k in range(ptr[p], ptr[p + 1]):
        g = group[k]
        c, d, e = money[g, C], money[g, D], money[g, RADIUS]
        if c == 0.0 and d == 0.0 and e == 0.0:
            continue                    # nothing left, and nothing to pay
        yc = c - rho0
        yd = d - rho1
        ye = e + radius
        spread = abs(yd) * h
        ye += (abs(c) + abs(rho0) + (abs(d) + abs(rho1)) * h + ye) * 4 * ROUNDING
        top = yc + spread + ye
        bottom = yc - spread - ye
        if bottom >= 0.0:
            c, d, e = yc, yd, ye
        elif top <= 0.0:
            c, d, e = 0.0, 0.0, 0.0
        else:
            lam = top / (top - bottom)
            c = lam * yc - lam * bottom / 2
            d = lam * yd
            e = lam * ye - lam * bottom / 2
            e += (abs(c) + abs(d) * h + e) * 8 * ROUNDING
        money[g, C], money[g, D], money[g, RADIUS] = c, d, e
        money[g, MOST] = (c + abs(d) * h + e) * (1 + 4 * ROUNDING)


@njit
def hull(money, other, h):
    """Forms that hold both their own money and other's, group by group, in place."""
    for g in range(money.shape[0]):
        c, d, e = money[g, C], money[g, D], money[g, RADIUS]
        c2, d2, e2 = other[g, C], other[g, D], other[g, RADIUS]
        if c == c2 and d == d2 and e == e2:
            continue
        mc = (c + c2) / 2
        md = (d + d2) / 2
        radius = max(e + abs(c - mc) + abs(d - md) * h, e2 + abs(c2 - mc) + abs(d2 - md) * h)
        money[g, C], money[g, D] = mc, md
        money[g, RADIUS] = radius + (abs(mc) + abs(md) * h + radius) * 4 * ROUNDING
        money[g, MOST] = max(money[g, MOST], other[g, MOST])
