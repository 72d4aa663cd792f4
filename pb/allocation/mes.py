"""The Method of Equal Shares, exactly and fast, and its "add one" completions.

Every voter starts with an equal share of the budget. A project can be funded when its
supporters together still have its cost; among those, the one that asks the least of
each supporter is funded first: the smallest ρ/u, where ρ is the most any supporter
pays (supporters with less than ρ pay all they have) and u the utility of the project
to a supporter: its cost ("cost utilities") or 1 ("cardinality utilities"). Ties go to
the project first in the tie order (pabutools': the id as text; equalshares.net's:
lowest cost, then most votes, then id).

How it stays exact and fast:

* A voter's money depends only on which funded projects they voted for (their
  "history"), so money is stored once per history, and how many supporters of a
  project have each history is counted once per set of funded projects (and cached).
* Money is exact: integers over a common denominator that grows only when a payment
  needs it. Floats, each within a few units in the last place of the exact value, only
  guide: every decision where floats are within 1e-9 of each other is taken exactly.
* As in pabutools and equalshares.net, a project's ρ/u from an earlier round is a
  lower bound for later rounds (money only goes down), so few projects are evaluated
  again in each round; and a project none of whose supporters paid since its last
  evaluation keeps its ρ/u.

The add-one completion runs Equal Shares again with every share one unit of money
larger, until a stop rule holds. Consecutive steps that provably fund the same
sequence of projects are skipped (see `_certified` and `add_one`).
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate, compress, repeat
from math import gcd, lcm
from operator import mul

from pb.allocation.model import Election, as_money
from pb.allocation.outcome import MES_FUNDED, MES_UNAFFORDABLE, NO_SUPPORTERS, Reason

COST = "cost"
CARDINALITY = "cardinality"
_CLOSE = 1e-9   # floats within this relative distance of each other are compared exactly
_EXACT = object()
zeros = repeat(0.0)


class Prepared:
    """The election as Equal Shares computes on it: integer money, indices, supporters per project.

    A voter's "history" is the set of already funded projects they voted for, as a bit
    mask; voters with the same history have the same money left. How many supporters of
    a project have each history depends only on which projects are funded so far, not
    on the shares, so these counts are cached across runs (the add-one loop runs Equal
    Shares many times on similar sets).
    """

    CACHE_SIZE = 20000

    def __init__(self, election: Election, utility: str = COST, tie: str = "pabutools"):
        if utility not in (COST, CARDINALITY):
            raise ValueError(f"unknown utility {utility!r}")
        self.election = election
        projects = election.projects
        self.ids = [p.id for p in projects]
        index = {pid: i for i, pid in enumerate(self.ids)}
        # one scale makes every cost and the budget an integer (Pabulib has costs like 4000.0 or 1331751.11)
        self.scale = lcm(Fraction(election.budget).denominator, *(Fraction(p.cost).denominator for p in projects))
        self.cost = [int(p.cost * self.scale) for p in projects]
        self.budget = int(election.budget * self.scale)
        self.util = self.cost if utility == COST else [1] * len(projects)
        voter_masks: list[list[int]] = [[] for _ in projects]
        self.voters = 0
        for ids, count in election.support_sets:
            self.voters += count
            mask = 0
            for pid in ids:
                mask |= 1 << index[pid]
            repeated = [mask] * count
            for pid in ids:
                voter_masks[index[pid]].extend(repeated)
        self.voter_masks = voter_masks          # per project, the ballot of each supporter, as a mask
        self.neighbours = [0] * len(projects)   # per project, every project one of its supporters voted for
        for ids, _ in election.support_sets:
            mask = 0
            for pid in ids:
                mask |= 1 << index[pid]
            for pid in ids:
                self.neighbours[index[pid]] |= mask
        self.votes = [len(masks) for masks in voter_masks]
        self.free = [i for i in range(len(projects)) if self.votes[i] and not self.cost[i]]
        self.candidates = [i for i in range(len(projects)) if self.votes[i] and self.cost[i]]
        if tie == "pabutools":
            order = sorted(range(len(projects)), key=lambda i: self.ids[i])
        elif tie == "equalshares":
            order = sorted(range(len(projects)), key=lambda i: (self.cost[i], -self.votes[i], self.ids[i]))
        else:
            raise ValueError(f"unknown tie-breaking {tie!r}")
        self.rank = [0] * len(projects)
        for position, i in enumerate(order):
            self.rank[i] = position
        # ρ is at least cost / supporters (an equal split), so ρ/u starts from this bound
        self.initial_lower = {i: Fraction(self.cost[i], self.votes[i] * self.util[i]) for i in self.candidates}
        self.total_cost = sum(self.cost)
        self._histories: dict = {}

    def histories(self, p: int, funded: int) -> tuple:
        """(history masks, numbers of p's supporters with each) once the projects in `funded` are funded."""
        funded &= self.neighbours[p]         # projects none of p's supporters voted for change nothing
        key = (p, funded)
        found = self._histories.get(key)
        if found is None:
            if len(self._histories) >= self.CACHE_SIZE:
                self._histories.clear()
            counted = Counter(map(funded.__and__, self.voter_masks[p]))
            found = self._histories[key] = (tuple(counted), tuple(counted.values()))
        return found


@dataclass
class _Run:
    """One run of Equal Shares with a given starting share (real money per voter)."""

    share: Fraction
    sequence: list          # project indices, in the order funded
    ratios: list            # ρ/u of each funded project, in scaled units (the certificate's bounds)
    payments: list          # (ρ in real money, supporters who paid ρ) per funded project
    cost: int               # scaled total cost of the outcome (free projects cost nothing)
    nums: dict              # history mask -> money left: nums[h] / denominators[epochs[h]] (scaled)
    epochs: dict
    denominators: list


def equal_shares(prep: Prepared, share: Fraction, forced: list | None = None, bounds: list | None = None):
    """Equal Shares with each voter starting with `share`.

    With `forced` (a sequence of projects) and `bounds` (their ratios in an earlier run
    with a smaller share), this is the certificate's check instead: it follows the
    sequence and returns None as soon as the sequence might not be Equal Shares' choice
    at this share (see `_certified`).

    Money is exact and integer: a history's money is a numerator over the denominator
    of the "epoch" it was computed in; a new epoch starts when a payment needs a finer
    denominator, and older numerators are scaled only when read.
    """
    scaled = Fraction(share) * prep.scale
    denominators = [scaled.denominator]
    scales = [1]                        # denominators[-1] // denominators[e], per epoch e
    nums = {0: scaled.numerator}        # history mask -> money left, a numerator over denominators[epochs[h]]
    epochs = {0: 0}                     # the empty history: nobody has paid anything yet
    floats = {0: float(scaled)}         # the same money as a float: it only guides, exact checks decide
    nums_get, floats_get = nums.get, floats.get
    funded = 0
    votes, cost, util, rank = prep.votes, prep.cost, prep.util, prep.rank
    histories = prep.histories
    remaining = set(prep.candidates)
    # lower bounds of each project's ρ/u, as floats rounded down: valid in every later round
    lower = {p: float(v) * (1 - _CLOSE) for p, v in prep.initial_lower.items()}

    def exact(h):
        num = nums_get(h)
        return num * scales[epochs[h]] if num else 0

    def estimate(p):
        """Float bounds (low, high) on p's ρ/u; None if its supporters surely cannot pay; _EXACT if floats cannot tell.

        Sorting the supporters' money, prefix sums and a bisection find who pays all they
        have; the bounds hold because no supporter's money is near ρ (else _EXACT).
        """
        masks, counts = histories(p, funded)
        values = list(map(floats_get, masks, zeros))
        levels = sorted(compress(zip(values, counts), values))      # who has money left, the poorest first
        if not levels:
            return None
        money, voters = zip(*levels)
        need = cost[p]
        total = sum(map(mul, money, voters))
        if total < need * (1 - _CLOSE):
            return None
        if total <= need * (1 + _CLOSE):
            return _EXACT
        everyone = votes[p]
        paid = list(accumulate(map(mul, money, voters), initial=0.0))
        counted = list(accumulate(voters, initial=everyone - sum(voters)))   # those with nothing pay nothing
        size = len(money)
        poor = bisect_left(range(size), True, key=lambda i: money[i] * (everyone - counted[i]) >= need - paid[i])
        if poor == size:
            return _EXACT
        rich = everyone - counted[poor]
        rest = need - paid[poor]
        error = need * (size + 4) * 2.3e-16      # of the float prefix sums: positive terms below `need`
        if rest <= 4 * error:
            return _EXACT
        low, high = (rest - error) / rich, (rest + error) / rich
        if not bisect_left(money, low * (1 - _CLOSE)) == poor == bisect_right(money, high * (1 + _CLOSE)):
            return _EXACT
        return low / util[p] * (1 - _CLOSE), high / util[p] * (1 + _CLOSE)

    def evaluate(p):
        """(ρ/u, R, rich) with ρ = R / (rich * denominator) exactly, or None when its supporters cannot pay its cost.

        Floats find the voters who cannot pay ρ in full; exact integers then compute ρ
        from them and check every voter whose float is near ρ, falling back to an exact
        computation throughout when floats are not clear enough.
        """
        masks, counts = histories(p, funded)
        values = list(map(floats_get, masks, zeros))
        total = sum(map(mul, values, counts))
        need = cost[p]
        if total < need * (1 - _CLOSE):
            return None
        if total <= need * (1 + _CLOSE):
            return evaluate_exactly(p)
        levels = sorted(compress(zip(values, counts, masks), values))
        paid, rich, poor = 0.0, sum([m for _, m, _ in levels]), 0
        for b, m, _ in levels:
            if need - paid <= b * rich:
                break
            paid += b * m
            rich -= m
            poor += 1
        if not rich:
            return evaluate_exactly(p)
        denominator = denominators[-1]
        rest = need * denominator - sum([exact(h) * m for _, m, h in levels[:poor]])
        if rest <= 0:
            return evaluate_exactly(p)
        rho = rest / (rich * denominator)
        low, high = rho * (1 - _CLOSE), rho * (1 + _CLOSE)
        i = poor - 1
        while i >= 0 and levels[i][0] >= low:          # who paid all they had must have less than ρ
            if exact(levels[i][2]) * rich >= rest:
                return evaluate_exactly(p)
            i -= 1
        i = poor
        while i < len(levels) and levels[i][0] < high:  # who pays ρ must have at least ρ
            if exact(levels[i][2]) * rich < rest:
                return evaluate_exactly(p)
            i += 1
        return Fraction(rest, rich * denominator * util[p]), rest, rich

    def evaluate_exactly(p):
        masks, counts = histories(p, funded)
        values = list(map(exact, masks))
        need = cost[p] * denominators[-1]
        if sum(map(mul, values, counts)) < need:
            return None
        paid = 0
        rich = votes[p]
        for b, m in sorted(zip(values, counts)):   # the poorest first; those with nothing left pay nothing
            if need - paid <= b * rich:
                break
            paid += b * m
            rich -= m
        rest = need - paid
        return Fraction(rest, rich * denominators[-1] * util[p]), rest, rich

    def bounds_of(p):
        """(low, high, exact result or None), or None when p cannot be paid for.

        An exact result is evaluate's, with the number of denominators then (its R is in
        units of the denominator of that time).
        """
        found = estimate(p)
        if found is _EXACT:
            found = evaluate(p)
            if found is None:
                return None
            ratio = float(found[0])
            return ratio * (1 - _CLOSE), ratio * (1 + _CLOSE), found + (len(denominators),)
        return None if found is None else (found[0], found[1], None)

    def can_pay(p):
        masks, counts = histories(p, funded)
        total = sum(map(mul, map(floats_get, masks, zeros), counts))
        if total < cost[p] * (1 - _CLOSE):
            return False
        if total > cost[p] * (1 + _CLOSE):
            return True
        return sum(map(mul, map(exact, masks), counts)) >= cost[p] * denominators[-1]

    sequence, ratios, payments = [], [], []
    fresh: dict = {}                    # bounds (and exact ratio) still true: none of its supporters paid since
    while remaining:
        if forced is None:
            best, contenders = float("inf"), []
            for p in sorted(remaining, key=lower.__getitem__):
                if lower[p] > best:
                    break                       # it, and every project after it, asks more than the best
                found = fresh.get(p) or bounds_of(p)
                if found is None:
                    remaining.discard(p)
                    continue
                fresh[p] = found
                lower[p] = found[0]
                best = min(best, found[1])
                contenders.append((p, found))
            # those that may ask the least: decided exactly, ties to the first in the tie order
            tied, least = [], None
            for p, (low, _, result) in contenders:
                if low > best:
                    continue
                if result is None or result[3] != len(denominators):
                    result = evaluate(p) + (len(denominators),)
                    fresh[p] = (low, fresh[p][1], result)
                if least is None or result[0] < least:
                    least, tied = result[0], [(p, result)]
                elif result[0] == least:
                    tied.append((p, result))
            if not tied:
                break
            winner, (ratio, rest, rich, _) = min(tied, key=lambda pf: rank[pf[0]])
        else:
            if len(sequence) == len(forced):
                if any(can_pay(q) for q in remaining):
                    return None
                break
            winner = forced[len(sequence)]
            bound = bounds[len(sequence)]
            found = evaluate(winner) if winner in remaining else None
            if found is None:
                return None
            ratio, rest, rich = found
            above, below = float(bound) * (1 + _CLOSE), float(bound) * (1 - _CLOSE)
            for q in sorted(remaining, key=lower.__getitem__):
                if lower[q] > above:
                    break                       # it, and every project after it, asks more than the bound
                if q == winner:
                    continue
                found = fresh.get(q) or bounds_of(q)
                if found is None:
                    remaining.discard(q)
                    continue
                fresh[q] = found
                lower[q] = found[0]
                if found[0] > above:
                    continue
                if found[1] < below:
                    return None
                if found[2] is None:
                    fresh[q] = found = (found[0], found[1], evaluate(q) + (len(denominators),))
                exact_ratio = found[2][0]
                if not (exact_ratio > bound or (exact_ratio == bound and rank[winner] < rank[q])):
                    return None
        lower.pop(winner, None)
        remaining.discard(winner)
        sequence.append(winner)
        ratios.append(ratio)
        # every supporter with at least ρ pays ρ, the others pay all they have; ρ = rest / (rich * D)
        common = gcd(rest, rich)
        factor, rho = rich // common, rest // common
        if factor > 1:
            denominators.append(denominators[-1] * factor)
            scales = [v * factor for v in scales]
            scales.append(1)
        epoch = len(denominators) - 1
        payments.append((Fraction(rho, denominators[-1] * prep.scale), rich))
        bit = 1 << winner
        denominator = denominators[-1]
        below = float(Fraction(rho, denominator)) * (1 - _CLOSE)
        # float(left) * (1 / float(D)) is within 3 units in the last place of left / D, as the guard needs
        inverse = 1 / float(denominator) if denominator.bit_length() < 900 else None
        for h in histories(winner, funded)[0]:
            if floats_get(h, 0.0) > below:      # the others had less than ρ: they are left with nothing
                left = nums[h] * scales[epochs[h]] - rho
                if left > 0:
                    nums[h | bit] = left
                    epochs[h | bit] = epoch
                    floats[h | bit] = float(left) * inverse if inverse else left / denominator
        funded |= bit
        # what the winner's supporters paid changes only the projects they also voted for
        near = prep.neighbours[winner]
        for q in [q for q in fresh if near >> q & 1]:
            del fresh[q]
    return _Run(Fraction(share), sequence, ratios, payments, sum(cost[p] for p in sequence), nums, epochs,
                denominators)


def _certified(prep: Prepared, base: _Run, share: Fraction):
    """A run at `share` that provably funds base's sequence at every share from base.share to `share`, or None.

    Why one check at the larger share proves it for every share in between: following
    a fixed sequence of projects, every voter's money after every round can only grow
    with the starting share (a payment ρ can only fall when supporters have more), so
    every project's ρ/u can only fall and its supporters' money only grow. So if at
    `share`, in round t, every other project asks at least the ρ/u that the sequence's
    t-th project asked at base.share (and loses the tie when equal), or cannot be paid
    for, then at every share in between the t-th project is still the one funded; and
    if at the end nothing else can be paid for at `share`, nothing can in between.
    `equal_shares` with `forced` checks exactly this; its ratios then bound the next check.
    """
    return equal_shares(prep, share, base.sequence, base.ratios)


def _steps_until_constant(prep: Prepared, share: Fraction) -> int:
    """Steps of one until the share is at least the cost of all projects (0 if it is already).

    From there on every supported project is affordable by any one of its supporters
    in every round, so every larger share funds the same: all supported projects.
    """
    total = Fraction(prep.total_cost, prep.scale)
    return 0 if share >= total else int(total - share) + 1


def add_one(prep: Prepared, start: Fraction, stop: str) -> tuple[_Run, dict]:
    """The share-raising loop of the add-one completion, in one of its two stop rules.

    Shares are start, start + 1, start + 2, ... (one unit of money more per voter each step).

    stop="exhaustive" (pabutools' `voter_budget_increment=1`): stop at the first outcome
    that leaves no room for another supported project (exhaustive) and keep it, or at the
    first that costs more than the budget and keep the one before.

    stop="fits" (equalshares.net, Pabulib's `equalshares/add1`): keep raising while the
    next outcome still fits the budget; keep the last that fits.

    Steps that `_certified` proves to fund the same sequence are skipped, in strides
    that double while the proofs succeed and halve when one fails; where the sequence
    changes at almost every step, plain steps are cheaper and proofs wait. The result
    is that of the one-step-at-a-time loop. Returns the final run and notes (its share, the
    number of steps, how many runs of Equal Shares it took).
    """
    if stop not in ("exhaustive", "fits"):
        raise ValueError(f"unknown stop rule {stop!r}")
    budget = prep.budget
    runs = 1
    run = equal_shares(prep, start)     # the outcome at every step from run.share to `last`
    base, last, stride = run, 0, 2      # base: a run of run's sequence at step `last`, bounding the next proof
    calm, patience = 0, 1               # plain steps in a row that kept the sequence; how many a proof waits for
    while True:
        if stop == "exhaustive" and (_exhaustive(prep, run) or not _steps_until_constant(prep, start + last)):
            break                       # the first exhaustive outcome: keep it
        if stop == "fits" and not _steps_until_constant(prep, start + last):
            break                       # every larger share funds the same and it fits: stop here
        if stride:
            proof = _certified(prep, base, start + last + stride)
            runs += 1
            if proof is not None:
                base, last, stride, patience = proof, last + stride, stride * 2, 1
                continue
            if stride > 2:
                stride //= 2
                continue
            patience = min(patience * 2, 16)    # not even two steps: try again only after a calmer stretch
        following = equal_shares(prep, start + last + 1)
        runs += 1
        if following.cost > budget:
            break                       # both rules keep the outcome of the step before
        # proofs are tried only where the sequence has held for a few plain steps: where it changes
        # at almost every step (Łódź, Toulouse), one plain run per step is cheaper than failed proofs
        calm = calm + 1 if following.sequence == run.sequence else 0
        stride = 2 if calm >= patience else 0
        run = base = following
        last += 1
    final_share = start + last
    if final_share != run.share:        # a skipped step: run it for its exact payments
        again = equal_shares(prep, final_share)
        runs += 1
        if again.sequence != run.sequence:
            raise AssertionError("a skipped step changed the outcome")
        run = again
    return run, {"share": final_share, "steps": last, "runs": runs}


def _exhaustive(prep: Prepared, run: _Run) -> bool:
    """No supported project outside the outcome fits the money left (pabutools' test in its add-one loop)."""
    chosen = set(run.sequence)
    left = prep.budget - run.cost
    return not any(p not in chosen and prep.cost[p] <= left for p in prep.candidates)


def explain(prep: Prepared, run: _Run) -> tuple[list[str], dict[str, Reason]]:
    """The funded ids (free projects first, then in order) and a reason for every project."""
    election = prep.election
    reasons: dict[str, Reason] = {}
    selected = [prep.ids[p] for p in prep.free]
    share = run.share
    for p in prep.free:
        reasons[prep.ids[p]] = Reason(prep.ids[p], MES_FUNDED, {
            "cost": 0, "rho": 0, "supporters": prep.votes[p], "paid_rho": prep.votes[p], "paid_all": 0,
            "share": share, "round": 0})
    for position, (p, (rho, rich)) in enumerate(zip(run.sequence, run.payments), 1):
        pid = prep.ids[p]
        selected.append(pid)
        reasons[pid] = Reason(pid, MES_FUNDED, {
            "cost": election.by_id[pid].cost, "rho": as_money(rho), "supporters": prep.votes[p], "paid_rho": rich,
            "paid_all": prep.votes[p] - rich, "share": as_money(share), "round": position})
    chosen = set(run.sequence)
    funded = 0
    for p in run.sequence:
        funded |= 1 << p
    for p, pid in enumerate(prep.ids):
        if pid in reasons:
            continue
        cost = election.by_id[pid].cost
        if not prep.votes[p]:
            reasons[pid] = Reason(pid, NO_SUPPORTERS, {"cost": cost})
        elif p not in chosen:
            total = Fraction(0)
            for h, m in zip(*prep.histories(p, funded)):
                if h in run.nums:
                    total += Fraction(run.nums[h] * m, run.denominators[run.epochs[h]])
            reasons[pid] = Reason(pid, MES_UNAFFORDABLE, {"cost": cost, "supporters": prep.votes[p],
                                                          "money": as_money(total / prep.scale)})
    return selected, reasons
