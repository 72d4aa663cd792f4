"""The "add one" completion of Equal Shares: raise every voter's share by one unit of money at a time.

Shares are start, start + 1, start + 2, ...; each step is a run of Equal Shares, and a
stop rule decides which step's outcome is kept (see `add_one`). Elections need hundreds
to tens of thousands of steps, so steps are skipped where a proof (`certified`) shows
that every share in a stretch funds the same projects with the same payments; where the
outcome changes at almost every step, plain steps are cheaper and proofs wait.
"""
from __future__ import annotations

from bisect import bisect_left
from fractions import Fraction
from itertools import accumulate
from math import ceil, inf
from operator import mul

from pb.allocation.mes import Prepared, _Run, equal_shares, float_money


def certified(prep: Prepared, base: _Run, share: Fraction, forks: int = 3, spent: list | None = None):
    """A run at `share` that proves every share from base.share to `share` funds base's projects, or None.

    The proof follows base's sequence at `share` (`equal_shares` with `forced`) and checks:
    (a) in each round, every project still unfunded that shares a supporter with the
    round's project w asks at least w's ratio ρ/u at base.share (and loses the tie when
    equal), or cannot be paid for; (b) at the end nothing else can be paid for.

    Why (a) and (b) at the larger share hold at every share σ in between. Following a
    fixed sequence, every voter's money after every round can only grow with the
    starting share (a payment ρ can only fall when supporters have more), so every
    project's ρ/u can only fall: a competitor asks at σ at least what it asks at `share`,
    and w asks at σ at most what it asked at base.share.

    Why projects with no supporter in common need no check. Two such projects never
    change each other's ρ, so the order in which Equal Shares funds them changes no
    payment: any sequence that keeps, for every two funded projects sharing a supporter,
    their order in base's sequence (the same "trace") funds the same projects with the
    same payments. Equal Shares at σ follows such a sequence: by induction on its rounds,
    what it has funded is closed under "funded earlier and shares a supporter"; a project
    whose predecessors of that kind are all funded asks exactly what it asks in base's
    sequence, and every other project asks at least as much as one of those (by (a),
    applied in the round of its earliest predecessor not yet funded: ρ/u only rises
    along the sequence), or by (b) can never be paid for. So Equal Shares at σ funds one
    of those next, and in the end exactly base's projects. Ties go by the tie order, as
    (a) checks them.

    Forks. Two projects funded one after the other often ask nearly the same and change
    places somewhere in the stretch; (a) then fails although the projects funded stay
    the same. (Projects funded between them that share no supporter with the second do
    not count: it can move before them without changing any payment.) If the check
    fails on exactly such a pair, both orders are checked instead,
    each without comparing the two with each other: the second order's bounds come from
    following it at base.share (`equal_shares` without bounds). At every σ, Equal Shares
    then funds one of the two first (every other project asks more than either, by (a) in
    its order) and follows that order's checks afterwards: either way the same projects.
    Up to `forks` such pairs are split, one after another. The proof returned follows
    base's order; the stretch funds its projects, though maybe in the other order.
    """
    return _fork(prep, base, base.sequence, share, frozenset(), forks, [0] if spent is None else spent)


def _fork(prep: Prepared, base: _Run, sequence: list, share: Fraction, skip: frozenset, forks: int, spent: list):
    """`certified` for base's sequence or, with `sequence` different, for that one followed at base.share.

    Counts in spent[0] the runs of `equal_shares` it takes."""
    if sequence is not base.sequence:
        spent[0] += 1
        base = equal_shares(prep, base.share, sequence)
        if base is None:
            return None
    why: list = []

    def check(q, w, funded, floats):
        return apart(prep, base, share, q, w, funded, floats)

    spent[0] += 1
    proof = equal_shares(prep, share, sequence, base.ratios, skip, why, check if prep.util is prep.cost else None)
    if proof is not None or not why or not forks:
        return proof
    t, q = why[0]
    if q not in sequence[t + 1:]:
        return None
    later = sequence.index(q, t + 1)
    near = prep.neighbours[q]
    if any(near >> p & 1 for p in sequence[t + 1:later]):
        return None                     # q is not the next project w's round could go to
    w = sequence[t]
    other = sequence[:t] + [q] + sequence[t:later] + sequence[later + 1:]
    skip = skip | {(w, q), (q, w)}
    proof = _fork(prep, base, sequence, share, skip, forks - 1, spent)
    if proof is None or _fork(prep, base, other, share, skip, forks - 1, spent) is None:
        return None
    return proof


def _rho(money: list, counts: tuple, shift: float, need: int, side: int) -> float | None:
    """ρ if every supporter with money had `shift` more (less, when negative; never below 0), inf if short.

    Floats, moved by their rounding error down (side -1) or up (side 1); None if that error is not small.
    """
    money = [max(0.0, m + shift) if m else 0.0 for m in money]
    paid = list(accumulate(map(mul, money, counts), initial=0.0))
    error = need * (len(money) + 4) * 1e-15    # of the money (a few units in the last place), the shift, the sums
    if paid[-1] < need - error:
        return inf if side < 0 else None
    counted = list(accumulate(counts, initial=0))
    everyone = counted[-1]
    poor = bisect_left(range(len(money)), True, key=lambda i: money[i] * (everyone - counted[i]) >= need - paid[i])
    rest = need - paid[poor]
    if poor == len(money) or rest <= 4 * error:
        return None
    return (rest + side * error) / (everyone - counted[poor])


def apart(prep: Prepared, base: _Run, share: Fraction, q: int, w: int, funded: int, floats: list,
          pieces: int = 8) -> bool:
    """Whether q asks more than w, in w's round, at every share from base's to `share` (cost utilities).

    The comparison in `certified` sets q at the larger share against w at the smaller
    one; over a long stretch both fall, and it fails although they never cross. Closer
    bounds: following a fixed sequence, a supporter who still has money at a share has,
    one unit of share higher, at least one unit more (what they paid can only fall), so
    between the shares s = base.share and s' = `share` their money at σ is at least their
    money at s plus σ - s, and at most their money at s' minus s' - σ. The stretch is cut
    in `pieces`; on [a, b], q asks at least its ρ/u with everyone's money at s' less
    s' - b, and w at most its ρ/u with the money at s plus a - s; the first must be the
    larger on every piece. Floats, with their rounding errors bounded: nothing close is
    decided here (the proof then fails, and a smaller stride or a plain step decides).
    """
    masks, counts = prep.histories(q, funded)
    money_q = sorted(zip(float_money(floats, masks), counts))
    masks, counts = prep.histories(w, funded)
    money_w = sorted(zip(float_money(base.floats, masks), counts))
    values_q, counts_q = [m for m, _ in money_q], tuple(c for _, c in money_q)
    values_w, counts_w = [m for m, _ in money_w], tuple(c for _, c in money_w)
    length = float((share - base.share) * prep.scale)     # money is in units of 1 / scale
    cq, cw = prep.cost[q], prep.cost[w]
    for i in range(pieces):
        low, high = length * i / pieces, length * (i + 1) / pieces
        asks_q = _rho(values_q, counts_q, -(length - high), cq, -1)
        asks_w = _rho(values_w, counts_w, low, cw, 1)
        if asks_q is None or asks_w is None or not asks_q / cq > asks_w / cw * (1 + 1e-9):
            return False
    return True


def exhaustive(prep: Prepared, run: _Run) -> bool:
    """No supported project outside the outcome fits the money left (pabutools' test in its add-one loop)."""
    chosen = set(run.sequence)
    left = prep.budget - run.cost
    return not any(p not in chosen and prep.cost[p] <= left for p in prep.candidates)


def add_one(prep: Prepared, start: Fraction, stop: str) -> tuple[_Run, dict]:
    """The share-raising loop of the add-one completion, in one of its two stop rules.

    stop="exhaustive" (pabutools' `voter_budget_increment=1`): stop at the first outcome
    that leaves no room for another supported project (exhaustive) and keep it, or at the
    first that costs more than the budget and keep the one before.

    stop="fits" (equalshares.net, Pabulib's `equalshares/add1`): keep raising while the
    next outcome still fits the budget; keep the last that fits.

    Both stop, and keep the current outcome, once the share is at least the cost of all
    projects: from there on every supported project is funded at every larger share.

    Skipping is exact: a stretch that `certified` proves funds the same projects with the
    same payments at every step, so its outcome's cost and exhaustiveness (all the stop
    rules look at) are those of its first step, and no stop can fall strictly inside it;
    a stretch never reaches past the first share that covers every project. Proofs
    double their stride while they succeed and halve it when one fails; a plain step
    (one run of Equal Shares) decides where no proof of two steps or more holds. Returns
    the final run and notes (its share, the number of steps, how many runs it took).
    """
    if stop not in ("exhaustive", "fits"):
        raise ValueError(f"unknown stop rule {stop!r}")
    budget = prep.budget
    total = Fraction(prep.total_cost, prep.scale)
    run = equal_shares(prep, start)     # a run of Equal Shares at a step; its projects are those from there to `last`
    runs = 1
    base, last = run, 0                 # base: a run (or proof) at step `last` with the same trace as `run`
    stride, reach, longest = 0, 4, 0    # the next proof's stride (0: a plain step first); where proofs start
    # after a plain step (a quarter of the longest that held in the stretch before), and that longest so far
    failed = False                      # whether the last proof failed
    calm, patience = 0, 1               # plain steps in a row that kept the projects; how many a proof waits for
    spent, gained, cost = [0], 0, 0     # runs all proofs took; steps and runs of the proofs since the last plain step
    while True:
        share = start + last
        if share >= total or (stop == "exhaustive" and exhaustive(prep, run)):
            break
        stride = min(stride, ceil(total - share))   # not past the first share that covers every project
        if stride >= 2:
            # a fork costs three runs more: worth it only over a long stretch
            before = spent[0]
            proof = certified(prep, base, share + stride, min(3, stride.bit_length() - 2), spent)
            cost += spent[0] - before
            if proof is not None:
                base, last = proof, last + stride
                gained += stride
                longest = max(longest, stride)
                if not failed:
                    stride *= 2         # after a failure at twice this stride, this one again
                failed = False
                continue
            stride //= 2
            failed = True
            if stride >= 2:
                continue
        following = equal_shares(prep, share + 1)
        runs += 1
        if following.cost > budget:
            break                       # both rules keep the outcome of the step before
        # where the projects change every few steps, one plain run per step is cheaper than proofs:
        # after proofs that skipped fewer steps than twice the runs they took, they wait for longer
        # stretches of plain steps that keep the projects (up to 64)
        if cost:
            patience = 1 if gained >= 2 * cost else min(patience * 2, 64)
            reach, longest = max(2, longest // 4), 0
            gained = cost = 0
        calm = calm + 1 if set(following.sequence) == set(run.sequence) else 0
        stride = reach if calm >= patience else 0
        failed = False
        run = base = following
        last += 1
    final_share = start + last
    if final_share != run.share:        # a skipped step: run it for its own rounds and payments
        again = equal_shares(prep, final_share)
        runs += 1
        if set(again.sequence) != set(run.sequence):
            raise AssertionError("a skipped step changed the outcome")
        run = again
    return run, {"share": final_share, "steps": last, "runs": runs + spent[0]}
